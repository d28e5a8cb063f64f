//! Residents' commands: /start, /report, /cancel, /lang, /my, /status, /help.

use super::{Dialogue, Effects, Residents, Stored, wizard};
use crate::domain::Lang;
use crate::domain::callback::Callback;
use crate::domain::{Command, From, ResidentCommand};
use crate::outbox::{InlineButton, Keyboard, OutMessage};
use crate::store::Tx;
use crate::texts;
use wizard::{Ctx, Wizard, main_keyboard};

impl Residents {
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn command(
        &self,
        tx: &mut Tx,
        user: &From,
        stored: Stored,
        command: &Command,
        args: &str,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        let (lang, chat_id) = (ctx.lang, ctx.chat_id);
        let say = |text: String| Effects::say(vec![OutMessage::text(chat_id, text)]);
        // Staff commands reach here only from staff, never: `crate::chat` routes them.
        let Command::Resident(command) = command else {
            return Ok(say(texts::help(lang).to_string()));
        };
        Ok(match command {
            ResidentCommand::Start if super::poster::compound(args, ctx.places).is_some() => {
                self.start_from_poster(tx, user, stored, args, ctx, now_ms)
                    .await?
            }
            ResidentCommand::Start => {
                // Staff are greeted as staff, in their configured language,
                // with their commands; residents as residents.
                let person = self.config.people.iter().find(|p| p.telegram_id == user.id);
                let welcome = match person {
                    Some(p) => texts::setup::staff_welcome(p.lang, &p.name),
                    None => texts::welcome(lang, &user.first_name),
                };
                let mut messages =
                    vec![OutMessage::with_keyboard(chat_id, welcome, main_keyboard())];
                if let Dialogue::Reporting(wizard) = &stored.dialogue {
                    messages.extend(wizard.prompt(ctx));
                }
                if person.is_some() {
                    messages.push(crate::staff::menu_for(&self.config, user.id, chat_id, lang));
                }
                Effects::say(messages)
            }
            ResidentCommand::Report => self.start_report(tx, user, stored, ctx, now_ms).await?,
            ResidentCommand::Cancel => match stored.dialogue {
                Dialogue::Reporting(_) => {
                    let out = wizard::Outcome::cancelled(ctx, Vec::new());
                    Effects::from_wizard(stored.seq, out)
                }
                Dialogue::Idle => say(texts::nothing_to_cancel(lang).to_string()),
            },
            ResidentCommand::Lang => Effects::say(vec![OutMessage::with_keyboard(
                chat_id,
                texts::choose_language(lang),
                language_keyboard(),
            )]),
            ResidentCommand::My => say(self.my_reports(tx, user.id, lang).await?),
            ResidentCommand::Status => say(self.status(tx, user.id, args, lang).await?),
            ResidentCommand::Help => say(texts::help(lang).to_string()),
            ResidentCommand::Forget => self.forget(tx, user, stored, ctx, now_ms).await?,
        })
    }

    pub(super) async fn start_report(
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
            let text = texts::too_many_reports(lang, per_hour);
            return Ok(Effects::say(vec![OutMessage::text(ctx.chat_id, text)]));
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
            messages,
            dialogue: Some(Stored {
                dialogue: Dialogue::Reporting(Box::new(wizard)),
                seq,
            }),
            ..Effects::default()
        })
    }

    /// The resident chose a language: remembered from now on (it replaces
    /// the first guess taken from their Telegram app).
    pub(super) async fn set_language(
        &self,
        tx: &mut Tx,
        user: &From,
        stored: Stored,
        lang: Lang,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        let ctx = Ctx { lang, ..*ctx };
        tx.upsert_resident(user.id, ctx.chat_id, &user.first_name, lang, now_ms)
            .await?;
        let mut messages = vec![OutMessage::with_keyboard(
            ctx.chat_id,
            texts::language_set(lang),
            main_keyboard(),
        )];
        if let Dialogue::Reporting(wizard) = &stored.dialogue {
            messages.extend(wizard.prompt(&ctx));
        }
        // The chat's command menu follows the choice (issue 16).
        messages.push(crate::staff::menu_for(
            &self.config,
            user.id,
            ctx.chat_id,
            lang,
        ));
        Ok(Effects {
            messages,
            callback_text: Some(texts::language_set(lang).into()),
            ..Effects::default()
        })
    }
}

fn language_keyboard() -> Keyboard {
    let rows = texts::LANGUAGE_BUTTONS.map(|(text, lang)| {
        vec![InlineButton {
            text: text.into(),
            data: Callback::Lang(lang).encode(),
        }]
    });
    Keyboard::inline(rows.to_vec())
}
