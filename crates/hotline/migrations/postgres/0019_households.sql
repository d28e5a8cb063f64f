-- PostgreSQL twin of migrations/sqlite/0019_households.sql (kept in step).
-- Issue 23: a threshold counts households (户), not residents. Every report
-- names its household, decided once at intake (src/domain/household.rs):
-- `phone:<digest>` for the reporter's own phone, `tg:<user id>` for a chat
-- account, `o311:acct:…`, `email:…`, `o311:device:…` for an Open311 sender,
-- `ticket:<ticket>` for a report nobody can be told apart by.
ALTER TABLE reports ADD COLUMN household TEXT;

-- Earlier reports: chat reports by their account; Open311 requests were all
-- stored as resident 0, so each is a household of its own.
UPDATE reports SET household = 'tg:' || CAST(resident_user_id AS TEXT) WHERE resident_user_id <> 0;
UPDATE reports SET household = 'ticket:' || ticket WHERE resident_user_id = 0;

-- The threshold count reads households from the partial index over
-- unresolved reports alone (replacing 0008's, which lacked the column).
DROP INDEX reports_unresolved;
CREATE INDEX reports_unresolved ON reports (compound_id, category, household) WHERE status <> 'resolved';
