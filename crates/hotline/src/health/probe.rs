//! `/healthz`'s answer: this instance's own view (from memory, so it answers
//! even while the database is slow) plus the outbox's oldest due message per
//! lane. 503 when the database does not answer, when Telegram has been
//! unreachable longer than `health.telegram_down_after`, or when this
//! instance leads the engine and its last pass is older than
//! `health.engine_stuck_after`. A refused reload shows in the body but is
//! not a 503: the old settings still serve, and a load balancer taking the
//! instance out would only make things worse.

use serde_json::{Value, json};

use super::{HealthConfig, Liveness, Problem, Verdict, wall_ms};
use crate::obs::lane_name;
use crate::store::Store;

/// What `/healthz` needs of the instance.
pub struct Probe<'a> {
    pub store: &'a Store,
    pub liveness: &'a Liveness,
    pub health: &'a HealthConfig,
    /// The outbox's clock (the business clock; a test's may be moved).
    pub now_ms: i64,
    pub engine_leader: bool,
    pub poll_leader: bool,
    /// Wall-clock epoch ms of the engine's last pass (0: none).
    pub engine_tick_ms: i64,
}

fn age(now_ms: i64, at_ms: Option<i64>) -> Value {
    at_ms.map_or(Value::Null, |at| {
        json!((now_ms - at).max(0) as f64 / 1000.0)
    })
}

/// (healthy, body).
pub async fn answer(probe: Probe<'_>) -> (bool, Value) {
    let db = probe.store.ping().await;
    let lanes = match &db {
        Ok(()) => (probe.store.outbox_oldest_due_by_lane(probe.now_ms).await).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let wall = wall_ms();
    let tick = probe.engine_leader.then_some(probe.engine_tick_ms);
    let row = probe.liveness.row(wall, tick.unwrap_or(0));
    let verdict = Verdict::judge(
        std::slice::from_ref(&row),
        wall,
        probe.health,
        probe.engine_leader,
    );
    let down = verdict.telegram_down_since().is_some();
    let stuck = (verdict.problems.iter()).any(|p| matches!(p, Problem::EngineStuck { .. }));
    let by_lane: serde_json::Map<String, Value> = (lanes.iter())
        .map(|(lane, at)| (lane_name(*lane).to_owned(), age(probe.now_ms, Some(*at))))
        .collect();
    let oldest = lanes.iter().map(|(_, at)| *at).min();
    let reload = probe.liveness.last_reload().map(|r| {
        json!({
            "ok": r.refused.is_none(),
            "age_s": age(wall, Some(r.at_ms)),
            "error": r.refused,
        })
    });
    let body = json!({
        "db": if db.is_ok() { "ok" } else { "unreachable" },
        "poll_leader": probe.poll_leader,
        "engine_leader": probe.engine_leader,
        "engine_last_tick_age_s": age(wall, tick.filter(|t| *t > 0)),
        "engine_stuck": stuck,
        "telegram_last_success_age_s": age(wall, row.telegram_ok_at),
        "telegram_failing_for_s": age(wall, row.telegram_failing_since),
        "telegram_unreachable": down,
        "outbox_oldest_pending_age_s": age(probe.now_ms, oldest),
        "outbox_oldest_pending_age_s_by_lane": by_lane,
        "last_reload": reload,
    });
    (db.is_ok() && !down && !stuck, body)
}
