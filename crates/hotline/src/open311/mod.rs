//! Open311 GeoReport v2 (<https://wiki.open311.org/GeoReport_v2>) for the
//! city's service platform, work-order systems and dashboards: our categories
//! as services, reports as service requests (by ticket number), in JSON or
//! XML. A posted request goes through the same path as a confirmed chat
//! report (compound matching, thresholds, zones, incidents, escalation).
//! Residents' phones, names and chats are never shown: every public text
//! goes through [`mask_personal`](crate::domain::privacy::mask_personal).

mod body;
mod discovery;
mod errors;
pub mod keys;
mod submit;
mod views;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use crate::chat::Wakes;
use crate::clock::{Clock, to_millis};
use crate::config::Config;
pub use crate::config::{ConfiguredKey, Open311Config};
use crate::domain::{Lang, Places};
use crate::escalation::Escalator;
use crate::http::client::Client;
use crate::shared::Shared;
use crate::store::Store;
use crate::texts::open311 as t;
pub use body::{Format, Node};
pub use errors::ApiError;

/// Where the API is mounted.
pub const PREFIX: &str = "/open311/v2";

type Params = HashMap<String, String>;

/// What the handlers share.
pub struct Open311 {
    store: Store,
    config: Arc<Config>,
    escalator: Arc<Escalator>,
    places: Places,
    clock: Arc<dyn Clock>,
    wakes: Wakes,
    lookups: keys::LookupLimit,
}

impl Open311 {
    pub fn new(shared: &Shared) -> Open311 {
        let s = shared.clone();
        Open311 {
            store: s.store,
            escalator: s.escalator,
            config: s.config,
            places: s.places,
            clock: s.clock,
            wakes: s.wakes,
            lookups: keys::LookupLimit::default(),
        }
    }

    fn settings(&self) -> &Open311Config {
        &self.config.open311
    }

    /// The caller's client name ("" without a key). A given key must be
    /// known (403); a key not in the config is looked up only within the
    /// IP's lookup limit; then the client (its key, else its IP) is counted
    /// against the shared per-minute window.
    async fn client(
        &self,
        key: Option<&str>,
        required: bool,
        ip: &str,
    ) -> Result<String, ApiError> {
        let now_ms = to_millis(self.clock.now());
        let per_minute = self.settings().requests_per_minute;
        let client = match key.filter(|k| !k.is_empty()) {
            None if required => return Err(ApiError::forbidden()),
            None => String::new(),
            Some(key) => {
                let hash = crate::secret::digest(key);
                let configured = self.settings().keys.iter().find(|k| k.key_sha256 == hash);
                match configured {
                    Some(k) => k.client.clone(),
                    None => {
                        if let Some(wait) = self.lookups.allow(ip, now_ms, per_minute) {
                            return Err(ApiError::too_many(wait));
                        }
                        (self.store.open311_client(&hash).await)
                            .map_err(ApiError::internal)?
                            .ok_or_else(ApiError::forbidden)?
                    }
                }
            }
        };
        let bucket = match client.as_str() {
            "" => format!("ip:{ip}"),
            name => format!("client:{name}"),
        };
        self.count(&bucket, now_ms, keys::CLIENT_WINDOW_MS, per_minute)
            .await?;
        Ok(client)
    }

    /// Counts a call in `bucket`'s sliding window; 429 when it is full.
    async fn count(
        &self,
        bucket: &str,
        now_ms: i64,
        window_ms: i64,
        limit: u32,
    ) -> Result<(), ApiError> {
        let refused = self
            .store
            .open311_hit(bucket, now_ms, window_ms, limit)
            .await
            .map_err(ApiError::internal)?;
        match refused {
            Some(wait) => Err(ApiError::too_many(wait)),
            None => Ok(()),
        }
    }

    /// The language of `locale` ("zh_CN", "en-US"), else the city's default.
    fn lang(&self, params: &Params) -> Lang {
        let locale = params.get("locale").map(|l| l.to_ascii_lowercase());
        match locale.as_deref() {
            Some(l) if l.starts_with("en") => Lang::En,
            Some(l) if l.starts_with("zh") => Lang::Zh,
            _ => self.config.general.default_language,
        }
    }
}

/// The API's routes, to be merged into the HTTP server.
pub fn router(api: Arc<Open311>) -> Router {
    Router::new()
        .route(&format!("{PREFIX}/{{file}}"), get(top_get).post(top_post))
        .route(&format!("{PREFIX}/services/{{file}}"), get(service_get))
        .route(&format!("{PREFIX}/requests/{{file}}"), get(request_get))
        .route(&format!("{PREFIX}/tokens/{{file}}"), get(token_get))
        .with_state(api)
}

fn split(file: &str) -> Result<(&str, Format), ApiError> {
    Format::split(file).ok_or_else(|| ApiError::not_found(t::ERR_FORMAT))
}

fn respond(format: Format, result: Result<Response, ApiError>) -> Response {
    use axum::response::IntoResponse;
    match result {
        Ok(response) => response,
        Err(error) => error.in_format(format).into_response(),
    }
}

async fn top_get(
    State(api): State<Arc<Open311>>,
    Client(ip): Client,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let (stem, format) = match split(&file) {
        Ok(split) => split,
        Err(e) => return respond(Format::Json, Err(e)),
    };
    let result = match stem {
        "discovery" => discovery::discovery(&api, format, &headers).await,
        "services" => views::services(&api, format, &params, &ip).await,
        "requests" => views::requests(&api, format, &params, &ip).await,
        _ => Err(ApiError::not_found(t::ERR_NOT_FOUND)),
    };
    respond(format, result)
}

async fn top_post(
    State(api): State<Arc<Open311>>,
    Client(ip): Client,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (stem, format) = match split(&file) {
        Ok(split) => split,
        Err(e) => return respond(Format::Json, Err(e)),
    };
    let result = match stem {
        "requests" => submit::post(&api, format, &headers, &body, &ip).await,
        _ => Err(ApiError::not_found(t::ERR_NOT_FOUND)),
    };
    respond(format, result)
}

async fn service_get(
    State(api): State<Arc<Open311>>,
    Client(ip): Client,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    match split(&file) {
        Ok((code, format)) => respond(
            format,
            views::service(&api, format, code, &params, &ip).await,
        ),
        Err(e) => respond(Format::Json, Err(e)),
    }
}

async fn request_get(
    State(api): State<Arc<Open311>>,
    Client(ip): Client,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    match split(&file) {
        Ok((id, format)) => respond(format, views::request(&api, format, id, &params, &ip).await),
        Err(e) => respond(Format::Json, Err(e)),
    }
}

async fn token_get(
    State(api): State<Arc<Open311>>,
    Client(ip): Client,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    match split(&file) {
        Ok((token, format)) => respond(
            format,
            views::token(&api, format, token, &params, &ip).await,
        ),
        Err(e) => respond(Format::Json, Err(e)),
    }
}
