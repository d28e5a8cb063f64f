//! The dead man's switch: the engine calls `heartbeat.url` every
//! `heartbeat.every` while all its parts work, so a service such as
//! Healthchecks tells an operator when the bot itself is down — the one
//! failure the bot cannot page about. Time is the engine's clock.

use std::sync::Mutex;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

pub use crate::config::HeartbeatConfig;

/// Calls the URL when a beat is due.
pub struct Heartbeat {
    client: reqwest::Client,
    url: String,
    every: chrono::Duration,
    last: Mutex<Option<DateTime<Utc>>>,
}

impl Heartbeat {
    /// `None` when no URL is configured.
    pub fn from_config(cfg: &HeartbeatConfig) -> anyhow::Result<Option<Heartbeat>> {
        let Some(url) = &cfg.url else {
            return Ok(None);
        };
        let client = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .build()
            .context("building the heartbeat HTTP client")?;
        Ok(Some(Heartbeat {
            client,
            url: url.as_str().to_owned(),
            every: chrono::Duration::from_std(cfg.every).context("heartbeat.every")?,
            last: Mutex::new(None),
        }))
    }

    /// Calls the URL if `every` has passed since the last successful beat
    /// (at once on the first pass). A failed call is tried on the next pass.
    pub async fn beat(&self, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let last = *self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|last| now - last < self.every) {
            return Ok(false);
        }
        let response = self
            .client
            .get(&self.url)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("heartbeat call failed: {}", e.without_url()))?;
        anyhow::ensure!(
            response.status().is_success(),
            "heartbeat URL answered {}",
            response.status()
        );
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
        Ok(true)
    }
}
