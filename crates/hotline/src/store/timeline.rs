//! The `escalation_timeline` table: every step taken on an escalation — what,
//! to whom, when, why — for `/ticket`, Details and the tests.

use super::Tx;
use super::error::{Context, Result};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TimelineRow {
    pub at: i64,
    pub kind: String,
    pub target: String,
    pub detail: String,
}

const TIMELINE: &str =
    "SELECT at, kind, target, detail FROM escalation_timeline WHERE escalation_id = $1 ORDER BY id";

impl Tx {
    pub async fn add_timeline(
        &mut self,
        escalation_id: i64,
        kind: &str,
        target: &str,
        detail: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO escalation_timeline (escalation_id, at, kind, target, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(escalation_id)
        .bind(now_ms)
        .bind(kind)
        .bind(target)
        .bind(detail)
        .execute(&mut *self.inner)
        .await
        .context("writing the escalation timeline")?;
        Ok(())
    }

    pub async fn escalation_timeline(&mut self, escalation_id: i64) -> Result<Vec<TimelineRow>> {
        sqlx::query_as(TIMELINE)
            .bind(escalation_id)
            .fetch_all(&mut *self.inner)
            .await
            .context("reading the escalation timeline")
    }
}

#[cfg(feature = "testkit")]
impl super::Store {
    /// For tests: an escalation's timeline, oldest first.
    pub async fn timeline(&self, escalation_id: i64) -> Result<Vec<TimelineRow>> {
        sqlx::query_as(TIMELINE)
            .bind(escalation_id)
            .fetch_all(&self.pool)
            .await
            .context("reading the escalation timeline")
    }
}
