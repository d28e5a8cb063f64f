//! The operator desk's tables: one-time sign-in tokens (`/desk`), browser
//! sessions and the audit trail. Secrets arrive here already hashed: a
//! database dump never holds a usable link or cookie.

use super::error::{Context, Result};
use super::{Store, Tx};
use crate::domain::PersonId;

/// A signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeskSession {
    pub person_id: PersonId,
    pub csrf: String,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub person_id: PersonId,
    pub action: String,
    pub detail: String,
    pub at: i64,
}

impl Tx {
    /// Writes a sign-in token made by `/desk` (with its audit line).
    pub async fn create_desk_token(
        &mut self,
        token_hash: &str,
        person_id: &PersonId,
        now_ms: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO desk_tokens (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(person_id)
        .bind(now_ms)
        .bind(expires_at)
        .execute(&mut *self.inner)
        .await
        .context("writing a desk sign-in token")?;
        self.desk_audit(person_id, "link", "", now_ms).await
    }

    pub async fn desk_audit(
        &mut self,
        person_id: &PersonId,
        action: &str,
        detail: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO desk_audit (person_id, action, detail, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(person_id)
        .bind(action)
        .bind(detail)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("writing the desk audit trail")?;
        Ok(())
    }
}

impl Store {
    /// Uses a sign-in token: the person it was made for, once, before it
    /// expires; None for a used, expired or unknown token. One statement, so
    /// two instances racing on the same link cannot both win.
    pub async fn use_desk_token(&self, token_hash: &str, now_ms: i64) -> Result<Option<PersonId>> {
        sqlx::query_scalar(
            "UPDATE desk_tokens SET used_at = $2
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING person_id",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await
        .context("using a desk sign-in token")
    }

    pub async fn create_desk_session(
        &self,
        id_hash: &str,
        person_id: &PersonId,
        csrf: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO desk_sessions (id_hash, person_id, csrf, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(id_hash)
        .bind(person_id)
        .bind(csrf)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .context("opening a desk session")?;
        self.audit(person_id, "sign_in", "", now_ms).await
    }

    /// The session behind a cookie, if it was used within `idle_ms`; marks it
    /// seen now. An idle session is deleted.
    pub async fn touch_desk_session(
        &self,
        id_hash: &str,
        now_ms: i64,
        idle_ms: i64,
    ) -> Result<Option<DeskSession>> {
        sqlx::query("DELETE FROM desk_sessions WHERE id_hash = $1 AND last_seen_at <= $2")
            .bind(id_hash)
            .bind(now_ms - idle_ms)
            .execute(&self.pool)
            .await
            .context("ending an idle desk session")?;
        sqlx::query_as(
            "UPDATE desk_sessions SET last_seen_at = $2 WHERE id_hash = $1 RETURNING person_id, csrf",
        )
        .bind(id_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await
        .context("reading a desk session")
    }

    pub async fn end_desk_session(
        &self,
        id_hash: &str,
        person_id: &PersonId,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query("DELETE FROM desk_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .context("ending a desk session")?;
        self.audit(person_id, "sign_out", "", now_ms).await
    }

    /// An audit line outside a transaction (sign-in, sign-out, refusals).
    pub async fn audit(
        &self,
        person_id: &PersonId,
        action: &str,
        detail: &str,
        now_ms: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.desk_audit(person_id, action, detail, now_ms).await?;
        tx.commit().await
    }

    /// The newest `limit` lines of the audit trail.
    pub async fn desk_audit_trail(&self, limit: i64) -> Result<Vec<AuditRow>> {
        sqlx::query_as(
            "SELECT person_id, action, detail, at FROM desk_audit ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .context("reading the desk audit trail")
    }
}

impl Store {
    /// Gives a person a new calendar feed secret (the old link stops working).
    pub async fn set_calendar_token(
        &self,
        person_id: &PersonId,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM desk_calendars WHERE person_id = $1")
            .bind(person_id)
            .execute(&mut *tx.inner)
            .await
            .context("replacing a calendar feed secret")?;
        sqlx::query(
            "INSERT INTO desk_calendars (person_id, token_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(person_id)
        .bind(token_hash)
        .bind(now_ms)
        .execute(&mut *tx.inner)
        .await
        .context("writing a calendar feed secret")?;
        tx.desk_audit(person_id, "calendar_link", "", now_ms)
            .await?;
        tx.commit().await
    }

    /// Whose calendar feed a secret opens.
    pub async fn calendar_person(&self, token_hash: &str) -> Result<Option<PersonId>> {
        sqlx::query_scalar("SELECT person_id FROM desk_calendars WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .context("reading a calendar feed secret")
    }
}

impl Tx {
    /// Claims a day's digest; false when it was already sent.
    pub async fn claim_digest(&mut self, day: &str, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO desk_digests (day, sent_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("claiming a day's digest")?;
        Ok(done.rows_affected() == 1)
    }
}
