//! `/metrics` in Prometheus' text format. Read from the database (so every
//! instance reports the same totals): reports by category, escalations
//! opened by reason, time to acknowledge (histogram), outbox depth and
//! oldest age by lane and status. Counted by this process (`crate::obs`):
//! Telegram sends, 429s and failures by lane, gateway pages, the engine's
//! tick age and update handling latency (histogram). Served with the desk.
//!
//! Our own renderer rather than `metrics-exporter-prometheus`: half of the
//! series are database totals computed per scrape (gauges the exporter
//! would need re-set on every scrape), the rest are a handful of counters
//! and one histogram, and the exporter would add a hyper server stack and
//! its compile time for a page axum already serves.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Desk;
use crate::domain::Lane;
use crate::obs;
use crate::store::MetricsSnapshot;

/// Histogram buckets for time to acknowledge, in seconds.
const ACK_BUCKETS: [f64; 8] = [60.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0];

pub async fn metrics(State(desk): State<Arc<Desk>>) -> Response {
    match desk.store.metrics_snapshot().await {
        Ok(snapshot) => {
            let now_ms = desk.now_ms();
            let mut text = render(&snapshot, now_ms);
            text.push_str(&render_process(&crate::obs::snapshot(), now_ms));
            // Liveness, escalations still paging, reloads, build (issue 25).
            match crate::health::metrics::render(&desk.store, now_ms).await {
                Ok(more) => text.push_str(&more),
                Err(error) => tracing::error!(error = format!("{error:#}"), "/metrics"),
            }
            let mut response = text.into_response();
            response.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            response
        }
        Err(error) => {
            tracing::error!(%error, "/metrics failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn lane_name(lane: i64) -> &'static str {
    obs::lane_name(Lane::from_i64(lane))
}

/// The exposition text (pure, for tests).
pub fn render(s: &MetricsSnapshot, now_ms: i64) -> String {
    let mut out = String::new();
    out.push_str("# HELP hotline_reports_total Reports filed, by category.\n# TYPE hotline_reports_total counter\n");
    for (category, n) in &s.reports_by_category {
        let _ = writeln!(out, "hotline_reports_total{{category=\"{category}\"}} {n}");
    }
    out.push_str("# HELP hotline_escalations_opened_total Escalations opened, by reason.\n# TYPE hotline_escalations_opened_total counter\n");
    for (reason, n) in &s.escalations_by_reason {
        let _ = writeln!(
            out,
            "hotline_escalations_opened_total{{reason=\"{reason}\"}} {n}"
        );
    }
    out.push_str("# HELP hotline_outbox_messages Outbox messages, by lane and status.\n# TYPE hotline_outbox_messages gauge\n");
    for (lane, status, n, _) in &s.outbox {
        let _ = writeln!(
            out,
            "hotline_outbox_messages{{lane=\"{}\",status=\"{status}\"}} {n}",
            lane_name(*lane)
        );
    }
    out.push_str("# HELP hotline_outbox_oldest_pending_age_seconds Age of the oldest pending message, by lane.\n# TYPE hotline_outbox_oldest_pending_age_seconds gauge\n");
    // Every lane, 0 when nothing waits in it.
    for lane in [Lane::Alert, Lane::Reply, Lane::Broadcast] {
        let pending = s
            .outbox
            .iter()
            .find(|o| o.0 == lane as i64 && o.1 == "pending");
        let oldest = pending.and_then(|o| o.3);
        let age = oldest.map_or(0.0, |at| (now_ms - at).max(0) as f64 / 1000.0);
        let _ = writeln!(
            out,
            "hotline_outbox_oldest_pending_age_seconds{{lane=\"{}\"}} {age}",
            obs::lane_name(lane)
        );
    }
    out.push_str("# HELP hotline_time_to_acknowledge_seconds From an escalation's opening to its acknowledgement.\n# TYPE hotline_time_to_acknowledge_seconds histogram\n");
    let seconds: Vec<f64> = s.ack_ms.iter().map(|ms| *ms as f64 / 1000.0).collect();
    for bound in ACK_BUCKETS {
        let n = seconds.iter().filter(|v| **v <= bound).count();
        let _ = writeln!(
            out,
            "hotline_time_to_acknowledge_seconds_bucket{{le=\"{bound}\"}} {n}"
        );
    }
    let _ = writeln!(
        out,
        "hotline_time_to_acknowledge_seconds_bucket{{le=\"+Inf\"}} {}",
        seconds.len()
    );
    let _ = writeln!(
        out,
        "hotline_time_to_acknowledge_seconds_sum {}",
        seconds.iter().sum::<f64>()
    );
    let _ = writeln!(
        out,
        "hotline_time_to_acknowledge_seconds_count {}",
        seconds.len()
    );
    out
}

/// What `crate::obs` counted, with HELP and TYPE lines (pure, for tests).
pub fn render_process(s: &obs::Snapshot, now_ms: i64) -> String {
    let mut counters: BTreeMap<&str, Vec<(String, u64)>> = BTreeMap::new();
    // Every lane's sends and 429s appear from the start, at 0 until counted.
    for name in ["hotline_telegram_sends_total", "hotline_telegram_429_total"] {
        for lane in [Lane::Alert, Lane::Reply, Lane::Broadcast] {
            let labels = format!("lane=\"{}\"", obs::lane_name(lane));
            counters.entry(name).or_default().push((labels, 0));
        }
    }
    for ((name, labels), n) in &s.counters {
        let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        let labels = labels.join(",");
        let series = counters.entry(name).or_default();
        match series.iter_mut().find(|(l, _)| *l == labels) {
            Some(found) => found.1 = *n,
            None => series.push((labels, *n)),
        }
    }
    let mut out = String::new();
    for (name, series) in &counters {
        let help = HELP.iter().find(|(n, _)| n == name).map_or("", |(_, h)| h);
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
        for (labels, n) in series {
            let _ = writeln!(out, "{name}{{{labels}}} {n}");
        }
    }
    if let Some(tick) = s.engine_tick_ms {
        out.push_str("# HELP hotline_engine_tick_age_seconds Since the escalation engine last ran (this instance).\n# TYPE hotline_engine_tick_age_seconds gauge\n");
        let age = (now_ms - tick).max(0) as f64 / 1000.0;
        let _ = writeln!(out, "hotline_engine_tick_age_seconds {age}");
    }
    let name = "hotline_update_handling_seconds";
    let _ = writeln!(
        out,
        "# HELP {name} From taking an update to committing its answer.\n# TYPE {name} histogram"
    );
    let h = &s.update_latency;
    let mut cumulative = 0;
    for (bound, n) in obs::UPDATE_BUCKETS.iter().zip(&h.buckets) {
        cumulative += n;
        let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
    }
    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", h.count);
    let _ = writeln!(out, "{name}_sum {}\n{name}_count {}", h.sum, h.count);
    out
}

const HELP: [(&str, &str); 4] = [
    (
        "hotline_telegram_sends_total",
        "Bot API calls that succeeded, by lane.",
    ),
    (
        "hotline_telegram_429_total",
        "Bot API calls answered 429 Too Many Requests, by lane.",
    ),
    (
        "hotline_telegram_failures_total",
        "Bot API calls that failed otherwise, by lane and kind.",
    ),
    (
        "hotline_gateway_pages_total",
        "SMS and voice pages sent to the phone gateway.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_has_counters_gauges_and_a_histogram() {
        let snapshot = MetricsSnapshot {
            reports_by_category: vec![("outage".into(), 5)],
            escalations_by_reason: vec![("threshold".into(), 1)],
            outbox: vec![(0, "pending".into(), 2, Some(1_000))],
            ack_ms: vec![30_000, 700_000],
        };
        let text = render(&snapshot, 11_000);
        assert!(text.contains("hotline_reports_total{category=\"outage\"} 5"));
        assert!(text.contains("hotline_outbox_oldest_pending_age_seconds{lane=\"alert\"} 10"));
        assert!(text.contains("hotline_time_to_acknowledge_seconds_bucket{le=\"60\"} 1"));
        assert!(text.contains("hotline_time_to_acknowledge_seconds_count 2"));
    }

    #[test]
    fn process_counters_start_at_zero_and_the_histogram_is_cumulative() {
        let snapshot = obs::Snapshot {
            counters: vec![(
                ("hotline_telegram_429_total", vec![("lane", "reply".into())]),
                2,
            )],
            update_latency: obs::Histogram {
                buckets: vec![1, 0, 2, 0, 0, 0, 0, 0, 0],
                sum: 0.05,
                count: 3,
            },
            engine_tick_ms: Some(1_000),
        };
        let text = render_process(&snapshot, 3_500);
        assert!(text.contains("hotline_telegram_sends_total{lane=\"alert\"} 0"));
        assert!(text.contains("hotline_telegram_429_total{lane=\"reply\"} 2"));
        assert_eq!(text.matches("hotline_telegram_429_total{").count(), 3);
        assert!(text.contains("hotline_engine_tick_age_seconds 2.5"));
        assert!(text.contains("hotline_update_handling_seconds_bucket{le=\"0.025\"} 3"));
        assert!(text.contains("hotline_update_handling_seconds_count 3"));
    }
}
