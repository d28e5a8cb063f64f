-- PostgreSQL twin of migrations/sqlite/0006_poll_offset.sql (kept in step).
-- Polling's committed offset, one row per bot: every update below
-- `next_offset` has been handled and committed (or given up as poison), so a
-- restarted poller (or the next leader) asks Telegram from there.
CREATE TABLE poll_offsets (
    bot_id      BIGINT PRIMARY KEY,
    next_offset BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
