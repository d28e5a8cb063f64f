//! Paid broadcasts counted against `telegram.paid_broadcast_daily_cap`: the
//! outbox rows marked paid (the `paid` column, set at enqueue).

use super::Tx;
use super::error::{Context, Result};

impl Tx {
    /// Paid messages queued since `since_ms` (a city-local midnight).
    pub async fn paid_sends_since(&mut self, since_ms: i64) -> Result<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE created_at >= $1 AND paid = 1")
                .bind(since_ms)
                .fetch_one(&mut *self.inner)
                .await
                .context("counting today's paid broadcasts")?;
        Ok(n)
    }
}
