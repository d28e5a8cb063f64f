//! The resident dialogue: commands, the report wizard, follow-up queries.
//! Each update is handled in one transaction that records its id, its state
//! change, any report, and the replies (into the outbox).

pub mod input;
pub mod places;
pub mod wizard;

use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use chrono::{DateTime, Utc};

use crate::clock::{Clock, from_millis, local_short, to_millis};
use crate::config::Config;
use crate::domain::{Category, Lang, Ticket};
use crate::escalation::Escalator;
use crate::oncall::OnCall;
use crate::outbox::{InlineButton, Keyboard, Lane, OutMessage};
use crate::staff::{self, Staff, StaffReply};
use crate::store::{NewReport, ReportRow, Store, Tx};
use crate::texts;
pub use input::{From, Incoming, Input, Press};
use places::Places;
use wizard::{Ctx, Draft, Next, Step, Wizard, WizardLimits, main_keyboard};

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

/// What the transport must do besides the outbox: answer the button press.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Handled {
    pub callback: Option<(String, Option<String>)>,
}

pub struct Intake {
    store: Store,
    config: Arc<Config>,
    places: Places,
    clock: Arc<dyn Clock>,
    wakes: Wakes,
    bot_username: String,
    escalator: Arc<Escalator>,
    staff: Staff,
}

/// The background workers a committed update may have given work to.
#[derive(Clone, Default)]
pub struct Wakes {
    pub outbox: Arc<Notify>,
    pub engine: Arc<Notify>,
}

/// Everything one update produces, before it is written.
#[derive(Default)]
struct Effects {
    lang: Lang,
    messages: Vec<OutMessage>,
    dialogue: Option<Stored>,
    submit: Option<Draft>,
    /// With `submit`: the report joins this known incident.
    join: Option<i64>,
    callback_text: Option<String>,
    /// An escalation, zone or override changed: wake the engine.
    changed: bool,
}

impl Intake {
    pub fn new(
        store: Store,
        config: Arc<Config>,
        oncall: Arc<OnCall>,
        clock: Arc<dyn Clock>,
        wakes: Wakes,
        bot_username: String,
    ) -> Intake {
        let compounds = config.compounds.iter();
        let places =
            Places::new(compounds.map(|c| (c.id.as_str(), c.name.as_str(), &c.aliases[..])));
        let escalator = Arc::new(Escalator::new(config.clone(), oncall.clone()));
        let staff = Staff::new(config.clone(), oncall, escalator.clone(), places.clone());
        Intake {
            store,
            config,
            places,
            clock,
            wakes,
            bot_username,
            escalator,
            staff,
        }
    }

    /// Handles one update exactly once.
    pub async fn handle(&self, incoming: Incoming) -> anyhow::Result<Handled> {
        let now = self.clock.now();
        let now_ms = to_millis(now);
        let callback_id = match &incoming.input {
            Input::Button(press) => Some(press.callback_id.clone()),
            _ => None,
        };
        let mut tx = self.store.begin().await?;
        let user_id = incoming.user.as_ref().map(|u| u.id);
        if !tx.mark_update(incoming.update_id, user_id, now_ms).await? {
            tracing::info!(
                update_id = incoming.update_id,
                "update already handled; skipped"
            );
            return Ok(Handled::default());
        }
        let effects = self.decide(&mut tx, &incoming, now).await?;
        let Some(user) = incoming.user.as_ref() else {
            tx.commit().await?;
            return Ok(Handled::default());
        };
        if incoming.private {
            tx.upsert_resident(
                user.id,
                incoming.chat_id,
                &user.first_name,
                effects.lang,
                now_ms,
            )
            .await?;
        }
        if let Some(stored) = &effects.dialogue {
            tx.save_dialogue(
                incoming.chat_id,
                user.id,
                &serde_json::to_string(stored)?,
                now_ms,
            )
            .await?;
        }
        let mut messages = effects.messages;
        let mut changed = effects.changed;
        if let Some(mut draft) = effects.submit {
            if effects.join.is_some() && draft.description.is_empty() {
                draft.description = texts::joined_description(effects.lang).to_string();
            }
            let report = self.new_report(user, incoming.chat_id, effects.lang, draft);
            let tz = self.config.general.time_zone;
            let (id, ticket) = tx
                .create_report(&report, now, tz, &self.config.general.ticket_prefix)
                .await?;
            tracing::info!(report_id = id, ticket = %ticket, chat_id = incoming.chat_id, "report stored");
            changed |= self
                .escalator
                .on_report(&mut tx, id, &report, now)
                .await?
                .is_some();
            let reply = match effects.join {
                Some(_) => texts::joined_incident(effects.lang, ticket.as_str()),
                None => texts::submitted(effects.lang, ticket.as_str()),
            };
            messages.push(OutMessage::with_keyboard(
                incoming.chat_id,
                reply,
                main_keyboard(),
            ));
        }
        for message in &messages {
            tx.enqueue(Lane::Reply, message, now_ms).await?;
        }
        tx.commit().await.context("committing an update")?;
        self.wakes.outbox.notify_one();
        if changed {
            self.wakes.engine.notify_one();
        }
        Ok(Handled {
            callback: callback_id.map(|id| (id, effects.callback_text)),
        })
    }

    async fn decide(
        &self,
        tx: &mut Tx,
        incoming: &Incoming,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Effects> {
        let now_ms = to_millis(now);
        let chat_id = incoming.chat_id;
        let Some(user) = &incoming.user else {
            return Ok(Effects::say(Lang::default(), vec![]));
        };
        let lang = tx
            .resident_lang(user.id)
            .await?
            .unwrap_or(self.config.general.default_language);
        if !incoming.private {
            let text = texts::private_only(lang, &self.bot_username);
            return Ok(Effects::say(lang, vec![OutMessage::text(chat_id, text)]));
        }
        if let Some(effects) = self.staff_input(tx, user, incoming, lang, now).await? {
            return Ok(effects);
        }
        let limit = i64::from(self.config.limits.messages_per_minute);
        let recent = tx.count_updates_since(user.id, now_ms - 60_000).await?;
        if recent > limit {
            // One polite notice when the limit is crossed, then silence until it eases.
            let notice =
                (recent == limit + 1).then(|| OutMessage::text(chat_id, texts::slow_down(lang)));
            let mut effects = Effects::say(lang, notice.into_iter().collect());
            effects.callback_text = Some(texts::slow_down(lang).to_string());
            return Ok(effects);
        }
        let stored: Stored = match tx.load_dialogue(chat_id).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|error| {
                tracing::warn!(chat_id, %error, "unreadable dialogue state; starting afresh");
                Stored::default()
            }),
            None => Stored::default(),
        };
        let ctx = Ctx {
            lang,
            chat_id,
            places: &self.places,
            limits: self.wizard_limits(),
        };
        match &incoming.input {
            Input::Command { name, args } => {
                self.command(tx, user, stored, name, args, &ctx, now_ms)
                    .await
            }
            Input::Button(press) if press.data.starts_with("lang:") => {
                Ok(self.set_language(stored, press, &ctx))
            }
            input => {
                let effects = Self::converse(stored, input, &ctx);
                self.known_or_planned(tx, effects, &ctx, now_ms).await
            }
        }
    }

    /// Staff commands and alert buttons; None when the input is not one.
    /// Anyone not configured as staff is refused politely.
    async fn staff_input(
        &self,
        tx: &mut Tx,
        user: &From,
        incoming: &Incoming,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Effects>> {
        let chat_id = incoming.chat_id;
        let me = self.staff.person_by_telegram(user.id);
        let reply = match (&incoming.input, me) {
            (Input::Command { name, args }, Some(me))
                if staff::COMMANDS.contains(&name.as_str()) =>
            {
                self.staff.command(tx, me, chat_id, name, args, now).await?
            }
            (Input::Button(press), Some(me)) if staff::is_staff_button(&press.data) => {
                self.staff
                    .button(tx, me, chat_id, press.message_id, &press.data, now)
                    .await?
            }
            (Input::Command { name, .. }, None) if staff::COMMANDS.contains(&name.as_str()) => {
                tracing::info!(user_id = user.id, command = %name, "staff command refused");
                StaffReply {
                    messages: vec![OutMessage::text(chat_id, texts::staff::staff_only(lang))],
                    ..StaffReply::default()
                }
            }
            (Input::Button(press), None) if staff::is_staff_button(&press.data) => {
                tracing::info!(user_id = user.id, "staff button refused");
                StaffReply {
                    callback_text: Some(texts::staff::staff_only(lang).into()),
                    ..StaffReply::default()
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(Effects {
            join: None,
            lang,
            messages: reply.messages,
            dialogue: None,
            submit: None,
            callback_text: reply.callback_text,
            changed: reply.changed,
        }))
    }

    /// Just after a resident named a known compound: an open incident of the
    /// same category, or planned work on an outage, is told at once instead
    /// of walking the rest of the wizard.
    async fn known_or_planned(
        &self,
        tx: &mut Tx,
        mut effects: Effects,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        let Some(Stored {
            dialogue: Dialogue::Reporting(wizard),
            seq,
        }) = &effects.dialogue
        else {
            return Ok(effects);
        };
        let Some((compound, category)) = wizard.place_to_check() else {
            return Ok(effects);
        };
        let lang = ctx.lang;
        let tz = self.config.general.time_zone;
        let local = |ms: i64| local_short(ms, tz);
        let place = self
            .places
            .name_of(compound)
            .unwrap_or(compound)
            .to_string();
        let planned = match category {
            Category::Outage => tx.planned_at(compound, now_ms).await?,
            _ => None,
        };
        let step = if let Some(p) = planned {
            let text = texts::planned_outage(
                lang,
                &place,
                &local(p.starts_at),
                &local(p.ends_at),
                &p.note,
            );
            Step::Planned {
                text,
                resume: Box::new(Step::Category),
            }
        } else if let Some(esc) = tx.unresolved_escalation(compound, category).await? {
            let latest = tx.latest_incident_update(esc.id).await?;
            let eta = latest.as_ref().and_then(|u| u.eta).map(local);
            let news = latest.as_ref().map(|u| (u.text.as_str(), eta.as_deref()));
            let text = texts::known_incident(lang, &place, category, news);
            Step::Known {
                escalation_id: esc.id,
                text,
                resume: Box::new(Step::Category),
            }
        } else {
            return Ok(effects);
        };
        let seq = *seq;
        let wizard = (**wizard).clone();
        // Keep the edit of the pressed button, replace the next prompt.
        let edits: Vec<OutMessage> = effects
            .messages
            .drain(..)
            .filter(|m| matches!(m, OutMessage::Edit { .. }))
            .collect();
        let mut out = wizard.interrupt(step, ctx);
        out.messages.splice(0..0, edits);
        let callback_text = effects.callback_text.take();
        effects = Effects::from_wizard(lang, seq, out);
        effects.callback_text = callback_text;
        Ok(effects)
    }

    fn converse(stored: Stored, input: &Input, ctx: &Ctx) -> Effects {
        let lang = ctx.lang;
        match stored.dialogue {
            Dialogue::Reporting(wizard) => {
                Effects::from_wizard(lang, stored.seq, wizard.on_input(input, ctx))
            }
            Dialogue::Idle => {
                let mut effects = Effects::say(
                    lang,
                    vec![OutMessage::with_keyboard(
                        ctx.chat_id,
                        texts::idle_hint(lang),
                        main_keyboard(),
                    )],
                );
                if let Input::Button(_) = input {
                    effects.callback_text = Some(texts::stale_button(lang).to_string());
                }
                effects
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn command(
        &self,
        tx: &mut Tx,
        user: &From,
        stored: Stored,
        name: &str,
        args: &str,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        let (lang, chat_id) = (ctx.lang, ctx.chat_id);
        let say = |text: String| Effects::say(lang, vec![OutMessage::text(chat_id, text)]);
        Ok(match name {
            "start" => {
                let mut messages = vec![OutMessage::with_keyboard(
                    chat_id,
                    texts::welcome(lang, &user.first_name),
                    main_keyboard(),
                )];
                if let Dialogue::Reporting(wizard) = &stored.dialogue {
                    messages.extend(wizard.prompt(ctx));
                }
                Effects::say(lang, messages)
            }
            "report" => self.start_report(tx, user, stored, ctx, now_ms).await?,
            "cancel" => match stored.dialogue {
                Dialogue::Reporting(_) => {
                    let out = wizard::Outcome::cancelled(ctx, Vec::new());
                    Effects::from_wizard(lang, stored.seq, out)
                }
                Dialogue::Idle => say(texts::nothing_to_cancel(lang).to_string()),
            },
            "lang" | "language" => {
                let rows = [("中文", "lang:zh"), ("English", "lang:en")].map(|(t, d)| {
                    vec![InlineButton {
                        text: t.into(),
                        data: d.into(),
                    }]
                });
                Effects::say(
                    lang,
                    vec![OutMessage::with_keyboard(
                        chat_id,
                        texts::choose_language(lang),
                        Keyboard::inline(rows.to_vec()),
                    )],
                )
            }
            "my" => say(self.my_reports(tx, user.id, lang).await?),
            "status" => say(self.status(tx, user.id, args, lang).await?),
            _ => say(texts::help(lang).to_string()),
        })
    }

    async fn start_report(
        &self,
        tx: &mut Tx,
        user: &From,
        stored: Stored,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        let lang = ctx.lang;
        let per_hour = self.config.limits.reports_per_hour;
        if tx.count_reports_since(user.id, now_ms - 3_600_000).await? >= i64::from(per_hour) {
            return Ok(Effects::say(
                lang,
                vec![OutMessage::text(
                    ctx.chat_id,
                    texts::too_many_reports(lang, per_hour),
                )],
            ));
        }
        let mut messages = Vec::new();
        let mut seq = stored.seq;
        if let Dialogue::Reporting(old) = stored.dialogue {
            messages.push(OutMessage::text(ctx.chat_id, texts::restarted(lang)));
            seq = seq.max(old.seq);
        }
        let wizard = Wizard::start(seq);
        messages.extend(wizard.prompt(ctx));
        let seq = wizard.seq;
        Ok(Effects {
            join: None,
            lang,
            messages,
            dialogue: Some(Stored {
                dialogue: Dialogue::Reporting(Box::new(wizard)),
                seq,
            }),
            submit: None,
            callback_text: None,
            changed: false,
        })
    }

    fn set_language(&self, stored: Stored, press: &Press, ctx: &Ctx) -> Effects {
        let lang = press
            .data
            .strip_prefix("lang:")
            .and_then(Lang::parse)
            .unwrap_or(ctx.lang);
        let ctx = Ctx { lang, ..*ctx };
        let mut messages = vec![OutMessage::with_keyboard(
            ctx.chat_id,
            texts::language_set(lang),
            main_keyboard(),
        )];
        if let Dialogue::Reporting(wizard) = &stored.dialogue {
            messages.extend(wizard.prompt(&ctx));
        }
        Effects {
            join: None,
            lang,
            messages,
            dialogue: None,
            submit: None,
            callback_text: Some(texts::language_set(lang).into()),
            changed: false,
        }
    }

    async fn my_reports(&self, tx: &mut Tx, user_id: i64, lang: Lang) -> anyhow::Result<String> {
        let reports = tx.reports_of_resident(user_id, 10).await?;
        if reports.is_empty() {
            return Ok(texts::no_reports(lang).to_string());
        }
        let lines: Vec<String> = reports.iter().map(|r| report_line(r, lang)).collect();
        Ok(format!(
            "{}\n{}",
            texts::my_reports_header(lang),
            lines.join("\n")
        ))
    }

    async fn status(
        &self,
        tx: &mut Tx,
        user_id: i64,
        args: &str,
        lang: Lang,
    ) -> anyhow::Result<String> {
        if args.trim().is_empty() {
            return Ok(format!(
                "{}\n\n{}",
                texts::status_usage(lang),
                self.my_reports(tx, user_id, lang).await?
            ));
        }
        let found = match Ticket::parse(args) {
            Some(ticket) => tx.resident_report(user_id, &ticket).await?,
            None => None,
        };
        Ok(match found {
            Some(r) => {
                let when = from_millis(r.created_at).with_timezone(&self.config.general.time_zone);
                let category = r.category().unwrap_or(Category::Other);
                let place = format!("{} {}", r.compound_text, r.address_detail);
                texts::status_detail(
                    lang,
                    &r.ticket,
                    category,
                    place.trim(),
                    r.status(),
                    &when.format("%Y-%m-%d %H:%M").to_string(),
                )
            }
            None => texts::ticket_not_found(lang).to_string(),
        })
    }

    fn wizard_limits(&self) -> WizardLimits {
        let l = &self.config.limits;
        WizardLimits {
            description_max_chars: l.description_max_chars,
            address_max_chars: l.address_max_chars,
            max_photos: l.max_photos,
        }
    }

    fn new_report(&self, user: &From, chat_id: i64, lang: Lang, draft: Draft) -> NewReport {
        NewReport {
            resident_user_id: user.id,
            resident_chat_id: chat_id,
            resident_lang: lang,
            category: draft.category.unwrap_or(Category::Other),
            compound: draft
                .compound
                .unwrap_or(crate::domain::CompoundRef::Unmatched { raw: String::new() }),
            address_detail: draft.detail,
            location: draft.location,
            description: draft.description,
            description_truncated: draft.truncated,
            photo_file_ids: draft.photos,
            phone: draft.phone,
        }
    }
}

fn report_line(r: &ReportRow, lang: Lang) -> String {
    let place = format!("{} {}", r.compound_text, r.address_detail);
    texts::report_line(
        lang,
        &r.ticket,
        r.category().unwrap_or(Category::Other),
        place.trim(),
        r.status(),
    )
}

impl Effects {
    fn say(lang: Lang, messages: Vec<OutMessage>) -> Effects {
        Effects {
            lang,
            messages,
            ..Effects::default()
        }
    }

    fn from_wizard(lang: Lang, seq: u32, out: wizard::Outcome) -> Effects {
        let idle = Stored {
            dialogue: Dialogue::Idle,
            seq,
        };
        let (dialogue, submit, join) = match out.next {
            Next::Continue(w) => {
                let seq = seq.max(w.seq);
                (
                    Stored {
                        dialogue: Dialogue::Reporting(Box::new(w)),
                        seq,
                    },
                    None,
                    None,
                )
            }
            Next::Cancelled => (idle, None, None),
            Next::Submit(draft) => (idle, Some(draft), None),
            Next::Join(draft, escalation_id) => (idle, Some(draft), Some(escalation_id)),
        };
        Effects {
            lang,
            messages: out.messages,
            dialogue: Some(dialogue),
            submit,
            join,
            callback_text: out.callback_text,
            changed: false,
        }
    }
}
