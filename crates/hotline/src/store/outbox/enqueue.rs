//! Writing rows: enqueueing a message (its chat's head, its rank, parked
//! when held for later), dropping superseded ones, rewriting one not yet
//! claimed. Every writer takes its chat's shared lock first (see
//! [`super::heads`]).

use crate::store::error::{Context, Result};

use crate::domain::{ChatId, Keyboard, Lane, OutMessage};
use crate::store::Tx;

/// A message to a chat nothing was written to for this long is its first
/// answer, sent before further messages to chats that already have one.
const FIRST_ANSWER_AFTER_MS: i64 = 10 * 60 * 1000;

/// Writes one row with its turn, head flag and rank. `+parked`: SQLite must
/// find the chat's rows by `outbox_by_chat`; through `outbox_parked` it
/// walked every unparked row of the backlog for each insert (1.5 ms each
/// with 10,000 waiting).
pub(crate) const ENQUEUE: &str =
    "INSERT INTO outbox (lane, chat_id, payload, status, next_attempt_at, created_at,
                      supersede_key, parked, turn, head, answer_rank, paid)
  VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7,
          (SELECT COUNT(*) FROM outbox
           WHERE chat_id = $2 AND status IN ('pending', 'sending')),
          CASE WHEN $7 = 1 THEN 0
               WHEN EXISTS (SELECT 1 FROM outbox
                            WHERE chat_id = $2 AND status IN ('pending', 'sending')
                              AND +parked = 0) THEN 0
               ELSE 1 END,
          CASE WHEN EXISTS (SELECT 1 FROM outbox
                            WHERE chat_id = $2 AND created_at > $9) THEN $8
               ELSE 0 END,
          $10)
  RETURNING id";

impl Tx {
    /// Like [`Tx::enqueue`], but not to be sent before `due_ms` (held to gather
    /// a burst, or until quiet hours end).
    pub async fn enqueue_at(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        now_ms: i64,
        due_ms: i64,
    ) -> Result<i64> {
        self.insert_outbox(lane, message, now_ms, due_ms, None)
            .await
    }

    /// Writes one row. A row held for later is parked (it does not hold its
    /// chat); otherwise it is its chat's head when no unparked row of the
    /// chat is waiting (see [`super::heads`]).
    async fn insert_outbox(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        now_ms: i64,
        due_ms: i64,
        key: Option<&str>,
    ) -> Result<i64> {
        self.lock_outbox_chat(message.chat_id()).await?;
        // A reply with no buttons to press asks for nothing more: mostly the
        // end of an exchange (a receipt, a joined incident). One with buttons
        // asks the next question.
        let asks = matches!(
            message,
            OutMessage::Send {
                keyboard: Keyboard::Inline { .. },
                ..
            } | OutMessage::Edit {
                keyboard: Keyboard::Inline { .. },
                ..
            }
        );
        let later_rank = match lane {
            Lane::Reply if asks => 2,
            Lane::Reply => 1,
            _ => 0,
        };
        let id = sqlx::query_scalar(ENQUEUE)
            .bind(lane as i64)
            .bind(message.chat_id())
            .bind(serde_json::to_string(message).context("writing an outbox payload")?)
            .bind(due_ms)
            .bind(now_ms)
            .bind(key.map(str::to_owned))
            .bind(i64::from(due_ms > now_ms))
            .bind(later_rank)
            .bind(now_ms - FIRST_ANSWER_AFTER_MS)
            .bind(i64::from(message.is_paid()))
            .fetch_one(&mut *self.inner)
            .await
            .context("writing to the outbox")?;
        Ok(id)
    }

    /// Like [`Tx::enqueue`], for a message that makes any earlier one of the
    /// same `key` to this chat obsolete (a re-asked step, a second "slow
    /// down"): those not yet tried are dropped instead of sent. Returns the
    /// new row's id and how many were dropped.
    #[cfg(feature = "testkit")]
    pub async fn enqueue_superseding(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        key: &str,
        now_ms: i64,
    ) -> Result<(i64, u64)> {
        let dropped = self.drop_superseded(message.chat_id(), key).await?;
        let id = self.enqueue_keyed(lane, message, key, now_ms).await?;
        Ok((id, dropped))
    }

    /// Drops the rows of `key` to `chat_id` not yet tried; how many. The chat
    /// layer calls it once per reply, then [`Tx::enqueue_keyed`] per message.
    /// A dropped head keeps its flag: the worker re-points the chat's head
    /// under the chat's lock (a writer never clears a head, see [`super::heads`]).
    pub async fn drop_superseded(&mut self, chat_id: ChatId, key: &str) -> Result<u64> {
        self.lock_outbox_chat(chat_id).await?;
        let dropped = sqlx::query(
            "UPDATE outbox SET status = 'dropped', parked = 0
             WHERE chat_id = $1 AND supersede_key = $2 AND status = 'pending'
               AND attempts = 0 AND parts_sent = 0",
        )
        .bind(chat_id)
        .bind(key)
        .execute(&mut *self.inner)
        .await
        .context("dropping superseded outbox rows")?
        .rows_affected();
        Ok(dropped)
    }

    /// Enqueues a message that a later one of the same `key` may supersede.
    pub async fn enqueue_keyed(
        &mut self,
        lane: Lane,
        message: &OutMessage,
        key: &str,
        now_ms: i64,
    ) -> Result<i64> {
        self.insert_outbox(lane, message, now_ms, now_ms, Some(key))
            .await
    }

    /// Rewrites a row not yet claimed by a worker; false when it is too late.
    pub async fn replace_pending(&mut self, outbox_id: i64, message: &OutMessage) -> Result<bool> {
        self.lock_outbox_chat(message.chat_id()).await?;
        let done = sqlx::query(
            "UPDATE outbox SET payload = $2, paid = $3 WHERE id = $1 AND status = 'pending'",
        )
        .bind(outbox_id)
        .bind(serde_json::to_string(message).context("rewriting an outbox payload")?)
        .bind(i64::from(message.is_paid()))
        .execute(&mut *self.inner)
        .await
        .context("rewriting a pending outbox row")?;
        Ok(done.rows_affected() == 1)
    }
}
