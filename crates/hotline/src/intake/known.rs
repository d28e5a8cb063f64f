//! Just after a resident named a known compound: an open incident of the
//! same category, or planned work on an outage, is told at once instead of
//! walking the rest of the wizard.

use super::wizard::{Ctx, Step};
use super::{Dialogue, Effects, Residents, Stored};
use crate::clock::local_short;
use crate::domain::Category;
use crate::outbox::OutMessage;
use crate::store::Tx;
use crate::texts;

impl Residents {
    pub(super) async fn known_or_planned(
        &self,
        tx: &mut Tx,
        mut effects: Effects,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        let Some(Stored {
            dialogue: Dialogue::Reporting(wizard),
            seq,
        }) = &effects.dialogue
        else {
            return Ok(effects);
        };
        let Some((compound, category)) = wizard.place_to_check() else {
            return Ok(effects);
        };
        let Some(step) = self.news_for(tx, compound, category, ctx, now_ms).await? else {
            return Ok(effects);
        };
        let seq = *seq;
        let wizard = (**wizard).clone();
        // Keep the edit of the pressed button, replace the next prompt.
        let edits: Vec<OutMessage> = effects
            .messages
            .drain(..)
            .filter(|m| matches!(m, OutMessage::Edit { .. }))
            .collect();
        let mut out = wizard.interrupt(step, ctx);
        out.messages.splice(0..0, edits);
        let callback_text = effects.callback_text.take();
        effects = Effects::from_wizard(seq, out);
        effects.callback_text = callback_text;
        Ok(effects)
    }

    /// The question to put first, if the compound has planned work (for an
    /// outage) or an open incident of this category.
    pub(super) async fn news_for(
        &self,
        tx: &mut Tx,
        compound: &str,
        category: Category,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Option<Step>> {
        let lang = ctx.lang;
        let tz = self.config.general.time_zone;
        let local = |ms: i64| local_short(ms, tz);
        let place = self.places.name_of(compound).unwrap_or(compound);
        let planned = match category {
            Category::Outage => tx.planned_at(compound, now_ms).await?,
            _ => None,
        };
        if let Some(p) = planned {
            let (from, to) = (local(p.starts_at), local(p.ends_at));
            let text = texts::planned_outage(lang, place, &from, &to, &p.note);
            return Ok(Some(Step::Planned {
                text,
                resume: Box::new(Step::Category),
            }));
        }
        let Some(esc) = tx.unresolved_escalation(compound, category).await? else {
            return Ok(None);
        };
        let latest = tx.latest_incident_update(esc.id).await?;
        let eta = latest.as_ref().and_then(|u| u.eta).map(local);
        let news = latest.as_ref().map(|u| (u.text.as_str(), eta.as_deref()));
        let mut text = texts::known_incident(lang, place, category, news);
        let link = self.config.telegram.channel_link.trim();
        if !link.is_empty() {
            text.push_str(&texts::follow_channel(lang, link));
        }
        Ok(Some(Step::Known {
            escalation_id: esc.id,
            text,
            resume: Box::new(Step::Category),
        }))
    }
}
