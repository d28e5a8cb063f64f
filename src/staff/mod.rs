//! The staff's side of the chat: on-call, zones, cover, acknowledge and
//! resolve. Only people configured in `[[people]]` get here.

mod console;

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::clock::{from_millis, to_millis};
use crate::config::{Config, Person};
use crate::domain::{Lang, Ticket};
use crate::escalation::bundle::ListPage;
use crate::escalation::{Acted, Escalator};
use crate::intake::places::{PlaceMatch, Places};
use crate::oncall::{self, OnCall};
use crate::outbox::OutMessage;
use crate::store::Tx;
use crate::texts::staff as texts;

/// Commands only staff may use; anyone else is refused politely.
pub const COMMANDS: &[&str] = &[
    "oncall", "zone", "cover", "ack", "resolve", "progress", "escalate", "open", "ticket", "note",
    "assign", "away", "back", "update", "planned",
];

/// Button data of alerts: `esc:<id>:ack` or `esc:<id>:resolve`.
pub fn is_staff_button(data: &str) -> bool {
    ["esc:", "open:", "rep:"]
        .iter()
        .any(|prefix| data.starts_with(prefix))
}

#[derive(Debug, Default)]
pub struct StaffReply {
    pub messages: Vec<OutMessage>,
    pub callback_text: Option<String>,
    /// An escalation or a zone changed: the engine should look again.
    pub changed: bool,
}

impl StaffReply {
    fn say(chat_id: i64, text: impl Into<String>) -> StaffReply {
        StaffReply {
            messages: vec![OutMessage::text(chat_id, text)],
            ..StaffReply::default()
        }
    }
}

pub struct Staff {
    config: Arc<Config>,
    oncall: Arc<OnCall>,
    escalator: Arc<Escalator>,
    places: Places,
}

impl Staff {
    pub fn new(
        config: Arc<Config>,
        oncall: Arc<OnCall>,
        escalator: Arc<Escalator>,
        places: Places,
    ) -> Staff {
        Staff {
            config,
            oncall,
            escalator,
            places,
        }
    }

    pub fn person_by_telegram(&self, user_id: i64) -> Option<&Person> {
        self.config.people.iter().find(|p| p.telegram_id == user_id)
    }

    /// By id, @username or display name.
    fn find_person(&self, text: &str) -> Option<&Person> {
        let t = text.trim().trim_start_matches('@');
        self.config.people.iter().find(|p| {
            p.id.eq_ignore_ascii_case(t)
                || p.name == t
                || p.username
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(t))
        })
    }

    fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.config.general.time_zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    pub async fn command(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        name: &str,
        args: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let words: Vec<&str> = args.split_whitespace().collect();
        Ok(match name {
            "oncall" => {
                let overrides = tx.current_overrides(to_millis(now)).await?;
                let away = tx.away_people().await?;
                let text = oncall::render(&self.config, &self.oncall, now, &overrides, &away, lang);
                StaffReply::say(chat_id, text)
            }
            "zone" => self.zone(tx, me, chat_id, &words, now).await?,
            "cover" => self.cover(tx, me, chat_id, &words, now).await?,
            "open" => self.open(tx, me, chat_id, &words, now).await?,
            "ticket" => self.ticket(tx, me, chat_id, &words).await?,
            "note" => self.note(tx, me, chat_id, &words, now).await?,
            "assign" => self.assign(tx, me, chat_id, &words, now).await?,
            "away" => self.away(tx, me, chat_id, true, now).await?,
            "back" => self.away(tx, me, chat_id, false, now).await?,
            "update" => self.update(tx, me, chat_id, &words, now).await?,
            "planned" => self.planned(tx, me, chat_id, &words, now).await?,
            "resolve" if words.first().is_some_and(|w| Ticket::parse(w).is_some()) => {
                match self
                    .resolve_ticket_command(tx, me, chat_id, &words, now)
                    .await?
                {
                    Some(reply) => reply,
                    None => StaffReply::say(chat_id, texts::no_such_ticket(lang)),
                }
            }
            "ack" | "resolve" | "progress" | "escalate" => {
                let Some(id) = words
                    .first()
                    .and_then(|w| w.trim_start_matches('#').parse::<i64>().ok())
                else {
                    return Ok(StaffReply::say(
                        chat_id,
                        texts::pick(
                            lang,
                            "用法：/ack 编号 或 /resolve 编号 [说明]",
                            "Usage: /ack <id> or /resolve <id> [note]",
                        ),
                    ));
                };
                let note = words.get(1..).map(|w| w.join(" ")).unwrap_or_default();
                let (text, changed) = self.act(tx, me, id, name, &note, now).await?;
                StaffReply {
                    messages: vec![OutMessage::text(chat_id, text)],
                    callback_text: None,
                    changed,
                }
            }
            _ => StaffReply::say(chat_id, texts::staff_only(lang)),
        })
    }

    /// A press of a staff button: an alert's (`esc:<id>:<action>`), a queue
    /// page (`open:…`) or a ticket's Resolve (`rep:<id>:resolve`).
    pub async fn button(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        message_id: Option<i32>,
        data: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        if data.starts_with("open:") {
            return self
                .open_button(tx, me, chat_id, message_id, data, now)
                .await;
        }
        if data.starts_with("rep:") {
            return self.report_button(tx, me, chat_id, data, now).await;
        }
        // A page of an alert bundle's full list (escalation::bundle::ListPage).
        if let Some(page) = ListPage::parse(data) {
            let page = self.escalator.list_page(tx, me, message_id, page).await?;
            return Ok(match page {
                Some(message) => StaffReply {
                    messages: vec![message],
                    ..StaffReply::default()
                },
                None => StaffReply {
                    callback_text: Some(texts::no_such_list(me.lang).into()),
                    ..StaffReply::default()
                },
            });
        }
        let mut parts = data.split(':').skip(1);
        let (id, action) = (
            parts.next().and_then(|i| i.parse::<i64>().ok()),
            parts.next(),
        );
        let Some(id) = id else {
            return Ok(StaffReply {
                callback_text: Some(texts::no_such_escalation(me.lang).into()),
                ..StaffReply::default()
            });
        };
        if action == Some("details") {
            let details = self.escalator.details(tx, id, me.lang, now).await?;
            let text = details.unwrap_or_else(|| texts::no_such_escalation(me.lang).to_string());
            return Ok(StaffReply {
                messages: vec![OutMessage::text(chat_id, text)],
                ..StaffReply::default()
            });
        }
        let (text, changed) = self.act(tx, me, id, action.unwrap_or(""), "", now).await?;
        Ok(StaffReply {
            messages: Vec::new(),
            callback_text: Some(text),
            changed,
        })
    }

    /// Acknowledge, resolve, in progress or escalate now, from a button or a command.
    async fn act(
        &self,
        tx: &mut Tx,
        me: &Person,
        id: i64,
        action: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, bool)> {
        let lang = me.lang;
        let acted = match action {
            "ack" => self.escalator.acknowledge(tx, id, me, now).await?,
            "resolve" => self.escalator.resolve(tx, id, me, note, now).await?,
            "progress" => self.escalator.progress(tx, id, me, note, now).await?,
            "escalate" => self.escalator.escalate_now(tx, id, me, now).await?,
            _ => Acted::NotFound,
        };
        let at = self.local(now);
        Ok(match acted {
            Acted::Done => {
                let text = match action {
                    "ack" => texts::acknowledged_by(lang, &me.name, &at),
                    "resolve" => texts::resolved_by(lang, &me.name, &at, note),
                    "progress" => texts::in_progress_set(lang).to_string(),
                    _ => texts::escalated_now(lang).to_string(),
                };
                (text, true)
            }
            Acted::AlreadyDone => (texts::already_done(lang).to_string(), false),
            Acted::NotFound => (texts::no_such_escalation(lang).to_string(), false),
        })
    }

    async fn zone(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let now_ms = to_millis(now);
        match words {
            ["list", ..] | [] => {
                let zones = tx.active_zones(now_ms).await?;
                if zones.is_empty() {
                    return Ok(StaffReply::say(
                        chat_id,
                        texts::pick(lang, "目前没有重点区域。", "No priority zones now."),
                    ));
                }
                let lines: Vec<String> = zones
                    .iter()
                    .map(|z| {
                        let name = self
                            .places
                            .name_of(&z.compound_id)
                            .unwrap_or(&z.compound_id);
                        let kind = z
                            .kind()
                            .map_or(z.kind.clone(), |k| k.label(lang).to_string());
                        let until = z
                            .expires_at
                            .map(|e| format!(" → {}", self.local(from_millis(e))))
                            .unwrap_or_default();
                        let by = self
                            .escalator
                            .person(&z.created_by)
                            .map_or(z.created_by.as_str(), |p| p.name.as_str());
                        format!("#{} {name} {} · {kind}{until} ({by})", z.id, z.address)
                    })
                    .collect();
                Ok(StaffReply::say(chat_id, lines.join("\n")))
            }
            ["remove", id, ..] => {
                let removed = match id.trim_start_matches('#').parse::<i64>() {
                    Ok(id) => tx.remove_zone(id, &me.id, now_ms).await?,
                    Err(_) => false,
                };
                let text = if removed {
                    texts::pick(lang, "已移除。", "Removed.")
                } else {
                    texts::pick(lang, "没有这个重点区域。", "No such zone.")
                };
                Ok(StaffReply {
                    messages: vec![OutMessage::text(chat_id, text)],
                    callback_text: None,
                    changed: removed,
                })
            }
            ["add", compound, kind, rest @ ..] => {
                self.add_zone(tx, me, chat_id, compound, kind, rest, now)
                    .await
            }
            _ => Ok(StaffReply::say(chat_id, texts::zone_usage(lang))),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn add_zone(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        compound: &str,
        kind: &str,
        rest: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let compound_id = match self.places.find(compound) {
            PlaceMatch::Found { id, .. } => id,
            _ => {
                return Ok(StaffReply::say(
                    chat_id,
                    texts::unknown_compound(lang, compound),
                ));
            }
        };
        let Some(kind) = texts::zone_kind_name(kind) else {
            return Ok(StaffReply::say(chat_id, texts::zone_usage(lang)));
        };
        let (expires, address) = match rest {
            ["until", date, address @ ..] => match self.end_of_day(date) {
                Some(at) => (Some(at), address.join(" ")),
                None => return Ok(StaffReply::say(chat_id, texts::zone_usage(lang))),
            },
            address => (None, address.join(" ")),
        };
        let id = tx
            .add_zone(
                &compound_id,
                &address,
                kind,
                expires.map(to_millis),
                &me.id,
                to_millis(now),
            )
            .await?;
        tracing::info!(zone_id = id, compound = %compound_id, kind = kind.code(), by = %me.id, "priority zone added");
        let name = self.places.name_of(&compound_id).unwrap_or(&compound_id);
        let until = expires
            .map(|e| format!(" → {}", self.local(e)))
            .unwrap_or_default();
        let mut text = match lang {
            Lang::Zh => format!(
                "已添加重点区域 #{id}：{name} {address} · {}{until}",
                kind.label(lang)
            ),
            Lang::En => format!(
                "Priority zone #{id} added: {name} {address} · {}{until}",
                kind.label(lang)
            ),
        };
        if self
            .config
            .escalation
            .zones
            .get(&kind)
            .is_some_and(|z| z.no_entry)
        {
            text = format!("{text}\n{}", texts::no_entry(lang));
        }
        Ok(StaffReply {
            messages: vec![OutMessage::text(chat_id, text)],
            callback_text: None,
            changed: true,
        })
    }

    /// The end of a city-local day given as YYYY-MM-DD.
    fn end_of_day(&self, date: &str) -> Option<DateTime<Utc>> {
        let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        let midnight = (day + Duration::days(1)).and_hms_opt(0, 0, 0)?;
        self.config
            .general
            .time_zone
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.to_utc())
    }

    async fn cover(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let (who, whom, until) = match words {
            [who, "for", whom, "until", until @ ..] => (*who, Some(*whom), until.join(" ")),
            [who, "until", until @ ..] => (*who, None, until.join(" ")),
            _ => return Ok(StaffReply::say(chat_id, texts::cover_usage(lang))),
        };
        let Some(cover) = self.find_person(who) else {
            return Ok(StaffReply::say(chat_id, texts::unknown_person(lang, who)));
        };
        let replaced = match whom {
            Some(whom) => match self.find_person(whom) {
                Some(p) => p,
                None => return Ok(StaffReply::say(chat_id, texts::unknown_person(lang, whom))),
            },
            None => me,
        };
        let tz = self.config.general.time_zone;
        let ends = match oncall::parse_until(&until, now, tz) {
            Ok(ends) if ends > now => ends,
            // A full date and time already gone: say so, not the usage.
            _ if oncall::parse_local(&until, tz).is_ok_and(|at| at <= now) => {
                return Ok(StaffReply::say(
                    chat_id,
                    texts::cover_time_passed(lang, &until),
                ));
            }
            _ => return Ok(StaffReply::say(chat_id, texts::cover_usage(lang))),
        };
        let now_ms = to_millis(now);
        let id = tx
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
        let text = match lang {
            Lang::Zh => format!(
                "已设置：{} 替 {} 值班，至 {}（设置人：{}）",
                cover.name,
                replaced.name,
                self.local(ends),
                me.name
            ),
            Lang::En => format!(
                "Set: {} covers for {} until {} (set by {})",
                cover.name,
                replaced.name,
                self.local(ends),
                me.name
            ),
        };
        Ok(StaffReply {
            messages: vec![OutMessage::text(chat_id, text)],
            callback_text: None,
            changed: true,
        })
    }
}
