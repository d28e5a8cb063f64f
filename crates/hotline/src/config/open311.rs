//! `[open311]`: the city's API. Defaults and meanings live in
//! `config/default.toml`.

use serde::Deserialize;

/// The Open311 GeoReport v2 API (served by the HTTP server).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open311Config {
    pub enabled: bool,
    /// Where the API is reachable from outside (discovery's `url`); `""`:
    /// none given.
    #[serde(deserialize_with = "super::values::opt_url")]
    pub base_url: Option<super::HttpUrl>,
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
