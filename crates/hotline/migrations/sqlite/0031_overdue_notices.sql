-- 督办 (issue 24): each deadline a ticket missed that the supervisors were
-- told about, so the bundled message never names a ticket twice for the
-- same deadline ('acknowledge' or 'resolve'), whichever instance sends it.
CREATE TABLE overdue_notices (
    report_id    BIGINT NOT NULL,
    deadline     TEXT   NOT NULL,
    notified_at  BIGINT NOT NULL,
    PRIMARY KEY (report_id, deadline)
);

-- The engine asks once a minute for unresolved tickets filed before a time:
-- only open tickets are indexed, so a long history costs nothing.
CREATE INDEX reports_unresolved_by_created ON reports (created_at) WHERE status <> 'resolved';
