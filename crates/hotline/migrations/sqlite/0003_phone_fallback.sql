-- When an alert was taken to the manager's phone through the SMS/voice gateway.
ALTER TABLE escalation_alerts ADD COLUMN phoned_at BIGINT;
