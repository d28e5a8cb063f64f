//! Two resident commands of issue 14: `/start c-<compound>`, the deep link of
//! a compound's QR poster, starts a report with the compound filled in (an
//! unknown or forged payload gets the normal greeting); `/forget` erases the
//! resident's name and phone numbers.

use super::wizard::{Ctx, main_keyboard};
use super::{Dialogue, Effects, Residents, Stored};
use crate::domain::input::From;
use crate::domain::{CompoundRef, Places};
use crate::outbox::OutMessage;
use crate::store::Tx;
use crate::texts::open311 as t;

/// The start payload of a compound's poster.
pub const PAYLOAD_PREFIX: &str = "c-";

/// The configured compound a `/start` payload names, if any.
pub fn compound(args: &str, places: &Places) -> Option<CompoundRef> {
    let id = args.trim().strip_prefix(PAYLOAD_PREFIX)?;
    let name = places.name_of(id)?;
    Some(CompoundRef::Matched {
        id: id.to_string(),
        name: name.to_string(),
    })
}

impl Residents {
    /// A report whose compound came from the poster: the resident picks the
    /// category and goes on with the building.
    pub(super) async fn start_from_poster(
        &self,
        tx: &mut Tx,
        user: &From,
        stored: Stored,
        args: &str,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        let mut effects = self.start_report(tx, user, stored, ctx, now_ms).await?;
        let found = compound(args, ctx.places);
        if let (
            Some(Stored {
                dialogue: Dialogue::Reporting(wizard),
                ..
            }),
            Some(place),
        ) = (&mut effects.dialogue, found)
        {
            let hello = t::poster_welcome(ctx.lang, place.display_name());
            effects
                .messages
                .insert(0, OutMessage::text(ctx.chat_id, hello));
            wizard.draft.compound = Some(place);
        }
        Ok(effects)
    }

    /// `/forget`: the name and every phone number go (a report in progress is
    /// dropped too, it may hold a phone); open reports note that they asked.
    pub(super) async fn forget(
        &self,
        tx: &mut Tx,
        user: &From,
        stored: Stored,
        ctx: &Ctx<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Effects> {
        tx.forget_resident(user.id, now_ms).await?;
        let text = match ctx.chat_id.is_wechat() {
            true => crate::texts::wechat::forgotten(ctx.lang),
            false => t::forgotten(ctx.lang),
        };
        let mut effects = Effects::say(vec![OutMessage::with_keyboard(
            ctx.chat_id,
            text,
            main_keyboard(),
        )]);
        effects.dialogue = Some(Stored {
            dialogue: Dialogue::Idle,
            seq: stored.seq,
        });
        Ok(effects)
    }
}
