//! A local stand-in SMS/voice provider for tests and demos: an HTTP server on
//! 127.0.0.1 that accepts any path, records every request, and answers like
//! Twilio (`201 {"sid": "SM1"}`) unless told to fail.
//!
//! It records headers as sent, including the auth header: tests need to see
//! it, and the secrets they use are fake.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri, header::CONTENT_TYPE},
    response::{IntoResponse, Response},
};
use serde_json::json;
use tokio::sync::watch;

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRequest {
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// The raw query string, empty when there is none.
    pub query: String,
    /// Names lowercased (as HTTP/2 and hyper give them), in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// When it arrived, by the clock the fake was started with.
    pub at: DateTime<Utc>,
}

impl FakeRequest {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body decoded as `application/x-www-form-urlencoded`.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }

    /// The first form field of that name.
    pub fn form_value(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::from_str(&self.body)?)
    }
}

/// The running fake; the server stops when this is dropped.
pub struct FakeGateway {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: tokio::task::AbortHandle,
}

struct Shared {
    state: Mutex<FakeState>,
    /// The number of requests received, for [`FakeGateway::wait_for`].
    count: watch::Sender<usize>,
    /// Stamps each request's arrival ([`FakeGateway::set_clock`]).
    clock: Mutex<Clock>,
}

/// What time it is for the fake: the bot's test clock in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Answers a request as a provider would: (HTTP status, JSON body).
pub type Responder = Arc<dyn Fn(&FakeRequest) -> (u16, serde_json::Value) + Send + Sync>;

#[derive(Default)]
struct FakeState {
    requests: Vec<FakeRequest>,
    responder: Option<Responder>,
    failures: VecDeque<u16>,
    delay: Duration,
    next_sid: u64,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for FakeGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeGateway")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeGateway {
    /// Binds 127.0.0.1 on a free port and serves from a spawned task.
    pub async fn start() -> anyhow::Result<FakeGateway> {
        let shared = Arc::new(Shared {
            state: Mutex::new(FakeState::default()),
            count: watch::channel(0).0,
            clock: Mutex::new(Arc::new(Utc::now)),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let server = tokio::spawn(async move {
            // Fails only when the runtime shuts down; nothing to report.
            let _ = axum::serve(listener, app).await;
        })
        .abort_handle();
        Ok(FakeGateway {
            shared,
            addr,
            server,
        })
    }

    /// The base URL without a trailing slash, e.g. `http://127.0.0.1:40123`:
    /// use it as `gateway.url` for twilio, or append a path for http.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything received so far, oldest first.
    pub fn requests(&self) -> Vec<FakeRequest> {
        self.shared.state().requests.clone()
    }

    /// Answers the next `n` requests with `status` and a Twilio-like error body.
    pub fn fail_next(&self, n: usize, status: u16) {
        self.shared
            .state()
            .failures
            .extend(std::iter::repeat_n(status, n));
    }

    /// Answers later requests with `responder` (a provider's fake answer,
    /// which checks the signature) instead of the Twilio-like default.
    pub fn set_responder(&self, responder: Responder) {
        self.shared.state().responder = Some(responder);
    }

    /// Stamps later requests with `clock`'s time (the bot's test clock, so a
    /// rate limit can be checked in the time the bot counts in).
    pub fn set_clock(&self, clock: Clock) {
        *self.shared.clock.lock().unwrap_or_else(|e| e.into_inner()) = clock;
    }

    /// Holds every later answer this long, to exercise `gateway.timeout`.
    pub fn set_delay(&self, delay: Duration) {
        self.shared.state().delay = delay;
    }

    /// Waits until at least `n` requests have arrived and returns them all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> anyhow::Result<Vec<FakeRequest>> {
        let mut rx = self.shared.count.subscribe();
        let reached = tokio::time::timeout(timeout, rx.wait_for(|&count| count >= n)).await;
        match reached {
            Ok(Ok(_)) => Ok(self.requests()),
            _ => anyhow::bail!(
                "fake gateway: {} request(s) after {timeout:?}, expected {n}",
                self.requests().len()
            ),
        }
    }
}

impl Drop for FakeGateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = FakeRequest {
        method: method.to_string(),
        path: uri.path().to_owned(),
        query: uri.query().unwrap_or("").to_owned(),
        headers: headers
            .iter()
            .map(|(n, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (n.as_str().to_owned(), value)
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        at: (shared.clock.lock().unwrap_or_else(|e| e.into_inner()))(),
    };
    let (status, answer, delay) = {
        let mut state = shared.state();
        let responder = state.responder.clone();
        let delay = state.delay;
        let failure = state.failures.pop_front();
        state.requests.push(request.clone());
        match failure {
            None if responder.is_some() => {
                let (code, answer) = responder.expect("checked")(&request);
                (code, answer, delay)
            }
            Some(code) => {
                let answer =
                    json!({"code": code, "message": "fake gateway failure", "status": code});
                (code, answer, delay)
            }
            None => {
                state.next_sid += 1;
                let answer = json!({"sid": format!("SM{}", state.next_sid), "status": "queued"});
                (201, answer, delay)
            }
        }
    };
    shared.count.send_modify(|c| *c += 1);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(CONTENT_TYPE, "application/json")],
        answer.to_string(),
    )
        .into_response()
}
