//! The chat layer: every update, parsed once at the edge (by `crate::telegram`,
//! typed text by [`read_text`]) into typed values, is handled here in one
//! transaction that records its id, routes it to the residents' side
//! (`crate::intake`) or the staff's side (`crate::staff`), and writes the
//! replies into the outbox.
//!
//! The vocabulary both sides speak — `Incoming`/`Input`, the `Command` enums,
//! the `Callback` button data and the `Reply` — lives in `crate::domain`
//! (`input`, `command`, `callback`, `reply`), below `intake` and `staff`, so
//! every arrow runs down: this module routes to those two, they never import it.

mod answer;
mod batch;
mod read;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::{Clock, to_millis};
use crate::config::Config;
use crate::domain::Lang;
pub use crate::domain::callback::{self, Callback};
pub use crate::domain::command::{self, Command, ResidentCommand, StaffCommand};
pub use crate::domain::input::{From, Incoming, Input, Press};
pub use crate::domain::reply::Reply;
use crate::intake::Residents;
use crate::outbox::{Lane, OutMessage};
use crate::shared::Shared;
pub use crate::shared::Wakes;
use crate::staff::{self, Staff};
use crate::store::{ResidentSeen, Store, Tx};
use crate::texts;
pub use batch::Outcome;
pub use read::read_text;

/// At most one "write to me privately" per group chat in this interval.
const GROUP_NOTICE_EVERY_MS: i64 = 3_600_000;
/// The rate limit counts a resident's updates over this window.
const RATE_WINDOW_MS: i64 = 60_000;
/// A second "slow down" to a resident supersedes the first if it is still unsent.
const SLOW_DOWN: &str = "slow_down";

/// What the transport must do besides the outbox: answer the button press.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Handled {
    pub callback: Option<(String, Option<String>)>,
}

/// Handles updates exactly once: one per call, or a batch in one transaction.
pub struct Chat {
    store: Store,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    wakes: Wakes,
    bot_username: String,
    residents: Residents,
    staff: Staff,
}

impl Chat {
    pub fn new(shared: &Shared, bot_username: String) -> Chat {
        let Shared {
            store,
            config,
            oncall,
            places,
            escalator,
            clock,
            wakes,
        } = shared.clone();
        let staff = Staff::new(config.clone(), oncall, escalator.clone(), places.clone());
        let residents = Residents::new(config.clone(), places, escalator);
        Chat {
            store,
            config,
            clock,
            wakes,
            bot_username,
            residents,
            staff,
        }
    }

    /// Handles one update exactly once, in a transaction of its own.
    pub async fn handle(&self, incoming: Incoming) -> anyhow::Result<Handled> {
        let mut outcome = self.handle_batch(std::slice::from_ref(&incoming)).await;
        match outcome.failed {
            Some(error) => Err(error),
            None => Ok(outcome.handled.pop().unwrap_or_default()),
        }
    }

    /// One update's reads and writes inside the batch's transaction; true
    /// beside the answer when the escalation engine has new work.
    /// `now` is the batch's: its updates are recorded, and their replies
    /// written, at the same moment.
    async fn handle_in(
        &self,
        tx: &mut Tx,
        incoming: &Incoming,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(Handled, bool)> {
        // Its reads and writes inside the batch's transaction (the commit
        // and any wait for SQLite's writer are the batch's, not counted).
        let _timer = crate::obs::UpdateTimer::start();
        let now_ms = to_millis(now);
        let callback_id = match &incoming.input {
            Input::Button(press) => Some(press.callback_id.clone()),
            _ => None,
        };
        let user_id = incoming.user.as_ref().map(|u| u.id);
        if !tx.mark_update(incoming.update_id, user_id, now_ms).await? {
            tracing::info!(
                update_id = incoming.update_id,
                "update already handled; skipped"
            );
            return Ok((Handled::default(), false));
        }
        let Some(user) = incoming.user.as_ref() else {
            return Ok((Handled::default(), false));
        };
        let (seen, recent) = tx.resident_seen(user.id, now_ms - RATE_WINDOW_MS).await?;
        let lang = self.lang_of(seen.as_ref(), user);
        // Written only when new or changed: most updates come from a resident
        // already stored as they are, and a write per update is the cost.
        let changed = seen.as_ref().is_none_or(|s| {
            s.lang != Some(lang) || s.chat_id != incoming.chat_id || s.first_name != user.first_name
        });
        if incoming.private && changed {
            let name = &user.first_name;
            tx.upsert_resident(user.id, incoming.chat_id, name, lang, now_ms)
                .await?;
        }
        let reply = self.route(tx, user, incoming, lang, recent, now).await?;
        if let Some(key) = reply.supersede {
            tx.drop_superseded(incoming.chat_id, key).await?;
        }
        for message in &reply.messages {
            match reply.supersede {
                Some(key) => tx.enqueue_keyed(Lane::Reply, message, key, now_ms).await?,
                None => tx.enqueue(Lane::Reply, message, now_ms).await?,
            };
        }
        let handled = Handled {
            callback: callback_id.map(|id| (id, reply.callback_text)),
        };
        Ok((handled, reply.changed))
    }

    /// The language chosen with `/lang`; before that, the language the
    /// resident's Telegram app uses, if we speak it; else the configured default.
    fn lang_of(&self, seen: Option<&ResidentSeen>, user: &From) -> Lang {
        seen.and_then(|s| s.lang)
            .or_else(|| user.client_lang())
            .unwrap_or(self.config.general.default_language)
    }

    async fn route(
        &self,
        tx: &mut Tx,
        user: &From,
        incoming: &Incoming,
        lang: Lang,
        recent: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Reply> {
        let chat_id = incoming.chat_id;
        if crate::escalation::duty_group::is_duty_group(&self.config, chat_id) {
            return self.duty_group_input(tx, user, incoming, lang, now).await;
        }
        if !incoming.private {
            // A busy building group hears "write to me privately" once an hour, not per message.
            let now_ms = to_millis(now);
            if !tx
                .claim_group_notice(chat_id, now_ms, GROUP_NOTICE_EVERY_MS)
                .await?
            {
                return Ok(Reply::default());
            }
            let text = texts::private_only(lang, &self.bot_username);
            return Ok(Reply::say(chat_id, text));
        }
        if let Input::Command {
            command: Command::Resident(ResidentCommand::Start),
            args,
        } = &incoming.input
            && let Some(token) = staff::invite::start_token(args)
        {
            let config = &self.config;
            return staff::invite::redeem(tx, config, user, chat_id, token, lang, now).await;
        }
        if let Input::Command {
            command: Command::WhoAmI,
            ..
        } = &incoming.input
        {
            let me = self
                .staff
                .person_by_telegram(user.id)
                .map(|p| p.id.as_str());
            return Ok(Reply::say(
                chat_id,
                texts::paging::whoami(lang, user.id, me),
            ));
        }
        if let Some(reply) = self.staff_input(tx, user, incoming, lang, now).await? {
            return Ok(reply);
        }
        let limit = i64::from(self.config.limits.messages_per_minute);
        if recent > limit {
            // One polite notice when the limit is crossed, then silence until it eases.
            let notice =
                (recent == limit + 1).then(|| OutMessage::text(chat_id, texts::slow_down(lang)));
            // Only a new notice replaces an unsent one: the silent updates
            // after it must not drop it before it is delivered.
            let supersede = notice.as_ref().map(|_| SLOW_DOWN);
            let mut reply = Reply::messages(notice.into_iter().collect());
            reply.callback_text = Some(texts::slow_down(lang).to_string());
            reply.supersede = supersede;
            return Ok(reply);
        }
        self.residents.handle(tx, user, incoming, lang, now).await
    }

    /// In the duty group: staff commands and buttons work for staff; a
    /// button pressed by anyone else is answered "staff only"; anything else
    /// (residents' messages, others' commands) is ignored, not answered.
    async fn duty_group_input(
        &self,
        tx: &mut Tx,
        user: &From,
        incoming: &Incoming,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Reply> {
        let is_staff = self.staff.person_by_telegram(user.id).is_some();
        let press = matches!(incoming.input, Input::Button(_));
        if !is_staff && !press {
            return Ok(Reply::default());
        }
        Ok(self
            .staff_input(tx, user, incoming, lang, now)
            .await?
            .unwrap_or_default())
    }

    /// Staff commands and buttons; None when the input is not one.
    /// Anyone not configured as staff is refused politely.
    async fn staff_input(
        &self,
        tx: &mut Tx,
        user: &From,
        incoming: &Incoming,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Reply>> {
        let chat_id = incoming.chat_id;
        let me = self.staff.person_by_telegram(user.id);
        let (command, press) = match &incoming.input {
            Input::Command {
                command: Command::Staff(command),
                args,
            } => (Some((*command, args.as_str())), None),
            Input::Button(press) if press.callback.is_staff() => (None, Some(press)),
            _ => return Ok(None),
        };
        let Some(me) = me else {
            tracing::info!(user_id = user.id, ?command, "staff input refused");
            let refusal = texts::console::staff_only(lang);
            return Ok(Some(match command {
                Some(_) => Reply::say(chat_id, refusal),
                None => Reply::notice(refusal),
            }));
        };
        let mut cx = staff::Ctx {
            tx,
            me,
            chat_id,
            now,
        };
        Ok(Some(match (command, press) {
            (Some((command, args)), _) => self.staff.command(&mut cx, command, args).await?,
            (None, Some(press)) => self.staff.button(&mut cx, press).await?,
            (None, None) => Reply::default(),
        }))
    }
}
