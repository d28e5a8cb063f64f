//! Open311's shared counters: the sliding windows of the rate limits (every
//! instance counts the same calls, so N instances still allow the limit
//! once) and when discovery's `changeset` last moved.

use super::Store;
use super::error::{Context, Result};

/// Calls older than this are deleted whatever their bucket: the longest
/// window any bucket uses.
pub const LONGEST_WINDOW_MS: i64 = 3_600_000;

impl Store {
    /// Counts a call of `bucket` at `now_ms` against `limit` calls per
    /// `window_ms` (a sliding window). `None`: allowed and counted;
    /// `Some(ms)`: refused (not counted), the window has room again after `ms`.
    ///
    /// The call is written first and committed on its own, then the calls
    /// before it are counted: two instances racing for the last place both
    /// see each other, and only the earlier one is allowed.
    pub async fn open311_hit(
        &self,
        bucket: &str,
        now_ms: i64,
        window_ms: i64,
        limit: u32,
    ) -> Result<Option<i64>> {
        sqlx::query("DELETE FROM open311_hits WHERE at <= $1")
            .bind(now_ms - LONGEST_WINDOW_MS)
            .execute(&self.pool)
            .await
            .context("forgetting old Open311 calls")?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO open311_hits (bucket, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(bucket)
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await
        .context("counting an Open311 call")?;
        let before: Vec<i64> = sqlx::query_scalar(
            "SELECT at FROM open311_hits WHERE bucket = $1 AND at > $2 AND id < $3 ORDER BY at",
        )
        .bind(bucket)
        .bind(now_ms - window_ms)
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .context("counting an Open311 call")?;
        let limit = limit as usize;
        if before.len() < limit {
            return Ok(None);
        }
        sqlx::query("DELETE FROM open311_hits WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .context("uncounting a refused Open311 call")?;
        // Room for one more once all but limit-1 of the calls have aged out.
        let freeing = before[before.len() - limit];
        Ok(Some((freeing + window_ms - now_ms).max(1)))
    }

    /// When what discovery describes last changed: `digest` names it; a new
    /// digest moves the time to `now_ms`.
    pub async fn open311_changeset(&self, digest: &str, now_ms: i64) -> Result<i64> {
        let known: Option<(String, i64)> =
            sqlx::query_as("SELECT digest, changed_at FROM open311_changeset WHERE id = 1")
                .fetch_optional(&self.pool)
                .await
                .context("reading the Open311 changeset")?;
        match known {
            Some((d, at)) if d == digest => Ok(at),
            _ => {
                sqlx::query(
                    "INSERT INTO open311_changeset (id, digest, changed_at) VALUES (1, $1, $2)
                     ON CONFLICT (id) DO UPDATE SET digest = $1, changed_at = $2",
                )
                .bind(digest)
                .bind(now_ms)
                .execute(&self.pool)
                .await
                .context("moving the Open311 changeset")?;
                Ok(now_ms)
            }
        }
    }
}
