//! The account's `access_token`, one for all instances. WeChat keeps only
//! the latest token valid (a second fetch makes the first stale, `40001`),
//! and limits how often it may be fetched, so it is kept in the database:
//! read while valid; when missing, expired or refused (`40001`/`42001`),
//! one instance claims the refresh for a short lease and fetches, the
//! others wait for its token and reuse it.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::api::{Api, ApiError};
use crate::clock::{Clock, to_millis};
use crate::store::Store;

/// How long one instance may hold the refresh before another may try.
const LEASE: Duration = Duration::from_secs(30);
/// A token is renewed this long before WeChat's `expires_in` runs out.
const EARLY: Duration = Duration::from_secs(300);
/// How often a waiting instance looks for the fetched token, and how long.
const LOOK_EVERY: Duration = Duration::from_millis(100);
const WAIT_AT_MOST: Duration = Duration::from_secs(15);

/// Why there is no token to send with.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("database: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("no access token: another instance's refresh has not finished")]
    Waited,
}

pub struct Tokens {
    pub(super) api: Api,
    store: Store,
    clock: Arc<dyn Clock>,
}

impl Tokens {
    pub fn new(api: Api, store: Store, clock: Arc<dyn Clock>) -> Tokens {
        Tokens { api, store, clock }
    }

    /// The time on this instance's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    fn now_ms(&self) -> i64 {
        to_millis(self.clock.now())
    }

    /// A valid token other than `stale` (the one WeChat just refused, if any).
    pub async fn get(&self, stale: Option<&str>) -> Result<String, TokenError> {
        let app_id = self.api.app_id().to_owned();
        let deadline = tokio::time::Instant::now() + WAIT_AT_MOST;
        loop {
            let now_ms = self.now_ms();
            let current = self.store.wechat_token(&app_id, now_ms).await?;
            if let Some(token) = current.filter(|t| Some(t.as_str()) != stale) {
                return Ok(token);
            }
            let lease = now_ms + LEASE.as_millis() as i64;
            let stale = stale.unwrap_or_default();
            if self
                .store
                .claim_wechat_refresh(&app_id, now_ms, lease, stale)
                .await?
            {
                return self.refresh(&app_id).await;
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(TokenError::Waited);
            }
            tokio::time::sleep(LOOK_EVERY).await;
        }
    }

    /// Posts `body` to `path` with the shared token; a token WeChat calls
    /// stale or expired (`40001`/`42001`) is refreshed once and the call made
    /// again.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, TokenError> {
        let token = self.get(None).await?;
        match self.api.post(path, &token, body).await {
            Err(ApiError::Code {
                code: 40001 | 42001,
                ..
            }) => {
                let fresh = self.get(Some(&token)).await?;
                Ok(self.api.post(path, &fresh, body).await?)
            }
            other => Ok(other?),
        }
    }

    /// A resident's photo by its media id (see [`Api::media`]), with the
    /// token refreshed once like [`Tokens::post`].
    pub async fn media(&self, media_id: &str) -> Result<(Vec<u8>, String), TokenError> {
        let token = self.get(None).await?;
        match self.api.media(&token, media_id).await {
            Err(ApiError::Code {
                code: 40001 | 42001,
                ..
            }) => {
                let fresh = self.get(Some(&token)).await?;
                Ok(self.api.media(&fresh, media_id).await?)
            }
            other => Ok(other?),
        }
    }

    /// Fetches a token under this instance's claim and shares it.
    async fn refresh(&self, app_id: &str) -> Result<String, TokenError> {
        match self.api.fetch_token().await {
            Ok((token, lives)) => {
                let now_ms = self.now_ms();
                let usable = lives.saturating_sub(EARLY).max(lives / 2);
                let expires_at = now_ms + usable.as_millis() as i64;
                (self.store)
                    .store_wechat_token(app_id, &token, expires_at, now_ms)
                    .await?;
                tracing::info!(app_id, "WeChat access token refreshed");
                Ok(token)
            }
            Err(error) => {
                tracing::warn!(app_id, %error, "could not fetch a WeChat access token");
                self.store.release_wechat_refresh(app_id).await?;
                Err(error.into())
            }
        }
    }
}
