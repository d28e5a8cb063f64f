//! Paid broadcasts counted against `telegram.paid_broadcast_daily_cap`: the
//! outbox rows marked paid (their stored form carries `"paid":true`, which
//! no text can, since quotes inside a text are escaped).

use super::Tx;
use super::error::{Context, Result};

/// Matches the stored form of a paid send (no `_` or `%` of its own).
pub(super) const PAID_PAYLOAD: &str = "%\"paid\":true%";

impl Tx {
    /// Paid messages queued since `since_ms` (a city-local midnight).
    pub async fn paid_sends_since(&mut self, since_ms: i64) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM outbox WHERE created_at >= $1 AND payload LIKE $2",
        )
        .bind(since_ms)
        .bind(PAID_PAYLOAD)
        .fetch_one(&mut *self.inner)
        .await
        .context("counting today's paid broadcasts")?;
        Ok(n)
    }
}
