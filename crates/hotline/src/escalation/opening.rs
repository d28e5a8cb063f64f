//! Opening: a report just stored opens an escalation, joins the open one, or
//! does nothing ([`rules::decide`](super::rules::decide) says which).

use chrono::{DateTime, Utc};

use super::Escalator;
use super::chain::{self, Walk};
use super::rules::{self, Decision, Facts, Reason};
use crate::clock::to_millis;
use crate::domain::{
    CompoundRef, EscalationReason, EscalationStatus, ReportStatus, Role, TimelineKind,
};
use crate::domain::{Detail, EscalationId, ReportId};
use crate::store::{NewEscalation, NewReport, Tx};

impl Escalator {
    /// Applies the rules to a report just stored in `tx`. Returns the
    /// escalation it opened or joined.
    pub async fn on_report(
        &self,
        tx: &mut Tx,
        report_id: ReportId,
        report: &NewReport,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<EscalationId>> {
        let now_ms = to_millis(now);
        let compound_id = report.compound.matched_id().map(str::to_string);
        let mut facts = Facts {
            category: report.category,
            compound_id: compound_id.clone(),
            zone: None,
            open_reports: 1,
            open_households: 1,
            open_escalation: None,
        };
        if let Some(id) = &compound_id {
            (facts.open_reports, facts.open_households) =
                tx.open_report_count(id, report.category).await?;
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
                self.join(tx, escalation_id, report_id, now_ms).await?;
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
                let id = self
                    .open(tx, &new, &reason, report_id, start_step, notify, now)
                    .await?;
                Ok(Some(id))
            }
        }
    }

    /// Counts the report on an open escalation; those already alerted get a
    /// quiet notice.
    async fn join(
        &self,
        tx: &mut Tx,
        escalation_id: EscalationId,
        report_id: ReportId,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let count = tx.join_escalation(escalation_id, report_id, now_ms).await?;
        tx.add_timeline(
            escalation_id,
            TimelineKind::Joined,
            "",
            &Detail::Joined {
                report: report_id,
                reports: count,
            }
            .code(),
            now_ms,
        )
        .await?;
        if let Some(esc) = tx.escalation(escalation_id).await? {
            // Joining an incident staff already acknowledged: so is this report.
            if let (Some(by), EscalationStatus::Acknowledged) = (&esc.acknowledged_by, esc.status) {
                tx.move_reports(esc.id, ReportStatus::Acknowledged, by, "", now_ms)
                    .await?;
            }
            self.notice_joined(tx, &esc, now_ms).await?;
        }
        Ok(())
    }

    /// Writes the escalation with its reports and pages its first step (or
    /// the first step someone can answer).
    #[allow(clippy::too_many_arguments)]
    async fn open(
        &self,
        tx: &mut Tx,
        new: &NewEscalation,
        reason: &Reason,
        report_id: ReportId,
        start_step: usize,
        notify: Vec<Role>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<EscalationId> {
        let now_ms = to_millis(now);
        let id = tx.create_escalation(new, now_ms).await?;
        match (reason, &new.compound_id) {
            (Reason::Threshold { .. }, Some(compound)) => {
                tx.adopt_open_reports(id, compound, new.category).await?
            }
            _ => {
                tx.join_escalation(id, report_id, now_ms).await?;
            }
        }
        tx.add_timeline(id, TimelineKind::Opened, "", &reason.why().code(), now_ms)
            .await?;
        let esc = tx.escalation(id).await?.expect("just created");
        let start = Walk {
            step: start_step,
            repeats: 0,
        };
        let walk = self.notify_step(tx, &esc, start, notify, now).await?;
        let next = now_ms + Self::ms(chain::wait_after(walk, &self.config.escalation));
        tx.set_walk(id, walk.step as i64, i64::from(walk.repeats), next, now_ms)
            .await?;
        Ok(id)
    }
}
