//! Single reports from chat: `/ticket` (with its timeline and a Resolve
//! button), `/note`, `/assign` and `/resolve <ticket>`.

use super::{Ctx, Staff};
use crate::clock::local_short;
use crate::domain::callback::Callback;
use crate::domain::{
    Actor, Category, Lang, Reply, ReportEventKind, ReportId, ReportStatus, Ticket,
};
use crate::outbox::{InlineButton, Keyboard, Lane, OutMessage};
use crate::store::{ReportRow, Tx};
use crate::texts::Label;
use crate::texts::console as texts;
use crate::texts::timeline as timeline_texts;

async fn find_ticket(tx: &mut Tx, word: Option<&&str>) -> anyhow::Result<Option<ReportRow>> {
    match word.and_then(|w| Ticket::parse(w)) {
        Some(ticket) => Ok(tx.report_by_ticket(ticket.as_str()).await?),
        None => Ok(None),
    }
}

impl Staff {
    /// A report with its whole timeline: events, alerts and acknowledgements.
    pub(super) async fn ticket(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let Some(r) = find_ticket(cx.tx, words.first()).await? else {
            return Ok(cx.say(texts::ticket_usage(lang)));
        };
        let mut lines = self.ticket_head(&r, lang);
        lines.push(String::new());
        lines.extend(self.ticket_timeline(cx.tx, &r, cx.lang()).await?);
        let resolve = InlineButton {
            text: texts::resolve_button_short(lang).into(),
            data: Callback::ResolveReport { report_id: r.id }.encode(),
        };
        let keyboard = if r.status() == ReportStatus::Resolved {
            Keyboard::Keep
        } else {
            Keyboard::inline(vec![vec![resolve]])
        };
        let text = lines.join("\n");
        let mut messages = vec![OutMessage::with_keyboard(cx.chat_id, text, keyboard)];
        messages.extend(crate::escalation::media::report_media(cx.chat_id, &r, lang));
        Ok(Reply::messages(messages))
    }

    fn ticket_head(&self, r: &ReportRow, lang: crate::domain::Lang) -> Vec<String> {
        let category = r.category().unwrap_or(Category::Other).label(lang);
        let mut lines = vec![
            format!("🎫 {} · {category} · {}", r.ticket, r.status().label(lang)),
            format!("📍 {} {}", r.compound_text, r.address_detail),
            format!("📝 {}", r.description),
        ];
        if let Some(phone) = &r.phone {
            let phone =
                crate::texts::staffing::phone_with_owner(lang, phone, r.phone_for.as_deref());
            lines.push(format!("☎️ {phone}"));
        }
        if !r.photos().is_empty() {
            lines.push(format!("📷 {}", r.photos().len()));
        }
        if let Some(who) = &r.assigned_to {
            lines.push(format!("👤 {}", self.name_of(who)));
        }
        lines
    }

    async fn ticket_timeline(
        &self,
        tx: &mut Tx,
        r: &ReportRow,
        lang: Lang,
    ) -> anyhow::Result<Vec<String>> {
        let tz = self.config.general.time_zone;
        let when = |ms: i64| local_short(ms, tz);
        let mut lines = Vec::new();
        let names = |id: &str| self.person_name(id);
        for e in tx.report_history(r.id).await? {
            let event = timeline_texts::report_event(lang, e.kind, &e.actor, &e.detail, &names);
            lines.push(format!("{} {event}", when(e.at)));
        }
        for id in tx.escalations_of_report(r.id).await? {
            for e in tx.escalation_timeline(id).await? {
                let step =
                    timeline_texts::timeline_step(lang, e.kind, &e.target, &e.detail, &names);
                lines.push(format!("{} 🚨#{id} {step}", when(e.at)));
            }
        }
        Ok(lines)
    }

    pub(super) async fn note(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let text = words.get(1..).map(|w| w.join(" ")).unwrap_or_default();
        let found = find_ticket(cx.tx, words.first()).await?;
        let Some(r) = found.filter(|_| !text.is_empty()) else {
            return Ok(cx.say(texts::ticket_usage(cx.lang())));
        };
        let actor = Actor::Staff(cx.me.id.clone());
        let now_ms = cx.now_ms();
        cx.tx
            .add_report_event(r.id, ReportEventKind::Note, &actor, &text, now_ms)
            .await?;
        Ok(cx.say(texts::noted(cx.lang())))
    }

    pub(super) async fn assign(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let (lang, me) = (cx.lang(), cx.me);
        let (Some(r), Some(who)) = (find_ticket(cx.tx, words.first()).await?, words.get(1)) else {
            return Ok(cx.say(texts::ticket_usage(lang)));
        };
        let Some(person) = self.find_person(who) else {
            return Ok(cx.say(texts::unknown_person(lang, who)));
        };
        if cx.tx.away_people(cx.now_ms()).await?.contains(&person.id) {
            return Ok(cx.say(texts::is_away(lang, &person.name)));
        }
        let now_ms = cx.now_ms();
        let actor = Actor::Staff(me.id.clone());
        cx.tx.assign_report(r.id, &person.id, now_ms).await?;
        cx.tx
            .add_report_event(
                r.id,
                ReportEventKind::Assigned,
                &actor,
                person.id.as_str(),
                now_ms,
            )
            .await?;
        let summary = format!(
            "{} {} — {}",
            r.compound_text, r.address_detail, r.description
        );
        let note = texts::assigned_to_you(person.lang, &r.ticket, &me.name, &summary);
        let message = OutMessage::text(person.chat(), note);
        cx.tx.enqueue(Lane::Alert, &message, now_ms).await?;
        Ok(cx.say(texts::assigned(lang, &r.ticket, &person.name)))
    }

    /// `/resolve <ticket> <note>`: one report; its resident gets the note.
    async fn resolve_ticket(
        &self,
        cx: &mut Ctx<'_>,
        report: ReportRow,
        note: &str,
    ) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let now_ms = cx.now_ms();
        if !cx.tx.resolve_report(report.id, now_ms).await? {
            return Ok(cx.say(texts::already_done(lang)));
        }
        let actor = Actor::Staff(cx.me.id.clone());
        cx.tx
            .add_report_event(report.id, ReportEventKind::Resolved, &actor, note, now_ms)
            .await?;
        crate::escalation::tell_residents(
            cx.tx,
            std::slice::from_ref(&report),
            ReportStatus::Resolved,
            note,
            now_ms,
        )
        .await?;
        Ok(cx.say(texts::ticket_resolved(lang, &report.ticket)))
    }

    pub(super) async fn resolve_ticket_command(
        &self,
        cx: &mut Ctx<'_>,
        words: &[&str],
    ) -> anyhow::Result<Option<Reply>> {
        let Some(report) = find_ticket(cx.tx, words.first()).await? else {
            return Ok(None);
        };
        let note = words.get(1..).map(|w| w.join(" ")).unwrap_or_default();
        Ok(Some(self.resolve_ticket(cx, report, &note).await?))
    }

    /// The Resolve button under `/ticket`: answered with a notice only.
    pub(super) async fn report_button(
        &self,
        cx: &mut Ctx<'_>,
        report_id: ReportId,
    ) -> anyhow::Result<Reply> {
        let Some(report) = cx.tx.all_report_by_id(report_id).await? else {
            return Ok(Reply::notice(texts::no_such_ticket(cx.lang())));
        };
        let mut reply = self.resolve_ticket(cx, report, "").await?;
        reply.callback_text = reply
            .messages
            .first()
            .and_then(|m| m.text_shown().map(str::to_owned));
        reply.messages.clear();
        Ok(reply)
    }
}
