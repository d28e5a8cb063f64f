//! The series an alerting rule pages on (issue 25), appended to the desk's
//! `/metrics` and served alone on `health.listen` when the desk is off:
//! when Telegram last answered, open and unacknowledged escalations and the
//! oldest one's age, whether the last reload was taken (named as
//! Alertmanager and Prometheus name theirs) and build info. Example rules:
//! `deploy/hotline-alerts.yml`.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::clock::{Clock, to_millis};
use crate::store::Store;

fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
    );
}

/// The text; `now_ms` is the business clock (escalations' ages).
pub async fn render(store: &Store, now_ms: i64) -> anyhow::Result<String> {
    let mut out = String::new();
    let e = store.escalation_gauges().await?;
    gauge(
        &mut out,
        "hotline_escalations_open",
        "Escalations not resolved yet.",
        e.open,
    );
    gauge(
        &mut out,
        "hotline_escalations_unacknowledged",
        "Escalations still paging (nobody acknowledged).",
        e.unacknowledged,
    );
    let oldest = e
        .oldest_unacknowledged_at
        .map_or(0, |at| (now_ms - at).max(0) / 1000);
    gauge(
        &mut out,
        "hotline_escalation_oldest_unacknowledged_age_seconds",
        "Age of the oldest unacknowledged escalation (0: none).",
        oldest,
    );
    let rows = store.liveness().await?;
    let running = rows.iter().filter(|r| r.stopped_at.is_none());
    let ok = running
        .clone()
        .filter_map(|r| r.telegram_ok_at)
        .max()
        .unwrap_or(0);
    gauge(
        &mut out,
        "hotline_telegram_last_success_timestamp_seconds",
        "When a Telegram call last got an answer (Unix time).",
        ok / 1000,
    );
    let reload = running
        .filter(|r| r.reload_at.is_some())
        .max_by_key(|r| r.reload_at);
    let taken = reload.is_none_or(|r| !r.reload_refused());
    gauge(
        &mut out,
        "hotline_config_last_reload_successful",
        "Whether the last settings reload was taken (1) or refused (0).",
        i64::from(taken),
    );
    let at = reload.and_then(|r| r.reload_at.filter(|_| taken));
    let started = rows.iter().map(|r| r.started_at).max().unwrap_or(0);
    gauge(
        &mut out,
        "hotline_config_last_reload_success_timestamp_seconds",
        "When settings were last taken, by a reload or at start (Unix time).",
        at.unwrap_or(started) / 1000,
    );
    let _ = writeln!(
        out,
        "# HELP hotline_build_info The running build.\n# TYPE hotline_build_info gauge\nhotline_build_info{{version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION")
    );
    Ok(out)
}

struct Shared {
    store: Store,
    clock: Arc<dyn Clock>,
}

/// `/metrics` with these series alone (for `health.listen`).
pub fn router(store: Store, clock: Arc<dyn Clock>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(Arc::new(Shared { store, clock }))
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    match render(&shared.store, to_millis(shared.clock.now())).await {
        Ok(text) => (
            [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "/metrics failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
