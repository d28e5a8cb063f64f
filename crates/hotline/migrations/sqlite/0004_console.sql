-- The staff console: assignment, presence, incident updates, planned work.

ALTER TABLE reports ADD COLUMN assigned_to TEXT;

-- Staff who marked themselves away (/away); work goes to the others until /back.
CREATE TABLE staff_away (
    person_id TEXT   PRIMARY KEY,
    since     BIGINT NOT NULL
);

-- News on an incident (an open escalation), broadcast to its subscribers.
CREATE TABLE incident_updates (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    escalation_id BIGINT  NOT NULL REFERENCES escalations (id),
    text          TEXT    NOT NULL,
    eta           BIGINT,
    created_by    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX incident_updates_by_escalation ON incident_updates (escalation_id, id);

-- Announced planned outages: reports inside the window are answered at once.
CREATE TABLE planned_outages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    compound_id TEXT    NOT NULL,
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT  NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_by  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    removed_at  BIGINT
);
CREATE INDEX planned_outages_by_compound ON planned_outages (compound_id, ends_at);

-- The pending "another report joined" notice per escalation and person, so a
-- flood of joins rewrites one waiting notice instead of queueing hundreds.
CREATE TABLE escalation_notices (
    escalation_id BIGINT NOT NULL REFERENCES escalations (id),
    person_id     TEXT   NOT NULL,
    outbox_id     BIGINT NOT NULL REFERENCES outbox (id),
    PRIMARY KEY (escalation_id, person_id)
);
