//! The `staff_away` table: who has stepped away from the line (`/away`,
//! `/back`), so their work goes to the next person present.

use super::Tx;
use super::error::{Context, Result};

impl Tx {
    pub async fn set_away(&mut self, person_id: &str, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO staff_away (person_id, since) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING",
        )
        .bind(person_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("marking a person away")?;
        Ok(())
    }

    /// False when they were not away.
    pub async fn set_back(&mut self, person_id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM staff_away WHERE person_id = $1")
            .bind(person_id)
            .execute(&mut *self.inner)
            .await
            .context("marking a person back")?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn away_people(&mut self) -> Result<Vec<String>> {
        sqlx::query_scalar("SELECT person_id FROM staff_away ORDER BY person_id")
            .fetch_all(&mut *self.inner)
            .await
            .context("listing people away")
    }
}
