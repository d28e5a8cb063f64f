-- Issue 27: updates from `getUpdates` that could not be parsed (a lone
-- UTF-16 surrogate, a shape the client does not know). Polling logs each,
-- records it here and moves its offset past it, so one bad update neither
-- stops the line nor is fetched forever.
CREATE TABLE unreadable_updates (
    bot_id      BIGINT NOT NULL,
    update_id   BIGINT NOT NULL,
    error       TEXT   NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (bot_id, update_id)
);
