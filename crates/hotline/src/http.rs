//! The instance's HTTP server: Telegram's webhook (so several instances can
//! sit behind any load balancer), `/healthz` for that load balancer, and
//! replies from managers' phones (`phone_replies`).

pub mod ack_page;
pub mod bounded;
pub mod client;
pub mod headers;
pub mod phone_replies;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tokio::task::JoinHandle;

use crate::chat::Chat;
use crate::clock::{Clock, to_millis};
use crate::store::Store;
use crate::telegram::{self, Telegram};

/// The header Telegram sends the `secret_token` of setWebhook in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The webhook secret. Never printed: `Debug` shows a mask.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Telegram accepts 1–256 characters of `A-Z a-z 0-9 _ -`.
    pub fn new(secret: String) -> anyhow::Result<WebhookSecret> {
        let valid = (1..=256).contains(&secret.len())
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        anyhow::ensure!(
            valid,
            "the webhook secret must be 1-256 characters of A-Z a-z 0-9 _ -"
        );
        Ok(WebhookSecret(secret))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares in time independent of where the first difference is.
    fn matches(&self, given: &[u8]) -> bool {
        let mine = self.0.as_bytes();
        mine.len() == given.len()
            && mine.iter().zip(given).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(***)")
    }
}

/// What this instance is doing, shared with `/healthz`.
#[derive(Debug, Default)]
pub struct Status {
    pub poll_leader: AtomicBool,
    pub engine_leader: AtomicBool,
    /// Wall-clock epoch ms of the engine's last finished pass (0: never).
    pub engine_heartbeat: Arc<AtomicI64>,
    /// Whether Telegram answers, and the last reload (issue 25).
    pub liveness: Arc<crate::health::Liveness>,
    /// The limits `/healthz` judges by.
    pub health: crate::health::HealthConfig,
}

/// Everything the webhook needs to handle an update like the poller does.
pub struct Webhook {
    pub telegram: Telegram,
    pub intake: Arc<Chat>,
    pub username: String,
    pub secret: WebhookSecret,
    pub path: String,
}

struct Shared {
    store: Store,
    clock: Arc<dyn Clock>,
    status: Arc<Status>,
    webhook: Option<Webhook>,
}

/// Binds `listen` and serves until the task is aborted; returns the bound
/// address (useful with port 0).
pub async fn serve(
    listen: SocketAddr,
    store: Store,
    clock: Arc<dyn Clock>,
    status: Arc<Status>,
    webhook: Option<Webhook>,
    // More routes with their own state, e.g. the acknowledge links' pages.
    routes: Router,
) -> anyhow::Result<(SocketAddr, JoinHandle<()>)> {
    let path = webhook.as_ref().map(|w| w.path.clone());
    let shared = Arc::new(Shared {
        store,
        clock,
        status,
        webhook,
    });
    let mut router = Router::new().route("/healthz", get(healthz));
    if let Some(path) = path {
        router = router.route(&path, post(on_webhook));
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("listening on {listen}: {e}"))?;
    let addr = listener.local_addr()?;
    let app = router.with_state(shared).merge(routes);
    let task = tokio::spawn(async move {
        bounded::serve(listener, app, bounded::max_connections()).await;
        tracing::error!("the HTTP server stopped");
    });
    tracing::info!(%addr, "HTTP server listening");
    Ok((addr, task))
}

/// One update from Telegram. 401 without the right secret; 200 once its
/// effects are committed (or it is not for us); 500 when they are not, so
/// Telegram (or the load balancer) delivers it again.
async fn on_webhook(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some(webhook) = &shared.webhook else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers.get(SECRET_HEADER).map(|v| v.as_bytes());
    if !given.is_some_and(|g| webhook.secret.matches(g)) {
        return StatusCode::UNAUTHORIZED;
    }
    let incoming = match telegram::decode_webhook_update(&body, &webhook.username) {
        Ok(Some(incoming)) => incoming,
        Ok(None) => return StatusCode::OK,
        Err(error) => {
            // Telegram would retry a rejected update forever; drop it.
            tracing::warn!(%error, "unreadable webhook update");
            return StatusCode::OK;
        }
    };
    let update_id = incoming.update_id;
    match webhook.telegram.handle(&webhook.intake, incoming).await {
        Ok(()) => StatusCode::OK,
        Err(error) => {
            tracing::error!(update_id, error = format!("{error:#}"), "update failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// For the load balancer and monitoring: see `crate::health::probe`.
async fn healthz(State(shared): State<Arc<Shared>>) -> Response {
    let now_ms = to_millis(shared.clock.now());
    let (healthy, body) = health_of(&shared.store, now_ms, &shared.status).await;
    let code = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body)).into_response()
}

/// `/healthz`'s judgement of this instance: (healthy, body). The systemd
/// watchdog is fed by the same (see `crate::app`).
pub async fn health_of(store: &Store, now_ms: i64, status: &Status) -> (bool, serde_json::Value) {
    let probe = crate::health::probe::Probe {
        store,
        liveness: &status.liveness,
        health: &status.health,
        now_ms,
        engine_leader: status.engine_leader.load(Ordering::Relaxed),
        poll_leader: status.poll_leader.load(Ordering::Relaxed),
        engine_tick_ms: status.engine_heartbeat.load(Ordering::Relaxed),
    };
    crate::health::probe::answer(probe).await
}
