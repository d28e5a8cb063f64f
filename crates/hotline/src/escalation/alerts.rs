//! Alert messages: what a manager's phone shows, and updates in place after
//! a button press. An alert is sent at once; only when an alert message to
//! the same manager is still waiting (pending, not yet taken by the sender)
//! does a new alert merge into it rather than queue behind it. Nothing is
//! held back to gather a burst. A merged message never passes Telegram's
//! sizes (see [`bundle`](super::bundle)).

use super::Escalator;
use super::bundle::{FULL_MAX, full_text};
use crate::clock::local_short;
use crate::config::Person;
use crate::domain::callback::{AlertAction, Callback};
use crate::domain::{EscalationId, EscalationReason, EscalationStatus, Lang, PersonId, ZoneKind};
use crate::outbox::limits::{MAX_TEXT_UNITS, fit};
use crate::outbox::{InlineButton, Keyboard, Lane, OutMessage};
use crate::store::{EscalationRow, ReportRow, Tx};
use crate::texts::staff::{self as texts, AlertReport, AlertView, Why};

impl Escalator {
    /// Writes an alert for `person`: into their alert message still waiting
    /// to be sent, if there is one, else as a new message due now.
    pub(super) async fn page(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        person: &Person,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let chat_id = person.chat();
        let placeholder = OutMessage::text(chat_id, String::new());
        // Rewriting the waiting row first takes its lock (PostgreSQL) or the
        // write lock (SQLite): a sender cannot claim it until we commit, and
        // if one claimed it already, the alert goes out on a row of its own.
        let waiting = match tx.pending_alert_bundle(chat_id, i64::MIN).await? {
            Some(id) if tx.replace_pending(id, &placeholder).await? => Some(id),
            _ => None,
        };
        let outbox_id = match waiting {
            Some(id) => id,
            None => tx.enqueue(Lane::Alert, &placeholder, now_ms).await?,
        };
        tx.record_alert(esc.id, outbox_id, &person.id, chat_id)
            .await?;
        let message = self.render(tx, outbox_id, person, now_ms).await?;
        anyhow::ensure!(
            tx.replace_pending(outbox_id, &message).await?,
            "alert message claimed mid-transaction"
        );
        Ok(())
    }

    /// The message an outbox row carries: one alert, a few in full, or the
    /// summary of many.
    pub(super) async fn render(
        &self,
        tx: &mut Tx,
        outbox_id: i64,
        person: &Person,
        now_ms: i64,
    ) -> anyhow::Result<OutMessage> {
        let lang = person.lang;
        let ids = tx.bundle_escalations(outbox_id).await?;
        if ids.len() > FULL_MAX {
            let rows = tx.bundle_rows(outbox_id).await?;
            return Ok(self.summary(outbox_id, rows, person));
        }
        let single = ids.len() == 1;
        let mut texts_: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<InlineButton>> = Vec::new();
        let mut escalations = Vec::new();
        for id in ids {
            let Some(esc) = tx.escalation(id).await? else {
                continue;
            };
            texts_.push(self.alert_text(tx, &esc, lang, now_ms).await?);
            rows.extend(buttons(&esc, lang, !single));
            escalations.push(esc);
        }
        let text = if single {
            fit(texts_.concat(), MAX_TEXT_UNITS)
        } else {
            let header = texts::bundle_header(lang, texts_.len());
            match full_text(&header, &texts_) {
                Some(text) => text,
                None => return Ok(self.summary(outbox_id, escalations, person)),
            }
        };
        Ok(OutMessage::with_keyboard(
            person.chat(),
            text,
            Keyboard::inline(rows),
        ))
    }

    pub(super) async fn alert_text(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        lang: Lang,
        now_ms: i64,
    ) -> anyhow::Result<String> {
        let reports = tx.escalation_reports(esc.id).await?;
        let tz = self.config.general.time_zone;
        let when = |ms: i64| local_short(ms, tz);
        let name = |id: &Option<PersonId>| match id {
            Some(id) => self.person(id).map_or(id.to_string(), |p| p.name.clone()),
            None => String::new(),
        };
        let status = match esc.status {
            EscalationStatus::Acknowledged => Some(texts::acknowledged_by(
                lang,
                &name(&esc.acknowledged_by),
                &when(esc.acknowledged_at.unwrap_or(now_ms)),
            )),
            EscalationStatus::Resolved => Some(texts::resolved_by(
                lang,
                &name(&esc.resolved_by),
                &when(esc.resolved_at.unwrap_or(now_ms)),
                "",
            )),
            EscalationStatus::Open => None,
        };
        let quoted = reports
            .iter()
            .take(texts::QUOTED_REPORTS)
            .map(|r| AlertReport {
                ticket: &r.ticket,
                address: &r.address_detail,
                description: &r.description,
                phone: r.phone.as_deref(),
            });
        let view = AlertView {
            id: esc.id,
            compound: &esc.compound_text,
            category: esc.category,
            reason: why(esc),
            no_entry: esc.no_entry,
            report_count: esc.report_count,
            household_count: households(&reports),
            reports: quoted.collect(),
            open_minutes: (now_ms - esc.opened_at) / 60_000,
            status,
        };
        Ok(texts::alert(lang, &view))
    }

    /// Rewrites every alert message of the escalation in place (status line,
    /// buttons) for everyone who received it; one not yet sent is rewritten
    /// before it goes.
    pub(super) async fn refresh_alerts(
        &self,
        tx: &mut Tx,
        id: EscalationId,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let mut done: Vec<i64> = Vec::new();
        for alert in tx.escalation_alerts(id).await? {
            if done.contains(&alert.outbox_id) {
                continue;
            }
            done.push(alert.outbox_id);
            let Some(person) = self.person(&alert.person_id) else {
                continue;
            };
            let OutMessage::Send { text, keyboard, .. } =
                self.render(tx, alert.outbox_id, person, now_ms).await?
            else {
                continue;
            };
            match alert.telegram_message_id {
                Some(message_id) => {
                    let edit = OutMessage::Edit {
                        chat_id: alert.chat_id,
                        message_id: message_id as i32,
                        text,
                        keyboard,
                    };
                    tx.enqueue(Lane::Alert, &edit, now_ms).await?;
                }
                None => {
                    let send = OutMessage::with_keyboard(alert.chat_id, text, keyboard);
                    tx.replace_pending(alert.outbox_id, &send).await?;
                }
            }
        }
        Ok(())
    }
}

/// The households behind an escalation's reports (a row seeded without one
/// stands alone).
fn households(reports: &[ReportRow]) -> i64 {
    let keys: std::collections::BTreeSet<&str> = reports
        .iter()
        .map(|r| r.household.as_deref().unwrap_or(&r.ticket))
        .collect();
    keys.len() as i64
}

/// Why an escalation pages, as the alert states it.
pub(super) fn why(esc: &EscalationRow) -> Why {
    match esc.reason {
        EscalationReason::Zone => Why::Zone(esc.zone_kind.unwrap_or(ZoneKind::Hospital)),
        EscalationReason::Urgent => Why::Urgent,
        EscalationReason::Threshold => Why::Threshold {
            count: esc.report_count,
            threshold: esc.threshold.unwrap_or(esc.report_count),
        },
    }
}

/// Acknowledge / Resolve / Escalate now / Details, as far as the status
/// allows. In a bundle each button names its escalation.
pub(super) fn buttons(esc: &EscalationRow, lang: Lang, numbered: bool) -> Vec<Vec<InlineButton>> {
    let label = |full: &str, icon: &str| {
        if numbered {
            format!("{icon} #{}", esc.id)
        } else {
            full.to_string()
        }
    };
    let button = |full: &str, icon: &str, action: AlertAction| InlineButton {
        text: label(full, icon),
        data: Callback::Alert {
            escalation_id: esc.id,
            action,
        }
        .encode(),
    };
    let ack = button(texts::ack_button(lang), "✅", AlertAction::Ack);
    let resolve = button(texts::resolve_button(lang), "🏁", AlertAction::Resolve);
    let escalate = button(texts::escalate_button(lang), "⏫", AlertAction::Escalate);
    let details = button(texts::details_button(lang), "📄", AlertAction::Details);
    match (esc.status, numbered) {
        (EscalationStatus::Open, false) => vec![vec![ack, resolve], vec![escalate, details]],
        (EscalationStatus::Open, true) => vec![vec![ack, resolve, escalate, details]],
        (EscalationStatus::Acknowledged, _) => vec![vec![resolve, details]],
        (EscalationStatus::Resolved, _) => vec![vec![details]],
    }
}
