//! The outbox's [`Deliver`] port over the real Bot API client.

use teloxide::payloads::{
    EditMessageTextSetters, SendMessageSetters, SendPhotoSetters, SetMyCommandsSetters,
};
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, ButtonRequest, FileId, InlineKeyboardButton, InlineKeyboardMarkup,
    InputFile, InputMedia, InputMediaPhoto, KeyboardButton, KeyboardMarkup, KeyboardRemove,
    MessageId, Recipient, ReplyMarkup,
};
use teloxide::{ApiError, RequestError};

use crate::outbox::{Deliver, DeliveryError, InlineButton, Keyboard, OutMessage, ReplyButtonKind};

#[derive(Clone)]
pub struct TelegramDeliver {
    bot: Bot,
    liveness: std::sync::Arc<crate::health::Liveness>,
}

impl TelegramDeliver {
    pub fn new(bot: Bot, liveness: std::sync::Arc<crate::health::Liveness>) -> TelegramDeliver {
        TelegramDeliver { bot, liveness }
    }
}

fn inline(rows: &[Vec<InlineButton>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.text.clone(), b.data.clone()))
    }))
}

fn markup(keyboard: &Keyboard) -> Option<ReplyMarkup> {
    match keyboard {
        Keyboard::Keep => None,
        Keyboard::Inline { rows } => Some(ReplyMarkup::InlineKeyboard(inline(rows))),
        Keyboard::Reply { rows } => {
            let rows = rows.iter().map(|row| {
                row.iter().map(|b| {
                    let button = KeyboardButton::new(b.text.clone());
                    match b.kind {
                        ReplyButtonKind::Plain => button,
                        ReplyButtonKind::RequestContact => button.request(ButtonRequest::Contact),
                        ReplyButtonKind::RequestLocation => button.request(ButtonRequest::Location),
                    }
                })
            });
            Some(ReplyMarkup::Keyboard(
                KeyboardMarkup::new(rows).resize_keyboard(),
            ))
        }
        Keyboard::Remove => Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
    }
}

/// Sorts teloxide's errors into what the worker does next. Every error
/// Telegram describes (400 Bad Request, 403 Forbidden, …) is permanent for that
/// message: sending it again would get the same answer, and it must not hold
/// the chat's next messages. Only an answer without a known description (a
/// 5xx), the network and undecodable answers are worth another try.
pub fn classify(error: RequestError) -> DeliveryError {
    match error {
        RequestError::RetryAfter(after) => DeliveryError::RetryAfter(after.duration()),
        RequestError::Api(ApiError::Unknown(text)) if is_refusal(&text) => {
            DeliveryError::Permanent(text)
        }
        RequestError::Api(ApiError::Unknown(text)) => DeliveryError::Transient(text),
        RequestError::Api(api) => DeliveryError::Permanent(api.to_string()),
        RequestError::MigrateToChatId(to) => {
            DeliveryError::Permanent(format!("group migrated to {to}"))
        }
        RequestError::Network(error) => DeliveryError::Unreachable(error.to_string()),
        other => DeliveryError::Transient(other.to_string()),
    }
}

/// Telegram's descriptions of a request it will never accept.
fn is_refusal(text: &str) -> bool {
    ["Bad Request", "Forbidden", "Unauthorized"]
        .iter()
        .any(|prefix| text.starts_with(prefix))
}

impl TelegramDeliver {
    /// One photo by itself, several as an album (the outbox has cut the
    /// list to at most 10); the caption under the first.
    async fn photos(
        &self,
        chat_id: ChatId,
        file_ids: &[String],
        caption: &str,
    ) -> Result<Option<i32>, RequestError> {
        let file = |id: &String| InputFile::file_id(FileId(id.clone()));
        if let [only] = file_ids {
            let mut request = self.bot.send_photo(chat_id, file(only));
            if !caption.is_empty() {
                request = request.caption(caption.to_owned());
            }
            return request.await.map(|m| Some(m.id.0));
        }
        let media = file_ids.iter().enumerate().map(|(i, id)| {
            let photo = InputMediaPhoto::new(file(id));
            InputMedia::Photo(match (i, caption.is_empty()) {
                (0, false) => photo.caption(caption.to_owned()),
                _ => photo,
            })
        });
        let sent = self.bot.send_media_group(chat_id, media).await?;
        Ok(sent.first().map(|m| m.id.0))
    }
}

impl Deliver for TelegramDeliver {
    async fn deliver(&self, message: &OutMessage) -> Result<Option<i32>, DeliveryError> {
        let result = match message {
            OutMessage::Send {
                chat_id,
                text,
                keyboard,
                silent,
                paid,
                ..
            } => {
                let mut request = self
                    .bot
                    .send_message(ChatId(chat_id.0), text.clone())
                    .disable_notification(*silent);
                if *paid {
                    request = request.allow_paid_broadcast(true);
                }
                if let Some(markup) = markup(keyboard) {
                    request = request.reply_markup(markup);
                }
                request.await.map(|m| Some(m.id.0))
            }
            OutMessage::Edit {
                chat_id,
                message_id,
                text,
                keyboard,
            } => {
                let mut request = self.bot.edit_message_text(
                    ChatId(chat_id.0),
                    MessageId(*message_id),
                    text.clone(),
                );
                if let Keyboard::Inline { rows } = keyboard {
                    request = request.reply_markup(inline(rows));
                }
                request.await.map(|m| Some(m.id.0))
            }
            OutMessage::Photos {
                chat_id,
                file_ids,
                caption,
            } => self.photos(ChatId(chat_id.0), file_ids, caption).await,
            OutMessage::Image {
                chat_id,
                png,
                caption,
            } => super::upload::png(&self.bot, ChatId(chat_id.0), png, caption).await,
            OutMessage::Place {
                chat_id,
                latitude,
                longitude,
                title,
                address,
            } => self
                .bot
                .send_venue(
                    ChatId(chat_id.0),
                    *latitude,
                    *longitude,
                    title.clone(),
                    address.clone(),
                )
                .await
                .map(|m| Some(m.id.0)),
            OutMessage::Menu { chat_id, commands } => {
                let commands = commands.iter().map(|(c, d)| BotCommand::new(c, d));
                let scope = BotCommandScope::Chat {
                    chat_id: Recipient::Id(ChatId(chat_id.0)),
                };
                let request = self.bot.set_my_commands(commands).scope(scope);
                request.await.map(|_| None)
            }
            // Beyond Telegram: `reach::Dispatch` sends these, never this port.
            OutMessage::Reach { .. } => {
                return Err(DeliveryError::Permanent("not a Telegram message".into()));
            }
        };
        super::observe(&self.liveness, &result);
        match result {
            Ok(id) => Ok(id),
            // Editing to the same content is a no-op, not a failure.
            Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(None),
            Err(error) => Err(classify(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(text: &str) -> RequestError {
        let kind: ApiError = serde_json::from_value(serde_json::json!(text)).unwrap();
        RequestError::Api(kind)
    }

    #[test]
    fn a_message_too_long_is_permanent() {
        assert_eq!(
            classify(api("Bad Request: message is too long")),
            DeliveryError::Permanent("Bad Request: message is too long".into())
        );
        assert!(matches!(
            classify(api("Bad Request: reply markup is too long")),
            DeliveryError::Permanent(_)
        ));
        assert!(matches!(
            classify(api("Bad Request: BUTTON_DATA_INVALID")),
            DeliveryError::Permanent(_)
        ));
    }

    #[test]
    fn a_server_error_is_worth_another_try() {
        assert!(matches!(
            classify(api("Internal Server Error")),
            DeliveryError::Transient(_)
        ));
    }
}
