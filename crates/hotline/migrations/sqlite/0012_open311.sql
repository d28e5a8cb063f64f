-- Open311 GeoReport v2: API keys (only their SHA-256) and which reports came
-- through it, from which client. Retention needs no schema: it erases columns.

CREATE TABLE open311_keys (
    client      TEXT   PRIMARY KEY,
    key_sha256  TEXT   NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE open311_requests (
    report_id   BIGINT PRIMARY KEY REFERENCES reports (id),
    client      TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Retention finds resolved reports by when they last changed.
CREATE INDEX reports_by_status_updated ON reports (status, updated_at);
