//! The `settings_reloads` row: `hotline reload` moves its generation, and
//! every instance watching it re-reads its settings (several instances share
//! one database, not one process to signal).

use super::Store;
use super::error::{Context, Result};

/// Moves the generation (the first request creates the row).
pub(super) const REQUEST_RELOAD: &str =
    "INSERT INTO settings_reloads (id, generation, requested_at) VALUES (1, 1, $1)
     ON CONFLICT (id) DO UPDATE SET generation = settings_reloads.generation + 1,
         requested_at = excluded.requested_at
     RETURNING generation";

impl Store {
    /// Asks every instance to re-read its settings; returns the new generation.
    pub async fn request_reload(&self, now_ms: i64) -> Result<i64> {
        sqlx::query_scalar(REQUEST_RELOAD)
            .bind(now_ms)
            .fetch_one(&self.pool)
            .await
            .context("requesting a reload")
    }

    /// The current generation (0 before any request).
    pub async fn reload_generation(&self) -> Result<i64> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT generation FROM settings_reloads WHERE id = 1")
                .fetch_optional(&self.pool)
                .await
                .context("reading the reload generation")?;
        Ok(found.unwrap_or(0))
    }
}
