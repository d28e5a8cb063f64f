-- PostgreSQL twin of migrations/sqlite/ (same file names, same tables, kept in
-- step): BIGINT and BIGSERIAL, so every integer decodes as i64 through the Any driver.
-- When an alert was taken to the manager's phone through the SMS/voice gateway.
ALTER TABLE escalation_alerts ADD COLUMN phoned_at BIGINT;
