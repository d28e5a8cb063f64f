//! `/desk`: a one-time link that signs a member of staff in to the web
//! console. Sent only in a private chat; the link works once, for
//! `web.link_ttl`, and the database keeps only its digest.

use super::{Ctx, Staff};
use crate::domain::reply::Reply;
use crate::secret;
use crate::texts::desk as texts;

impl Staff {
    pub(super) async fn desk(&self, cx: &mut Ctx<'_>) -> anyhow::Result<Reply> {
        let (web, lang) = (&self.config.web, cx.lang());
        if !web.enabled {
            return Ok(cx.say(texts::desk_off(lang)));
        }
        // A private chat's id is the user's id; anything else is a group.
        if cx.chat_id != cx.me.chat() {
            return Ok(cx.say(texts::desk_private_only(lang)));
        }
        let token = secret::random_token();
        let ttl_ms = i64::try_from(web.link_ttl.as_millis()).unwrap_or(i64::MAX);
        let now_ms = cx.now_ms();
        let expires_at = now_ms.saturating_add(ttl_ms);
        let hash = secret::digest(&token);
        cx.tx
            .create_desk_token(&hash, &cx.me.id, now_ms, expires_at)
            .await?;
        let link = format!("{}/desk/signin?t={token}", self.config.desk_url().base());
        let minutes = web.link_ttl.as_secs().div_ceil(60);
        Ok(cx.say(texts::desk_link(lang, &link, minutes)))
    }
}
