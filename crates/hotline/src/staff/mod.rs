//! The staff's side of the chat: on-call, zones, cover, the queue, tickets,
//! acknowledge and resolve. Only people configured in `[[people]]` get here
//! (`crate::chat` checks). Every handler takes one [`Ctx`]: the transaction,
//! the person, their chat and the time.
//!
//! `zones.rs` and `cover.rs` change who is paged; `queue.rs` pages `/open`;
//! `tickets.rs` works single reports; `news.rs` tells residents (incident
//! updates, planned work); `away.rs` is `/away` and `/back`.

mod away;
mod cover;
mod desk;
pub mod invite;
mod menus;
mod news;
mod queue;
mod tickets;
mod zones;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::to_millis;
use crate::config::{Config, Person};
use crate::domain::callback::{AlertAction, Callback};
use crate::domain::{
    ChatId, EscalationId, Lang, PersonId, Places, Press, Reply, StaffCommand, Ticket,
};
use crate::escalation::{Acted, Escalator};
use crate::oncall::{self, OnCall};
use crate::outbox::OutMessage;
use crate::store::Tx;
use crate::supervision;
use crate::texts::console as texts;

pub use menus::{is_staff, menu_for};

/// Reports per page of `/open`.
pub use queue::PAGE;

/// One staff update: everything a handler needs besides `Staff` itself.
pub struct Ctx<'a> {
    pub tx: &'a mut Tx,
    pub me: &'a Person,
    pub chat_id: ChatId,
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    pub fn lang(&self) -> Lang {
        self.me.lang
    }

    fn say(&self, text: impl Into<String>) -> Reply {
        Reply::say(self.chat_id, text)
    }

    fn now_ms(&self) -> i64 {
        to_millis(self.now)
    }
}

pub struct Staff {
    config: Arc<Config>,
    oncall: Arc<OnCall>,
    escalator: Arc<Escalator>,
    places: Places,
}

impl Staff {
    pub fn new(
        config: Arc<Config>,
        oncall: Arc<OnCall>,
        escalator: Arc<Escalator>,
        places: Places,
    ) -> Staff {
        Staff {
            config,
            oncall,
            escalator,
            places,
        }
    }

    /// The escalation rules, for channels that file reports outside the
    /// chat (calls taken at the desk).
    pub fn escalator(&self) -> &Escalator {
        &self.escalator
    }

    /// The compounds, matched as a resident's typed place is.
    pub fn places(&self) -> &Places {
        &self.places
    }

    pub fn person_by_telegram(&self, user_id: i64) -> Option<&Person> {
        self.config.people.iter().find(|p| p.telegram_id == user_id)
    }

    /// By id, @username or display name.
    fn find_person(&self, text: &str) -> Option<&Person> {
        let t = text.trim().trim_start_matches('@');
        self.config.people.iter().find(|p| {
            p.id.as_str().eq_ignore_ascii_case(t)
                || p.name == t
                || p.username
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(t))
        })
    }

    /// A configured person's name, if `id` (a timeline's target) is one.
    fn person_name(&self, id: &str) -> Option<String> {
        let person = self.config.people.iter().find(|p| p.id.as_str() == id);
        person.map(|p| p.name.clone())
    }

    fn name_of(&self, person_id: &PersonId) -> String {
        self.config
            .people
            .iter()
            .find(|p| &p.id == person_id)
            .map_or(person_id.to_string(), |p| p.name.clone())
    }

    fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.config.general.time_zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    pub async fn command(
        &self,
        cx: &mut Ctx<'_>,
        command: StaffCommand,
        args: &str,
    ) -> anyhow::Result<Reply> {
        let words: Vec<&str> = args.split_whitespace().collect();
        let words = &words[..];
        Ok(match command {
            StaffCommand::OnCall => {
                let overrides = cx.tx.current_overrides(cx.now_ms()).await?;
                let away = cx.tx.away_people(cx.now_ms()).await?;
                let table = oncall::render(&self.oncall, cx.now, &overrides, &away, cx.lang());
                cx.say(table)
            }
            StaffCommand::Zone => self.zone(cx, words).await?,
            StaffCommand::Cover => self.cover(cx, words).await?,
            StaffCommand::Open => self.open(cx, words).await?,
            StaffCommand::Ticket => self.ticket(cx, words).await?,
            StaffCommand::Note => self.note(cx, words).await?,
            StaffCommand::Assign => self.assign(cx, words).await?,
            StaffCommand::Away => self.away(cx, true).await?,
            StaffCommand::Back => self.away(cx, false).await?,
            StaffCommand::Update => self.update(cx, words).await?,
            StaffCommand::Planned => self.planned(cx, words).await?,
            StaffCommand::Desk => self.desk(cx).await?,
            StaffCommand::Overdue => {
                let filed_by = cx
                    .now_ms()
                    .saturating_sub(self.config.supervision.shortest_ms());
                let rows = cx.tx.unresolved_filed_by(filed_by).await?;
                let text = supervision::answer(&self.config, rows, cx.lang(), cx.now_ms());
                cx.say(text)
            }
            StaffCommand::Resolve if words.first().is_some_and(|w| Ticket::parse(w).is_some()) => {
                match self.resolve_ticket_command(cx, words).await? {
                    Some(reply) => reply,
                    None => cx.say(texts::no_such_ticket(cx.lang())),
                }
            }
            StaffCommand::Ack => self.act_command(cx, AlertAction::Ack, words).await?,
            StaffCommand::Resolve => self.act_command(cx, AlertAction::Resolve, words).await?,
            StaffCommand::Progress => self.act_command(cx, AlertAction::Progress, words).await?,
            StaffCommand::Escalate => self.act_command(cx, AlertAction::Escalate, words).await?,
        })
    }

    /// A press of a staff button: an alert's, a queue page or a ticket's Resolve.
    pub async fn button(&self, cx: &mut Ctx<'_>, press: &Press) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        match &press.callback {
            Callback::OpenPage {
                page,
                compound,
                category,
            } => {
                let filter = (compound.as_deref(), *category);
                self.open_button(cx, press.message_id, filter, *page).await
            }
            Callback::ResolveReport { report_id } => self.report_button(cx, *report_id).await,
            Callback::AlertList(page) => {
                let list = self
                    .escalator
                    .list_page(cx.tx, cx.me, press.message_id, *page);
                Ok(match list.await? {
                    Some(message) => Reply {
                        messages: vec![message],
                        ..Reply::default()
                    },
                    None => Reply::notice(crate::texts::alerts::no_such_list(lang)),
                })
            }
            Callback::Alert {
                escalation_id,
                action: AlertAction::Details,
            } => {
                let details = self.escalator.details(cx.tx, *escalation_id, lang, cx.now);
                let text = details.await?;
                let text = text.unwrap_or_else(|| texts::no_such_escalation(lang).to_string());
                let media = self
                    .escalator
                    .details_media(cx.tx, *escalation_id, cx.chat_id, lang);
                let media = media.await?;
                let mut reply = cx.say(text);
                reply.messages.extend(media);
                Ok(reply)
            }
            Callback::Alert {
                escalation_id,
                action,
            } => {
                let (text, changed) = self.act(cx, *escalation_id, *action, "").await?;
                Ok(Reply {
                    changed,
                    ..Reply::notice(text)
                })
            }
            _ => Ok(Reply::notice(texts::no_such_escalation(lang))),
        }
    }

    /// `/ack <id>`, `/resolve <id> [note]`, `/progress <id> [note]`, `/escalate <id>`.
    async fn act_command(
        &self,
        cx: &mut Ctx<'_>,
        action: AlertAction,
        words: &[&str],
    ) -> anyhow::Result<Reply> {
        let id = words
            .first()
            .and_then(|w| w.trim_start_matches('#').parse::<EscalationId>().ok());
        let Some(id) = id else {
            return Ok(cx.say(texts::act_usage(cx.lang())));
        };
        let note = words.get(1..).map(|w| w.join(" ")).unwrap_or_default();
        let (text, changed) = self.act(cx, id, action, &note).await?;
        Ok(Reply {
            messages: vec![OutMessage::text(cx.chat_id, text)],
            callback_text: None,
            changed,
            supersede: None,
        })
    }

    /// Acknowledge, resolve, in progress or escalate now, from a button or a command.
    async fn act(
        &self,
        cx: &mut Ctx<'_>,
        id: EscalationId,
        action: AlertAction,
        note: &str,
    ) -> anyhow::Result<(String, bool)> {
        let (lang, me, now) = (cx.lang(), cx.me, cx.now);
        let tx = &mut *cx.tx;
        let acted = match action {
            AlertAction::Ack => self.escalator.acknowledge(tx, id, me, now).await?,
            AlertAction::Resolve => self.escalator.resolve(tx, id, me, note, now).await?,
            AlertAction::Progress => self.escalator.progress(tx, id, me, note, now).await?,
            AlertAction::Escalate => self.escalator.escalate_now(tx, id, me, now).await?,
            AlertAction::Details => Acted::NotFound,
        };
        let at = self.local(now);
        Ok(match acted {
            Acted::Done => {
                let text = match action {
                    AlertAction::Ack => crate::texts::alerts::acknowledged_by(lang, &me.name, &at),
                    AlertAction::Resolve => {
                        crate::texts::alerts::resolved_by(lang, &me.name, &at, note)
                    }
                    AlertAction::Progress => {
                        crate::texts::alerts::in_progress_set(lang).to_string()
                    }
                    _ => crate::texts::alerts::escalated_now(lang).to_string(),
                };
                (text, true)
            }
            Acted::AlreadyDone => (texts::already_done(lang).to_string(), false),
            Acted::NotFound => (texts::no_such_escalation(lang).to_string(), false),
        })
    }
}
