//! Telling residents: `/update` broadcasts an incident's progress to everyone
//! who reported it (and posts it to the utility's channel, if configured;
//! as Telegram's paid broadcasts up to a daily cap, if configured);
//! `/planned` announces planned work, so residents reporting
//! an outage meanwhile are told at once.

use chrono::{DateTime, Utc};

use super::{Ctx, Staff};
use crate::clock::{local_short, to_millis};
use crate::domain::{EscalationId, Lang, News, NewsKind, PlaceMatch, Reply};
use crate::oncall;
use crate::outbox::{Lane, OutMessage};
use crate::texts::schedule as sched;
use crate::texts::{self, console as t};

impl Staff {
    /// `/update <escalation id> <text> [eta <time>]`: broadcast to every subscriber.
    pub(super) async fn update(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let (lang, now) = (cx.lang(), cx.now);
        let tz = self.config.general.time_zone;
        let id = words
            .first()
            .and_then(|w| w.trim_start_matches('#').parse::<EscalationId>().ok());
        let rest = words.get(1..).unwrap_or_default();
        let (text_words, eta) = match rest
            .iter()
            .position(|w| t::ETA_WORDS.iter().any(|e| w.eq_ignore_ascii_case(e)))
        {
            Some(at) => match oncall::parse_until(&rest[at + 1..].join(" "), now, tz) {
                Ok(eta) => (&rest[..at], Some(eta)),
                Err(_) => return Ok(cx.say(t::update_usage(lang))),
            },
            None => (rest, None),
        };
        let text = text_words.join(" ");
        let esc = match id {
            Some(id) => cx.tx.escalation(id).await?,
            None => None,
        };
        let Some(esc) = esc.filter(|_| !text.is_empty()) else {
            return Ok(cx.say(t::update_usage(lang)));
        };
        let (now_ms, me) = (cx.now_ms(), cx.me);
        cx.tx
            .add_incident_update(esc.id, &text, eta.map(to_millis), &me.id, now_ms)
            .await?;
        cx.tx
            .add_timeline(
                esc.id,
                crate::domain::TimelineKind::Update,
                me.id.as_str(),
                &text,
                now_ms,
            )
            .await?;
        let eta_text = eta.map(|e| local_short(to_millis(e), tz));
        if let Some(channel) = self.config.telegram.channel_id() {
            // One post reaches every follower: it goes in the reply lane, ahead
            // of the personal copies queued below.
            let body = texts::incident_update(
                self.config.general.default_language,
                &esc.compound_text,
                esc.category,
                &text,
                eta_text.as_deref(),
            );
            let post = OutMessage::text(channel, body);
            cx.tx.enqueue(Lane::Reply, &post, now_ms).await?;
        }
        let subscribers = cx.tx.incident_subscribers(esc.id).await?;
        let mut paid_left = self.paid_left_today(cx).await?;
        for (resident_chat, resident_lang) in &subscribers {
            let rl = Lang::parse(resident_lang).unwrap_or_default();
            let body = texts::incident_update(
                rl,
                &esc.compound_text,
                esc.category,
                &text,
                eta_text.as_deref(),
            );
            // Paid broadcasts are Telegram's; a WeChat resident's copy is not one.
            let message = if paid_left > 0 && !resident_chat.is_wechat() {
                paid_left -= 1;
                OutMessage::paid(*resident_chat, body)
            } else {
                OutMessage::text(*resident_chat, body)
            };
            let news = News {
                kind: NewsKind::Incident,
                subject: esc.compound_text.clone(),
            };
            let message = message.with_news(news);
            cx.tx.enqueue(Lane::Broadcast, &message, now_ms).await?;
        }
        tracing::info!(escalation_id = esc.id.0, subscribers = subscribers.len(), by = %me.id, "incident update broadcast");
        Ok(cx.say(t::update_sent(lang, subscribers.len())))
    }

    /// Paid broadcasts still allowed today (city-local), with
    /// `telegram.paid_broadcast` on; none with it off.
    async fn paid_left_today(&self, cx: &mut Ctx<'_>) -> anyhow::Result<i64> {
        let t = &self.config.telegram;
        if !t.paid_broadcast {
            return Ok(0);
        }
        let tz = self.config.general.time_zone;
        let today = cx.now.with_timezone(&tz).date_naive();
        let midnight = today
            .and_hms_opt(0, 0, 0)
            .and_then(|m| m.and_local_timezone(tz).earliest())
            .map_or(cx.now, |m| m.to_utc());
        let used = cx.tx.paid_sends_since(to_millis(midnight)).await?;
        Ok((i64::from(t.paid_broadcast_daily_cap) - used).max(0))
    }

    /// `/planned <compound> <date> <HH:MM> [<date>] <HH:MM> [note]` or `/planned list`.
    pub(super) async fn planned(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let tz = self.config.general.time_zone;
        if matches!(words, [] | ["list", ..]) {
            return self.planned_list(cx).await;
        }
        let parsed = match words {
            [compound, date, from, end_date, to, note @ ..] if end_date.contains('-') => Some((
                compound,
                format!("{date} {from}"),
                format!("{end_date} {to}"),
                note,
            )),
            [compound, date, from, to, note @ ..] => Some((
                compound,
                format!("{date} {from}"),
                format!("{date} {to}"),
                note,
            )),
            _ => None,
        };
        let window = parsed.and_then(|(compound, from, to, note)| {
            let PlaceMatch::Found { id, .. } = self.places.find(compound) else {
                return None;
            };
            let from = oncall::parse_local(&from, tz).ok()?;
            let to = oncall::parse_local(&to, tz).ok()?;
            (to > from).then(|| (id, from, to, note.join(" ")))
        });
        let Some((compound_id, from, to, note)) = window else {
            return Ok(cx.say(t::planned_usage(lang)));
        };
        self.add_planned(cx, &compound_id, from, to, &note).await
    }

    /// Planned work on `compound_id` (a configured compound's id) from
    /// `from` to `to`. Refused, with the reason, when the end is not after
    /// the start or has already passed (it could tell nobody anything).
    /// The chat's `/planned` and the desk's form both end here.
    pub async fn add_planned(
        &self,
        cx: &mut Ctx<'_>,
        compound_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        note: &str,
    ) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let local = |ms: i64| local_short(ms, self.config.general.time_zone);
        let Some(name) = self.places.name_of(compound_id) else {
            return Ok(cx.say(t::unknown_compound(lang, compound_id)));
        };
        if to <= from {
            return Ok(cx.say(sched::end_before_start(lang)));
        }
        if to <= cx.now {
            return Ok(cx.say(sched::end_passed(lang, &self.local(to))));
        }
        let (from, to) = (to_millis(from), to_millis(to));
        let (now_ms, me) = (cx.now_ms(), cx.me);
        let id = cx
            .tx
            .add_planned(compound_id, from, to, note.trim(), &me.id, now_ms)
            .await?;
        tracing::info!(planned_id = id, compound = %compound_id, by = %me.id, "planned outage announced");
        let text = t::planned_added(lang, id, name, &local(from), &local(to));
        Ok(cx.say(text))
    }

    /// Cancels planned work not yet over (the desk's remove button).
    pub async fn remove_planned(&self, cx: &mut Ctx<'_>, id: i64) -> anyhow::Result<Reply> {
        let removed = cx.tx.remove_planned(id, cx.now_ms()).await?;
        tracing::info!(planned_id = id, by = %cx.me.id, removed, "planned outage cancelled");
        Ok(cx.say(sched::planned_removed(cx.lang(), removed)))
    }

    async fn planned_list(&self, cx: &mut Ctx<'_>) -> anyhow::Result<Reply> {
        let tz = self.config.general.time_zone;
        let local = |ms: i64| local_short(ms, tz);
        let list = cx.tx.upcoming_planned(cx.now_ms()).await?;
        let lines: Vec<String> = list
            .iter()
            .map(|p| {
                let name = self
                    .places
                    .name_of(&p.compound_id)
                    .unwrap_or(&p.compound_id);
                format!(
                    "#{} {name} {} – {} {} ({})",
                    p.id,
                    local(p.starts_at),
                    local(p.ends_at),
                    p.note,
                    self.name_of(&p.created_by)
                )
            })
            .collect();
        let text = if lines.is_empty() {
            t::planned_usage(cx.lang()).to_string()
        } else {
            lines.join("\n")
        };
        Ok(cx.say(text))
    }
}
