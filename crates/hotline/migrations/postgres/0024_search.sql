-- PostgreSQL twin of migrations/sqlite/0024_search.sql (kept in step).
-- Issue 23: the desk's search finds a caller by the last 4 digits of their
-- phone among a million stored reports. The digits are a generated column,
-- so no insert has to remember it and a forgotten phone (retention) forgets
-- its digits too.
ALTER TABLE reports ADD COLUMN phone_last4 TEXT GENERATED ALWAYS AS (right(phone, 4)) STORED;
CREATE INDEX reports_phone_last4 ON reports (phone_last4, id);

-- A search with only a date range (or nothing) pages newest first through
-- this index instead of sorting the history.
CREATE INDEX reports_created ON reports (created_at, id);
