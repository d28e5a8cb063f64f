//! Everything that speaks the Telegram Bot API: the only place that knows teloxide.

mod deliver;
mod parse;
pub mod standin;

use std::sync::Arc;

use teloxide::dispatching::{Dispatcher, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope};

pub use deliver::{TelegramDeliver, classify};

use crate::domain::Lang;
use crate::intake::Intake;
use crate::texts;

/// A bot client for `api_url` (the real Telegram, or the local stand-in).
pub fn bot(token: &str, api_url: &str) -> anyhow::Result<Bot> {
    let url = url::Url::parse(api_url).map_err(|e| anyhow::anyhow!("telegram.api_url: {e}"))?;
    Ok(Bot::new(token).set_api_url(url))
}

/// Sets the command menu in Chinese (the default) and English.
pub async fn set_commands(bot: &Bot) -> anyhow::Result<()> {
    for lang in [Lang::Zh, Lang::En] {
        let commands: Vec<BotCommand> = texts::commands(lang)
            .into_iter()
            .map(|(c, d)| BotCommand::new(c, d))
            .collect();
        let mut request = bot
            .set_my_commands(commands)
            .scope(BotCommandScope::Default);
        if lang != Lang::Zh {
            request = request.language_code(lang.code());
        }
        request.await?;
    }
    Ok(())
}

/// Handles one update, from the polling dispatcher or the webhook alike.
/// Errs when the update's effects were not committed: the webhook then answers
/// 5xx so Telegram delivers it again (perhaps to another instance).
pub async fn handle_update(
    bot: &Bot,
    update: &Update,
    intake: &Intake,
    username: &str,
) -> anyhow::Result<()> {
    let Some(incoming) = parse::incoming(update, username) else {
        return Ok(());
    };
    let handled = intake.handle(incoming).await?;
    if let Some((callback_id, text)) = handled.callback {
        // Always answered, so the resident's client stops spinning. Not durable:
        // an answer is worthless after a few seconds anyway.
        let mut answer = bot.answer_callback_query(teloxide::types::CallbackQueryId(callback_id));
        if let Some(text) = text {
            answer = answer.text(text);
        }
        if let Err(error) = answer.await {
            tracing::debug!(%error, "answerCallbackQuery failed");
        }
    }
    Ok(())
}

async fn on_update(
    bot: Bot,
    update: Update,
    intake: Arc<Intake>,
    username: Arc<str>,
) -> anyhow::Result<()> {
    if let Err(error) = handle_update(&bot, &update, &intake, &username).await {
        // Not marked as processed: a redelivery will try again.
        tracing::error!(
            update_id = update.id.0,
            error = format!("{error:#}"),
            "update failed"
        );
    }
    Ok(())
}

fn schema() -> UpdateHandler<anyhow::Error> {
    dptree::endpoint(on_update)
}

/// The long-polling dispatcher for `intake`. Ctrl-C is handled by the app,
/// which stops polling, the webhook and the background jobs together.
pub fn dispatcher(
    bot: Bot,
    intake: Arc<Intake>,
    bot_username: &str,
) -> Dispatcher<Bot, anyhow::Error, teloxide::dispatching::DefaultKey> {
    let username: Arc<str> = Arc::from(bot_username);
    Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![intake, username])
        .default_handler(|_| async {})
        .build()
}
