//! Open311 GeoReport v2 (<https://wiki.open311.org/GeoReport_v2>) for the
//! city's service platform, work-order systems and dashboards: our categories
//! as services, reports as service requests (by ticket number), in JSON or
//! XML. A posted request goes through the same path as a confirmed chat
//! report (compound matching, thresholds, zones, incidents, escalation).
//! Residents' phones, names and chats are never shown.

mod body;
mod errors;
pub mod keys;
mod privacy;
mod submit;
mod views;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::chat::Wakes;
use crate::clock::{Clock, to_millis};
use crate::config::Config;
pub use crate::config::{ConfiguredKey, Open311Config};
use crate::domain::{Lang, Places};
use crate::escalation::Escalator;
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
    limit: keys::RateLimit,
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
            limit: keys::RateLimit::default(),
        }
    }

    fn settings(&self) -> &Open311Config {
        &self.config.open311
    }

    /// The caller's client name ("" without a key). A given key must be
    /// known (403); every caller is rate-limited (anonymous ones together).
    async fn client(&self, key: Option<&str>, required: bool) -> Result<String, ApiError> {
        let client = match key.filter(|k| !k.is_empty()) {
            None if required => return Err(ApiError::forbidden()),
            None => String::new(),
            Some(key) => {
                let hash = crate::secret::digest(key);
                let configured = self.settings().keys.iter().find(|k| k.key_sha256 == hash);
                match configured {
                    Some(k) => k.client.clone(),
                    None => (self.store.open311_client(&hash).await)
                        .map_err(ApiError::internal)?
                        .ok_or_else(ApiError::forbidden)?,
                }
            }
        };
        let now_ms = to_millis(self.clock.now());
        if !self
            .limit
            .allow(&client, now_ms, self.settings().requests_per_minute)
        {
            let status = axum::http::StatusCode::TOO_MANY_REQUESTS;
            return Err(ApiError::new(status, t::ERR_RATE));
        }
        Ok(client)
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
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let (stem, format) = match split(&file) {
        Ok(split) => split,
        Err(e) => return respond(Format::Json, Err(e)),
    };
    let result = match stem {
        "discovery" => Ok(views::discovery(&api, format)),
        "services" => views::services(&api, format, &params).await,
        "requests" => views::requests(&api, format, &params).await,
        _ => Err(ApiError::not_found(t::ERR_NOT_FOUND)),
    };
    respond(format, result)
}

async fn top_post(
    State(api): State<Arc<Open311>>,
    Path(file): Path<String>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let (stem, format) = match split(&file) {
        Ok(split) => split,
        Err(e) => return respond(Format::Json, Err(e)),
    };
    let result = match stem {
        "requests" => submit::post(&api, format, &headers, &body).await,
        _ => Err(ApiError::not_found(t::ERR_NOT_FOUND)),
    };
    respond(format, result)
}

async fn service_get(
    State(api): State<Arc<Open311>>,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    match split(&file) {
        Ok((code, format)) => respond(format, views::service(&api, format, code, &params).await),
        Err(e) => respond(Format::Json, Err(e)),
    }
}

async fn request_get(
    State(api): State<Arc<Open311>>,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    match split(&file) {
        Ok((id, format)) => respond(format, views::request(&api, format, id, &params).await),
        Err(e) => respond(Format::Json, Err(e)),
    }
}

async fn token_get(
    State(api): State<Arc<Open311>>,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    match split(&file) {
        Ok((token, format)) => respond(format, views::token(&api, format, token, &params).await),
        Err(e) => respond(Format::Json, Err(e)),
    }
}
