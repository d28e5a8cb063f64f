-- The head of each chat's queue, kept on the row so that finding what may be
-- sent next reads only heads, however long the backlog (issue 11): before,
-- every pass walked every pending row and checked its chat's earlier rows.
--
-- `parked`: a pending row that does not hold its chat's later messages while
-- it waits — written to be sent later (quiet hours) or failed often enough
-- that it stops holding the chat (`outbox::retry::HOLDS_CHAT_FOR_ATTEMPTS`).
-- It is unparked (0) when it comes due, and then goes first again.
-- `head`: 1 on the first live (pending or sending) unparked row of its chat,
-- the only row of that chat the worker may send.
-- `answer_rank`: the order within a lane before the place in the chat's
-- queue: 0 a chat's first answer (nothing written to it in the last ten
-- minutes), 1 a reply with no buttons to press (it asks for nothing more:
-- mostly the end of an exchange, a receipt or a joined incident), 2 a reply
-- with buttons (the next question).
ALTER TABLE outbox ADD COLUMN parked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN answer_rank INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET parked = 1
 WHERE status = 'pending'
   AND ((attempts = 0 AND next_attempt_at > created_at) OR attempts >= 3);
UPDATE outbox SET head = 1
 WHERE status IN ('pending', 'sending') AND parked = 0
   AND NOT EXISTS (SELECT 1 FROM outbox e
                   WHERE e.chat_id = outbox.chat_id AND e.id < outbox.id
                     AND e.status IN ('pending', 'sending') AND e.parked = 0);
-- The due rows in send order: heads only, by lane, rank, turn, id.
CREATE INDEX outbox_heads ON outbox (status, head, lane, answer_rank, turn, id);
-- Whether a chat was written to lately (its first answer ranks first).
CREATE INDEX outbox_by_chat_time ON outbox (chat_id, created_at);
-- Parked rows by when they come due.
CREATE INDEX outbox_parked ON outbox (parked, next_attempt_at);
-- Replaced by outbox_heads (they ordered every pending row, heads or not).
DROP INDEX outbox_pending_order;
DROP INDEX outbox_pending_fair;
