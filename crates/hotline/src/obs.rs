//! What this process observes about itself, for `/metrics`: Telegram sends,
//! 429s and failures by lane, phone-gateway pages, the escalation engine's
//! last tick and how long handling an update takes.
//!
//! The other series (reports, escalations, time to acknowledge, the
//! outbox's depth) are read from the database, so every instance reports the
//! same totals; these are counted in memory, per instance, like any
//! Prometheus client library would. One process-wide registry (as the
//! `metrics` crate keeps one global recorder): instrumented code calls one
//! function here and knows nothing else about metrics.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use crate::domain::Lane;

/// Update handling latency buckets, in seconds.
pub const UPDATE_BUCKETS: [f64; 9] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// A counter's name and its labels, in exposition order.
pub type Series = (&'static str, Vec<(&'static str, String)>);

/// A histogram's bucket counts (not cumulative), the sum and the count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    pub buckets: Vec<u64>,
    pub sum: f64,
    pub count: u64,
}

#[derive(Default)]
struct Registry {
    counters: BTreeMap<Series, u64>,
    update_latency: Histogram,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    counters: BTreeMap::new(),
    update_latency: Histogram {
        buckets: Vec::new(),
        sum: 0.0,
        count: 0,
    },
});

/// The escalation engine's last tick, in epoch ms of the app's clock; 0 = never.
static ENGINE_TICK_MS: AtomicI64 = AtomicI64::new(0);

fn with<T>(f: impl FnOnce(&mut Registry) -> T) -> T {
    let mut registry = REGISTRY.lock().unwrap_or_else(|p| p.into_inner());
    f(&mut registry)
}

fn count(name: &'static str, labels: Vec<(&'static str, String)>) {
    with(|r| *r.counters.entry((name, labels)).or_default() += 1);
}

pub fn lane_name(lane: Lane) -> &'static str {
    match lane {
        Lane::Alert => "alert",
        Lane::Reply => "reply",
        Lane::Broadcast => "broadcast",
    }
}

/// One Bot API call of the outbox worker and how it went: sent (`None`),
/// or failed with `"429"` (Telegram asked us to wait), `"transient"` or
/// `"permanent"` (`crate::outbox::observe::failure_kind`).
pub fn record_send(lane: Lane, failure: Option<&'static str>) {
    let lane = ("lane", lane_name(lane).to_string());
    match failure {
        None => count("hotline_telegram_sends_total", vec![lane]),
        Some("429") => count("hotline_telegram_429_total", vec![lane]),
        Some(kind) => count(
            "hotline_telegram_failures_total",
            vec![lane, ("kind", kind.into())],
        ),
    }
}

/// One SMS or voice page sent to the phone gateway, accepted or not.
pub fn record_page(channel: &'static str, accepted: bool) {
    let outcome = if accepted { "accepted" } else { "failed" };
    count(
        "hotline_gateway_pages_total",
        vec![("channel", channel.into()), ("outcome", outcome.into())],
    );
}

/// The escalation engine ran its parts at `now`.
pub fn engine_tick(now: chrono::DateTime<chrono::Utc>) {
    ENGINE_TICK_MS.store(now.timestamp_millis(), Ordering::Relaxed);
}

/// Measures handling one update, from creation to drop:
/// `let _timer = crate::obs::UpdateTimer::start();`.
pub struct UpdateTimer(Instant);

impl UpdateTimer {
    pub fn start() -> UpdateTimer {
        UpdateTimer(Instant::now())
    }
}

impl Drop for UpdateTimer {
    fn drop(&mut self) {
        observe_update(self.0.elapsed().as_secs_f64());
    }
}

fn observe_update(seconds: f64) {
    with(|r| {
        let h = &mut r.update_latency;
        h.buckets.resize(UPDATE_BUCKETS.len(), 0);
        if let Some(i) = UPDATE_BUCKETS.iter().position(|b| seconds <= *b) {
            h.buckets[i] += 1;
        }
        h.sum += seconds;
        h.count += 1;
    });
}

/// Everything counted so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub counters: Vec<(Series, u64)>,
    pub update_latency: Histogram,
    /// Epoch ms of the engine's last tick, if it has ticked in this process.
    pub engine_tick_ms: Option<i64>,
}

pub fn snapshot() -> Snapshot {
    let (counters, mut update_latency) = with(|r| {
        let counters = r.counters.iter().map(|(k, v)| (k.clone(), *v)).collect();
        (counters, r.update_latency.clone())
    });
    update_latency.buckets.resize(UPDATE_BUCKETS.len(), 0);
    let tick = ENGINE_TICK_MS.load(Ordering::Relaxed);
    Snapshot {
        counters,
        update_latency,
        engine_tick_ms: (tick > 0).then_some(tick),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(snapshot: &Snapshot, name: &str, label: &str) -> u64 {
        let found = snapshot
            .counters
            .iter()
            .find(|((n, labels), _)| *n == name && labels.iter().any(|(_, v)| v == label));
        found.map_or(0, |(_, v)| *v)
    }

    #[test]
    fn sends_and_429s_are_counted_by_lane() {
        let before = snapshot();
        record_send(Lane::Broadcast, None);
        record_send(Lane::Broadcast, Some("429"));
        let after = snapshot();
        for name in ["hotline_telegram_sends_total", "hotline_telegram_429_total"] {
            assert!(counted(&after, name, "broadcast") > counted(&before, name, "broadcast"));
        }
    }

    #[test]
    fn update_latency_falls_into_its_bucket() {
        let before = snapshot().update_latency;
        observe_update(0.02);
        let after = snapshot().update_latency;
        assert!(after.count > before.count);
        assert!(after.buckets[2] > before.buckets[2], "0.02 s ≤ 0.025 s");
    }
}
