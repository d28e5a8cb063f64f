//! The managers' view: how long each escalation's alert took from the commit
//! of the report that opened it to a manager's chat.
//!
//! Start: the escalation's `opened_at` in the database (the bot's wall clock
//! as it handled the report, so the wait for SQLite's write lock and the
//! commit are inside). End: the moment the stand-in received the `send…` call
//! that produced the alert's Telegram message (its wall clock; same machine).
//! The message is found by its id, not by its wording: the database says which
//! outbox row carried which escalation and which Telegram message id it got;
//! in a manager's chat the k-th successful `send…` made the k-th message shown.
//! So bundles, summaries and re-worded alerts are all measured the same way.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::report::Figures;
use super::run::Harness;
use super::stats::{Sample, dist};
use crate::reads::AlertDelivery;
use hotline_standin::{Call, StandIn};

/// One escalation's alert, measured.
#[derive(Debug, Clone)]
pub struct AlertLatency {
    pub reason: String,
    pub sample: Sample,
    /// The chat the first delivered alert went to.
    pub chat_id: Option<i64>,
}

/// Latencies of every escalation in `deliveries` (one row per alert message),
/// with `stopped` as the bound for alerts never sent.
pub fn alert_latencies(
    deliveries: &[AlertDelivery],
    standin: &StandIn,
    calls: &[Call],
    stopped: SystemTime,
) -> Vec<AlertLatency> {
    let arrivals = arrivals(deliveries, standin, calls);
    let mut by_escalation: BTreeMap<i64, Vec<&AlertDelivery>> = BTreeMap::new();
    for d in deliveries {
        by_escalation.entry(d.escalation_id).or_default().push(d);
    }
    by_escalation
        .into_values()
        .map(|alerts| {
            let first = alerts[0];
            let delivered = alerts
                .iter()
                .filter_map(|a| {
                    let key = (a.chat_id?, a.telegram_message_id?);
                    arrivals.get(&key).map(|at| (*at, key.0))
                })
                .min();
            let sample = match delivered {
                Some((at, _)) => Sample::Sent(since(first.opened_at, at)),
                None => Sample::NotSent {
                    waited: since(first.opened_at, epoch_ms(stopped)),
                },
            };
            AlertLatency {
                reason: first.reason.clone(),
                sample,
                chat_id: delivered.map(|(_, chat)| chat),
            }
        })
        .collect()
}

/// (chat, Telegram message id) → when the stand-in received the call that
/// created it (epoch ms), for the chats alerts went to.
fn arrivals(
    deliveries: &[AlertDelivery],
    standin: &StandIn,
    calls: &[Call],
) -> HashMap<(i64, i64), i64> {
    let mut chats: Vec<i64> = deliveries.iter().filter_map(|d| d.chat_id).collect();
    chats.sort_unstable();
    chats.dedup();
    let mut out = HashMap::new();
    for chat in chats {
        let sends = calls
            .iter()
            .filter(|c| c.ok && creates_message(c) && chat_id(c) == Some(chat));
        for (call, shown) in sends.zip(standin.shown(chat)) {
            out.insert((chat, i64::from(shown.message_id)), epoch_ms(call.wall));
        }
    }
    out
}

/// Every escalation opened so far has an alert that was sent (by the database).
pub async fn all_alerts_sent(h: &Harness, since: i64) -> anyhow::Result<bool> {
    let deliveries = h.observer.alert_deliveries(since).await?;
    let mut sent: BTreeMap<i64, bool> = BTreeMap::new();
    for d in &deliveries {
        *sent.entry(d.escalation_id).or_default() |= d.telegram_message_id.is_some();
    }
    Ok(!sent.is_empty() && sent.values().all(|s| *s))
}

pub fn add_alert_rows(
    f: &mut Figures,
    latencies: &[AlertLatency],
    expected: &BTreeMap<&'static str, usize>,
    people: &[(i64, String)],
) {
    let mut by_reason: BTreeMap<&str, Vec<Sample>> = BTreeMap::new();
    for l in latencies {
        by_reason.entry(&l.reason).or_default().push(l.sample);
    }
    let counts = |m: &dyn Fn(&str) -> usize| {
        ["threshold", "urgent", "zone"]
            .iter()
            .map(|r| format!("{r} {}", m(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    f.add(
        "escalations",
        format!(
            "{} opened ({}); provoked {} ({})",
            latencies.len(),
            counts(&|r| by_reason.get(r).map_or(0, Vec::len)),
            expected.values().sum::<usize>(),
            counts(&|r| expected.get(r).copied().unwrap_or(0))
        ),
    );
    let mut to: BTreeMap<&str, usize> = BTreeMap::new();
    for l in latencies {
        if let Some(chat) = l.chat_id {
            let name = people
                .iter()
                .find(|(id, _)| *id == chat)
                .map_or("?", |(_, n)| n.as_str());
            *to.entry(name).or_default() += 1;
        }
    }
    let sent = latencies
        .iter()
        .filter(|l| l.sample.sent().is_some())
        .count();
    f.add(
        "alerts delivered",
        format!(
            "{sent} of {} (first alert to: {})",
            latencies.len(),
            to.iter()
                .map(|(name, n)| format!("{name} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let all: Vec<Sample> = latencies.iter().map(|l| l.sample).collect();
    f.add("alert latency", dist(&all));
    for (reason, samples) in &by_reason {
        f.add(&format!("  {reason}"), dist(samples));
    }
}

/// A call that puts a new message into a chat.
pub fn creates_message(call: &Call) -> bool {
    matches!(
        call.method.as_str(),
        "sendmessage" | "sendphoto" | "senddocument"
    )
}

/// A call that counts against Telegram's message limits.
pub fn is_message(call: &Call) -> bool {
    creates_message(call) || call.method.starts_with("editmessage")
}

fn since(from_ms: i64, to_ms: i64) -> Duration {
    Duration::from_millis((to_ms - from_ms).max(0) as u64)
}

/// The call's `chat_id` parameter (a number in JSON bodies, a string in forms).
pub fn chat_id(call: &Call) -> Option<i64> {
    match &call.body["chat_id"] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub fn epoch_ms(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
