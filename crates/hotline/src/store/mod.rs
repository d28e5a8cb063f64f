//! The only place that speaks SQL. Portable SQL through sqlx's `Any` driver:
//! `$1` placeholders, epoch-millisecond integers for time, no backend-only
//! functions outside this module, so the same queries run on SQLite (the
//! embedded default) and PostgreSQL.

mod ack_links;
mod alerts;
mod calls;
mod console;
mod desk;
mod desk_reads;
mod desk_ticket;
mod dialogues;
mod error;
mod escalation_reports;
mod escalation_row;
mod escalations;
mod group_notices;
mod ids;
mod incidents;
mod intake_load;
mod leader;
mod liveness;
mod notices;
mod open;
mod open311;
mod open311_limits;
mod outbox;
mod overdue;
mod overrides;
mod paging;
mod paid;
mod period_figures;
mod phone;
mod phone_replies;
#[cfg(feature = "testkit")]
mod plans;
mod presence;
mod reach;
mod read_ahead;
mod reloads;
mod reports;
mod retention;
mod search;
mod seen;
mod staff_links;
mod timeline;
mod updates;
mod wechat;
mod wechat_photos;
mod wechat_retention;
mod wechat_token;
mod zones;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use error::Context as _;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor};

pub use crate::domain::{EscalationReason, EscalationStatus};
pub use ack_links::AckLinkRow;
pub use alerts::AlertRow;
pub use console::QueueItem;
pub use desk::{AuditRow, DeskSession};
pub use desk_reads::{MetricsSnapshot, OpenEscalation, ReportTimes};
pub use error::{Result as StoreResult, StoreError};
pub use escalation_row::{EscalationRow, NewEscalation};
pub use incidents::{IncidentUpdate, PlannedOutage};
pub use intake_load::ResidentSeen;
pub use leader::{Leadership, Role as LeaderRole};
pub use liveness::{EscalationGauges, LivenessRow};
pub use open::{create_private, missing_database, sqlite_path};
pub use open311::{Open311Given, PublicReport, RequestFilter};
pub use outbox::{ClaimedMessage, DueRow, LaneMark, Mark, OutboxCounts, SenderLease};
pub use period_figures::PeriodFigures;
pub use phone::PhoneDue;
#[cfg(feature = "testkit")]
pub use plans::hot_queries;
pub use read_ahead::AheadUpdate;
pub use reports::{NewReport, ReportRow};
pub use retention::Purged;
#[cfg(feature = "testkit")]
pub use search::search_statement;
pub use search::{Search, SearchPage, StatusFilter, WORD_WINDOW};
pub use staff_links::InviteRefused;
pub use timeline::{ReportEventRow, TimelineRow};
pub use updates::PollOffset;
pub use wechat_photos::WechatPhoto;
pub use zones::ZoneRow;

/// Updates a resident sent since `$2` (hot: the rate limit, every update).
pub const COUNT_UPDATES_SINCE: &str =
    "SELECT COUNT(*) FROM processed_updates WHERE user_id = $1 AND processed_at >= $2";

/// Which database the URL named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnknownBackend)
        }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time. The process's writers (every
    /// transaction, and the outbox's own write statements) queue here, first
    /// come first served, instead of sleeping in SQLite's busy handler,
    /// which favours whoever happens to retry at the right moment: under a
    /// flood of intake batches the delivery worker's short writes would
    /// otherwise rarely find the lock free. None on PostgreSQL.
    gate: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// How long a writer waits for its turn before it gives up with an error,
/// as SQLite's own busy timeout would.
const GATE_TIMEOUT: Duration = Duration::from_secs(30);

/// A turn at writing to SQLite (see [`Store::write_turn`]).
pub type WriteTurn = Option<tokio::sync::OwnedMutexGuard<()>>;

/// A write transaction. Every handler does its reads and writes in one, so a
/// crash leaves either all of an update's effects or none.
pub struct Tx {
    inner: sqlx::Transaction<'static, Any>,
    backend: Backend,
    /// A batch's reads ahead and writes behind (see `read_ahead`).
    ahead: Option<Box<read_ahead::Ahead>>,
    /// Held until the transaction ends (declared after `inner`, so it is
    /// released only after a dropped transaction has rolled back).
    _turn: WriteTurn,
}

impl Store {
    /// Connects, creating the SQLite file if needed, and applies migrations.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        if let Some(path) = sqlite_path(url).filter(|_| !url.contains("mode=ro")) {
            // 0600 before SQLite creates it (and so its WAL) with the umask's mode.
            create_private(&path)
                .map_err(|e| StoreError::File(format!("creating {}: {e}", path.display())))?;
        }
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url).context("parsing the database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .context("connecting to the database")?;
        let gate = (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
        let store = Store {
            pool,
            backend,
            gate,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await,
            // sqlx takes an advisory lock while migrating, so instances
            // starting together do not apply a migration twice.
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await,
        }
        .context("applying database migrations")
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a read-then-write never fails on a stale snapshot.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let turn = self.write_turn().await?;
        let inner = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .context("starting a transaction")?;
        Ok(Tx {
            inner,
            backend: self.backend,
            ahead: None,
            _turn: turn,
        })
    }

    /// Waits for this process's turn to write to SQLite (nothing on
    /// PostgreSQL); hold it across a write outside a transaction. Never
    /// taken while holding a [`Tx`]: that already has the turn.
    pub async fn write_turn(&self) -> StoreResult<WriteTurn> {
        let Some(gate) = &self.gate else {
            return Ok(None);
        };
        match tokio::time::timeout(GATE_TIMEOUT, gate.clone().lock_owned()).await {
            Ok(turn) => Ok(Some(turn)),
            Err(_) => Err(StoreError::Busy),
        }
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> StoreResult<()> {
        let _: i64 = sqlx::query_scalar("SELECT CAST(1 AS BIGINT)")
            .fetch_one(&self.pool)
            .await
            .context("pinging the database")?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl Tx {
    pub async fn commit(mut self) -> StoreResult<()> {
        self.write_behind().await?;
        self.inner.commit().await.context("committing")
    }

    /// Records that `update_id` was handled. False when it already was: the
    /// caller drops the whole update (a redelivery after a crash).
    pub async fn mark_update(
        &mut self,
        update_id: i64,
        user_id: Option<i64>,
        now_ms: i64,
    ) -> StoreResult<bool> {
        if let Some(fresh) = self.mark_ahead(update_id, user_id) {
            return Ok(fresh);
        }
        if let (Backend::Postgres, Some(user_id)) = (self.backend, user_id) {
            self.lock_resident(user_id).await?;
        }
        let done = sqlx::query(
            "INSERT INTO processed_updates (update_id, user_id, processed_at) VALUES ($1, $2, $3)
             ON CONFLICT (update_id) DO NOTHING",
        )
        .bind(update_id)
        .bind(user_id)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording the update id")?;
        Ok(done.rows_affected() == 1)
    }

    /// PostgreSQL: several instances may receive one resident's updates at
    /// once (webhooks behind a load balancer): this lock, held until commit,
    /// serialises them as SQLite's `BEGIN IMMEDIATE` does, so a dialogue step
    /// is never computed from a stale state. Leader locks use negative keys;
    /// Telegram user ids are positive.
    async fn lock_resident(&mut self, user_id: i64) -> StoreResult<()> {
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
            .bind(user_id)
            .execute(&mut *self.inner)
            .await
            .context("locking the resident's dialogue")?;
        Ok(())
    }

    /// How many updates this user sent since `since_ms` (the rate limit's window).
    pub async fn count_updates_since(&mut self, user_id: i64, since_ms: i64) -> StoreResult<i64> {
        sqlx::query_scalar(COUNT_UPDATES_SINCE)
            .bind(user_id)
            .bind(since_ms)
            .fetch_one(&mut *self.inner)
            .await
            .context("counting the resident's recent updates")
    }
}
