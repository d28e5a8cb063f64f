//! A WeChat resident's photo, kept. WeChat's push carries a `PicUrl` (its
//! CDN) and a `MediaId` that `cgi-bin/media/get` serves for 3 days only,
//! while staff may open a ticket weeks later. So the photo is fetched once,
//! when the push arrives, through the configured API (`wechat.api_url`,
//! with the shared access token; never the `PicUrl`, an address the bot
//! would fetch on a message's word) and kept in the database
//! (`wechat_photos`); the report refers to it as `wechat:<id>`
//! (`crate::domain::photo`) and the desk serves it to signed-in staff.
//! If WeChat does not give the photo, the push fails and WeChat pushes it
//! again (three times), each try fetching anew.

use base64::Engine as _;

use super::token::Tokens;
use crate::clock::to_millis;
use crate::domain::photo::wechat_ref;
use crate::store::{Store, WechatPhoto};

/// The photo `media_id` that `resident` (chat id) sent, fetched unless kept
/// already (a retried push); returns the id a report keeps it by.
pub async fn keep(
    tokens: &Tokens,
    store: &Store,
    resident: i64,
    media_id: &str,
) -> anyhow::Result<String> {
    if let Some(id) = store.wechat_photo_id(media_id).await? {
        return Ok(wechat_ref(id));
    }
    let (bytes, content_type) = tokens
        .media(media_id)
        .await
        .map_err(|e| anyhow::anyhow!("fetching a resident's photo from WeChat: {e}"))?;
    let photo = WechatPhoto {
        content_type,
        base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    };
    let now_ms = to_millis(tokens.now());
    let id = store
        .keep_wechat_photo(resident, media_id, &photo, now_ms)
        .await?;
    Ok(wechat_ref(id))
}
