//! `[retention]`: how long residents' details and delivery records are
//! kept. Defaults and meanings live in `config/default.toml`.

use std::time::Duration;

use serde::Deserialize;

/// How long residents' details and delivery records are kept.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionConfig {
    /// Phones, names and photos of reports resolved longer ago are erased.
    #[serde(with = "humantime_serde")]
    pub contact_after: Duration,
    /// Sent outbox rows and recorded update ids older than this are deleted.
    #[serde(with = "humantime_serde")]
    pub delivery_after: Duration,
    /// Whether `hotline run` purges once a day (on the engine's instance).
    pub daily: bool,
}
