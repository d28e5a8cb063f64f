-- Issue 28: the photos WeChat residents send. WeChat serves a photo's
-- MediaId for 3 days only (cgi-bin/media/get), so the bot fetches it once
-- when the push arrives and keeps it here; a report refers to it in
-- photo_file_ids as 'wechat:<id>' (Telegram's file ids stay Telegram's).
-- `resident` is the resident's chat id (2^53 + their wechat_ids number),
-- `bytes` the photo in base64. Retention deletes a photo once no report
-- refers to it any more and it is older than the contact cut-off.
CREATE TABLE wechat_photos (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    resident     BIGINT NOT NULL,
    media_id     TEXT   NOT NULL UNIQUE,
    content_type TEXT   NOT NULL,
    bytes        TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);
