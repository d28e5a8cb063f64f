//! Staff who link their Telegram account themselves: one-time invites
//! (`hotline staff invite`) and the links made by opening them.

use super::error::{Context, Result};
use super::{Store, Tx};
use crate::domain::PersonId;

/// Why an invite was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteRefused {
    Unknown,
    Used,
    Expired,
}

impl Store {
    /// Stores a new invite for `person_id`, valid until `expires_at`.
    pub async fn create_staff_invite(
        &self,
        token_hash: &str,
        person_id: &PersonId,
        now_ms: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO staff_invites (token_hash, person_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(person_id)
        .bind(now_ms)
        .bind(expires_at)
        .execute(&self.pool)
        .await
        .context("storing a staff invite")?;
        Ok(())
    }

    /// Every linked account, as (person id, Telegram id).
    pub async fn staff_links(&self) -> Result<Vec<(PersonId, i64)>> {
        sqlx::query_as("SELECT person_id, telegram_id FROM staff_links ORDER BY person_id")
            .fetch_all(&self.pool)
            .await
            .context("reading linked staff accounts")
    }
}

impl Tx {
    /// Takes the invite once: marks it used by `telegram_id` and links that
    /// account to its person (replacing an earlier link). Returns the person.
    pub async fn redeem_staff_invite(
        &mut self,
        token_hash: &str,
        telegram_id: i64,
        now_ms: i64,
    ) -> Result<std::result::Result<PersonId, InviteRefused>> {
        let found: Option<(PersonId, i64, Option<i64>)> = sqlx::query_as(
            "SELECT person_id, expires_at, used_at FROM staff_invites WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *self.inner)
        .await
        .context("reading a staff invite")?;
        let person_id = match found {
            None => return Ok(Err(InviteRefused::Unknown)),
            Some((_, _, Some(_))) => return Ok(Err(InviteRefused::Used)),
            Some((_, expires_at, None)) if expires_at <= now_ms => {
                return Ok(Err(InviteRefused::Expired));
            }
            Some((person_id, _, None)) => person_id,
        };
        // The condition on used_at keeps a concurrent second use out.
        let taken = sqlx::query(
            "UPDATE staff_invites SET used_at = $1, used_by = $2
             WHERE token_hash = $3 AND used_at IS NULL",
        )
        .bind(now_ms)
        .bind(telegram_id)
        .bind(token_hash)
        .execute(&mut *self.inner)
        .await
        .context("using a staff invite")?;
        if taken.rows_affected() != 1 {
            return Ok(Err(InviteRefused::Used));
        }
        sqlx::query(
            "INSERT INTO staff_links (person_id, telegram_id, linked_at) VALUES ($1, $2, $3)
             ON CONFLICT (person_id) DO UPDATE SET telegram_id = excluded.telegram_id,
                 linked_at = excluded.linked_at",
        )
        .bind(&person_id)
        .bind(telegram_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("linking a staff account")?;
        Ok(Ok(person_id))
    }

    /// Asks every instance to re-read its settings (as `hotline reload`
    /// does), inside this transaction.
    pub async fn request_reload_in_tx(&mut self, now_ms: i64) -> Result<i64> {
        sqlx::query_scalar(super::reloads::REQUEST_RELOAD)
            .bind(now_ms)
            .fetch_one(&mut *self.inner)
            .await
            .context("requesting a reload")
    }
}
