//! An update answered in the transport's own response (WeChat's passive
//! reply, in the HTTP answer to its push): the update is handled as
//! [`Chat::handle`] handles it, and in the same transaction the replies
//! waiting for its chat — when all of them can go now and the transport
//! can carry them as one answer — are marked sent and linked to the update
//! (`Tx::outbox_answered`). The worker never sees them; a retry of the
//! update is answered with the same replies; an answer the response could
//! not carry after all is given back to the worker
//! (`Store::outbox_unanswer`). The outbox stays the one record of what was
//! sent.

use std::time::Instant;

use super::{Chat, Incoming};
use crate::clock::to_millis;
use crate::outbox::OutMessage;

impl Chat {
    /// Handles `incoming` once; returns the answer for the response:
    /// `render` of the replies waiting for its chat, taken only before
    /// `take_until` (so the response can still carry them), or for a retry
    /// the answer given the first time. None: the worker sends the replies.
    pub async fn handle_answered(
        &self,
        incoming: Incoming,
        render: impl Fn(&[OutMessage]) -> Option<String>,
        take_until: Instant,
    ) -> anyhow::Result<Option<String>> {
        let mut tx = self.store.begin().await?;
        let given = tx.outbox_answer_of(incoming.update_id).await?;
        if !given.is_empty() {
            return Ok(render(&given));
        }
        tx.outbox_lock_for_answer(incoming.chat_id).await?;
        let now = self.clock.now();
        let now_ms = to_millis(now);
        let (_, engine) = self.handle_in(&mut tx, &incoming, now).await?;
        let mut answer = None;
        if Instant::now() < take_until
            && let Some(waiting) = tx.outbox_waiting(incoming.chat_id, now_ms).await?
        {
            let (ids, messages): (Vec<i64>, Vec<OutMessage>) = waiting.into_iter().unzip();
            if let Some(text) = render(&messages) {
                tx.outbox_answered(incoming.update_id, incoming.chat_id, &ids, now_ms)
                    .await?;
                answer = Some(text);
            }
        }
        tx.commit().await?;
        self.wakes.outbox.notify_one();
        if engine {
            self.wakes.engine.notify_one();
        }
        Ok(answer)
    }
}
