-- Issue 22: whether a row is a paid broadcast, on the row, so the delivery
-- worker's poll (every pass) and the daily cap's count read a column instead
-- of matching `payload LIKE '%"paid":true%'` on every row they touch. Set at
-- enqueue from the message; rows written before are backfilled from their
-- stored form (which carries `"paid":true` only for a paid send).
ALTER TABLE outbox ADD COLUMN paid INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET paid = 1 WHERE payload LIKE '%"paid":true%';
