-- Issue 12: whose number, and staff who link themselves.

-- A report's phone that came on someone else's contact card (a relative's):
-- the card's name. NULL: the resident's own number (or none).
ALTER TABLE reports ADD COLUMN phone_for TEXT;

-- `hotline staff invite <person>`: a random token (stored as its SHA-256,
-- hex) that links whoever opens `t.me/<bot>?start=<token>` to that person;
-- single use, expiring.
CREATE TABLE staff_invites (
    token_hash TEXT   NOT NULL PRIMARY KEY,
    person_id  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    used_by    BIGINT
);

-- Telegram accounts linked through an invite, for people whose
-- `[[people]].telegram_id` the config leaves out.
CREATE TABLE staff_links (
    person_id   TEXT   NOT NULL PRIMARY KEY,
    telegram_id BIGINT NOT NULL,
    linked_at   BIGINT NOT NULL
);
