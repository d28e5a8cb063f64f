//! `[open311]`: the city's API. Defaults and meanings live in
//! `config/default.toml`.

use serde::Deserialize;

/// The Open311 GeoReport v2 API (served by the HTTP server).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open311Config {
    pub enabled: bool,
    /// Where the API is reachable from outside (discovery's `url`); unset:
    /// derived from the request's Host.
    #[serde(deserialize_with = "super::values::opt_url")]
    pub base_url: Option<super::HttpUrl>,
    pub contact: String,
    pub agency_responsible: String,
    /// Calls each client (key, else IP) may make in any 60 seconds.
    pub requests_per_minute: u32,
    /// Posted requests for one address in any hour.
    pub requests_per_address_per_hour: u32,
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
