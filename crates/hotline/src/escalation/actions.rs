//! Staff actions on an escalation: acknowledge, work in progress, resolve,
//! escalate now, and the details behind the "Details" button. Each resident
//! whose report moved hears of it through the outbox.

use chrono::{DateTime, Utc};

use super::{Acted, Escalator};
use crate::clock::{from_millis, to_millis};
use crate::config::Person;
use crate::domain::{
    ChatId, EscalationId, EscalationStatus, Lang, News, NewsKind, ReportStatus, TimelineKind,
};
use crate::outbox::{Lane, OutMessage};
use crate::store::{ReportRow, Tx};
use crate::texts::staff as texts;

impl Escalator {
    /// Stops the walk; every alert of the escalation shows who acknowledged,
    /// and each resident hears their report was acknowledged.
    pub async fn acknowledge(
        &self,
        tx: &mut Tx,
        id: EscalationId,
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
        tx.add_timeline(
            id,
            TimelineKind::Acknowledged,
            person.id.as_str(),
            "",
            now_ms,
        )
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
        id: EscalationId,
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
        tx.add_timeline(
            id,
            TimelineKind::InProgress,
            person.id.as_str(),
            note,
            now_ms,
        )
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
        id: EscalationId,
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
        tracing::info!(escalation_id = id.0, reports = reports.len(), by = %person.id, "escalation resolved");
        tx.add_timeline(id, TimelineKind::Resolved, person.id.as_str(), note, now_ms)
            .await?;
        tell_residents(tx, &reports, ReportStatus::Resolved, note, now_ms).await?;
        self.refresh_alerts(tx, id, now_ms).await?;
        Ok(Acted::Done)
    }

    /// "Escalate now": the next step at once, without waiting.
    pub async fn escalate_now(
        &self,
        tx: &mut Tx,
        id: EscalationId,
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
        id: EscalationId,
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
            let names = |id: &str| self.person(&id.into()).map(|p| p.name.clone());
            let step =
                crate::texts::timeline::timeline_step(lang, t.kind, &t.target, &t.detail, &names);
            text.push_str(&format!("\n{when} {step}"));
        }
        Ok(Some(text))
    }

    /// The photos and places residents sent with the escalation's reports,
    /// for the member of staff who asked for its details (`chat_id`).
    pub async fn details_media(
        &self,
        tx: &mut Tx,
        id: EscalationId,
        chat_id: ChatId,
        lang: Lang,
    ) -> anyhow::Result<Vec<OutMessage>> {
        let reports = tx.escalation_reports(id).await?;
        Ok(reports
            .iter()
            .flat_map(|r| super::media::report_media(chat_id, r, lang))
            .collect())
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
    let mut chats: Vec<(ChatId, Lang, Vec<&str>)> = Vec::new();
    // Reports filed through Open311 have no chat (0) to tell.
    for report in reports.iter().filter(|r| r.resident_chat_id != ChatId(0)) {
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
        let tickets = tickets.join(", ");
        let text = crate::texts::report_moved(lang, &tickets, status, note);
        let kind = match status {
            ReportStatus::Acknowledged | ReportStatus::New => NewsKind::Acknowledged,
            ReportStatus::InProgress => NewsKind::InProgress,
            ReportStatus::Resolved => NewsKind::Resolved,
        };
        let news = News {
            kind,
            subject: tickets,
        };
        let message = OutMessage::news(chat_id, text, news);
        tx.enqueue(Lane::Reply, &message, now_ms).await?;
    }
    if status == ReportStatus::Resolved {
        super::receipts::tell_callers_resolved(tx, reports, note, now_ms).await?;
    }
    Ok(())
}
