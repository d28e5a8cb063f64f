//! The account's server URL on the instance's HTTP server: `GET` answers
//! WeChat's verification with its `echostr`, `POST` takes a push. Both are
//! refused with 403 unless `signature` is the account's (and, in the
//! encrypted mode, `msg_signature` too). A push is answered once its
//! effects are committed, within WeChat's 5 seconds: with the replies it
//! caused as the passive reply when they fit one (`super::passive`, taken
//! from the outbox in the same transaction, see `crate::chat::answer`),
//! else `success` and the outbox's worker sends them. A slower push is
//! finished in the background and its retries are recognised (the push's
//! update id is numbered from its `MsgId` or event, see `super::ids`), so
//! each push is handled once; a retry is answered with the first answer.
//! Replies wait in the outbox. A photo is fetched from WeChat and kept
//! before the push is handled (`super::photo`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tokio::sync::oneshot;

use super::crypt::{self, Crypt};
use super::ids;
use super::passive;
use super::push::{self, Push, PushKind};
use super::scene;
use super::token::Tokens;
use crate::chat::{Callback, Chat, From, Incoming, Input, Press, read_text};
use crate::clock::{Clock, to_millis};
use crate::config::WechatConfig;
use crate::domain::{ChatId, Lang};
use crate::store::Store;

/// WeChat waits 5 seconds for an answer, then pushes again.
const ANSWER_WITHIN: Duration = Duration::from_millis(4_500);
/// Replies are taken for the passive reply only this soon after the push
/// came, leaving the commit and the answer a second within ANSWER_WITHIN.
const TAKE_WITHIN: Duration = Duration::from_millis(3_500);

/// The account as the server URL needs it.
pub struct Account {
    path: String,
    token: String,
    crypt: Option<Crypt>,
    /// `wechat.passive_reply`.
    passive: bool,
    chat: Arc<Chat>,
    store: Store,
    clock: Arc<dyn Clock>,
    /// Fetches residents' photos (`media/get`) with the shared token.
    tokens: Tokens,
}

impl Account {
    /// The token (and AES key, if set) read through `env`.
    pub fn new(
        config: &WechatConfig,
        env: impl Fn(&str) -> Option<String>,
        chat: Arc<Chat>,
        store: Store,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Account> {
        let token = env(&config.token_env).filter(|t| !t.is_empty());
        let token = token.ok_or_else(|| {
            anyhow::anyhow!("wechat: the variable {} holds no token", config.token_env)
        })?;
        let crypt = match env(&config.aes_key_env).filter(|k| !k.is_empty()) {
            Some(key) => Some(
                Crypt::new(&key, &config.app_id)
                    .map_err(|e| anyhow::anyhow!("wechat: {}: {e}", config.aes_key_env))?,
            ),
            None => None,
        };
        let tokens = super::tokens(config, &env, store.clone(), clock.clone())?;
        Ok(Account {
            path: config.path.clone(),
            token,
            crypt,
            passive: config.passive_reply,
            chat,
            store,
            clock,
            tokens,
        })
    }
}

/// The server URL's routes.
pub fn router(account: Arc<Account>) -> Router {
    Router::new()
        .route(&account.path.clone(), get(verify).post(on_push))
        .with_state(account)
}

/// The query WeChat signs every request with.
#[derive(Debug, Default, Deserialize)]
struct Signed {
    #[serde(default)]
    signature: String,
    #[serde(default)]
    timestamp: String,
    #[serde(default)]
    nonce: String,
    echostr: Option<String>,
    encrypt_type: Option<String>,
    msg_signature: Option<String>,
}

impl Account {
    fn signed(&self, q: &Signed) -> bool {
        crypt::verify(&q.signature, &[&self.token, &q.timestamp, &q.nonce])
    }
}

/// The account's settings page checks the URL: echo `echostr` if signed.
async fn verify(State(account): State<Arc<Account>>, Query(q): Query<Signed>) -> Response {
    match (&q.echostr, account.signed(&q)) {
        (Some(echo), true) => echo.clone().into_response(),
        _ => StatusCode::FORBIDDEN.into_response(),
    }
}

async fn on_push(
    State(account): State<Arc<Account>>,
    Query(q): Query<Signed>,
    body: String,
) -> Response {
    if !account.signed(&q) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let xml = match opened(&account, &q, &body) {
        Ok(xml) => xml,
        Err(code) => return code.into_response(),
    };
    let push = match push::parse(&xml) {
        Ok(push) => push,
        Err(error) => {
            // WeChat would push it again and again: drop it.
            tracing::warn!(%error, "unreadable WeChat push");
            return "success".into_response();
        }
    };
    let (answer, mut answered) = oneshot::channel();
    let take_until = Instant::now() + TAKE_WITHIN;
    let reply_to = push.clone();
    let handler = account.clone();
    tokio::spawn(async move {
        let handled = handler.handle(&push, take_until).await;
        // The response went without it: the worker sends the replies.
        if let Err(Ok(Handled {
            update,
            chat,
            text: Some(_),
        })) = answer.send(handled)
            && let Err(error) = handler.store.outbox_unanswer(update, chat).await
        {
            tracing::error!(error = format!("{error:#}"), "WeChat answer not given back");
        }
    });
    let handled = match tokio::time::timeout(ANSWER_WITHIN, &mut answered).await {
        Ok(Ok(handled)) => Some(handled),
        // The handler panicked: nothing was committed, WeChat pushes again.
        Ok(Err(_)) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(_) => {
            answered.close();
            answered.try_recv().ok()
        }
    };
    match handled {
        Some(Ok(Handled {
            text: Some(text), ..
        })) => account.reply(&q, &reply_to, &text),
        Some(Ok(_)) | None => "success".into_response(),
        Some(Err(error)) => {
            tracing::error!(error = format!("{error:#}"), "WeChat push failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What handling a push came to: its update, its chat, and the passive
/// reply when the replies were taken for one.
struct Handled {
    update: i64,
    chat: ChatId,
    text: Option<String>,
}

impl Account {
    /// The passive reply to `push`, encrypted in the encrypted mode.
    fn reply(&self, q: &Signed, push: &Push, text: &str) -> Response {
        let now_s = self.clock.now().timestamp();
        let xml = push::text_reply(push, now_s, text);
        let crypt = match (&self.crypt, q.encrypt_type.as_deref()) {
            (Some(crypt), Some("aes")) => crypt,
            _ => return xml.into_response(),
        };
        let encrypt = crypt.encrypt(&xml);
        let timestamp = now_s.to_string();
        let nonce = fastrand::u32(..).to_string();
        let signature = crypt::signature(&[&self.token, &timestamp, &nonce, &encrypt]);
        push::encrypted_reply(&encrypt, &signature, &timestamp, &nonce).into_response()
    }
}

/// The push's XML: the body itself, or in the encrypted mode the body's
/// `Encrypt` once `msg_signature` is checked and it is decrypted.
fn opened(account: &Account, q: &Signed, body: &str) -> Result<String, StatusCode> {
    if q.encrypt_type.as_deref() != Some("aes") {
        return Ok(body.to_owned());
    }
    let crypt = account.crypt.as_ref().ok_or(StatusCode::BAD_REQUEST)?;
    let encrypt = push::field(body, "Encrypt").ok_or(StatusCode::BAD_REQUEST)?;
    let given = q.msg_signature.as_deref().unwrap_or_default();
    let parts = [account.token.as_str(), &q.timestamp, &q.nonce, &encrypt];
    if !crypt::verify(given, &parts) {
        return Err(StatusCode::FORBIDDEN);
    }
    crypt.decrypt(&encrypt).map_err(|error| {
        tracing::warn!(%error, "undecryptable WeChat push");
        StatusCode::BAD_REQUEST
    })
}

impl Account {
    /// The push through the chat layer, once: a retry has the same update
    /// id. The replies waiting for the resident are taken for the passive
    /// reply when they fit one and it is not yet `take_until`.
    async fn handle(&self, push: &Push, take_until: Instant) -> anyhow::Result<Handled> {
        let now_ms = to_millis(self.clock.now());
        let key = push.dedup_key();
        let update = ids::update(self.store.wechat_number("push", &key, now_ms).await?);
        let resident = self.store.wechat_number("openid", &push.from, now_ms);
        let resident = ids::resident(resident.await?);
        let input = match &push.kind {
            PushKind::Image { media_id, .. } => {
                let kept = super::photo::keep(&self.tokens, &self.store, resident, media_id);
                let file_id = kept.await?;
                Input::Photo {
                    file_id,
                    caption: None,
                }
            }
            kind => input(kind),
        };
        let incoming = Incoming {
            update_id: update,
            user: Some(From {
                id: resident,
                first_name: crate::texts::wechat::RESIDENT_NAME.to_owned(),
                language_code: Some(Lang::Zh.code().to_owned()),
            }),
            chat_id: ChatId(resident),
            private: true,
            input,
        };
        let render = |messages: &[_]| self.passive.then(|| passive::text(messages)).flatten();
        let text = self.chat.handle_answered(incoming, render, take_until);
        Ok(Handled {
            update,
            chat: ChatId(resident),
            text: text.await?,
        })
    }
}

/// What the chat layer reads from a push. A menu message's press whose id
/// is a button's callback data is that button's press, as Telegram gives
/// it (without the message it was under: the wizard answers with a new
/// one); any other press (a big button's, `k1`…) and typed text are read
/// as text; a custom-menu CLICK's key is read as typed text (so a key such
/// as `/start` is that command); following the account is `/start`, and
/// scanning a compound's poster (or following through it) is that poster's
/// `/start c-<compound>` (see `super::scene`).
fn input(kind: &PushKind) -> Input {
    match kind {
        PushKind::Text {
            content,
            menu_id: Some(id),
            ..
        } => match Callback::decode(id) {
            Callback::Unknown => read_text(content, ""),
            callback => Input::Button(Press {
                callback_id: String::new(),
                callback,
                message_id: None,
                message_text: None,
            }),
        },
        PushKind::Text { content, .. } => read_text(content, ""),
        PushKind::Location {
            latitude,
            longitude,
            ..
        } => Input::Location {
            latitude: *latitude,
            longitude: *longitude,
        },
        PushKind::Subscribe { scene } => read_text(&scene::start_command(scene.as_deref()), ""),
        PushKind::Scan { scene } => read_text(&scene::start_command(Some(scene)), ""),
        PushKind::Click { key } => read_text(key, ""),
        // A photo is fetched and kept first (`Account::handle`).
        PushKind::Image { .. } | PushKind::Other { .. } => Input::Unsupported,
    }
}
