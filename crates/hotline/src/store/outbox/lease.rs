//! A delivery worker's identity, and giving back the rows of a worker that
//! died while sending them.
//!
//! Every worker has an id of its own (random, per process) and writes it into
//! the rows it claims (`claimed_by`). On SQLite there is one instance: rows
//! found `sending` at start belong to a dead process and are released at once.
//! On PostgreSQL each worker holds a session advisory lock named by its id on a
//! connection of its own (as leaders do, see `store::leader`): the lock lives
//! exactly as long as the process, so a free lock means a dead owner, and the
//! sweep releases that owner's rows as soon as it sees the lock free. The
//! same locks count the live workers, which share Telegram's budget.

use crate::store::error::{Context, Result, StoreError};
use sqlx::{AnyConnection, Connection};

use crate::store::{Backend, Store};

/// The first key of the workers' advisory locks (two-key form, a key space
/// apart from the one-key locks of leaders and residents' transactions).
const SENDER_LOCK_CLASS: i64 = 0x686f74;

impl Store {
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
    pub async fn start(&mut self) -> Result<u64> {
        match self.store.backend {
            // One instance: whatever is `sending` now, a dead process claimed.
            Backend::Sqlite => {
                let released = self.store.outbox_release_owner(None).await?;
                self.store.outbox_repoint_all().await?;
                Ok(released)
            }
            Backend::Postgres => {
                self.hold().await?;
                self.sweep().await
            }
        }
    }

    /// PostgreSQL: keeps this worker's lock and releases the rows of workers
    /// whose locks are free (dead). Nothing to do on SQLite.
    pub async fn sweep(&mut self) -> Result<u64> {
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
    pub async fn live_senders(&mut self) -> Result<u32> {
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
    async fn hold(&mut self) -> Result<()> {
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
    async fn is_dead(&mut self, owner: i64) -> Result<bool> {
        let conn = self.conn.as_mut().ok_or(StoreError::SenderLockLost)?;
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
