//! Escalation: who must be woken, and when. The rules ([`rules::decide`]) and
//! the chain ([`chain::next`]) are pure; [`Escalator`] applies them inside the
//! caller's transaction, writing the escalation, its timeline and the alerts
//! (outbox rows) together with the fact that caused them.

mod alerts;
pub mod chain;
pub mod engine;
mod phone;
pub mod rules;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::{from_millis, to_millis};
use crate::config::{Config, Person};
use crate::domain::{CompoundRef, Lang, ReportStatus, Role};
use crate::oncall::OnCall;
use crate::outbox::{Lane, OutMessage};
use crate::store::{
    EscalationReason, EscalationRow, EscalationStatus, NewEscalation, NewReport, ReportRow, Tx,
};
use crate::texts::staff as texts;
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
                .map(|z| z.kind);
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
                if let Some(esc) = tx.escalation(escalation_id).await? {
                    // Joining an incident staff already acknowledged: so is this report.
                    if let (Some(by), EscalationStatus::Acknowledged) =
                        (&esc.acknowledged_by, esc.status)
                    {
                        tx.move_reports(esc.id, ReportStatus::Acknowledged, by, "", now_ms)
                            .await?;
                    }
                    self.notice_joined(tx, &esc, now_ms).await?;
                }
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
                    reason: match &reason {
                        Reason::Threshold { .. } => EscalationReason::Threshold,
                        Reason::Urgent => EscalationReason::Urgent,
                        Reason::Zone { .. } => EscalationReason::Zone,
                    },
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
        self.step(tx, id, now, None).await.map(|_| ())
    }

    /// Takes the next step now, or (`forced_by` a manager pressing "Escalate
    /// now") before the wait is over. False when the escalation is not open.
    async fn step(
        &self,
        tx: &mut Tx,
        id: i64,
        now: DateTime<Utc>,
        forced_by: Option<&Person>,
    ) -> anyhow::Result<bool> {
        let now_ms = to_millis(now);
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(false);
        };
        let due = esc.next_action_at.is_some_and(|at| at <= now_ms) || forced_by.is_some();
        if esc.status != EscalationStatus::Open || !due {
            return Ok(false);
        }
        let walk = Walk {
            step: esc.step.max(0) as usize,
            repeats: esc.repeats.max(0) as u32,
        };
        let action = chain::next(walk, &self.config.escalation);
        let step = action.walk.step + 1;
        let (target, why) = match forced_by {
            Some(person) => (
                person.id.as_str(),
                format!("escalated now by {}; step {step}", person.name),
            ),
            None => (
                "",
                format!(
                    "no acknowledgement after {} min; step {step}",
                    (now_ms - esc.updated_at) / 60_000
                ),
            ),
        };
        tx.add_timeline(id, action.kind, target, &why, now_ms)
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
        .await?;
        Ok(true)
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
        let away = tx.away_people().await?;
        let mut paged: Vec<String> = Vec::new();
        for role in roles {
            let Some(holder) = self.oncall.present_holder(*role, now, &overrides, &away) else {
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
            self.page(tx, esc, person, now_ms).await?;
            tx.add_timeline(esc.id, "notified", &person.id, role.code(), now_ms)
                .await?;
            paged.push(holder.person_id);
        }
        Ok(())
    }

    /// Stops the walk; every alert of the escalation shows who acknowledged,
    /// and each resident hears their report was acknowledged.
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
        let moved = tx
            .move_reports(id, ReportStatus::Acknowledged, &person.id, "", now_ms)
            .await?;
        tell_residents(tx, &moved, ReportStatus::Acknowledged, "", now_ms).await?;
        self.refresh_alerts(tx, id, now_ms).await?;
        Ok(Acted::Done)
    }

    /// Work has started: the residents hear it (with the note, if any).
    pub async fn progress(
        &self,
        tx: &mut Tx,
        id: i64,
        person: &Person,
        note: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Acted> {
        let now_ms = to_millis(now);
        match tx.escalation(id).await? {
            None => return Ok(Acted::NotFound),
            Some(e) if e.status == EscalationStatus::Resolved => return Ok(Acted::AlreadyDone),
            Some(_) => {}
        }
        tx.add_timeline(id, "in_progress", &person.id, note, now_ms)
            .await?;
        let moved = tx
            .move_reports(id, ReportStatus::InProgress, &person.id, note, now_ms)
            .await?;
        tell_residents(tx, &moved, ReportStatus::InProgress, note, now_ms).await?;
        Ok(Acted::Done)
    }

    /// Closes the escalation and its reports; each resident gets the note.
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
        let Some(reports) = tx.resolve_escalation(id, &person.id, note, now_ms).await? else {
            return Ok(Acted::AlreadyDone);
        };
        tracing::info!(escalation_id = id, reports = reports.len(), by = %person.id, "escalation resolved");
        tx.add_timeline(id, "resolved", &person.id, note, now_ms)
            .await?;
        tell_residents(tx, &reports, ReportStatus::Resolved, note, now_ms).await?;
        self.refresh_alerts(tx, id, now_ms).await?;
        Ok(Acted::Done)
    }

    /// "Escalate now": the next step at once, without waiting.
    pub async fn escalate_now(
        &self,
        tx: &mut Tx,
        id: i64,
        person: &Person,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Acted> {
        match tx.escalation(id).await? {
            None => Ok(Acted::NotFound),
            Some(_) if self.step(tx, id, now, Some(person)).await? => Ok(Acted::Done),
            Some(_) => Ok(Acted::AlreadyDone),
        }
    }

    /// Every report of the escalation and its timeline, for the "Details" button.
    pub async fn details(
        &self,
        tx: &mut Tx,
        id: i64,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(None);
        };
        let now_ms = to_millis(now);
        let mut text = self.alert_text(tx, &esc, lang, now_ms).await?;
        let reports = tx.escalation_reports(id).await?;
        for r in reports.iter().skip(texts::QUOTED_REPORTS) {
            let phone = r
                .phone
                .as_deref()
                .map(|p| format!(" ☎️ {p}"))
                .unwrap_or_default();
            text.push_str(&format!(
                "\n• {} {} — {}{phone}",
                r.ticket, r.address_detail, r.description
            ));
        }
        let tz = self.config.general.time_zone;
        text.push('\n');
        for t in tx.escalation_timeline(id).await? {
            let when = from_millis(t.at).with_timezone(&tz).format("%H:%M");
            let who = self
                .person(&t.target)
                .map_or(t.target.clone(), |p| p.name.clone());
            text.push_str(&format!("\n{when} {} {who} {}", t.kind, t.detail));
        }
        Ok(Some(text))
    }
}

/// Tells each resident their report moved on (through the outbox, reply lane).
pub(crate) async fn tell_residents(
    tx: &mut Tx,
    reports: &[ReportRow],
    status: ReportStatus,
    note: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    // One message per resident, however many of their reports moved.
    let mut chats: Vec<(i64, Lang, Vec<&str>)> = Vec::new();
    for report in reports {
        match chats
            .iter_mut()
            .find(|(chat, ..)| *chat == report.resident_chat_id)
        {
            Some((_, _, tickets)) => tickets.push(&report.ticket),
            None => {
                let lang = Lang::parse(&report.resident_lang).unwrap_or_default();
                chats.push((report.resident_chat_id, lang, vec![&report.ticket]));
            }
        }
    }
    for (chat_id, lang, tickets) in chats {
        let text = crate::texts::report_moved(lang, &tickets.join(", "), status, note);
        tx.enqueue(Lane::Reply, &OutMessage::text(chat_id, text), now_ms)
            .await?;
    }
    Ok(())
}
