-- Queries flat in history: every lookup on the intake and engine hot path
-- reads through an index, so a report's cost does not grow with the number
-- of reports stored (tests/it/query_plans.rs checks the plans).

-- Only unresolved reports, by compound and category: the threshold count and
-- the reports a new escalation adopts read this, never resolved history.
-- It replaces the index over every status.
DROP INDEX reports_by_compound;
CREATE INDEX reports_unresolved ON reports (compound_id, category) WHERE status <> 'resolved';

-- The unresolved escalation of a compound and category (every report asks),
-- likewise without the resolved ones.
DROP INDEX escalations_open;
CREATE INDEX escalations_unresolved ON escalations (compound_id, category, id) WHERE status <> 'resolved';

-- "Which escalation does this report count on": adopting open reports, the
-- open queue and /ticket look reports up here (its primary key starts with escalation_id).
CREATE INDEX escalation_reports_by_report ON escalation_reports (report_id);

-- A manager's latest alert (bundling, bursts) and the escalations one
-- message carries.
CREATE INDEX escalation_alerts_by_chat ON escalation_alerts (chat_id, outbox_id);
CREATE INDEX escalation_alerts_by_outbox ON escalation_alerts (outbox_id);
