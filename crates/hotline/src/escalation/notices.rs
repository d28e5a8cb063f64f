//! Quiet notices: those already alerted hear that another report joined an
//! escalation — silently, and held until the quiet hours end.

use chrono::TimeZone;

use super::Escalator;
use crate::clock::{from_millis, to_millis};
use crate::config::QuietHours;
use crate::domain::Lang;
use crate::outbox::{Keyboard, Lane, OutMessage};
use crate::store::{EscalationRow, Tx};
use crate::texts::staff as texts;

impl Escalator {
    /// Tells those already alerted that another report joined — silently, and
    /// held until the quiet hours end.
    pub(super) async fn notice_joined(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let due = self.after_quiet_hours(now_ms);
        for (person_id, chat_id) in tx.alerted_people(esc.id).await? {
            let lang = self.person(&person_id).map_or(Lang::Zh, |p| p.lang);
            let text = texts::joined(
                lang,
                esc.id,
                &esc.compound_text,
                esc.category,
                esc.report_count,
            );
            let notice = OutMessage::Send {
                chat_id,
                text,
                keyboard: Keyboard::Keep,
                silent: true,
                paid: false,
                news: None,
            };
            // One waiting notice per person and escalation, kept up to date.
            if let Some(outbox_id) = tx.pending_notice(esc.id, &person_id).await?
                && tx.replace_pending(outbox_id, &notice).await?
            {
                continue;
            }
            let outbox_id = tx.enqueue_at(Lane::Alert, &notice, now_ms, due).await?;
            tx.set_notice(esc.id, &person_id, outbox_id).await?;
        }
        Ok(())
    }

    /// `now_ms`, or the end of the quiet hours when `now_ms` falls inside them.
    fn after_quiet_hours(&self, now_ms: i64) -> i64 {
        let Some(QuietHours { start, end }) = self.config.delivery.quiet_hours else {
            return now_ms;
        };
        let tz = self.config.general.time_zone;
        let local = from_millis(now_ms).with_timezone(&tz);
        let t = local.time();
        let inside = if start <= end {
            t >= start && t < end
        } else {
            t >= start || t < end
        };
        if !inside {
            return now_ms;
        }
        let day = if t >= end {
            local.date_naive() + chrono::Duration::days(1)
        } else {
            local.date_naive()
        };
        let until = tz.from_local_datetime(&day.and_time(end)).earliest();
        until.map_or(now_ms, |u| to_millis(u.to_utc()))
    }
}
