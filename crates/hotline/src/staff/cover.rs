//! `/cover <who> [for <whom>] until <time>`: an on-call override from chat.
//! The desk's cover form comes in through [`Staff::cover_window`], the same
//! checks and the same row.

use chrono::{DateTime, Utc};

use super::{Ctx, Staff};
use crate::clock::to_millis;
use crate::domain::{PersonId, Reply};
use crate::oncall;
use crate::texts::console as texts;
use crate::texts::schedule as sched;

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
        let (cover, replaced) = (cover.id.clone(), replaced.id.clone());
        self.cover_window(cx, &cover, &replaced, now, ends).await
    }

    /// `cover_id` takes `replaced_id`'s shifts from `starts` (now, if that
    /// has passed) until `ends`. Refused, with the reason, when the end is
    /// not after the start or has already passed.
    pub async fn cover_window(
        &self,
        cx: &mut Ctx<'_>,
        cover_id: &PersonId,
        replaced_id: &PersonId,
        starts: DateTime<Utc>,
        ends: DateTime<Utc>,
    ) -> anyhow::Result<Reply> {
        let (lang, me, now) = (cx.lang(), cx.me, cx.now);
        let (Some(cover), Some(replaced)) = (
            self.find_person(cover_id.as_str()),
            self.find_person(replaced_id.as_str()),
        ) else {
            return Ok(cx.say(texts::unknown_person(lang, cover_id.as_str())));
        };
        if ends <= starts {
            return Ok(cx.say(sched::end_before_start(lang)));
        }
        if ends <= now {
            return Ok(cx.say(sched::end_passed(lang, &self.local(ends))));
        }
        let starts = starts.max(now);
        let now_ms = cx.now_ms();
        let id = cx
            .tx
            .add_override(
                &cover.id,
                &replaced.id,
                to_millis(starts),
                to_millis(ends),
                &me.id,
                now_ms,
            )
            .await?;
        tracing::info!(override_id = id, cover = %cover.id, replaces = %replaced.id, by = %me.id, "on-call override set");
        let text = if starts > now {
            let (from, until) = (self.local(starts), self.local(ends));
            sched::cover_window_set(lang, &cover.name, &replaced.name, &from, &until)
        } else {
            texts::cover_set(
                lang,
                &cover.name,
                &replaced.name,
                &self.local(ends),
                &me.name,
            )
        };
        Ok(cx.say(text).changed())
    }
}
