//! `/metrics` in Prometheus' text format, read from the database (so every
//! instance reports the same totals): reports by category, escalations
//! opened by reason, time to acknowledge (histogram), outbox depth and
//! oldest age by lane and status. Served with the desk.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Desk;
use crate::domain::Lane;
use crate::store::MetricsSnapshot;

/// Histogram buckets for time to acknowledge, in seconds.
const ACK_BUCKETS: [f64; 8] = [60.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0];

pub async fn metrics(State(desk): State<Arc<Desk>>) -> Response {
    match desk.store.metrics_snapshot().await {
        Ok(snapshot) => {
            let mut response = render(&snapshot, desk.now_ms()).into_response();
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
    match Lane::from_i64(lane) {
        Lane::Alert => "alert",
        Lane::Reply => "reply",
        Lane::Broadcast => "broadcast",
    }
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
    for (lane, _, _, oldest) in s.outbox.iter().filter(|o| o.1 == "pending") {
        let age = oldest.map_or(0.0, |at| (now_ms - at).max(0) as f64 / 1000.0);
        let _ = writeln!(
            out,
            "hotline_outbox_oldest_pending_age_seconds{{lane=\"{}\"}} {age}",
            lane_name(*lane)
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
}
