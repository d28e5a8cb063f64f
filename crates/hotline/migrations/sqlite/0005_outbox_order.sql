-- The worker reads pending rows in send order (lane, then age) and stops after
-- a page: this index lets it walk that order instead of sorting the backlog.
CREATE INDEX outbox_pending_order ON outbox (status, lane, id);
