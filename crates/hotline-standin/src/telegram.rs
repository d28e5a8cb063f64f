//! A local stand-in for the Telegram Bot API.
//!
//! Integration tests, `hotline demo` and the benchmarks need a Telegram that answers
//! instantly, never touches the network, can be told what a resident typed or pressed,
//! and can be asked afterwards what the resident would see. This module is that server:
//! the *real* teloxide client talks to it over HTTP on 127.0.0.1 via
//! `Bot::new(standin.token()).set_api_url(standin.api_url())`, so the whole request
//! path (serialisation, error mapping, long polling) is exercised exactly as in
//! production.
//!
//! It is deliberately strict where a sloppy bot would be punished by Telegram: rate
//! limits (30 messages/s overall, 1/s per private chat with a small burst, 20/min per
//! group), Telegram's sizes (4,096 characters of text and 1,024 of caption counted in
//! UTF-16 units, 64 bytes of callback data, 100 inline buttons), each refused with
//! Telegram's 400 and its error text, and blocked users. Faults (HTTP 500, 429, slow
//! answers) can be injected, from a seeded generator, to test retry behaviour.
//!
//! The bot token is never printed or logged: no request path is ever written anywhere.

mod inject;
mod limits;
mod markup;
mod media;
mod menus;
mod methods;
mod observe;
mod outage;
mod payload;
mod raw;
mod server;
mod state;
#[cfg(test)]
mod tests;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use serde_json::{Value, json};
use tokio::sync::Notify;

use state::State;

/// How a stand-in instance behaves. The defaults mirror Telegram's published limits.
#[derive(Clone, Debug)]
pub struct StandInOptions {
    /// Reject messages over the limits with HTTP 429 (as Telegram does).
    pub enforce_limits: bool,
    /// Messages a private chat may receive back to back before the 1/s rate applies.
    pub private_burst: u32,
    /// Messages per second over all chats.
    pub global_per_sec: u32,
    /// Messages per minute into one group chat (negative chat id).
    pub group_per_min: u32,
    /// Seed for the token and for fault injection, so that a failing run can be replayed.
    pub seed: Option<u64>,
    /// The bot's `@username` (without `@`), as returned by `getMe`.
    pub bot_username: String,
}

impl Default for StandInOptions {
    fn default() -> Self {
        StandInOptions {
            enforce_limits: true,
            private_burst: 3,
            global_per_sec: 30,
            group_per_min: 20,
            seed: None,
            bot_username: "hotline_test_bot".to_owned(),
        }
    }
}

/// Which failures are injected into message calls, and how often.
///
/// A share `fail_share` of message calls (send*/edit*) is affected; each affected call
/// gets one kind picked uniformly from the enabled ones. With no kind enabled nothing fails.
/// The choices come from a generator seeded with `seed` afresh at every
/// [`StandIn::set_faults`]: the same run of calls meets the same faults.
#[derive(Clone, Copy, Debug, Default)]
pub struct Faults {
    /// 0.0 – 1.0.
    pub fail_share: f64,
    /// Answer HTTP 500 (teloxide then sleeps 10 s before reporting the error).
    pub http_500: bool,
    /// Answer 429 with `retry_after` 1.
    pub too_many: bool,
    /// Hold the answer this long, then succeed.
    pub slow: Option<Duration>,
    /// Seeds the choice of which calls fail and how.
    pub seed: u64,
}

/// A resident as far as Telegram updates are concerned. In private chats the chat id
/// equals the user id, as in Telegram.
#[derive(Clone, Debug)]
pub struct FakeUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl FakeUser {
    pub fn new(id: i64, first_name: &str) -> FakeUser {
        FakeUser {
            id,
            first_name: first_name.to_owned(),
            username: None,
            language_code: None,
        }
    }

    /// Sets the Telegram client language (`language_code` on every update from this user).
    pub fn with_lang(mut self, code: &str) -> Self {
        self.language_code = Some(code.to_owned());
        self
    }

    /// The `User` object Telegram puts into `from`.
    fn user_json(&self) -> Value {
        let mut user = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        if let Some(name) = &self.username {
            user["username"] = json!(name);
        }
        if let Some(code) = &self.language_code {
            user["language_code"] = json!(code);
        }
        user
    }

    /// The private `Chat` object between this user and the bot.
    fn private_chat_json(&self) -> Value {
        let mut chat = json!({"id": self.id, "type": "private", "first_name": self.first_name});
        if let Some(name) = &self.username {
            chat["username"] = json!(name);
        }
        chat
    }
}

/// One HTTP call the bot made, whatever its outcome (so tests can count 429s).
#[derive(Clone, Debug)]
pub struct Call {
    /// Lower-case method name, e.g. `sendmessage`.
    pub method: String,
    /// The parameters, normalised to a JSON object (also for form and multipart bodies).
    pub body: Value,
    /// The `ok` flag of the answer.
    pub ok: bool,
    /// The HTTP status of the answer.
    pub status: u16,
    /// When the request arrived.
    pub at: std::time::Instant,
    /// The same moment on the wall clock, to compare with times the bot stored
    /// (epoch milliseconds from its `SystemClock`), e.g. the benchmark's alert latency.
    pub wall: std::time::SystemTime,
    /// Files uploaded with a multipart call: (file name, bytes).
    pub uploads: Vec<(String, Vec<u8>)>,
}

/// `(command, description)` pairs as given to `setMyCommands`.
pub type CommandList = Vec<(String, String)>;

/// A keyboard button as the resident sees it. `data` is the callback data of inline
/// buttons (None for URL buttons and reply-keyboard buttons).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    pub data: Option<String>,
    pub request_contact: bool,
    pub request_location: bool,
}

/// A message the bot showed in a chat, with later edits applied in place.
#[derive(Clone, Debug)]
pub struct Shown {
    pub chat_id: i64,
    pub message_id: i32,
    /// Text or caption as displayed: HTML tags are stripped and entities unescaped for
    /// `parse_mode` HTML, backslash escapes removed for MarkdownV2.
    pub text: String,
    /// For photos: the file id or URL sent, or `upload:<file name>` for uploads.
    pub photo: Option<String>,
    /// For documents: like `photo`.
    pub document: Option<String>,
    /// The inline keyboard attached to the message.
    pub inline: Vec<Vec<Button>>,
    /// The reply keyboard this message installed (empty if none or removed).
    pub keyboard: Vec<Vec<Button>>,
    /// Sent with `disable_notification`.
    pub silent: bool,
    /// Changed by an edit after it was sent.
    pub edited: bool,
    /// For a map pin (sendVenue, sendLocation): latitude and longitude;
    /// `text` then holds the venue's title and address.
    pub location: Option<(f64, f64)>,
}

/// State shared between the handle and the HTTP server task.
struct Shared {
    state: Mutex<State>,
    /// Wakes long-polling `getUpdates` calls when an update is injected.
    updates_ready: Notify,
    token: String,
    bot_id: i64,
    /// The `User` object of the bot (used as `from` of its messages).
    bot_user: Value,
    /// The `getMe` answer.
    me: Value,
    /// Telegram cannot be reached (see `outage`).
    unreachable: std::sync::atomic::AtomicBool,
}

impl Shared {
    /// Locks the state; a panic in another test thread must not hide this test's outcome.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Owns the server task: it stops when the last `StandIn` clone is dropped.
struct Handle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: tokio::task::AbortHandle,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A running stand-in. Cheap to clone; all clones control the same server.
#[derive(Clone)]
pub struct StandIn {
    handle: Arc<Handle>,
}

/// Shows the address only: the token must never end up in logs.
impl std::fmt::Debug for StandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandIn")
            .field("addr", &self.handle.addr)
            .finish_non_exhaustive()
    }
}

impl StandIn {
    /// Binds 127.0.0.1 on a free port and serves the Bot API from a spawned task.
    pub async fn start(opts: StandInOptions) -> anyhow::Result<StandIn> {
        let mut rng = opts
            .seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        let (bot_id, token) = fake_token(&mut rng);
        let bot_user = json!({
            "id": bot_id, "is_bot": true, "first_name": "Hotline (stand-in)",
            "username": opts.bot_username,
        });
        let mut me = bot_user.clone();
        me["can_join_groups"] = json!(true);
        me["can_read_all_group_messages"] = json!(false);
        me["supports_inline_queries"] = json!(false);
        me["can_connect_to_business"] = json!(false);
        me["has_main_web_app"] = json!(false);
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(&opts)),
            updates_ready: Notify::new(),
            token,
            bot_id,
            bot_user,
            me,
            unreachable: Default::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let listener = outage::Gate::new(listener, shared.clone());
        let app = server::router(shared.clone());
        let server = tokio::spawn(async move {
            // Errors here only happen when the runtime shuts down; nothing to report.
            let _ = axum::serve(listener, app).await;
        })
        .abort_handle();
        let handle = Handle {
            shared,
            addr,
            server,
        };
        Ok(StandIn {
            handle: Arc::new(handle),
        })
    }

    /// The base URL to give to `Bot::set_api_url`, e.g. `http://127.0.0.1:40123/`.
    pub fn api_url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/", self.handle.addr))
            .expect("a socket address is a valid URL host")
    }

    /// A realistic fake token (`<bot id>:<35 characters>`); only this token is accepted.
    pub fn token(&self) -> &str {
        &self.handle.shared.token
    }

    /// The bot's user id (the part of the token before the colon).
    pub fn bot_id(&self) -> i64 {
        self.handle.shared.bot_id
    }

    /// Turns fault injection on (`Some`) or off (`None`); takes effect for the next call.
    pub fn set_faults(&self, f: Option<Faults>) {
        let mut state = self.shared().lock();
        if let Some(f) = &f {
            state.fault_rng = fastrand::Rng::with_seed(f.seed);
        }
        state.faults = f;
    }

    /// Switches rate-limit enforcement; the counters keep running while it is off.
    pub fn set_enforce_limits(&self, on: bool) {
        self.shared().lock().limits.enforce = on;
    }

    /// Marks the chat as having blocked the bot: message calls to it answer 403
    /// "Forbidden: bot was blocked by the user" (teloxide: `ApiError::BotBlocked`).
    pub fn block_chat(&self, chat_id: i64) {
        self.shared().lock().blocked.insert(chat_id);
    }

    /// While `on`, every call hangs without an answer (as a frozen or
    /// unreachable Telegram does): clients time out; `false` lets the
    /// waiting calls through.
    pub fn set_hang(&self, on: bool) {
        self.shared().lock().hang = on;
    }

    /// While `on`, a message call the bot stopped waiting for (its
    /// connection closed mid-call, as when a process exits) still reaches the
    /// chat, as in Telegram; off (the default), it is dropped with the
    /// connection.
    pub fn set_finish_abandoned(&self, on: bool) {
        self.shared().lock().finish_abandoned = on;
    }

    /// Undoes `block_chat` (the resident pressed "Restart").
    pub fn unblock_chat(&self, chat_id: i64) {
        self.shared().lock().blocked.remove(&chat_id);
    }

    fn shared(&self) -> &Shared {
        &self.handle.shared
    }
}

/// Builds `<id>:AA<33 chars>`: the shape of a real token, so code that validates or
/// redacts tokens is exercised too.
fn fake_token(rng: &mut fastrand::Rng) -> (i64, String) {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let bot_id = rng.i64(1_000_000_000..8_000_000_000);
    let secret: String = (0..33)
        .map(|_| ALPHABET[rng.usize(..ALPHABET.len())] as char)
        .collect();
    (bot_id, format!("{bot_id}:AA{secret}"))
}

/// Unix time now, as Telegram puts it into `date`.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
