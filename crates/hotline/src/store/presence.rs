//! The `staff_away` table: who has stepped away from the line (`/away`,
//! `/back`, or the desk's away form with a window), so their work goes to
//! the next person present. One row per person: a new window replaces the
//! old one; a window counts from `since` until `until` (NULL: until back).

use super::Tx;
use super::error::{Context, Result};
use crate::domain::PersonId;

impl Tx {
    /// Away from `since` until `until` (None: until marked back).
    pub async fn set_away(
        &mut self,
        person_id: &PersonId,
        since: i64,
        until: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO staff_away (person_id, since, away_until) VALUES ($1, $2, $3)
             ON CONFLICT (person_id) DO UPDATE SET since = excluded.since, away_until = excluded.away_until",
        )
        .bind(person_id)
        .bind(since)
        .bind(until)
        .execute(&mut *self.inner)
        .await
        .context("marking a person away")?;
        Ok(())
    }

    /// False when they were not away.
    pub async fn set_back(&mut self, person_id: &PersonId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM staff_away WHERE person_id = $1")
            .bind(person_id)
            .execute(&mut *self.inner)
            .await
            .context("marking a person back")?;
        Ok(done.rows_affected() == 1)
    }

    /// Who is away at `now_ms`.
    pub async fn away_people(&mut self, now_ms: i64) -> Result<Vec<PersonId>> {
        sqlx::query_scalar(
            "SELECT person_id FROM staff_away
             WHERE since <= $1 AND (away_until IS NULL OR away_until > $1) ORDER BY person_id",
        )
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing people away")
    }

    /// Every away window not over at `now_ms`: (person, since, until).
    pub async fn away_windows(&mut self, now_ms: i64) -> Result<Vec<(PersonId, i64, Option<i64>)>> {
        sqlx::query_as(
            "SELECT person_id, since, away_until FROM staff_away
             WHERE away_until IS NULL OR away_until > $1 ORDER BY since, person_id",
        )
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing away windows")
    }
}
