-- Open311 to the letter (issue 26): a request's address_id and media_url in
-- their own columns; the calls each rate-limit bucket made, so every instance
-- counts the same sliding windows; and when discovery's changeset last moved.

ALTER TABLE open311_requests ADD COLUMN address_id TEXT;
ALTER TABLE open311_requests ADD COLUMN media_url TEXT;

-- One row per accepted call: bucket is 'client:NAME', 'ip:ADDR' or
-- 'address:TEXT'; rows older than the longest window are deleted as calls come.
CREATE TABLE open311_hits (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket  TEXT   NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX open311_hits_by_bucket ON open311_hits (bucket, at);
CREATE INDEX open311_hits_by_at ON open311_hits (at);

-- One row: the digest of what services and their attributes list, and when
-- it last changed (discovery's changeset).
CREATE TABLE open311_changeset (
    id          BIGINT PRIMARY KEY,
    digest      TEXT   NOT NULL,
    changed_at  BIGINT NOT NULL
);
