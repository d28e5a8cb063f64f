//! Which rows are due, and claiming them in one statement. Giving back a
//! dead worker's rows is in [`super::lease`].

use crate::store::error::{Context, Result};

use super::ClaimedMessage;
use crate::domain::{ChatId, Lane};
use crate::store::{Backend, Store};

/// The due rows in send order (hot: every pass of the delivery worker).
pub const DUE_BY_LANE: &str = "SELECT o.id, o.chat_id, o.lane, CAST(o.paid AS BIGINT) FROM outbox o
     WHERE o.status = 'pending' AND o.head = 1 AND +o.next_attempt_at <= $1
     ORDER BY o.lane, o.answer_rank, o.turn, o.id LIMIT $2";

/// A due row: the head of its chat's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRow {
    pub id: i64,
    pub chat_id: ChatId,
    pub lane: Lane,
    /// A paid broadcast: paced against Telegram's 1,000/s, not its 30/s.
    pub paid: bool,
}

impl Store {
    /// A pool of `connections` of its own on the same database, for a task
    /// that must not wait for a connection behind other work (the delivery
    /// worker behind intake's transactions). It shares the process's write
    /// turn on SQLite. Connections open on first use.
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
            // The same process's writers: one queue for SQLite's one lock.
            gate: self.gate.clone(),
        }
    }

    /// Due rows, each the head of its chat's queue (a chat's messages keep
    /// their order; see [`super::heads`]), most urgent lane first and within
    /// a lane every chat's first waiting message before any chat's second
    /// (round-robin by `turn`), each chat's first answer, then replies that
    /// ask for nothing more (a receipt), then questions (`answer_rank`).
    /// Rows held for later and
    /// rows that failed often are parked and do not hold their chat.
    ///
    /// Reads heads only, in the index's order, and stops after `limit`: the
    /// cost is a page, not the backlog. (The unary `+` keeps SQLite from
    /// ranging over `next_attempt_at` and sorting every due row instead.)
    pub async fn outbox_due(&self, now_ms: i64, limit: i64) -> Result<Vec<DueRow>> {
        let rows: Vec<(i64, ChatId, i64, i64)> = sqlx::query_as(DUE_BY_LANE)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .context("listing due outbox rows")?;
        Ok(rows
            .into_iter()
            .map(|(id, chat_id, lane, paid)| DueRow {
                id,
                chat_id,
                lane: Lane::from_i64(lane),
                paid: paid != 0,
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
    ) -> Result<Vec<ClaimedMessage>> {
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
        let turn = self.write_turn().await?;
        let rows: Vec<(i64, i64, ChatId, String, i64, i64, i64)> = query
            .fetch_all(&self.pool)
            .await
            .context("claiming outbox rows")?;
        drop(turn);
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
            .collect::<Result<_>>()?;
        claimed.sort_by_key(|c| (c.lane, c.id));
        Ok(claimed)
    }

    /// Rows left `sending` by a worker that recorded no owner (before owners
    /// were recorded) and claimed before `claimed_before_ms` are sent again.
    pub async fn outbox_release_unowned(&self, claimed_before_ms: i64) -> Result<u64> {
        let _turn = self.write_turn().await?;
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
    pub(in crate::store) async fn outbox_release_owner(&self, owner: Option<i64>) -> Result<u64> {
        let _turn = self.write_turn().await?;
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
}
