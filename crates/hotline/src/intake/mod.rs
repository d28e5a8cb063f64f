//! The residents' side of the chat: their commands, the report wizard,
//! known incidents and follow-up queries. `crate::chat` hands each resident
//! update here inside its transaction; this module loads and saves the
//! chat's dialogue and stores a confirmed report.

mod commands;
mod file;
mod follow_up;
mod known;
mod one_message;
mod poster;
pub mod wizard;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::to_millis;
use crate::config::Config;
use crate::domain::callback::Callback;
use crate::domain::{
    Category, CompoundRef, From, Household, Incoming, Input, Lang, Places, Press, Recognizer,
};
use crate::domain::{ChatId, EscalationId, Reply};
use crate::escalation::Escalator;
use crate::outbox::{Keyboard, OutMessage};
use crate::store::{NewReport, Tx};
use crate::texts;
pub use file::{Filed, file_report};
use wizard::{Ctx, Draft, Next, Wizard, WizardLimits, main_keyboard};

/// A chat's dialogue, stored as JSON in `dialogues.state`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Dialogue {
    #[default]
    Idle,
    Reporting(Box<Wizard>),
}

/// The stored state also remembers the last button sequence number, so a new
/// wizard's buttons never collide with an old one's.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    dialogue: Dialogue,
    #[serde(default)]
    seq: u32,
}

/// The residents' handler: what it needs beyond the transaction.
pub struct Residents {
    config: Arc<Config>,
    places: Places,
    recognizer: Recognizer,
    escalator: Arc<Escalator>,
}

/// Everything one resident update produces, before it is written.
#[derive(Default)]
struct Effects {
    messages: Vec<OutMessage>,
    dialogue: Option<Stored>,
    submit: Option<Draft>,
    /// With `submit`: the report joins this known incident.
    join: Option<EscalationId>,
    callback_text: Option<String>,
    /// The message under the pressed button, if any: a receipt may replace it.
    pressed: Option<i32>,
    /// See [`Reply::supersede`].
    supersede: Option<&'static str>,
}

impl Residents {
    pub fn new(config: Arc<Config>, places: Places, escalator: Arc<Escalator>) -> Residents {
        let compounds = config.compounds.iter();
        let recognizer =
            Recognizer::new(compounds.map(|c| (c.id.as_str(), c.name.as_str(), &c.aliases[..])));
        Residents {
            config,
            places,
            recognizer,
            escalator,
        }
    }

    /// One resident update, in the caller's transaction.
    pub async fn handle(
        &self,
        tx: &mut Tx,
        user: &From,
        incoming: &Incoming,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Reply> {
        let now_ms = to_millis(now);
        let chat_id = incoming.chat_id;
        let stored = load(tx, chat_id).await?;
        let ctx = Ctx {
            lang,
            chat_id,
            places: &self.places,
            limits: self.wizard_limits(),
        };
        let mut effects = match &incoming.input {
            Input::Command { command, args } => {
                self.command(tx, user, stored, command, args, &ctx, now_ms)
                    .await?
            }
            Input::Button(Press {
                callback: Callback::Lang(chosen),
                ..
            }) => {
                self.set_language(tx, user, stored, *chosen, &ctx, now_ms)
                    .await?
            }
            input => match self
                .one_message(tx, user, &stored, input, &ctx, now_ms)
                .await?
            {
                Some(effects) => effects,
                None => {
                    let effects = converse(stored, input, &ctx);
                    self.known_or_planned(tx, effects, &ctx, now_ms).await?
                }
            },
        };
        if let Input::Button(press) = &incoming.input {
            effects.pressed = press.message_id.filter(|_| press.message_text.is_some());
        }
        self.write(tx, user, &ctx, effects, now).await
    }

    /// Saves the dialogue and, once confirmed, the report.
    async fn write(
        &self,
        tx: &mut Tx,
        user: &From,
        ctx: &Ctx<'_>,
        effects: Effects,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Reply> {
        let (lang, chat_id, now_ms) = (ctx.lang, ctx.chat_id, to_millis(now));
        if let Some(stored) = &effects.dialogue {
            let json = serde_json::to_string(stored)?;
            tx.save_dialogue(chat_id, user.id, &json, now_ms).await?;
        }
        let mut reply = Reply {
            messages: effects.messages,
            callback_text: effects.callback_text,
            changed: false,
            supersede: effects.supersede,
        };
        let Some(mut draft) = effects.submit else {
            return Ok(reply);
        };
        if effects.join.is_some() && draft.description.is_empty() {
            draft.description = texts::joined_description(lang).to_string();
        }
        let draft_in_place = draft.in_place;
        let phone_for = draft.phone_for.clone().filter(|_| draft.phone.is_some());
        let report = new_report(user, chat_id, lang, draft);
        let (escalator, config) = (&self.escalator, &self.config);
        let phone_for = phone_for.as_deref();
        let filed = file_report(tx, escalator, config, &report, phone_for, now).await?;
        let (id, ticket) = (filed.id, filed.ticket);
        tracing::info!(report_id = id.0, ticket = %ticket, chat_id = chat_id.0, "chat report filed");
        reply.changed = filed.escalation.is_some();
        let text = match effects.join {
            Some(_) => texts::joined_incident(lang, &ticket),
            None => texts::submitted(lang, &ticket),
        };
        let done = match effects.pressed {
            Some(message_id) if draft_in_place => OutMessage::Edit {
                chat_id,
                message_id,
                text,
                keyboard: Keyboard::Keep,
            },
            _ => OutMessage::with_keyboard(chat_id, text, main_keyboard()),
        };
        reply.messages.push(done);
        Ok(reply)
    }

    fn wizard_limits(&self) -> WizardLimits {
        let l = &self.config.limits;
        WizardLimits {
            description_max_chars: l.description_max_chars,
            address_max_chars: l.address_max_chars,
            max_photos: l.max_photos,
        }
    }
}

async fn load(tx: &mut Tx, chat_id: ChatId) -> anyhow::Result<Stored> {
    Ok(match tx.load_dialogue(chat_id).await? {
        Some(json) => serde_json::from_str(&json).unwrap_or_else(|error| {
            tracing::warn!(chat_id = chat_id.0, %error, "unreadable dialogue state; starting afresh");
            Stored::default()
        }),
        None => Stored::default(),
    })
}

/// Text, photos, locations and button presses outside a command.
fn converse(stored: Stored, input: &Input, ctx: &Ctx) -> Effects {
    match stored.dialogue {
        Dialogue::Reporting(wizard) => {
            Effects::from_wizard(stored.seq, wizard.on_input(input, ctx))
        }
        Dialogue::Idle => {
            let hint = texts::idle_hint(ctx.lang);
            let mut effects = Effects::say(vec![OutMessage::with_keyboard(
                ctx.chat_id,
                hint,
                main_keyboard(),
            )]);
            if let Input::Button(_) = input {
                effects.callback_text = Some(texts::stale_button(ctx.lang).to_string());
            }
            effects
        }
    }
}

fn new_report(user: &From, chat_id: ChatId, lang: Lang, draft: Draft) -> NewReport {
    // A number given for someone else (a relative's card) is theirs, not
    // this household's.
    let own_phone = draft.phone.as_deref().filter(|_| draft.phone_for.is_none());
    let household = Household::of_chat(user.id, own_phone);
    NewReport {
        resident_user_id: user.id,
        resident_chat_id: chat_id,
        resident_lang: lang,
        category: draft.category.unwrap_or(Category::Other),
        compound: draft
            .compound
            .unwrap_or(CompoundRef::Unmatched { raw: String::new() }),
        address_detail: draft.detail,
        location: draft.location,
        description: draft.description,
        description_truncated: draft.truncated,
        photo_file_ids: draft.photos,
        phone: draft.phone,
        household,
    }
}

impl Effects {
    fn say(messages: Vec<OutMessage>) -> Effects {
        Effects {
            messages,
            ..Effects::default()
        }
    }

    fn from_wizard(seq: u32, out: wizard::Outcome) -> Effects {
        let idle = Stored {
            dialogue: Dialogue::Idle,
            seq,
        };
        let (dialogue, submit, join) = match out.next {
            Next::Continue(w) => {
                let seq = seq.max(w.seq);
                let reporting = Stored {
                    dialogue: Dialogue::Reporting(Box::new(w)),
                    seq,
                };
                (reporting, None, None)
            }
            Next::Cancelled => (idle, None, None),
            Next::Submit(draft) => (idle, Some(draft), None),
            Next::Join(draft, escalation_id) => (idle, Some(draft), Some(escalation_id)),
        };
        Effects {
            messages: out.messages,
            dialogue: Some(dialogue),
            submit,
            join,
            callback_text: out.callback_text,
            pressed: None,
            supersede: out.supersede,
        }
    }
}
