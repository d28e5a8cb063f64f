-- Resident intake: residents, dialogue state, processed updates, reports and
-- their events, and the outbox every sent message goes through.
-- Times are epoch milliseconds (BIGINT) so the same SQL runs on PostgreSQL.

CREATE TABLE residents (
    user_id     BIGINT PRIMARY KEY,
    chat_id     BIGINT NOT NULL,
    first_name  TEXT   NOT NULL DEFAULT '',
    lang        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- One row per private chat: the wizard's state as JSON, so a dialogue survives a restart.
CREATE TABLE dialogues (
    chat_id     BIGINT PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    state       TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Every Telegram update handled, written in the same transaction as its effects:
-- a redelivered update id is recognised and skipped.
CREATE TABLE processed_updates (
    update_id    BIGINT PRIMARY KEY,
    user_id      BIGINT,
    processed_at BIGINT NOT NULL
);
CREATE INDEX processed_updates_by_user ON processed_updates (user_id, processed_at);

-- The day's ticket sequence (day = city-local YYMMDD).
CREATE TABLE ticket_counters (
    day       TEXT   PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);

CREATE TABLE reports (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket                TEXT    NOT NULL UNIQUE,
    resident_user_id      BIGINT  NOT NULL,
    resident_chat_id      BIGINT  NOT NULL,
    resident_lang         TEXT    NOT NULL,
    category              TEXT    NOT NULL,
    compound_id           TEXT,
    compound_text         TEXT    NOT NULL,
    address_detail        TEXT    NOT NULL,
    latitude              DOUBLE PRECISION,
    longitude             DOUBLE PRECISION,
    description           TEXT    NOT NULL,
    description_truncated INTEGER NOT NULL DEFAULT 0,
    photo_file_ids        TEXT    NOT NULL DEFAULT '[]',
    phone                 TEXT,
    status                TEXT    NOT NULL,
    created_at            BIGINT  NOT NULL,
    updated_at            BIGINT  NOT NULL
);
CREATE INDEX reports_by_resident ON reports (resident_user_id, created_at);
CREATE INDEX reports_by_compound ON reports (compound_id, category, status);

-- Append-only history of every change to a report.
CREATE TABLE report_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id  BIGINT  NOT NULL REFERENCES reports (id),
    kind       TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT '',
    at         BIGINT  NOT NULL
);
CREATE INDEX report_events_by_report ON report_events (report_id, id);

-- Every message the bot sends: written first, sent after, marked last.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    lane                INTEGER NOT NULL,
    chat_id             BIGINT  NOT NULL,
    payload             TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     BIGINT  NOT NULL,
    claimed_at          BIGINT,
    last_error          TEXT,
    telegram_message_id BIGINT,
    created_at          BIGINT  NOT NULL,
    sent_at             BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, lane);
CREATE INDEX outbox_by_chat ON outbox (chat_id, status, id);
