//! Everything that speaks the Telegram Bot API: the only place that knows
//! teloxide. The rest of the hotline sees [`Telegram`] (a client), [`Poller`]
//! (our own long-polling listener), [`decode_webhook_update`] and the intake's
//! `Incoming`.

mod deliver;
mod fetch;
mod identify;
mod parse;
mod poll;
mod progress;
mod upload;
mod workers;

use std::sync::Arc;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, CallbackQueryId, Update};

pub use deliver::{TelegramDeliver, classify};
pub use identify::IdentifyError;
pub use poll::Poller;

use crate::chat::{Chat, Outcome};
use crate::domain::{Incoming, Lang};
use crate::health::Liveness;
use crate::texts;

/// The default log filter for the Bot API client library: its warnings only.
pub const CLIENT_LOG_FILTER: &str = "teloxide=warn";

/// A Bot API client for one bot token.
#[derive(Clone)]
pub struct Telegram {
    bot: Bot,
    /// Whether calls get answers (issue 25's heartbeat), kept across reloads.
    liveness: Arc<Liveness>,
}

/// Never prints the client: teloxide's `Debug` would show the token.
impl std::fmt::Debug for Telegram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Telegram(***)")
    }
}

/// Who the bot is, from `getMe`.
#[derive(Clone, Debug)]
pub struct BotIdentity {
    pub id: i64,
    /// Without `@`; commands addressed `/cmd@username` are ours.
    pub username: String,
}

/// A bot client for `api_url` (the real Telegram, or the local stand-in),
/// direct or through the environment's proxy (`HTTPS_PROXY`, `ALL_PROXY`,
/// teloxide's `TELOXIDE_PROXY`).
pub fn bot(token: &str, api_url: &str) -> anyhow::Result<Telegram> {
    let url = url::Url::parse(api_url).map_err(|e| anyhow::anyhow!("telegram.api_url: {e}"))?;
    Ok(Telegram {
        bot: Bot::new(token).set_api_url(url),
        liveness: Arc::new(Liveness::default()),
    })
}

/// Notes on `liveness` whether a call got an answer from Telegram: any
/// answer counts, even Telegram's own error (400, 403, 429); no answer
/// (network, timeout, a body that is not Telegram's JSON) does not.
fn observe<T>(liveness: &Liveness, result: &Result<T, RequestError>) {
    match result {
        Ok(_)
        | Err(RequestError::Api(_))
        | Err(RequestError::RetryAfter(_))
        | Err(RequestError::MigrateToChatId(_)) => liveness.telegram_answered(),
        Err(_) => liveness.telegram_unreachable(),
    }
}

/// The bot client the settings describe: `telegram.api_url`, through
/// `telegram.proxy` when one is set (every call: sends, `getUpdates`, files).
pub fn connect(token: &str, settings: &crate::config::Telegram) -> anyhow::Result<Telegram> {
    let Some(proxy) = &settings.proxy else {
        return bot(token, settings.api_url.as_str());
    };
    let url = settings.api_url.url().clone();
    // Never the URL in an error: it may carry the proxy's password.
    let through = reqwest::Proxy::all(proxy.url().as_str())
        .map_err(|_| anyhow::anyhow!("telegram.proxy: cannot use {}", proxy.masked()))?;
    let client = teloxide::net::default_reqwest_settings()
        .proxy(through)
        .build()
        .map_err(|e| anyhow::anyhow!("telegram.proxy: {}", e.without_url()))?;
    Ok(Telegram {
        bot: Bot::with_client(token, client).set_api_url(url),
        liveness: Arc::new(Liveness::default()),
    })
}

/// Reads the body of a webhook post. `Ok(None)`: an update kind the hotline
/// ignores (edited messages, channel posts, …).
pub fn decode_webhook_update(
    body: &[u8],
    bot_username: &str,
) -> Result<Option<Incoming>, serde_json::Error> {
    let update: Update = serde_json::from_slice(body)?;
    Ok(parse::incoming(&update, bot_username))
}

impl Telegram {
    /// Asks Telegram who the bot is (`getMe`).
    pub async fn identify(&self) -> anyhow::Result<BotIdentity> {
        let me = self.bot.get_me().await;
        observe(&self.liveness, &me);
        let me = me?;
        Ok(BotIdentity {
            id: me.id.0 as i64,
            username: me.username.clone().unwrap_or_default(),
        })
    }

    /// A file residents sent (a photo), fetched with `getFile` and downloaded
    /// here, so the bot token never leaves the server: (bytes, file path).
    pub async fn download(&self, file_id: &str) -> anyhow::Result<(Vec<u8>, String)> {
        use teloxide::net::Download;
        let file = self
            .bot
            .get_file(teloxide::types::FileId(file_id.into()))
            .await?;
        let mut bytes = Vec::new();
        self.bot.download_file(&file.path, &mut bytes).await?;
        Ok((bytes, file.path))
    }

    /// The outbox's way to send.
    pub fn deliver(&self) -> TelegramDeliver {
        TelegramDeliver::new(self.bot.clone(), self.liveness.clone())
    }

    /// This client's record of whether Telegram answers.
    pub fn liveness(&self) -> Arc<Liveness> {
        self.liveness.clone()
    }

    /// Sets the command menu in Chinese (the default) and English.
    pub async fn set_commands(&self) -> anyhow::Result<()> {
        for lang in [Lang::Zh, Lang::En] {
            let commands: Vec<BotCommand> = texts::commands(lang)
                .into_iter()
                .map(|(c, d)| BotCommand::new(c, d))
                .collect();
            let mut request = self
                .bot
                .set_my_commands(commands)
                .scope(BotCommandScope::Default);
            if lang != Lang::Zh {
                request = request.language_code(lang.code());
            }
            request.await?;
        }
        Ok(())
    }

    /// Gives each member of staff the staff menu in their language, in
    /// their own chat (per-chat scope). A person who has not yet written
    /// to the bot cannot get one (Telegram: chat not found); their `/start`
    /// sets it then, through the outbox.
    pub async fn set_staff_commands(&self, people: &[crate::config::Person]) {
        for person in people {
            let commands = texts::setup::staff_commands(person.lang)
                .into_iter()
                .map(|(c, d)| BotCommand::new(c, d));
            let scope = BotCommandScope::Chat {
                chat_id: teloxide::types::Recipient::Id(ChatId(person.telegram_id)),
            };
            if let Err(error) = self.bot.set_my_commands(commands).scope(scope).await {
                tracing::info!(person = %person.id, %error, "no staff menu yet (they have to /start the bot)");
            }
        }
    }

    /// Registers the webhook (`setWebhook`) with its secret token.
    pub async fn set_webhook(&self, url: url::Url, secret: &str) -> anyhow::Result<()> {
        self.bot
            .set_webhook(url)
            .secret_token(secret.to_owned())
            .await?;
        Ok(())
    }

    /// Handles one update, from the poller or the webhook alike. Errs when the
    /// update's effects were not committed: the poller then tries again, the
    /// webhook answers 5xx so Telegram delivers it again.
    pub async fn handle(&self, intake: &Chat, incoming: Incoming) -> anyhow::Result<()> {
        let handled = intake.handle(incoming).await?;
        if let Some((callback_id, text)) = handled.callback {
            self.answer_callback(callback_id, text).await;
        }
        Ok(())
    }

    /// Handles the poller's updates of one queue together (see
    /// `chat::Chat::handle_batch`); the committed ones' button presses are
    /// answered without holding up the next batch.
    pub async fn handle_batch(&self, intake: &Chat, updates: &[Incoming]) -> Outcome {
        let outcome = intake.handle_batch(updates).await;
        let answers: Vec<_> = (outcome.handled.iter())
            .filter_map(|h| h.callback.clone())
            .collect();
        if !answers.is_empty() {
            let telegram = self.clone();
            tokio::spawn(async move {
                for (callback_id, text) in answers {
                    telegram.answer_callback(callback_id, text).await;
                }
            });
        }
        outcome
    }

    /// Always answered, so the resident's client stops spinning. Not durable:
    /// an answer is worthless after a few seconds anyway.
    async fn answer_callback(&self, callback_id: String, text: Option<String>) {
        let mut answer = self.bot.answer_callback_query(CallbackQueryId(callback_id));
        if let Some(text) = text {
            answer = answer.text(text);
        }
        if let Err(error) = answer.await {
            tracing::debug!(%error, "answerCallbackQuery failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode_webhook_update;
    use crate::chat::command::{Command, ResidentCommand};
    use crate::domain::Input;

    fn message(extra: &str) -> String {
        format!(
            r#"{{"update_id": 42, {extra} {{"message_id": 7, "date": 1770649200,
                "chat": {{"id": 9001, "type": "private", "first_name": "Wang"}},
                "from": {{"id": 9001, "is_bot": false, "first_name": "Wang", "language_code": "en"}},
                "text": "/report@hotline_bot"}}}}"#
        )
    }

    #[test]
    fn a_webhook_message_becomes_an_incoming_with_its_command() {
        let body = message(r#""message":"#);
        let incoming = decode_webhook_update(body.as_bytes(), "hotline_bot")
            .unwrap()
            .expect("a message is for us");
        assert_eq!((incoming.update_id, incoming.chat_id.0), (42, 9001));
        assert!(incoming.private);
        assert_eq!(incoming.user.unwrap().language_code.as_deref(), Some("en"));
        assert!(matches!(
            incoming.input,
            Input::Command {
                command: Command::Resident(ResidentCommand::Report),
                ..
            }
        ));
    }

    #[test]
    fn an_edited_message_is_ignored_and_garbage_is_an_error() {
        let body = message(r#""edited_message":"#);
        let body = body.replace(r#""text""#, r#""edit_date": 1770649300, "text""#);
        assert!(
            decode_webhook_update(body.as_bytes(), "hotline_bot")
                .unwrap()
                .is_none()
        );
        assert!(decode_webhook_update(b"{not json", "hotline_bot").is_err());
    }
}
