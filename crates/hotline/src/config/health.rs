//! `[health]`: when the running bot counts as stopped, cut off from
//! Telegram or stuck, and where `/healthz` listens on its own (the checks
//! are `crate::health`).

use std::net::SocketAddr;
use std::time::Duration;

use serde::Deserialize;

/// `[health]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthConfig {
    /// Where `/healthz` and `/metrics` are served when neither the desk nor
    /// the webhook runs; `""`: nowhere then.
    #[serde(deserialize_with = "super::values::opt_addr")]
    pub listen: Option<SocketAddr>,
    /// A heartbeat older than this means the bot is not running.
    #[serde(with = "humantime_serde")]
    pub stale_after: Duration,
    /// Telegram unanswered for longer than this is an outage.
    #[serde(with = "humantime_serde")]
    pub telegram_down_after: Duration,
    /// An engine whose last pass is older than this is stuck.
    #[serde(with = "humantime_serde")]
    pub engine_stuck_after: Duration,
}
