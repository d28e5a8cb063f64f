//! A ticket page's one action panel and the rule for which actions still
//! apply. Each control says what it does and who hears of it: "message the
//! resident" reaches the resident's chat, an internal note reaches nobody,
//! resolving the whole escalation asks for a note and a confirmation. An
//! action that no longer applies is neither shown nor run: a forged POST is
//! refused before anything is written or sent.

use crate::domain::{ChatId, EscalationId};
use maud::{Markup, html};

use super::Desk;
use super::session::Signed;
use crate::chat::StaffCommand;
use crate::clock::to_millis;
use crate::domain::{Actor, EscalationStatus, Lang, ReportEventKind, ReportStatus};
use crate::outbox::{Lane, OutMessage};
use crate::store::QueueItem;
use crate::texts::desk_hall as hall;
use crate::texts::desk_pages as pages;

/// One action of the panel, by its form's `action` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Message,
    Note,
    ResolveTicket,
    Assign,
    Ack,
    Escalate,
    Update,
    /// Resolve the whole escalation.
    ResolveAll,
}

impl Act {
    pub fn parse(code: &str) -> Option<Act> {
        Some(match code {
            "message" => Act::Message,
            "note" => Act::Note,
            "resolve_ticket" => Act::ResolveTicket,
            "assign" => Act::Assign,
            "ack" => Act::Ack,
            "escalate" => Act::Escalate,
            "update" => Act::Update,
            "resolve" => Act::ResolveAll,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            Act::Message => "message",
            Act::Note => "note",
            Act::ResolveTicket => "resolve_ticket",
            Act::Assign => "assign",
            Act::Ack => "ack",
            Act::Escalate => "escalate",
            Act::Update => "update",
            Act::ResolveAll => "resolve",
        }
    }
}

/// What the page knows about a ticket when it offers or runs an action.
#[derive(Debug, Clone, Copy)]
pub struct Situation {
    pub report_open: bool,
    /// The resident filed in chat, so a message can reach them.
    pub has_chat: bool,
    pub escalation: Option<(EscalationId, EscalationStatus)>,
}

impl Situation {
    pub fn of(item: &QueueItem, escalation: Option<EscalationStatus>) -> Situation {
        Situation {
            report_open: item.report.status != ReportStatus::Resolved,
            has_chat: item.report.resident_chat_id != ChatId(0),
            escalation: item.escalation_id.zip(escalation),
        }
    }

    /// Whether `act` still means something for this ticket.
    pub fn applies(&self, act: Act) -> bool {
        let escalation = self.escalation.map(|(_, status)| status);
        let live = escalation.is_some_and(|s| s != EscalationStatus::Resolved);
        match act {
            Act::Message => self.has_chat,
            Act::Note => true,
            Act::ResolveTicket | Act::Assign => self.report_open,
            Act::Ack => escalation == Some(EscalationStatus::Open),
            Act::Escalate | Act::Update | Act::ResolveAll => live,
        }
    }
}

/// The form fields an action reads.
pub struct Fields<'a> {
    pub note: &'a str,
    pub person: &'a str,
    pub confirmed: bool,
}

impl Desk {
    /// Runs an action that applies; returns the line the page shows.
    pub(super) async fn run(
        &self,
        signed: &Signed,
        item: &QueueItem,
        act: Act,
        fields: &Fields<'_>,
    ) -> anyhow::Result<String> {
        let lang = signed.lang;
        let (ticket, note) = (&item.report.ticket, fields.note.trim());
        let needs_text = matches!(
            act,
            Act::Message | Act::Note | Act::Update | Act::ResolveAll
        );
        if needs_text && note.is_empty() {
            return Ok(hall::needs_text(lang).to_string());
        }
        if act == Act::ResolveAll && !fields.confirmed {
            return Ok(hall::needs_note_and_confirm(lang).to_string());
        }
        let escalation = item
            .escalation_id
            .map(|id| id.to_string())
            .unwrap_or_default();
        let (command, args) = match act {
            Act::Message => return self.tell_resident(signed, item, note).await,
            Act::ResolveTicket => (StaffCommand::Resolve, format!("{ticket} {note}")),
            Act::Note => (StaffCommand::Note, format!("{ticket} {note}")),
            Act::Assign => (StaffCommand::Assign, format!("{ticket} {}", fields.person)),
            Act::Ack => (StaffCommand::Ack, escalation),
            Act::ResolveAll => (StaffCommand::Resolve, format!("{escalation} {note}")),
            Act::Escalate => (StaffCommand::Escalate, escalation),
            Act::Update => (StaffCommand::Update, format!("{escalation} {note}")),
        };
        self.command(signed, command, &args, Some(act.code())).await
    }

    /// Writes `text` to the ticket's resident (through the outbox) and puts
    /// it on the ticket's history, in one transaction.
    async fn tell_resident(
        &self,
        signed: &Signed,
        item: &QueueItem,
        text: &str,
    ) -> anyhow::Result<String> {
        let r = &item.report;
        let now_ms = to_millis(self.clock.now());
        let resident_lang = Lang::parse(&r.resident_lang).unwrap_or_default();
        let body = hall::message_to_resident(resident_lang, &r.ticket, text);
        let actor = Actor::Staff(signed.person.id.clone());
        let mut tx = self.store.begin().await?;
        tx.add_report_event(r.id, ReportEventKind::Messaged, &actor, text, now_ms)
            .await?;
        let message = OutMessage::text(r.resident_chat_id, body);
        tx.enqueue(Lane::Reply, &message, now_ms).await?;
        let detail = format!("{} {text}", r.ticket);
        tx.desk_audit(&signed.person.id, "message", &detail, now_ms)
            .await?;
        tx.commit().await?;
        self.wakes.outbox.notify_one();
        Ok(hall::message_sent(signed.lang).to_string())
    }

    /// The panel: only the actions that apply, each labelled with who hears.
    pub(super) fn panel(&self, signed: &Signed, item: &QueueItem, at: Situation) -> Markup {
        let lang = signed.lang;
        let action = format!("/desk/ticket/{}", item.report.ticket);
        let form = |act: Act, label: &str, button: &str, extra: Markup| {
            html! {
                form.act method="post" action=(action) id={ "act-" (act.code()) } {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    input type="hidden" name="action" value=(act.code());
                    @if !label.is_empty() {
                        label for={ "note-" (act.code()) } { (label) }
                        textarea id={ "note-" (act.code()) } name="note" required {}
                    }
                    (extra)
                    button.primary type="submit" { (button) }
                }
            }
        };
        let shown = |act: Act| at.applies(act);
        let none = html! {};
        let confirm = html! {
            label.confirm { input type="checkbox" name="confirm" value="1" required; " " (hall::resolve_all_confirm(lang)) }
        };
        html! {
            section.actions aria-label=(hall::actions(lang)) {
                h2 { (hall::actions(lang)) }
                @if shown(Act::Message) {
                    (form(Act::Message, hall::message_label(lang), hall::message_send(lang), none.clone()))
                } @else {
                    p.notice #no-chat { (hall::no_chat(lang)) }
                }
                (form(Act::Note, hall::note_label(lang), hall::note_save(lang), none.clone()))
                @if shown(Act::ResolveTicket) {
                    (form(Act::ResolveTicket, hall::resolve_ticket_label(lang), hall::resolve_ticket(lang), none.clone()))
                }
                @if shown(Act::Assign) { (self.assign_form(signed, &action)) }
                @if let Some((id, status)) = at.escalation {
                    h2 { (hall::escalation_heading(lang, id, hall::escalation_status(lang, status))) }
                    @if shown(Act::Ack) { (form(Act::Ack, "", pages::acknowledge(lang), none.clone())) }
                    @if shown(Act::Escalate) { (form(Act::Escalate, "", pages::escalate_now(lang), none.clone())) }
                    @if shown(Act::Update) {
                        (form(Act::Update, hall::update_label(lang), pages::broadcast_update(lang), none.clone()))
                    }
                    @if shown(Act::ResolveAll) {
                        (form(Act::ResolveAll, hall::resolve_all_label(lang), pages::resolve_escalation(lang), confirm))
                    }
                }
            }
        }
    }

    fn assign_form(&self, signed: &Signed, action: &str) -> Markup {
        html! {
            form.act method="post" action=(action) id="act-assign" {
                input type="hidden" name="csrf" value=(signed.csrf);
                input type="hidden" name="action" value="assign";
                label for="assign-person" { (pages::assign(signed.lang)) }
                select #assign-person name="person" {
                    @for p in &self.config.people { option value=(p.id) { (p.name) } }
                }
                button type="submit" { (pages::assign(signed.lang)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(report_open: bool, escalation: Option<EscalationStatus>) -> Situation {
        Situation {
            report_open,
            has_chat: true,
            escalation: escalation.map(|s| (EscalationId(7), s)),
        }
    }

    #[test]
    fn a_resolved_escalation_offers_no_acknowledge_update_or_escalate() {
        let done = at(false, Some(EscalationStatus::Resolved));
        for act in [
            Act::Ack,
            Act::Update,
            Act::Escalate,
            Act::ResolveAll,
            Act::ResolveTicket,
        ] {
            assert!(!done.applies(act), "{act:?}");
        }
        assert!(done.applies(Act::Note) && done.applies(Act::Message));
    }

    #[test]
    fn an_acknowledged_escalation_is_not_acknowledged_twice() {
        let taken = at(true, Some(EscalationStatus::Acknowledged));
        assert!(!taken.applies(Act::Ack));
        assert!(taken.applies(Act::Update) && taken.applies(Act::ResolveAll));
    }

    #[test]
    fn a_report_from_outside_the_chat_cannot_be_messaged() {
        let open311 = Situation {
            has_chat: false,
            ..at(true, None)
        };
        assert!(!open311.applies(Act::Message) && open311.applies(Act::Note));
    }
}
