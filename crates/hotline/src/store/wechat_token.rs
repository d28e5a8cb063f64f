//! `wechat_token`: the WeChat account's `access_token`, shared by every
//! instance (WeChat keeps only the latest one valid). One instance claims a
//! refresh for a short lease, fetches, and writes the token; the others
//! read it (`crate::wechat::token`).

use super::Store;
use super::error::{Context, Result};

/// A refresh may be claimed when none is under way and the token is
/// missing, expired, or the one a caller found stale.
const CLAIM: &str = "UPDATE wechat_token SET claimed_until = $2
     WHERE app_id = $1 AND claimed_until <= $3 AND (expires_at <= $3 OR token = $4)";

impl Store {
    /// The account's token while it is valid at `now_ms`.
    pub async fn wechat_token(&self, app_id: &str, now_ms: i64) -> Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT token FROM wechat_token WHERE app_id = $1 AND expires_at > $2 AND token <> ''",
        )
        .bind(app_id)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await
        .context("reading the WeChat access token")
    }

    /// True when this caller won the refresh until `lease_until`; `stale`
    /// is the token the caller saw refused ('' when none).
    pub async fn claim_wechat_refresh(
        &self,
        app_id: &str,
        now_ms: i64,
        lease_until: i64,
        stale: &str,
    ) -> Result<bool> {
        sqlx::query(
            "INSERT INTO wechat_token (app_id, token, expires_at, claimed_until, fetched_at)
             VALUES ($1, '', 0, 0, 0) ON CONFLICT (app_id) DO NOTHING",
        )
        .bind(app_id)
        .execute(&self.pool)
        .await
        .context("making the WeChat token's row")?;
        let claimed = sqlx::query(CLAIM)
            .bind(app_id)
            .bind(lease_until)
            .bind(now_ms)
            .bind(stale)
            .execute(&self.pool)
            .await
            .context("claiming the WeChat token's refresh")?;
        Ok(claimed.rows_affected() == 1)
    }

    /// The fetched token, valid until `expires_at`; the claim ends.
    pub async fn store_wechat_token(
        &self,
        app_id: &str,
        token: &str,
        expires_at: i64,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE wechat_token SET token = $2, expires_at = $3, claimed_until = 0,
             fetched_at = $4 WHERE app_id = $1",
        )
        .bind(app_id)
        .bind(token)
        .bind(expires_at)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .context("storing the WeChat access token")?;
        Ok(())
    }

    /// Ends a claim whose fetch failed, so another may try at once.
    pub async fn release_wechat_refresh(&self, app_id: &str) -> Result<()> {
        sqlx::query("UPDATE wechat_token SET claimed_until = 0 WHERE app_id = $1")
            .bind(app_id)
            .execute(&self.pool)
            .await
            .context("releasing the WeChat token's refresh")?;
        Ok(())
    }
}
