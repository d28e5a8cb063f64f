//! `/away` and `/back`: a person in the field gets no new work meanwhile.

use super::{Ctx, Staff};
use crate::domain::Reply;
use crate::texts::console as texts;

impl Staff {
    pub(super) async fn away(&self, cx: &mut Ctx<'_>, away: bool) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let me = cx.me;
        if away {
            cx.tx.set_away(&me.id, cx.now_ms()).await?;
            tracing::info!(person = %me.id, "marked away");
            return Ok(cx.say(texts::away_set(lang)).changed());
        }
        let was = cx.tx.set_back(&me.id).await?;
        tracing::info!(person = %me.id, "back");
        Ok(cx.say(if was {
            texts::back_set(lang)
        } else {
            texts::not_away(lang)
        }))
    }
}
