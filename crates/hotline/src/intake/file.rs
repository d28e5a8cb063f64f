//! Filing a confirmed report: the one path every channel that reaches a
//! person takes (the chat's wizard and one-message reports, calls taken at
//! the desk). In the caller's transaction: the ticket, then the escalation
//! rules (thresholds by household, urgent categories, zones, joining an open
//! incident, paging).

use crate::domain::{EscalationId, ReportId};
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::escalation::Escalator;
use crate::store::{NewReport, Tx};

/// A filed report.
#[derive(Debug, Clone)]
pub struct Filed {
    pub id: ReportId,
    pub ticket: String,
    /// The escalation it opened or joined, if any.
    pub escalation: Option<EscalationId>,
}

/// Stores `report` and applies the escalation rules, in `tx`. `phone_for`
/// names whose number the report's phone is when it is not the reporter's
/// own (a shared contact card): recorded before the alerts quote it.
pub async fn file_report(
    tx: &mut Tx,
    escalator: &Escalator,
    config: &Config,
    report: &NewReport,
    phone_for: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<Filed> {
    let general = &config.general;
    let (id, ticket) = tx
        .create_report(report, now, general.time_zone, &general.ticket_prefix)
        .await?;
    tracing::info!(report_id = id.0, ticket = %ticket, "report stored");
    if let Some(name) = phone_for {
        tx.set_phone_for(id, name).await?;
    }
    let escalation = escalator.on_report(tx, id, report, now).await?;
    Ok(Filed {
        id,
        ticket: ticket.as_str().to_owned(),
        escalation,
    })
}
