//! The outbox's [`Deliver`] port over the real Bot API client.

use teloxide::payloads::{EditMessageTextSetters, SendMessageSetters};
use teloxide::prelude::*;
use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup,
    KeyboardRemove, MessageId, ReplyMarkup,
};
use teloxide::{ApiError, RequestError};

use crate::outbox::{Deliver, DeliveryError, Keyboard, OutMessage, ReplyButtonKind};

#[derive(Clone)]
pub struct TelegramDeliver {
    bot: Bot,
}

impl TelegramDeliver {
    pub fn new(bot: Bot) -> TelegramDeliver {
        TelegramDeliver { bot }
    }
}

fn inline(rows: &[Vec<crate::outbox::InlineButton>]) -> InlineKeyboardMarkup {
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

/// Sorts teloxide's errors into what the worker does next.
pub fn classify(error: RequestError) -> DeliveryError {
    match error {
        RequestError::RetryAfter(after) => DeliveryError::RetryAfter(after.duration()),
        RequestError::Api(
            api @ (ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::CantInitiateConversation
            | ApiError::MessageToEditNotFound
            | ApiError::InvalidToken),
        ) => DeliveryError::Permanent(api.to_string()),
        RequestError::Api(ApiError::Unknown(text)) if text.starts_with("Bad Request") => {
            DeliveryError::Permanent(text)
        }
        RequestError::MigrateToChatId(to) => {
            DeliveryError::Permanent(format!("group migrated to {to}"))
        }
        // Unknown API errors (a 5xx has no known description), network, bad JSON: try again.
        other => DeliveryError::Transient(other.to_string()),
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
            } => {
                let mut request = self
                    .bot
                    .send_message(ChatId(*chat_id), text.clone())
                    .disable_notification(*silent);
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
                    ChatId(*chat_id),
                    MessageId(*message_id),
                    text.clone(),
                );
                if let Keyboard::Inline { rows } = keyboard {
                    request = request.reply_markup(inline(rows));
                }
                request.await.map(|m| Some(m.id.0))
            }
        };
        match result {
            Ok(id) => Ok(id),
            // Editing to the same content is a no-op, not a failure.
            Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(None),
            Err(error) => Err(classify(error)),
        }
    }
}
