//! Leadership among instances sharing one database: which one polls Telegram
//! and which one runs the escalation engine.
//!
//! On PostgreSQL a leader holds a session advisory lock on a connection of its
//! own, outside the pool. The lock lives exactly as long as that connection:
//! when the instance dies (or loses the network) the server drops the session
//! and the lock with it, and another instance's next attempt takes over. On
//! SQLite there is one box, so this process always leads.

use sqlx::{AnyConnection, Connection};

use super::error::{Context, Result, StoreError};
use super::{Backend, Store};

/// A job only one instance may run at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Long-polling Telegram (two pollers would end each other's getUpdates).
    Polling,
    /// The escalation engine (two would page every manager twice).
    Engine,
}

impl Role {
    /// The advisory lock key. Negative, so it never meets the per-resident
    /// transaction locks, which use (positive) Telegram user ids.
    fn key(self) -> i64 {
        match self {
            Role::Polling => -0x686f_746c_696e_0001,
            Role::Engine => -0x686f_746c_696e_0002,
        }
    }
}

/// One instance's claim on a role: try to take it, then keep checking that it
/// still holds it.
pub struct Leadership {
    store: Store,
    role: Role,
    /// The connection the lock lives on (PostgreSQL only), kept across
    /// attempts so a follower does not reconnect every few seconds.
    conn: Option<AnyConnection>,
    held: bool,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership")
            .field("role", &self.role)
            .field("held", &self.held)
            .finish()
    }
}

impl Store {
    /// A claim on `role`, not yet taken.
    pub fn leadership(&self, role: Role) -> Leadership {
        Leadership {
            store: self.clone(),
            role,
            conn: None,
            held: false,
        }
    }
}

impl Leadership {
    pub fn role(&self) -> Role {
        self.role
    }

    pub fn held(&self) -> bool {
        self.held
    }

    /// Tries once to take the role; true when this instance now leads.
    pub async fn try_acquire(&mut self) -> Result<bool> {
        if self.held {
            return Ok(true);
        }
        if self.store.backend == Backend::Sqlite {
            self.held = true;
            return Ok(true);
        }
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => {
                let options = self.store.pool.connect_options();
                let conn = AnyConnection::connect_with(&options)
                    .await
                    .context("opening the leader lock's connection")?;
                self.conn.insert(conn)
            }
        };
        let taken = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(self.role.key())
            .fetch_one(&mut *conn)
            .await;
        match taken {
            Ok(taken) => {
                self.held = taken;
                Ok(taken)
            }
            Err(error) => {
                // A broken connection is replaced on the next attempt.
                self.conn = None;
                Err(error).context("taking the leader lock")
            }
        }
    }

    /// Errs when the role may have been lost: the lock's connection no longer
    /// answers, so the server may have ended the session and released it.
    pub async fn check(&mut self) -> Result<()> {
        if !self.held {
            return Err(StoreError::NotLeader);
        }
        let Some(conn) = &mut self.conn else {
            return Ok(()); // SQLite: nobody else to lose it to.
        };
        let alive = tokio::time::timeout(std::time::Duration::from_secs(2), conn.ping()).await;
        match alive {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => {
                self.lose();
                Err(error).context("checking the leader lock's connection")
            }
            Err(_) => {
                self.lose();
                Err(StoreError::LeaderLost)
            }
        }
    }

    /// Gives the role up (a graceful stop), so another instance takes over at
    /// once instead of after this process exits.
    pub async fn release(&mut self) {
        if let (true, Some(conn)) = (self.held, self.conn.take()) {
            let _ = conn.close().await;
        }
        self.held = false;
    }

    fn lose(&mut self) {
        self.held = false;
        self.conn = None;
    }
}
