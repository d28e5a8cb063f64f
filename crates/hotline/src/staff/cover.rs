//! `/cover <who> [for <whom>] until <time>`: an on-call override from chat.

use super::{Ctx, Staff};
use crate::clock::to_millis;
use crate::domain::Reply;
use crate::oncall;
use crate::texts::console as texts;

impl Staff {
    pub(super) async fn cover(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let (lang, me, now) = (cx.lang(), cx.me, cx.now);
        let (who, whom, until) = match words {
            [who, "for", whom, "until", until @ ..] => (*who, Some(*whom), until.join(" ")),
            [who, "until", until @ ..] => (*who, None, until.join(" ")),
            _ => return Ok(cx.say(texts::cover_usage(lang))),
        };
        let Some(cover) = self.find_person(who) else {
            return Ok(cx.say(texts::unknown_person(lang, who)));
        };
        let replaced = match whom {
            Some(whom) => match self.find_person(whom) {
                Some(p) => p,
                None => return Ok(cx.say(texts::unknown_person(lang, whom))),
            },
            None => me,
        };
        let tz = self.config.general.time_zone;
        let ends = match oncall::parse_until(&until, now, tz) {
            Ok(ends) if ends > now => ends,
            // A full date and time already gone: say so, not the usage.
            _ if oncall::parse_local(&until, tz).is_ok_and(|at| at <= now) => {
                return Ok(cx.say(texts::cover_time_passed(lang, &until)));
            }
            _ => return Ok(cx.say(texts::cover_usage(lang))),
        };
        let now_ms = cx.now_ms();
        let id = cx
            .tx
            .add_override(
                &cover.id,
                &replaced.id,
                now_ms,
                to_millis(ends),
                &me.id,
                now_ms,
            )
            .await?;
        tracing::info!(override_id = id, cover = %cover.id, replaces = %replaced.id, by = %me.id, "on-call override set");
        let text = texts::cover_set(
            lang,
            &cover.name,
            &replaced.name,
            &self.local(ends),
            &me.name,
        );
        Ok(cx.say(text).changed())
    }
}
