-- Issue 28: the WeChat account's access_token, one for every instance.
-- WeChat keeps only the latest token valid, so instances must not each
-- fetch their own: the one that claims the refresh (`claimed_until`, a
-- lease in epoch ms) fetches it and writes it here; the others wait and
-- reuse it. `token` is '' and `expires_at` 0 until the first fetch.
CREATE TABLE wechat_token (
    app_id        TEXT   PRIMARY KEY,
    token         TEXT   NOT NULL,
    expires_at    BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL,
    fetched_at    BIGINT NOT NULL
);
