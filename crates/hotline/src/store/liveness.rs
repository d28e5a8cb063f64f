//! The `liveness` rows: each running instance's heartbeat (issue 25), so
//! `hotline doctor`, `/healthz` and the desk can tell from outside whether
//! the bot runs, reaches Telegram, ticks its engine and took its settings.

use super::Store;
use super::error::{Context, Result};
use crate::domain::Lane;

/// One instance's heartbeat; times are wall-clock epoch ms.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct LivenessRow {
    pub instance: String,
    pub started_at: i64,
    pub beat_at: i64,
    pub stopped_at: Option<i64>,
    pub telegram_ok_at: Option<i64>,
    pub telegram_failing_since: Option<i64>,
    pub engine_tick_at: Option<i64>,
    pub reload_at: Option<i64>,
    /// 1: the last reload was taken; 0: refused.
    pub reload_ok: Option<i64>,
    pub reload_error: Option<String>,
}

impl LivenessRow {
    /// Whether the last reload was refused.
    pub fn reload_refused(&self) -> bool {
        self.reload_ok == Some(0)
    }
}

const WRITE: &str = "INSERT INTO liveness (instance, started_at, beat_at, stopped_at,
        telegram_ok_at, telegram_failing_since, engine_tick_at, reload_at, reload_ok, reload_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (instance) DO UPDATE SET started_at = excluded.started_at,
        beat_at = excluded.beat_at, stopped_at = excluded.stopped_at,
        telegram_ok_at = excluded.telegram_ok_at,
        telegram_failing_since = excluded.telegram_failing_since,
        engine_tick_at = excluded.engine_tick_at, reload_at = excluded.reload_at,
        reload_ok = excluded.reload_ok, reload_error = excluded.reload_error";

impl Store {
    /// Writes this instance's heartbeat (creating its row the first time).
    pub async fn write_liveness(&self, row: &LivenessRow) -> Result<()> {
        let _turn = self.write_turn().await?;
        sqlx::query(WRITE)
            .bind(&row.instance)
            .bind(row.started_at)
            .bind(row.beat_at)
            .bind(row.stopped_at)
            .bind(row.telegram_ok_at)
            .bind(row.telegram_failing_since)
            .bind(row.engine_tick_at)
            .bind(row.reload_at)
            .bind(row.reload_ok)
            .bind(row.reload_error.as_deref())
            .execute(&self.pool)
            .await
            .context("writing the heartbeat")?;
        Ok(())
    }

    /// Every instance's heartbeat, the freshest first.
    pub async fn liveness(&self) -> Result<Vec<LivenessRow>> {
        sqlx::query_as(
            "SELECT instance, started_at, beat_at, stopped_at, telegram_ok_at,
                    telegram_failing_since, engine_tick_at, reload_at, reload_ok, reload_error
             FROM liveness ORDER BY beat_at DESC, instance",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading the heartbeats")
    }

    /// Forgets instances whose last beat is older than `before_ms` (gone for good).
    pub async fn forget_liveness_before(&self, before_ms: i64) -> Result<()> {
        let _turn = self.write_turn().await?;
        sqlx::query("DELETE FROM liveness WHERE beat_at < $1")
            .bind(before_ms)
            .execute(&self.pool)
            .await
            .context("forgetting old heartbeats")?;
        Ok(())
    }

    /// For each lane with messages due by `now_ms` and not yet sent: when
    /// its oldest one fell due (epoch ms).
    pub async fn outbox_oldest_due_by_lane(&self, now_ms: i64) -> Result<Vec<(Lane, i64)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT lane, MIN(next_attempt_at) FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= $1 GROUP BY lane ORDER BY lane",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .context("reading the outbox's oldest due message per lane")?;
        Ok(rows
            .into_iter()
            .map(|(lane, at)| (Lane::from_i64(lane), at))
            .collect())
    }
}

/// Escalations as an on-call alert sees them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EscalationGauges {
    /// Not resolved yet (open or acknowledged).
    pub open: i64,
    /// Still paging: nobody has acknowledged them.
    pub unacknowledged: i64,
    /// When the oldest unacknowledged one opened (epoch ms).
    pub oldest_unacknowledged_at: Option<i64>,
}

impl Store {
    pub async fn escalation_gauges(&self) -> Result<EscalationGauges> {
        let (open, unacknowledged, oldest): (i64, i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0),
                    MIN(CASE WHEN status = 'open' THEN opened_at END)
             FROM escalations WHERE status IN ('open', 'acknowledged')",
        )
        .fetch_one(&self.pool)
        .await
        .context("counting open escalations for /metrics")?;
        Ok(EscalationGauges {
            open,
            unacknowledged,
            oldest_unacknowledged_at: oldest,
        })
    }
}
