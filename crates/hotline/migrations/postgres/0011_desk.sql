-- PostgreSQL twin of migrations/sqlite/0011_desk.sql (kept in step).
-- The operator desk (web console): one-time sign-in links, sessions, audit.
-- Tokens and session ids are stored only as SHA-256 hex digests.

-- A link sent by /desk: single use, short-lived.
CREATE TABLE desk_tokens (
    token_hash TEXT   PRIMARY KEY,
    person_id  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- A signed-in browser; any instance serves it (sessions live here, not in memory).
CREATE TABLE desk_sessions (
    id_hash      TEXT   PRIMARY KEY,
    person_id    TEXT   NOT NULL,
    csrf         TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

-- Who did what on the desk, and when.
CREATE TABLE desk_audit (
    id        BIGSERIAL PRIMARY KEY,
    person_id TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT '',
    at        BIGINT  NOT NULL
);
CREATE INDEX desk_audit_by_time ON desk_audit (at);

-- The secret of each person's iCalendar feed of their shifts (digest only).
CREATE TABLE desk_calendars (
    person_id  TEXT   PRIMARY KEY,
    token_hash TEXT   NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- Days whose digest went out (at most once, whichever instance sends it).
CREATE TABLE desk_digests (
    day     TEXT   PRIMARY KEY,
    sent_at BIGINT NOT NULL
);
