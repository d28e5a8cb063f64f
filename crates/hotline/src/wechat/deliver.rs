//! The outbox's port to WeChat: a WeChat resident's rows are sent as
//! customer-service messages (`message/custom/send`), and WeChat's answers
//! become the outbox's:
//!
//! - `40001`/`42001` (token stale or expired): the token is refreshed once
//!   for all instances (`super::token`) and the message sent again;
//! - `45015` (the resident's 48-hour window has closed) and `45047` (the
//!   quota their last action opened is used up): news (acknowledged,
//!   resolved, an incident update) goes as a template message when one is
//!   configured for it (`[wechat.templates]`); anything else fails for good
//!   with the code in the reason, and the desk's ticket page says so;
//! - `45009`/`45011` (the account's API quota), `-1` (system busy) and
//!   answers that are not WeChat's: tried again later;
//! - any other code (e.g. `43004`, the resident unfollowed): final.
//!
//! The windows are WeChat's rules for customer-service messages (checked
//! 2026-12 at
//! <https://developers.weixin.qq.com/doc/service/en/guide/product/kf/intro.html>,
//! in force since 2023-06-12): after a message the resident sends, 5
//! messages within 48 hours; after a custom-menu click (a menu message's
//! press counts as one), a follow or a QR scan, 3 within 1 minute.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::api::ApiError;
use super::message::{bodies, template_body, template_for};
use super::token::{TokenError, Tokens};
use crate::config::WechatTemplates;
use crate::domain::ChatId;
use crate::outbox::{Deliver, DeliveryError, OutMessage};
use crate::store::Store;

const CUSTOM: &str = "/cgi-bin/message/custom/send";
const TEMPLATE: &str = "/cgi-bin/message/template/send";
/// When the account's own API quota is spent, try again this much later.
const QUOTA_RETRY: Duration = Duration::from_secs(60);

/// Sends WeChat residents' rows; cheap to clone.
#[derive(Clone)]
pub struct WechatDeliver {
    tokens: Arc<Tokens>,
    store: Store,
    templates: Arc<WechatTemplates>,
}

impl WechatDeliver {
    pub fn new(tokens: Tokens, store: Store, templates: WechatTemplates) -> WechatDeliver {
        WechatDeliver {
            tokens: Arc::new(tokens),
            store,
            templates: Arc::new(templates),
        }
    }

    /// The openid behind a WeChat chat id.
    async fn openid(&self, chat_id: ChatId) -> Result<String, DeliveryError> {
        let number = super::ids::number_of(chat_id)
            .ok_or_else(|| DeliveryError::Permanent("not a WeChat chat".into()))?;
        match self.store.wechat_key("openid", number).await {
            Ok(Some(openid)) => Ok(openid),
            Ok(None) => Err(DeliveryError::Permanent("unknown WeChat resident".into())),
            Err(error) => Err(DeliveryError::Transient(error.to_string())),
        }
    }

    /// One post with the shared token ([`Tokens::post`]: a stale or expired
    /// token is refreshed once and the post made again); WeChat's own
    /// answer stays an API error, so a closed window is recognised.
    async fn post(&self, path: &str, body: &Value) -> Result<(), SendError> {
        match self.tokens.post(path, body).await {
            Ok(_) => Ok(()),
            Err(TokenError::Api(api)) => Err(SendError::Api(api)),
            Err(other) => Err(SendError::Token(other)),
        }
    }

    /// The news as a template message, when the window is closed and a
    /// template is configured for it; None otherwise.
    async fn by_template(
        &self,
        openid: &str,
        message: &OutMessage,
    ) -> Option<Result<(), SendError>> {
        let OutMessage::Send {
            text,
            news: Some(news),
            ..
        } = message
        else {
            return None;
        };
        let template = template_for(&self.templates, news.kind)?;
        let body = template_body(openid, template, news, text);
        Some(self.post(TEMPLATE, &body).await)
    }
}

impl Deliver for WechatDeliver {
    async fn deliver(&self, message: &OutMessage) -> Result<Option<i32>, DeliveryError> {
        let openid = self.openid(message.chat_id()).await?;
        for (n, body) in bodies(&openid, message).iter().enumerate() {
            let error = match self.post(CUSTOM, body).await {
                Ok(()) => continue,
                Err(error) => error,
            };
            // Only the whole message goes as a template, not its remainder.
            if n == 0
                && error.window_closed()
                && let Some(sent) = self.by_template(&openid, message).await
            {
                return sent.map(|()| None).map_err(SendError::into_delivery);
            }
            return Err(error.into_delivery());
        }
        Ok(None)
    }
}

/// A send's failure: WeChat's or the token's.
#[derive(Debug, thiserror::Error)]
enum SendError {
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("{0}")]
    Token(#[from] TokenError),
}

impl SendError {
    fn window_closed(&self) -> bool {
        matches!(
            self,
            SendError::Api(ApiError::Code {
                code: 45015 | 45047,
                ..
            })
        )
    }

    fn into_delivery(self) -> DeliveryError {
        let api = match self {
            SendError::Api(api) => api,
            // A token WeChat will not give (a wrong secret, an address not
            // on the account's list) is fixed by the operator, not final.
            SendError::Token(error) => return DeliveryError::Transient(error.to_string()),
        };
        match api {
            ApiError::Code {
                code: 45009 | 45011,
                ..
            } => DeliveryError::RetryAfter(QUOTA_RETRY),
            ApiError::Code {
                code: -1 | 40001 | 42001,
                ..
            } => DeliveryError::Transient(api.to_string()),
            ApiError::Code { .. } => DeliveryError::Permanent(api.to_string()),
            ApiError::Unreachable(why) => DeliveryError::Unreachable(why),
            ApiError::BadAnswer(why) => DeliveryError::Transient(why),
        }
    }
}
