-- PostgreSQL twin of migrations/sqlite/0022_desk_calls.sql (kept in step).
-- Issue 23: calls taken at the desk. A call's report is stored like any
-- other (reports.phone holds the caller's number, reports.household its
-- digest); this row says who took the call and whether the caller gets SMS
-- receipts (decided when the call was taken: `[desk] sms_receipts` with a
-- gateway). The number itself lives only in reports.phone, so `/forget` and
-- retention, which erase it there, also stop the texts.
CREATE TABLE desk_calls (
    report_id     BIGINT  PRIMARY KEY REFERENCES reports (id),
    taken_by      TEXT    NOT NULL,
    sms_receipts  BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL
);

-- The desk's call form lists the caller's earlier reports by household.
CREATE INDEX reports_by_household ON reports (household, created_at);
