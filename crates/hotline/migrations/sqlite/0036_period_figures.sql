-- Issue 23: the Reports page and the daily digest count a period's reports
-- per category, compound and quarter hour (store/period_figures.rs). With
-- the columns they count in the index, a week of a million stored reports
-- is counted without reading a report's row.
CREATE INDEX reports_by_created_summary ON reports (created_at, category, compound_id, compound_text);

-- Time to resolve: each report's first 'resolved' event, one seek in an
-- index of only those events instead of reading all of a report's events.
CREATE INDEX report_events_resolved ON report_events (report_id, at) WHERE kind = 'resolved';

-- The overdue counts (the Reports page, the digest) read only unresolved
-- reports, with the columns they count: never a report's row.
CREATE INDEX reports_unresolved_counted ON reports (created_at, category, status, compound_text) WHERE status <> 'resolved';
