//! Which rows are due, claiming them in one statement, and giving back the
//! rows of a worker that died while sending them.
//!
//! Every worker has an id of its own (random, per process) and writes it into
//! the rows it claims (`claimed_by`). On SQLite there is one instance: rows
//! found `sending` at start belong to a dead process and are released at once.
//! On PostgreSQL each worker holds a session advisory lock named by its id on a
//! connection of its own (as leaders do, see `store::leader`): the lock lives
//! exactly as long as the process, so a free lock means a dead owner, and the
//! sweep releases that owner's rows as soon as it sees the lock free. The
//! same locks count the live workers, which share Telegram's budget.

use anyhow::Context;
use sqlx::{AnyConnection, Connection};

use super::ClaimedMessage;
use crate::domain::Lane;
use crate::store::{Backend, Store};

/// The first key of the workers' advisory locks (two-key form, a key space
/// apart from the one-key locks of leaders and residents' transactions).
const SENDER_LOCK_CLASS: i64 = 0x686f74;

/// A due row: the oldest unsent row of its chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRow {
    pub id: i64,
    pub chat_id: i64,
    pub lane: Lane,
}

impl Store {
    /// A pool of `connections` of its own on the same database, for a task
    /// whose writes must not queue behind other work's (the delivery worker
    /// behind intake's write transactions). Connections open on first use.
    pub fn dedicated(&self, connections: u32) -> Store {
        let options = self
            .pool
            .options()
            .clone()
            .max_connections(connections.max(1));
        let connect = (*self.pool.connect_options()).clone();
        Store {
            pool: options.connect_lazy_with(connect),
            backend: self.backend,
        }
    }

    /// Due rows, each the oldest unsent row of its chat (a chat's messages
    /// keep their order), most urgent lane first and within a lane every
    /// chat's first waiting message before any chat's second (round-robin by
    /// `turn`), or plain first-in-first-out when `by_lane` is false (kept for
    /// the benchmark's comparison). A row
    /// deliberately held for later (quiet hours, a bundle window) and never
    /// tried does not hold its chat back, nor does one that failed
    /// `hold_attempts` times already: one bad row never freezes a chat.
    pub async fn outbox_due(
        &self,
        now_ms: i64,
        limit: i64,
        by_lane: bool,
        hold_attempts: i64,
    ) -> anyhow::Result<Vec<DueRow>> {
        let sql = if by_lane {
            "SELECT o.id, o.chat_id, o.lane FROM outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= $1
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id AND e.id < o.id
                               AND (e.status = 'sending'
                                    OR (e.status = 'pending'
                                        AND ((e.attempts > 0 AND e.attempts < $3) OR e.next_attempt_at <= $1))))
             ORDER BY o.lane, o.turn, o.id LIMIT $2"
        } else {
            "SELECT o.id, o.chat_id, o.lane FROM outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= $1
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id AND e.id < o.id
                               AND (e.status = 'sending'
                                    OR (e.status = 'pending'
                                        AND ((e.attempts > 0 AND e.attempts < $3) OR e.next_attempt_at <= $1))))
             ORDER BY o.id LIMIT $2"
        };
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(sql)
            .bind(now_ms)
            .bind(limit)
            .bind(hold_attempts)
            .fetch_all(&self.pool)
            .await
            .context("listing due outbox rows")?;
        Ok(rows
            .into_iter()
            .map(|(id, chat_id, lane)| DueRow {
                id,
                chat_id,
                lane: Lane::from_i64(lane),
            })
            .collect())
    }

    /// Claims the rows `ids` for worker `sender` in one statement; returns
    /// those it got (another instance may have taken some first).
    pub async fn outbox_claim(
        &self,
        ids: &[i64],
        sender: i64,
        now_ms: i64,
    ) -> anyhow::Result<Vec<ClaimedMessage>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (3..ids.len() + 3).map(|i| format!("${i}")).collect();
        let marks = marks.join(", ");
        // On PostgreSQL several instances' workers race for the same rows:
        // `FOR UPDATE SKIP LOCKED` lets one take a row and the others pass it
        // by at once instead of queueing behind its lock. On SQLite the one
        // writer makes the plain conditional update enough.
        let rows = match self.backend {
            Backend::Postgres => format!(
                "id IN (SELECT id FROM outbox WHERE id IN ({marks}) AND status = 'pending'
                        FOR UPDATE SKIP LOCKED)"
            ),
            Backend::Sqlite => format!("id IN ({marks}) AND status = 'pending'"),
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE outbox SET status = 'sending', claimed_at = $1, claimed_by = $2,
                    attempts = attempts + 1
             WHERE {rows}
             RETURNING id, lane, chat_id, payload, attempts, created_at, parts_sent"
        ));
        let mut query = sqlx::query_as(sql).bind(now_ms).bind(sender);
        for id in ids {
            query = query.bind(*id);
        }
        let rows: Vec<(i64, i64, i64, String, i64, i64, i64)> = query
            .fetch_all(&self.pool)
            .await
            .context("claiming outbox rows")?;
        let mut claimed: Vec<ClaimedMessage> = rows
            .into_iter()
            .map(
                |(id, lane, chat_id, payload, attempts, created_at, parts_sent)| {
                    let message =
                        serde_json::from_str(&payload).context("reading an outbox payload")?;
                    Ok(ClaimedMessage {
                        id,
                        lane: Lane::from_i64(lane),
                        chat_id,
                        message,
                        attempts,
                        created_at,
                        parts_sent,
                    })
                },
            )
            .collect::<anyhow::Result<_>>()?;
        claimed.sort_by_key(|c| (c.lane, c.id));
        Ok(claimed)
    }

    /// Rows left `sending` by a worker that recorded no owner (before owners
    /// were recorded) and claimed before `claimed_before_ms` are sent again.
    pub async fn outbox_release_unowned(&self, claimed_before_ms: i64) -> anyhow::Result<u64> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'pending'
             WHERE status = 'sending' AND claimed_by IS NULL AND claimed_at < $1",
        )
        .bind(claimed_before_ms)
        .execute(&self.pool)
        .await
        .context("releasing outbox rows of no known owner")?;
        Ok(done.rows_affected())
    }

    /// The rows of a dead worker go back to the queue (at most one duplicate
    /// of each: it may have sent them before it died).
    async fn outbox_release_owner(&self, owner: Option<i64>) -> anyhow::Result<u64> {
        let done = match owner {
            Some(owner) => sqlx::query(
                "UPDATE outbox SET status = 'pending', claimed_by = NULL
                 WHERE status = 'sending' AND claimed_by = $1",
            )
            .bind(owner),
            None => sqlx::query(
                "UPDATE outbox SET status = 'pending', claimed_by = NULL WHERE status = 'sending'",
            ),
        }
        .execute(&self.pool)
        .await
        .context("releasing a dead worker's outbox rows")?;
        Ok(done.rows_affected())
    }

    /// A new identity for this process's delivery worker.
    pub fn sender_lease(&self) -> SenderLease {
        SenderLease {
            store: self.clone(),
            id: fastrand::i64(1..i64::from(i32::MAX)),
            conn: None,
        }
    }
}

/// A delivery worker's identity and proof of life (see the module comment).
pub struct SenderLease {
    store: Store,
    id: i64,
    /// PostgreSQL: the connection holding this worker's lock.
    conn: Option<AnyConnection>,
}

impl SenderLease {
    /// The id written into `claimed_by`.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Announces this worker and gives back what dead ones left `sending`;
    /// returns how many rows were released.
    pub async fn start(&mut self) -> anyhow::Result<u64> {
        match self.store.backend {
            // One instance: whatever is `sending` now, a dead process claimed.
            Backend::Sqlite => self.store.outbox_release_owner(None).await,
            Backend::Postgres => {
                self.hold().await?;
                self.sweep().await
            }
        }
    }

    /// PostgreSQL: keeps this worker's lock and releases the rows of workers
    /// whose locks are free (dead). Nothing to do on SQLite.
    pub async fn sweep(&mut self) -> anyhow::Result<u64> {
        if self.store.backend == Backend::Sqlite {
            return Ok(0);
        }
        self.hold().await?;
        let owners: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT claimed_by FROM outbox
             WHERE status = 'sending' AND claimed_by IS NOT NULL AND claimed_by <> $1",
        )
        .bind(self.id)
        .fetch_all(&self.store.pool)
        .await
        .context("listing the owners of outbox rows in flight")?;
        let mut released = 0;
        for owner in owners {
            if self.is_dead(owner).await? {
                released += self.store.outbox_release_owner(Some(owner)).await?;
            }
        }
        Ok(released)
    }

    /// How many delivery workers are alive on this database (this one
    /// included): they share Telegram's one budget for the bot's token.
    pub async fn live_senders(&mut self) -> anyhow::Result<u32> {
        if self.store.backend == Backend::Sqlite {
            return Ok(1);
        }
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_locks
             WHERE locktype = 'advisory' AND granted AND objsubid = 2
               AND classid = CAST($1 AS OID)
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .bind(SENDER_LOCK_CLASS)
        .fetch_one(&self.store.pool)
        .await
        .context("counting live delivery workers")?;
        Ok(u32::try_from(n).unwrap_or(1).max(1))
    }

    /// Takes (or checks) this worker's lock on its own connection; a broken
    /// connection is replaced and the lock taken again.
    async fn hold(&mut self) -> anyhow::Result<()> {
        if let Some(conn) = &mut self.conn {
            if conn.ping().await.is_ok() {
                return Ok(());
            }
            self.conn = None;
        }
        let options = self.store.pool.connect_options();
        let mut conn = AnyConnection::connect_with(&options)
            .await
            .context("opening the delivery worker's lock connection")?;
        loop {
            let taken: bool = sqlx::query_scalar(
                "SELECT pg_try_advisory_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))",
            )
            .bind(SENDER_LOCK_CLASS)
            .bind(self.id)
            .fetch_one(&mut conn)
            .await
            .context("taking the delivery worker's lock")?;
            if taken {
                break;
            }
            // Another live worker drew the same id: draw again.
            self.id = fastrand::i64(1..i64::from(i32::MAX));
        }
        self.conn = Some(conn);
        Ok(())
    }

    /// Whether `owner`'s lock is free (its process is gone).
    async fn is_dead(&mut self, owner: i64) -> anyhow::Result<bool> {
        let conn = self.conn.as_mut().context("no lock connection")?;
        let free: bool = sqlx::query_scalar(
            "SELECT pg_try_advisory_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))",
        )
        .bind(SENDER_LOCK_CLASS)
        .bind(owner)
        .fetch_one(&mut *conn)
        .await
        .context("testing a delivery worker's lock")?;
        if free {
            let _: bool = sqlx::query_scalar(
                "SELECT pg_advisory_unlock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))",
            )
            .bind(SENDER_LOCK_CLASS)
            .bind(owner)
            .fetch_one(&mut *conn)
            .await
            .context("giving back a dead worker's lock")?;
        }
        Ok(free)
    }
}
