//! Running the staff's own logic from the desk: every action goes through
//! `crate::staff::Staff` (a chat command, or the typed entry the chat's
//! command uses itself, e.g. [`Staff::cover_window`]) in one transaction,
//! so the desk and the chat cannot drift apart. The answer comes back in
//! the page's language, as the page's flash message.
//!
//! The On call page is `schedule.rs`, the Zones page `zones.rs`.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::Desk;
use super::session::Signed;
use crate::chat::StaffCommand;
use crate::clock::to_millis;
use crate::domain::Reply;
use crate::staff::{Ctx, Staff};
use crate::texts::desk as texts;

impl Desk {
    /// Runs a staff command as `signed`; returns what the chat would have
    /// answered. With `audit`, the action goes on the audit trail.
    pub(super) async fn command(
        &self,
        signed: &Signed,
        command: StaffCommand,
        args: &str,
        audit: Option<&str>,
    ) -> anyhow::Result<String> {
        let detail = format!("{} {args}", command.name());
        let audit = audit.map(|action| (action, detail.trim()));
        self.act(signed, audit, async |staff: &Staff, cx: &mut Ctx<'_>| {
            staff.command(cx, command, args).await
        })
        .await
    }

    /// Runs `act` as `signed` (answers in the page's language) in one
    /// transaction; `audit` is (action, detail) for the audit trail.
    pub(super) async fn act<F>(
        &self,
        signed: &Signed,
        audit: Option<(&str, &str)>,
        act: F,
    ) -> anyhow::Result<String>
    where
        F: AsyncFnOnce(&Staff, &mut Ctx<'_>) -> anyhow::Result<Reply>,
    {
        let now = self.clock.now();
        let mut me = signed.person.clone();
        me.lang = signed.lang;
        let mut tx = self.store.begin().await?;
        let mut cx = Ctx {
            tx: &mut tx,
            me: &me,
            chat_id: me.chat(),
            now,
        };
        let reply = act(&self.staff, &mut cx).await?;
        if let Some((action, detail)) = audit {
            tx.desk_audit(&me.id, action, detail, to_millis(now))
                .await?;
        }
        tx.commit().await?;
        self.wakes.outbox.notify_one();
        if reply.changed {
            self.wakes.engine.notify_one();
        }
        let said = reply
            .messages
            .iter()
            .filter_map(|m| m.text_shown().map(str::to_owned));
        Ok(said
            .chain(reply.callback_text)
            .next()
            .unwrap_or_else(|| texts::done(signed.lang).to_string()))
    }

    /// A `datetime-local` (or typed "YYYY-MM-DD HH:MM") in the city's zone.
    pub(super) fn local_input(&self, text: &str) -> Option<DateTime<Utc>> {
        let text = text.trim().replacen('T', " ", 1);
        crate::oncall::parse_local(&text, self.config.general.time_zone).ok()
    }

    /// `at` as a `datetime-local` value in the city's zone.
    pub(super) fn input_value(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.config.general.time_zone);
        local.format("%Y-%m-%dT%H:%M").to_string()
    }

    /// `at` as shown in the pages' tables, in the city's zone.
    pub(super) fn shown(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.config.general.time_zone);
        local.format("%m-%d %H:%M").to_string()
    }
}

/// A form that carries nothing but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    pub csrf: Option<String>,
}
