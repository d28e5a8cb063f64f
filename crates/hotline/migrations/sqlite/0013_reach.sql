-- Issue 15: reach each manager the way they answer.

-- Each step of a person's notification rules taken for an escalation
-- (a text, a call, a robot message): done once per escalation and person.
CREATE TABLE reach_sends (
    escalation_id BIGINT NOT NULL REFERENCES escalations (id),
    person_id     TEXT   NOT NULL,
    rule_index    BIGINT NOT NULL,
    via           TEXT   NOT NULL,
    sent_at       BIGINT NOT NULL,
    PRIMARY KEY (escalation_id, person_id, rule_index)
);

-- One-tap acknowledge links: a random token (stored as its SHA-256, hex),
-- bound to one escalation and one person, single use, expiring.
CREATE TABLE ack_links (
    token_hash    TEXT   NOT NULL PRIMARY KEY,
    escalation_id BIGINT NOT NULL REFERENCES escalations (id),
    person_id     TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT,
    used_for      TEXT
);
