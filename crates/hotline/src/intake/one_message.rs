//! A fault written in one message ("燕山小区3号楼停水了", "no water in
//! Yanshan building 3"): recognised at once (by `crate::domain::Recognizer`)
//! and answered with one summary, or, when the compound already has an open
//! incident of that category (or planned work on an outage), with the offer
//! to join it. The resident's button press then edits that same message into
//! the receipt: two Telegram calls per report.
//!
//! The phone step is skipped on this path (a resident who wants to leave a
//! number adds it from the summary's Edit). Anything not recognised for sure
//! goes on as before: the wizard's step, or the idle help.

use super::wizard::{Ctx, Draft, Step, Wizard, clip};
use super::{Dialogue, Effects, Residents, Stored};
use crate::domain::{From, Input};
use crate::outbox::OutMessage;
use crate::store::Tx;
use crate::texts;

impl Residents {
    /// The summary (or the known-incident offer) for a fault recognised in
    /// one message written when idle or right after `/report`; None when the
    /// message is not such a fault.
    pub(super) async fn one_message(
        &self,
        tx: &mut Tx,
        user: &From,
        stored: &Stored,
        input: &Input,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Option<Effects>> {
        let Input::Text(text) = input else {
            return Ok(None);
        };
        let seq = match &stored.dialogue {
            Dialogue::Idle => stored.seq,
            Dialogue::Reporting(w) if w.step == Step::Category && !w.editing => {
                stored.seq.max(w.seq)
            }
            Dialogue::Reporting(_) => return Ok(None),
        };
        let Some(found) = self.recognizer.recognize(text) else {
            return Ok(None);
        };
        let per_hour = self.config.limits.reports_per_hour;
        if tx.count_reports_since(user.id, now_ms - 3_600_000).await? >= i64::from(per_hour) {
            let text = texts::too_many_reports(ctx.lang, per_hour);
            return Ok(Some(Effects::say(vec![OutMessage::text(
                ctx.chat_id,
                text,
            )])));
        }
        let (description, truncated) = clip(&found.description, ctx.limits.description_max_chars);
        let compound_id = found.compound.matched_id().map(str::to_string);
        let draft = Draft {
            category: Some(found.category),
            compound: Some(found.compound),
            detail: clip(&found.detail, ctx.limits.address_max_chars).0,
            description,
            truncated,
            in_place: true,
            one_message: true,
            ..Draft::default()
        };
        let wizard = Wizard::recognized(seq, draft);
        let news = match compound_id {
            Some(id) => self.news_for(tx, &id, found.category, ctx, now_ms).await?,
            None => None,
        };
        let out = match news {
            Some(step) => wizard.interrupt(step, ctx),
            None => wizard.ask(ctx),
        };
        tracing::info!(chat_id = ctx.chat_id.0, category = ?found.category, "one-message report recognised");
        Ok(Some(Effects::from_wizard(seq, out)))
    }
}
