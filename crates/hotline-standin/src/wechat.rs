//! A local stand-in for a WeChat Official Account's side of WeChat (服务号):
//! the API the bot calls (`/cgi-bin/token`, `/cgi-bin/message/custom/send`,
//! `/cgi-bin/message/template/send`, `/cgi-bin/media/get` for residents' photos; for the setup commands `menu/create`
//! and `qrcode/create`, recorded) and the pushes WeChat makes to the
//! bot's server URL, signed as WeChat signs them (plain mode); a passive
//! reply in the bot's answer to a push is shown to the resident
//! ([`WechatShown::passive`]) without touching their quota.
//!
//! It is strict where WeChat is (its rules for customer-service messages,
//! checked 2026-12 at
//! <https://developers.weixin.qq.com/doc/service/en/guide/product/kf/intro.html>,
//! in force since 2023-06-12): a resident's action opens a quota —
//! a message they send: 5 messages within 48 hours; a custom-menu CLICK
//! (and a menu message's press, which WeChat counts as one), following the
//! account, a QR scan: 3 messages within 1 minute. Quotas do not add up;
//! each is used until it runs out or ends. A send with no open quota is
//! refused `45015` (response out of time limit), with every open quota used
//! up `45047` (out of response count limit). Access tokens are WeChat's:
//! 2 hours unless told otherwise, a new one makes the older ones stale
//! (`40001`), an expired one answers `42001`.
//!
//! Time is the clock it is given ([`WechatStandIn::set_clock`]): the bot's
//! test clock in tests, so a window closes when the test moves the clock.

mod api;
mod media;
mod push;
mod setup;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::watch;

pub use media::MEDIA_LIFETIME;
pub use push::PushAnswer;

/// What time it is for the stand-in: the bot's test clock in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// A text within 48 hours of the resident's own message: 5 of them.
pub const MESSAGE_QUOTA: (u32, Duration) = (5, Duration::from_secs(48 * 3600));
/// After a CLICK, a menu message's press, a follow or a scan: 3 within a minute.
pub const EVENT_QUOTA: (u32, Duration) = (3, Duration::from_secs(60));
/// How long a new access token lives (`expires_in`), unless told otherwise.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

/// One thing an openid was shown.
#[derive(Debug, Clone, PartialEq)]
pub struct WechatShown {
    pub at: DateTime<Utc>,
    /// "text", "msgmenu" or "template".
    pub kind: String,
    /// The text; a menu's head and tail around its items; a template's
    /// values in order, one a line.
    pub text: String,
    /// A menu's items: (id, content).
    pub menu: Vec<(String, String)>,
    /// A template message's template id.
    pub template_id: Option<String>,
    /// A template message's `data` as sent.
    pub data: Value,
    /// Came as the passive reply in the answer to a push (not counted
    /// against the quota); its `weixin://bizmsgmenu` links are its `menu`.
    pub passive: bool,
}

/// A send WeChat refused: to whom, with which error code.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub openid: String,
    pub errcode: i64,
    pub path: String,
}

/// The running stand-in; its server stops when this is dropped.
pub struct WechatStandIn {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: tokio::task::AbortHandle,
}

struct Shared {
    app_id: String,
    secret: String,
    /// The Token (令牌) pushes are signed with.
    token: String,
    state: Mutex<State>,
    clock: Mutex<Clock>,
    /// Bumped at every recorded send or refusal, for the waits.
    changes: watch::Sender<u64>,
}

#[derive(Default)]
struct State {
    /// Issued access tokens: (token, expires at); the last is the current one.
    tokens: Vec<(String, DateTime<Utc>)>,
    token_requests: usize,
    token_lifetime: Option<Duration>,
    /// How long `/cgi-bin/token` takes to answer.
    token_delay: Duration,
    /// Open quotas per openid: (messages left, until).
    quotas: HashMap<String, Vec<(u32, DateTime<Utc>)>>,
    shown: HashMap<String, Vec<WechatShown>>,
    refusals: Vec<Refusal>,
    server_url: Option<String>,
    next_msg_id: u64,
    /// The custom menu last set.
    menu: Option<Value>,
    /// Permanent QR codes created: (scene, ticket).
    qr_codes: Vec<(String, String)>,
    /// Residents' photos by media id (`media/get`).
    media: HashMap<String, media::Media>,
    media_requests: usize,
    media_refused: bool,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock.lock().unwrap_or_else(|e| e.into_inner()))()
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }
}

impl WechatStandIn {
    /// Binds 127.0.0.1 on a free port. `app_id` and `secret` are the
    /// account's AppID and AppSecret; `token` the Token pushes are signed with.
    pub async fn start(app_id: &str, secret: &str, token: &str) -> anyhow::Result<WechatStandIn> {
        let shared = Arc::new(Shared {
            app_id: app_id.to_owned(),
            secret: secret.to_owned(),
            token: token.to_owned(),
            state: Mutex::new(State::default()),
            clock: Mutex::new(Arc::new(Utc::now)),
            changes: watch::channel(0).0,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = api::router(shared.clone());
        let server = tokio::spawn(async move {
            // Fails only when the runtime shuts down; nothing to report.
            let _ = axum::serve(listener, app).await;
        })
        .abort_handle();
        Ok(WechatStandIn {
            shared,
            addr,
            server,
        })
    }

    /// The API's base URL, e.g. `http://127.0.0.1:40123` (`wechat.api_url`).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Reads time from `clock` from now on (windows, token expiry, stamps).
    pub fn set_clock(&self, clock: Clock) {
        *self.shared.clock.lock().unwrap_or_else(|e| e.into_inner()) = clock;
    }

    /// Where pushes go: the bot's server URL, e.g. `http://127.0.0.1:8443/wechat`.
    pub fn set_server_url(&self, url: impl Into<String>) {
        self.shared.state().server_url = Some(url.into());
    }

    /// Tokens issued from now on live this long (`expires_in`).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.state().token_lifetime = Some(lifetime);
    }

    /// Answers `/cgi-bin/token` only after `delay`, so callers overlap.
    pub fn set_token_delay(&self, delay: Duration) {
        self.shared.state().token_delay = delay;
    }

    /// Every token issued so far expires now: the next call with one is
    /// answered `42001`.
    pub fn expire_tokens(&self) {
        let now = self.shared.now();
        for (_, until) in &mut self.shared.state().tokens {
            *until = now;
        }
    }

    /// How many times a token was asked for (`/cgi-bin/token`).
    pub fn token_requests(&self) -> usize {
        self.shared.state().token_requests
    }

    /// What `openid` was shown, oldest first.
    pub fn shown(&self, openid: &str) -> Vec<WechatShown> {
        let state = self.shared.state();
        state.shown.get(openid).cloned().unwrap_or_default()
    }

    /// Every send refused so far, oldest first.
    pub fn refusals(&self) -> Vec<Refusal> {
        self.shared.state().refusals.clone()
    }

    /// Waits until `openid` was shown at least `n` things, and returns them.
    pub async fn wait_shown(
        &self,
        openid: &str,
        n: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<WechatShown>> {
        self.wait_until(timeout, || self.shown(openid).len() >= n)
            .await
            .map_err(|_| {
                let shown = self.shown(openid);
                anyhow::anyhow!("{openid} was shown {} after {timeout:?}, expected {n}: {shown:#?}; refused: {:?}", shown.len(), self.refusals())
            })?;
        Ok(self.shown(openid))
    }

    /// Waits until `done` holds (checked at every send or refusal).
    pub async fn wait_until(
        &self,
        timeout: Duration,
        done: impl Fn() -> bool,
    ) -> Result<(), tokio::time::error::Elapsed> {
        let mut rx = self.shared.changes.subscribe();
        tokio::time::timeout(timeout, async {
            while !done() {
                // The sender lives as long as `self`.
                let _ = rx.changed().await;
            }
        })
        .await
    }
}

impl Drop for WechatStandIn {
    fn drop(&mut self) {
        self.server.abort();
    }
}
