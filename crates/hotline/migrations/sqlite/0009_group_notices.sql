-- When each group chat was last asked to write to the bot privately: at most
-- one such notice per group per hour (issue 11).
CREATE TABLE group_notices (
    chat_id INTEGER PRIMARY KEY,
    last_at INTEGER NOT NULL
);
