//! `/away` and `/back`: a person in the field gets no new work meanwhile.
//! The desk's away form sets a window for anyone on the staff through
//! [`Staff::away_window`] and [`Staff::back`], the same rows.

use chrono::{DateTime, Utc};

use super::{Ctx, Staff};
use crate::clock::to_millis;
use crate::domain::{PersonId, Reply};
use crate::texts::console as texts;
use crate::texts::schedule as sched;

impl Staff {
    pub(super) async fn away(&self, cx: &mut Ctx<'_>, away: bool) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let me = cx.me;
        if away {
            cx.tx.set_away(&me.id, cx.now_ms(), None).await?;
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

    /// `person_id` is away from `from` (now, if that has passed) until
    /// `until` (None: until marked back). Refused, with the reason, when the
    /// end is not after the start or has already passed.
    pub async fn away_window(
        &self,
        cx: &mut Ctx<'_>,
        person_id: &PersonId,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    ) -> anyhow::Result<Reply> {
        let (lang, now) = (cx.lang(), cx.now);
        let Some(person) = self.find_person(person_id.as_str()) else {
            return Ok(cx.say(texts::unknown_person(lang, person_id.as_str())));
        };
        match until {
            Some(until) if until <= from => return Ok(cx.say(sched::end_before_start(lang))),
            Some(until) if until <= now => {
                return Ok(cx.say(sched::end_passed(lang, &self.local(until))));
            }
            _ => {}
        }
        let from = from.max(now);
        let ends = until.map(to_millis);
        cx.tx.set_away(&person.id, to_millis(from), ends).await?;
        tracing::info!(person = %person.id, by = %cx.me.id, "marked away");
        let until = until.map(|u| self.local(u));
        let window = sched::away_window(lang, &self.local(from), until.as_deref());
        Ok(cx
            .say(sched::away_marked(lang, &person.name, &window))
            .changed())
    }

    /// `person_id` is back: work goes to them again.
    pub async fn back(&self, cx: &mut Ctx<'_>, person_id: &PersonId) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let Some(person) = self.find_person(person_id.as_str()) else {
            return Ok(cx.say(texts::unknown_person(lang, person_id.as_str())));
        };
        let was = cx.tx.set_back(&person.id).await?;
        tracing::info!(person = %person.id, by = %cx.me.id, "back");
        Ok(Reply {
            changed: was,
            ..cx.say(sched::back_marked(lang, &person.name, was))
        })
    }
}
