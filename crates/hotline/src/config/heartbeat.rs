//! `[heartbeat]`: the dead man's switch's settings (the switch is
//! `crate::escalation::heartbeat`).

use std::time::Duration;

use serde::Deserialize;

/// `[heartbeat]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatConfig {
    /// Called with GET; `""`: no heartbeat.
    #[serde(deserialize_with = "super::values::opt_url")]
    pub url: Option<super::HttpUrl>,
    #[serde(with = "humantime_serde")]
    pub every: Duration,
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
}
