-- Issue 28: WeChat's string ids as the chat layer's numbers. `kind` 'openid'
-- maps a resident's openid to their user and chat id; 'push' maps a push's
-- de-duplication key (its MsgId, or sender and time for an event) to its
-- update id, so a push WeChat retries is the same update and handled once.
-- The numbers used are 2^53 + id (see `wechat::ids`).
CREATE TABLE wechat_ids (
    id      BIGSERIAL PRIMARY KEY,
    kind    TEXT   NOT NULL,
    key     TEXT   NOT NULL,
    seen_at BIGINT NOT NULL,
    UNIQUE (kind, key)
);
