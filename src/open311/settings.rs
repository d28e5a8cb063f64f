//! `[open311]` and `[retention]`: the city's API and how long residents'
//! details are kept. Defaults and meanings live in `config/default.toml`.

use std::time::Duration;

use serde::Deserialize;

/// The Open311 GeoReport v2 API (served by the HTTP server).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open311Config {
    pub enabled: bool,
    /// Where the API is reachable from outside (discovery's `url`).
    pub base_url: String,
    pub contact: String,
    pub agency_responsible: String,
    /// Requests each key may make per minute (GET and POST together).
    pub requests_per_minute: u32,
    /// The most requests `GET requests.json` answers at once.
    pub page_size: u32,
    /// Longest accepted `description`; a longer one is refused with 400.
    pub max_description_chars: usize,
    /// Keys given in config, as SHA-256 hex of the key (never the key itself).
    #[serde(default)]
    pub keys: Vec<ConfiguredKey>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfiguredKey {
    pub client: String,
    pub key_sha256: String,
}

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
