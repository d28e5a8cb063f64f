//! The `oncall_overrides` table: managers' `/cover` windows.

use super::error::{Context, Result};
use super::{Store, Tx};
use crate::clock::from_millis;
use crate::domain::PersonId;
use crate::oncall::Override;

type OverrideTuple = (i64, PersonId, PersonId, i64, i64, PersonId);

fn to_override(
    (id, person_id, replaces, starts_at, ends_at, created_by): OverrideTuple,
) -> Override {
    Override {
        id,
        person_id,
        replaces,
        starts_at: from_millis(starts_at),
        ends_at: from_millis(ends_at),
        created_by,
    }
}

impl Tx {
    pub async fn add_override(
        &mut self,
        person_id: &PersonId,
        replaces: &PersonId,
        starts_at: i64,
        ends_at: i64,
        by: &PersonId,
        now_ms: i64,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO oncall_overrides (person_id, replaces, starts_at, ends_at, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(person_id)
        .bind(replaces)
        .bind(starts_at)
        .bind(ends_at)
        .bind(by)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("adding an on-call override")
    }

    /// Overrides not yet over at `now_ms` (active or upcoming).
    pub async fn current_overrides(&mut self, now_ms: i64) -> Result<Vec<Override>> {
        let rows: Vec<OverrideTuple> = sqlx::query_as(
            "SELECT id, person_id, replaces, starts_at, ends_at, created_by FROM oncall_overrides
             WHERE removed_at IS NULL AND ends_at > $1 ORDER BY id",
        )
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing on-call overrides")?;
        Ok(rows.into_iter().map(to_override).collect())
    }
}

impl Store {
    /// Overrides not yet over at `now_ms`, for `hotline oncall`.
    pub async fn current_overrides(&self, now_ms: i64) -> Result<Vec<Override>> {
        let mut tx = self.begin().await?;
        let overrides = tx.current_overrides(now_ms).await?;
        tx.commit().await?;
        Ok(overrides)
    }
}
