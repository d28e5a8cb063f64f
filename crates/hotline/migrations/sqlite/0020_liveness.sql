-- Issue 25: the running bot's heartbeat, readable from outside (`hotline
-- doctor`, `/healthz`, the desk's banner). One row per running instance
-- (several may share a PostgreSQL database); times are wall-clock epoch ms.

CREATE TABLE liveness (
    instance               TEXT   NOT NULL PRIMARY KEY,
    started_at             BIGINT NOT NULL,
    -- Written at least every few seconds while the instance runs.
    beat_at                BIGINT NOT NULL,
    -- Set on a graceful stop; NULL while running (or after a crash).
    stopped_at             BIGINT,
    -- The last Telegram call that got an answer (polling or sending).
    telegram_ok_at         BIGINT,
    -- Since when every Telegram call has failed; NULL while calls succeed.
    telegram_failing_since BIGINT,
    -- The escalation engine's last finished pass on this instance.
    engine_tick_at         BIGINT,
    -- The last settings reload: when, whether it was taken (1) or refused (0),
    -- and the refusal's messages.
    reload_at              BIGINT,
    reload_ok              BIGINT,
    reload_error           TEXT
);
