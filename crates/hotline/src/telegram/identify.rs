//! `getMe` for `hotline doctor`, with the two failures a person fixes
//! differently told apart: Telegram not reached (DNS, network, proxy; the
//! token was never checked) and Telegram refusing the token.

use std::error::Error as _;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError::Api};

use super::{BotIdentity, Telegram, observe};

/// Why `getMe` did not name the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentifyError {
    /// No answer: the name did not resolve, the connection failed or timed
    /// out (the detail names which, without the token).
    Unreachable(String),
    /// Telegram answered "Unauthorized" or "Not Found": the token is wrong.
    Rejected,
    /// Any other answer.
    Other(String),
}

impl Telegram {
    /// Asks Telegram who the bot is, telling a wrong token from no answer.
    pub async fn check_token(&self) -> Result<BotIdentity, IdentifyError> {
        let me = self.bot.get_me().await;
        observe(&self.liveness, &me);
        match me {
            Ok(me) => Ok(BotIdentity {
                id: me.id.0 as i64,
                username: me.username.clone().unwrap_or_default(),
            }),
            Err(Api(ApiError::InvalidToken)) => Err(IdentifyError::Rejected),
            Err(RequestError::Network(error)) => Err(IdentifyError::Unreachable(causes(&error))),
            Err(error) => Err(IdentifyError::Other(error.to_string())),
        }
    }
}

/// The error and its causes ("error sending request: …: dns error: failed
/// to lookup address"); teloxide has already hidden the token in the URL.
fn causes(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}
