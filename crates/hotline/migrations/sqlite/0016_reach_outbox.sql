-- Issue 15: notifications beyond Telegram (texts, calls, robot messages)
-- are outbox rows like any other. Each rule step taken for an escalation
-- and person points at the outbox row that carries it (several steps may
-- share one bundled robot message); NULL when nothing was sent (no phone,
-- a duty group). No foreign key: retention may purge old sent rows.
CREATE TABLE reach_steps (
    escalation_id BIGINT NOT NULL REFERENCES escalations (id),
    person_id     TEXT   NOT NULL,
    rule_index    BIGINT NOT NULL,
    via           TEXT   NOT NULL,
    outbox_id     BIGINT,
    taken_at      BIGINT NOT NULL,
    PRIMARY KEY (escalation_id, person_id, rule_index)
);
CREATE INDEX reach_steps_by_outbox ON reach_steps (outbox_id);

-- Steps taken before the move were sent directly: kept, with no row.
INSERT INTO reach_steps (escalation_id, person_id, rule_index, via, outbox_id, taken_at)
SELECT escalation_id, person_id, rule_index, via, NULL, sent_at FROM reach_sends;

DROP TABLE reach_sends;
