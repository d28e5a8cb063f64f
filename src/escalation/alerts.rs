//! Alert messages: what a manager's phone shows, bundling of bursts into one
//! message, updates in place after a button press, and quiet notices.

use chrono::TimeZone;

use super::Escalator;
use crate::chat::callback::{AlertAction, Callback};
use crate::clock::{from_millis, local_short, to_millis};
use crate::config::Person;
use crate::domain::{Lang, ZoneKind};
use crate::outbox::{InlineButton, Keyboard, Lane, OutMessage};
use crate::store::{EscalationReason, EscalationRow, EscalationStatus, Tx};
use crate::texts::alerts::{self as texts, AlertReport, AlertView, Why};

impl Escalator {
    /// Writes an alert for `person`: into a pending message to them if one is
    /// waiting (a burst becomes one message), else as a new message — held for
    /// the bundle window when another alert just went to them, so the rest of
    /// the burst can join it.
    pub(super) async fn page(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        person: &Person,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let window = self.config.delivery.bundle_window.as_millis() as i64;
        let chat_id = person.telegram_id;
        // The transaction holds the write lock, so the pending row cannot be
        // claimed between reading and rewriting it.
        if window > 0
            && let Some(outbox_id) = tx.pending_alert_bundle(chat_id, now_ms - window).await?
        {
            tx.record_alert(esc.id, outbox_id, &person.id, chat_id)
                .await?;
            let bundle = self.render(tx, outbox_id, person, now_ms).await?;
            anyhow::ensure!(
                tx.replace_pending(outbox_id, &bundle).await?,
                "alert bundle claimed mid-transaction"
            );
            return Ok(());
        }
        let burst = window > 0 && tx.alerted_since(chat_id, now_ms - window).await?;
        let due = if burst { now_ms + window } else { now_ms };
        let placeholder = OutMessage::text(chat_id, String::new());
        let outbox_id = tx
            .enqueue_at(Lane::Alert, &placeholder, now_ms, due)
            .await?;
        tx.record_alert(esc.id, outbox_id, &person.id, chat_id)
            .await?;
        let message = self.render(tx, outbox_id, person, now_ms).await?;
        tx.replace_pending(outbox_id, &message).await?;
        Ok(())
    }

    /// The message an outbox row carries: one alert, or a bundle of several.
    async fn render(
        &self,
        tx: &mut Tx,
        outbox_id: i64,
        person: &Person,
        now_ms: i64,
    ) -> anyhow::Result<OutMessage> {
        let lang = person.lang;
        let mut texts_: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<InlineButton>> = Vec::new();
        let ids = tx.bundle_escalations(outbox_id).await?;
        let single = ids.len() == 1;
        for id in ids {
            let Some(esc) = tx.escalation(id).await? else {
                continue;
            };
            texts_.push(self.alert_text(tx, &esc, lang, now_ms).await?);
            rows.extend(buttons(&esc, lang, !single));
        }
        let text = if single {
            texts_.concat()
        } else {
            format!(
                "{}\n\n{}",
                texts::bundle_header(lang, texts_.len()),
                texts_.join("\n\n")
            )
        };
        Ok(OutMessage::with_keyboard(
            person.telegram_id,
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
        let reason = match esc.reason {
            EscalationReason::Zone => Why::Zone(esc.zone_kind.unwrap_or(ZoneKind::Hospital)),
            EscalationReason::Urgent => Why::Urgent,
            EscalationReason::Threshold => Why::Threshold {
                count: esc.report_count,
                threshold: esc.threshold.unwrap_or(esc.report_count),
            },
        };
        let tz = self.config.general.time_zone;
        let when = |ms: i64| local_short(ms, tz);
        let name = |id: &Option<String>| {
            let id = id.as_deref().unwrap_or_default();
            self.person(id).map_or(id.to_string(), |p| p.name.clone())
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
            reason,
            no_entry: esc.no_entry,
            report_count: esc.report_count,
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
        id: i64,
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

    /// Tells those already alerted that another report joined — silently, and
    /// held until the quiet hours end.
    pub(super) async fn notice_joined(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let due = self.after_quiet_hours(now_ms);
        for (person_id, chat_id) in tx.alerted_people(esc.id).await? {
            let lang = self.person(&person_id).map_or(Lang::Zh, |p| p.lang);
            let text = texts::joined(
                lang,
                esc.id,
                &esc.compound_text,
                esc.category,
                esc.report_count,
            );
            let notice = OutMessage::Send {
                chat_id,
                text,
                keyboard: Keyboard::Keep,
                silent: true,
            };
            // One waiting notice per person and escalation, kept up to date.
            if let Some(outbox_id) = tx.pending_notice(esc.id, &person_id).await?
                && tx.replace_pending(outbox_id, &notice).await?
            {
                continue;
            }
            let outbox_id = tx.enqueue_at(Lane::Alert, &notice, now_ms, due).await?;
            tx.set_notice(esc.id, &person_id, outbox_id).await?;
        }
        Ok(())
    }

    /// `now_ms`, or the end of the quiet hours when `now_ms` falls inside them.
    fn after_quiet_hours(&self, now_ms: i64) -> i64 {
        let Some((start, end)) = self.config.delivery.quiet() else {
            return now_ms;
        };
        let tz = self.config.general.time_zone;
        let local = from_millis(now_ms).with_timezone(&tz);
        let t = local.time();
        let inside = if start <= end {
            t >= start && t < end
        } else {
            t >= start || t < end
        };
        if !inside {
            return now_ms;
        }
        let day = if t >= end {
            local.date_naive() + chrono::Duration::days(1)
        } else {
            local.date_naive()
        };
        let until = tz.from_local_datetime(&day.and_time(end)).earliest();
        until.map_or(now_ms, |u| to_millis(u.to_utc()))
    }
}

/// Acknowledge / Resolve / Escalate now / Details, as far as the status
/// allows. In a bundle each button names its escalation.
fn buttons(esc: &EscalationRow, lang: Lang, numbered: bool) -> Vec<Vec<InlineButton>> {
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
