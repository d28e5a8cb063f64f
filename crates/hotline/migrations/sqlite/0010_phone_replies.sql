-- Replies from managers' phones (an SMS "1", a key pressed on a call), one row
-- per provider message: a replayed request finds its row and changes nothing.
CREATE TABLE phone_replies (
    provider_id   TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL,
    received_at   BIGINT NOT NULL
);

-- The escalation a manager most recently got a phone page for.
CREATE INDEX escalation_alerts_phoned ON escalation_alerts (person_id, phoned_at);

-- `hotline reload`: each instance re-reads its settings when this number moves.
CREATE TABLE settings_reloads (
    id            INTEGER PRIMARY KEY,
    generation    BIGINT NOT NULL,
    requested_at  BIGINT NOT NULL
);
