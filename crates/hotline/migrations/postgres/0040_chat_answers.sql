-- Issue 28: replies that went in the transport's own answer to an update
-- (WeChat's passive reply, in the HTTP response to its push) instead of
-- being sent from the outbox. The rows are marked sent in the transaction
-- that handled the update and linked here, so a retry of the same update
-- (WeChat pushes again when an answer did not arrive) is answered with the
-- same replies, and they are recorded sent exactly once.
CREATE TABLE chat_answers (
    update_id  BIGINT NOT NULL,
    outbox_id  BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (update_id, outbox_id)
);
