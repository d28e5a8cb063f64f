//! Escalation: who must be woken, and when. The rules ([`rules::decide`]) and
//! the chain ([`chain::next`]) are pure; [`Escalator`] applies them inside the
//! caller's transaction, writing the escalation, its timeline and the alerts
//! (outbox rows) together with the fact that caused them.

pub mod chain;
pub mod engine;
pub mod rules;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::{from_millis, to_millis};
use crate::config::{Config, Person};
use crate::domain::{CompoundRef, Lang, Role};
use crate::oncall::OnCall;
use crate::outbox::{InlineButton, Keyboard, Lane, OutMessage};
use crate::store::{EscalationRow, NewEscalation, NewReport, Tx};
use crate::texts::staff::{self as texts, AlertReport, AlertView, Why};
use chain::Walk;
use rules::{Decision, Facts, Reason};

pub struct Escalator {
    config: Arc<Config>,
    oncall: Arc<OnCall>,
}

/// What happened to an escalation after a manager's action.
#[derive(Debug, Clone, PartialEq)]
pub enum Acted {
    Done,
    AlreadyDone,
    NotFound,
}

impl Escalator {
    pub fn new(config: Arc<Config>, oncall: Arc<OnCall>) -> Escalator {
        Escalator { config, oncall }
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.config.people.iter().find(|p| p.id == id)
    }

    fn ms(d: std::time::Duration) -> i64 {
        d.as_millis() as i64
    }

    /// Applies the rules to a report just stored in `tx`. Returns the
    /// escalation it opened or joined.
    pub async fn on_report(
        &self,
        tx: &mut Tx,
        report_id: i64,
        report: &NewReport,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<i64>> {
        let now_ms = to_millis(now);
        let compound_id = report.compound.matched_id().map(str::to_string);
        let mut facts = Facts {
            category: report.category,
            compound_id: compound_id.clone(),
            zone: None,
            open_reports: 1,
            open_escalation: None,
        };
        if let Some(id) = &compound_id {
            facts.open_reports = tx.open_report_count(id, report.category).await?;
            facts.open_escalation = tx
                .unresolved_escalation(id, report.category)
                .await?
                .map(|e| e.id);
            facts.zone = tx
                .active_zone(id, &report.address_detail, now_ms)
                .await?
                .and_then(|z| z.kind());
        }
        match rules::decide(&facts, &self.config.escalation) {
            Decision::Nothing => Ok(None),
            Decision::Join { escalation_id } => {
                let count = tx.join_escalation(escalation_id, report_id, now_ms).await?;
                tx.add_timeline(
                    escalation_id,
                    "joined",
                    "",
                    &format!("report {report_id}; {count} reports now"),
                    now_ms,
                )
                .await?;
                Ok(Some(escalation_id))
            }
            Decision::Open {
                reason,
                start_step,
                notify,
                no_entry,
            } => {
                let new = NewEscalation {
                    compound_id: compound_id.clone(),
                    compound_text: match &report.compound {
                        CompoundRef::Matched { name, .. } => name.clone(),
                        CompoundRef::Unmatched { raw } => raw.clone(),
                    },
                    category: report.category,
                    reason: reason.code(),
                    zone_kind: match &reason {
                        Reason::Zone { kind } => Some(*kind),
                        _ => None,
                    },
                    no_entry,
                    step: start_step as i64,
                    report_count: facts.open_reports,
                    threshold: match &reason {
                        Reason::Threshold { threshold, .. } => Some(*threshold),
                        _ => None,
                    },
                };
                let id = tx.create_escalation(&new, now_ms).await?;
                match (&reason, &compound_id) {
                    (Reason::Threshold { .. }, Some(compound)) => {
                        tx.adopt_open_reports(id, compound, report.category).await?
                    }
                    _ => {
                        tx.join_escalation(id, report_id, now_ms).await?;
                    }
                }
                tx.add_timeline(id, "opened", "", &format!("{reason:?}"), now_ms)
                    .await?;
                let esc = tx.escalation(id).await?.expect("just created");
                self.notify(tx, &esc, &notify, now).await?;
                let walk = Walk {
                    step: start_step,
                    repeats: 0,
                };
                let next = now_ms + Self::ms(chain::wait_after(walk, &self.config.escalation));
                tx.set_walk(id, start_step as i64, 0, next, now_ms).await?;
                Ok(Some(id))
            }
        }
    }

    /// The engine's work for one escalation whose wait ran out.
    pub async fn advance(&self, tx: &mut Tx, id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
        let now_ms = to_millis(now);
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(());
        };
        if esc.status != "open" || esc.next_action_at.is_none_or(|at| at > now_ms) {
            return Ok(());
        }
        let walk = Walk {
            step: esc.step.max(0) as usize,
            repeats: esc.repeats.max(0) as u32,
        };
        let action = chain::next(walk, &self.config.escalation);
        let waited = (now_ms - esc.updated_at) / 60_000;
        tx.add_timeline(
            id,
            action.kind,
            "",
            &format!(
                "no acknowledgement after {waited} min; step {}",
                action.walk.step + 1
            ),
            now_ms,
        )
        .await?;
        self.notify(tx, &esc, &action.notify, now).await?;
        let next = now_ms + Self::ms(action.wait);
        tx.set_walk(
            id,
            action.walk.step as i64,
            i64::from(action.walk.repeats),
            next,
            now_ms,
        )
        .await
    }

    /// Pages whoever holds each role now; a role nobody holds is on the timeline.
    async fn notify(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        roles: &[Role],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let now_ms = to_millis(now);
        let overrides = tx.current_overrides(now_ms).await?;
        let mut paged: Vec<String> = Vec::new();
        for role in roles {
            let Some(holder) = self.oncall.holder(*role, now, &overrides) else {
                tx.add_timeline(
                    esc.id,
                    "unstaffed",
                    role.code(),
                    "nobody holds this role now",
                    now_ms,
                )
                .await?;
                continue;
            };
            if paged.contains(&holder.person_id) {
                continue;
            }
            let Some(person) = self.person(&holder.person_id) else {
                continue;
            };
            let text = self.alert_text(tx, esc, person.lang, now_ms).await?;
            let message = OutMessage::with_keyboard(
                person.telegram_id,
                text,
                Self::buttons(esc, person.lang),
            );
            let outbox_id = tx.enqueue(Lane::Alert, &message, now_ms).await?;
            tx.record_alert(esc.id, outbox_id, &person.id, person.telegram_id)
                .await?;
            tx.add_timeline(esc.id, "notified", &person.id, role.code(), now_ms)
                .await?;
            paged.push(holder.person_id);
        }
        Ok(())
    }

    fn buttons(esc: &EscalationRow, lang: Lang) -> Keyboard {
        let button = |text: &str, action: &str| InlineButton {
            text: text.into(),
            data: format!("esc:{}:{action}", esc.id),
        };
        match esc.status.as_str() {
            "open" => Keyboard::inline(vec![vec![
                button(texts::ack_button(lang), "ack"),
                button(texts::resolve_button(lang), "resolve"),
            ]]),
            "acknowledged" => {
                Keyboard::inline(vec![vec![button(texts::resolve_button(lang), "resolve")]])
            }
            _ => Keyboard::Keep,
        }
    }

    async fn alert_text(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        lang: Lang,
        now_ms: i64,
    ) -> anyhow::Result<String> {
        let reports = tx.escalation_reports(esc.id).await?;
        let reason = match esc.reason.as_str() {
            "zone" => Why::Zone(esc.zone_kind().unwrap_or(crate::domain::ZoneKind::Hospital)),
            "urgent" => Why::Urgent,
            _ => Why::Threshold {
                count: esc.report_count,
                threshold: esc.threshold.unwrap_or(esc.report_count),
            },
        };
        let tz = self.config.general.time_zone;
        let when = |ms: i64| {
            from_millis(ms)
                .with_timezone(&tz)
                .format("%m-%d %H:%M")
                .to_string()
        };
        let name = |id: &Option<String>| {
            id.as_deref()
                .map(|id| self.person(id).map_or(id.to_string(), |p| p.name.clone()))
                .unwrap_or_default()
        };
        let status = match esc.status.as_str() {
            "acknowledged" => Some(texts::acknowledged_by(
                lang,
                &name(&esc.acknowledged_by),
                &when(esc.acknowledged_at.unwrap_or(now_ms)),
            )),
            "resolved" => Some(texts::resolved_by(
                lang,
                &name(&esc.resolved_by),
                &when(esc.resolved_at.unwrap_or(now_ms)),
                "",
            )),
            _ => None,
        };
        let view = AlertView {
            id: esc.id,
            compound: &esc.compound_text,
            category: esc.category(),
            reason,
            no_entry: esc.no_entry != 0,
            report_count: esc.report_count,
            reports: reports
                .iter()
                .take(texts::QUOTED_REPORTS)
                .map(|r| AlertReport {
                    ticket: &r.ticket,
                    address: &r.address_detail,
                    description: &r.description,
                    phone: r.phone.as_deref(),
                })
                .collect(),
            open_minutes: (now_ms - esc.opened_at) / 60_000,
            status,
        };
        Ok(texts::alert(lang, &view))
    }

    /// Stops the walk; every alert of the escalation shows who acknowledged.
    pub async fn acknowledge(
        &self,
        tx: &mut Tx,
        id: i64,
        person: &Person,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Acted> {
        let now_ms = to_millis(now);
        if tx.escalation(id).await?.is_none() {
            return Ok(Acted::NotFound);
        }
        if !tx.acknowledge_escalation(id, &person.id, now_ms).await? {
            return Ok(Acted::AlreadyDone);
        }
        tx.add_timeline(id, "acknowledged", &person.id, "", now_ms)
            .await?;
        self.refresh_alerts(tx, id, now_ms).await?;
        Ok(Acted::Done)
    }

    /// Closes the escalation and its reports.
    pub async fn resolve(
        &self,
        tx: &mut Tx,
        id: i64,
        person: &Person,
        note: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Acted> {
        let now_ms = to_millis(now);
        if tx.escalation(id).await?.is_none() {
            return Ok(Acted::NotFound);
        }
        let actor = format!("staff:{}", person.id);
        let Some(reports) = tx.resolve_escalation(id, &person.id, note, now_ms).await? else {
            return Ok(Acted::AlreadyDone);
        };
        tracing::info!(escalation_id = id, reports = reports.len(), by = %actor, "escalation resolved");
        tx.add_timeline(id, "resolved", &person.id, note, now_ms)
            .await?;
        self.refresh_alerts(tx, id, now_ms).await?;
        Ok(Acted::Done)
    }

    /// Rewrites every sent alert of the escalation in place (status line, buttons).
    async fn refresh_alerts(&self, tx: &mut Tx, id: i64, now_ms: i64) -> anyhow::Result<()> {
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(());
        };
        for alert in tx.escalation_alerts(id).await? {
            let (Some(message_id), Some(person)) =
                (alert.telegram_message_id, self.person(&alert.person_id))
            else {
                continue;
            };
            let text = self.alert_text(tx, &esc, person.lang, now_ms).await?;
            let edit = OutMessage::Edit {
                chat_id: alert.chat_id,
                message_id: message_id as i32,
                text,
                keyboard: Self::buttons(&esc, person.lang),
            };
            tx.enqueue(Lane::Alert, &edit, now_ms).await?;
        }
        Ok(())
    }
}
