-- PostgreSQL twin of migrations/sqlite/ (same file names, same tables, kept in
-- step): BIGINT and BIGSERIAL, so every integer decodes as i64 through the Any driver.
-- Escalations, their timeline, priority zones and on-call overrides.

-- One open escalation per compound and category (or per report for an
-- urgent report from an unknown compound).
CREATE TABLE escalations (
    id              BIGSERIAL PRIMARY KEY,
    compound_id     TEXT,
    compound_text   TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    reason          TEXT    NOT NULL,          -- threshold, urgent, zone
    zone_kind       TEXT,
    no_entry        BIGINT NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL,          -- open, acknowledged, resolved
    step            BIGINT NOT NULL,
    repeats         BIGINT NOT NULL DEFAULT 0,
    report_count    BIGINT NOT NULL,
    threshold       BIGINT,
    next_action_at  BIGINT,
    opened_at       BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by TEXT,
    resolved_at     BIGINT,
    resolved_by     TEXT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX escalations_open ON escalations (compound_id, category, status);
CREATE INDEX escalations_due ON escalations (status, next_action_at);

CREATE TABLE escalation_reports (
    escalation_id BIGINT NOT NULL REFERENCES escalations (id),
    report_id     BIGINT NOT NULL REFERENCES reports (id),
    PRIMARY KEY (escalation_id, report_id)
);

-- Every step taken: what, to whom, when, why.
CREATE TABLE escalation_timeline (
    id            BIGSERIAL PRIMARY KEY,
    escalation_id BIGINT NOT NULL REFERENCES escalations (id),
    at            BIGINT NOT NULL,
    kind          TEXT    NOT NULL,   -- opened, joined, notified, escalated, repeated, acknowledged, resolved, unstaffed
    target        TEXT    NOT NULL DEFAULT '',
    detail        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX escalation_timeline_by_escalation ON escalation_timeline (escalation_id, id);

-- The alert messages of an escalation, so a button press can update them all.
CREATE TABLE escalation_alerts (
    escalation_id BIGINT NOT NULL REFERENCES escalations (id),
    outbox_id     BIGINT NOT NULL REFERENCES outbox (id),
    person_id     TEXT   NOT NULL,
    chat_id       BIGINT NOT NULL,
    PRIMARY KEY (escalation_id, outbox_id)
);

-- Priority zones, managed from chat. A removed or expired zone keeps its row.
CREATE TABLE zones (
    id          BIGSERIAL PRIMARY KEY,
    compound_id TEXT    NOT NULL,
    address     TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL,
    expires_at  BIGINT,
    created_by  TEXT    NOT NULL,
    created_at  BIGINT NOT NULL,
    removed_at  BIGINT,
    removed_by  TEXT
);
CREATE INDEX zones_by_compound ON zones (compound_id, removed_at);

-- "X covers for Y from … until …": wins over the rotation.
CREATE TABLE oncall_overrides (
    id          BIGSERIAL PRIMARY KEY,
    person_id   TEXT   NOT NULL,
    replaces    TEXT   NOT NULL,
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL,
    created_by  TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    removed_at  BIGINT
);
CREATE INDEX oncall_overrides_window ON oncall_overrides (ends_at);
