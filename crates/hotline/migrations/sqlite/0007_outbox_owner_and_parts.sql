-- Which delivery worker claimed a row: a dead worker's rows are released as
-- soon as its death is known (at start on SQLite, by its free lock on
-- PostgreSQL) instead of after a lease.
ALTER TABLE outbox ADD COLUMN claimed_by BIGINT;
-- How many leading parts of a text over Telegram's 4,096 characters were sent:
-- a long message goes out part by part, and a crash repeats at most one part.
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
-- A row's place in its chat's queue when written (how many of the chat's
-- messages were waiting then): the worker sends every chat's first waiting
-- message before any chat's second, so a resident writing for the first time
-- is not queued behind a backlog of follow-ups to others.
ALTER TABLE outbox ADD COLUMN turn BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_pending_fair ON outbox (status, lane, turn, id);
-- What a message stands for in its chat ("prompt", "slow_down"): a newer
-- message with the same key makes a waiting one obsolete, and it is dropped
-- (status 'dropped') instead of sent.
ALTER TABLE outbox ADD COLUMN supersede_key TEXT;
