//! The queue from chat: `/open`, `/ticket`, `/note`, `/assign`, `/resolve
//! <ticket>`, `/away`, `/back`, incident updates and planned work.

use chrono::{DateTime, Utc};

use super::{Staff, StaffReply};
use crate::clock::{local_short, to_millis};
use crate::config::Person;
use crate::domain::{Category, Lang, ReportStatus, Ticket};
use crate::intake::places::PlaceMatch;
use crate::oncall;
use crate::outbox::{InlineButton, Keyboard, Lane, OutMessage};
use crate::store::{QueueItem, ReportRow, Tx};
use crate::texts::{self, staff as t};

/// Reports per page of `/open`.
pub const PAGE: i64 = 10;

impl Staff {
    fn ago(&self, then_ms: i64, now: DateTime<Utc>, lang: Lang) -> String {
        let minutes = (to_millis(now) - then_ms) / 60_000;
        match (lang, minutes) {
            (Lang::Zh, m) if m < 60 => format!("{m}分钟前"),
            (Lang::Zh, m) if m < 1440 => format!("{}小时前", m / 60),
            (Lang::Zh, m) => format!("{}天前", m / 1440),
            (Lang::En, m) if m < 60 => format!("{m} min ago"),
            (Lang::En, m) if m < 1440 => format!("{} h ago", m / 60),
            (Lang::En, m) => format!("{} d ago", m / 1440),
        }
    }

    /// Reads `/open` filters: a compound and/or a category, in any order.
    fn filters(&self, words: &[&str]) -> Option<(Option<String>, Option<Category>)> {
        let (mut compound, mut category) = (None, None);
        for word in words {
            if let Some(c) = Category::from_code(word).or_else(|| Category::from_label(word)) {
                category = Some(c);
            } else if let PlaceMatch::Found { id, .. } = self.places.find(word) {
                compound = Some(id);
            } else {
                return None;
            }
        }
        Some((compound, category))
    }

    pub(super) async fn open(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let Some((compound, category)) = self.filters(words) else {
            return Ok(StaffReply::say(chat_id, t::open_usage(me.lang)));
        };
        let (text, keyboard) = self
            .open_page(tx, me.lang, compound.as_deref(), category, 0, now)
            .await?;
        Ok(StaffReply {
            messages: vec![OutMessage::with_keyboard(chat_id, text, keyboard)],
            ..StaffReply::default()
        })
    }

    /// One page of the queue and its paging buttons (`open:<page>:<compound>:<category>`).
    async fn open_page(
        &self,
        tx: &mut Tx,
        lang: Lang,
        compound: Option<&str>,
        category: Option<Category>,
        page: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, Keyboard)> {
        let (items, total) = tx.open_queue(compound, category, PAGE, page * PAGE).await?;
        if total == 0 {
            return Ok((t::open_empty(lang).to_string(), Keyboard::Keep));
        }
        let pages = (total + PAGE - 1) / PAGE;
        let mut lines = vec![t::open_header(lang, total, page + 1, pages)];
        lines.extend(items.iter().map(|item| self.queue_line(item, lang, now)));
        let data = |p: i64| {
            format!(
                "open:{p}:{}:{}",
                compound.unwrap_or("-"),
                category.map_or("-", Category::code)
            )
        };
        let mut row = Vec::new();
        if page > 0 {
            row.push(InlineButton {
                text: t::prev_button(lang).into(),
                data: data(page - 1),
            });
        }
        if page + 1 < pages {
            row.push(InlineButton {
                text: t::next_button(lang).into(),
                data: data(page + 1),
            });
        }
        let keyboard = if row.is_empty() {
            Keyboard::Keep
        } else {
            Keyboard::inline(vec![row])
        };
        Ok((lines.join("\n"), keyboard))
    }

    fn queue_line(&self, item: &QueueItem, lang: Lang, now: DateTime<Utc>) -> String {
        let r = &item.report;
        let flag = item
            .escalation_id
            .map(|id| format!("🚨#{id} "))
            .unwrap_or_default();
        let category = r.category().unwrap_or(Category::Other).label(lang);
        let assigned = r
            .assigned_to
            .as_deref()
            .map(|p| format!(" · 👤{}", self.name_of(p)))
            .unwrap_or_default();
        let status = r.status().label(lang);
        let ago = self.ago(r.created_at, now, lang);
        format!(
            "{flag}{} · {category} · {} {} · {status} · {ago}{assigned}",
            r.ticket, r.compound_text, r.address_detail
        )
    }

    fn name_of(&self, person_id: &str) -> String {
        self.config
            .people
            .iter()
            .find(|p| p.id == person_id)
            .map_or(person_id.to_string(), |p| p.name.clone())
    }

    /// A paging button of `/open`: the message is rewritten with that page.
    pub(super) async fn open_button(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        message_id: Option<i32>,
        data: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let mut parts = data.split(':').skip(1);
        let page = parts
            .next()
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0);
        let compound = parts.next().filter(|c| *c != "-").map(str::to_string);
        let category = parts.next().and_then(Category::from_code);
        let (text, keyboard) = self
            .open_page(tx, me.lang, compound.as_deref(), category, page, now)
            .await?;
        let message = match message_id {
            Some(message_id) => OutMessage::Edit {
                chat_id,
                message_id,
                text,
                keyboard,
            },
            None => OutMessage::with_keyboard(chat_id, text, keyboard),
        };
        Ok(StaffReply {
            messages: vec![message],
            ..StaffReply::default()
        })
    }

    async fn find_ticket(
        &self,
        tx: &mut Tx,
        word: Option<&&str>,
    ) -> anyhow::Result<Option<ReportRow>> {
        match word.and_then(|w| Ticket::parse(w)) {
            Some(ticket) => Ok(tx.report_by_ticket(ticket.as_str()).await?),
            None => Ok(None),
        }
    }

    /// A report with its whole timeline: events, alerts and acknowledgements.
    pub(super) async fn ticket(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let Some(r) = self.find_ticket(tx, words.first()).await? else {
            return Ok(StaffReply::say(chat_id, t::ticket_usage(lang)));
        };
        let tz = self.config.general.time_zone;
        let when = |ms: i64| local_short(ms, tz);
        let category = r.category().unwrap_or(Category::Other).label(lang);
        let mut lines = vec![
            format!("🎫 {} · {category} · {}", r.ticket, r.status().label(lang)),
            format!("📍 {} {}", r.compound_text, r.address_detail),
            format!("📝 {}", r.description),
        ];
        if let Some(phone) = &r.phone {
            lines.push(format!("☎️ {phone}"));
        }
        if !r.photos().is_empty() {
            lines.push(format!("📷 {}", r.photos().len()));
        }
        if let Some(who) = &r.assigned_to {
            lines.push(format!("👤 {}", self.name_of(who)));
        }
        lines.push(String::new());
        for (at, kind, actor, detail) in tx.report_history(r.id).await? {
            let actor = actor
                .strip_prefix("staff:")
                .map_or(actor.clone(), |p| self.name_of(p));
            lines.push(format!("{} {kind} · {actor} {detail}", when(at)));
        }
        for id in tx.escalations_of_report(r.id).await? {
            for e in tx.escalation_timeline(id).await? {
                let target = if e.target.is_empty() {
                    String::new()
                } else {
                    self.name_of(&e.target)
                };
                lines.push(format!(
                    "{} 🚨#{id} {} {target} {}",
                    when(e.at),
                    e.kind,
                    e.detail
                ));
            }
        }
        let resolve = InlineButton {
            text: t::resolve_button(lang).into(),
            data: format!("rep:{}:resolve", r.id),
        };
        let keyboard = if r.status() == ReportStatus::Resolved {
            Keyboard::Keep
        } else {
            Keyboard::inline(vec![vec![resolve]])
        };
        Ok(StaffReply {
            messages: vec![OutMessage::with_keyboard(
                chat_id,
                lines.join("\n"),
                keyboard,
            )],
            ..StaffReply::default()
        })
    }

    pub(super) async fn note(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let text = words.get(1..).map(|w| w.join(" ")).unwrap_or_default();
        let Some(r) = self
            .find_ticket(tx, words.first())
            .await?
            .filter(|_| !text.is_empty())
        else {
            return Ok(StaffReply::say(chat_id, t::ticket_usage(me.lang)));
        };
        tx.add_report_event(
            r.id,
            "note",
            &format!("staff:{}", me.id),
            &text,
            to_millis(now),
        )
        .await?;
        Ok(StaffReply::say(chat_id, t::noted(me.lang)))
    }

    pub(super) async fn assign(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let (Some(r), Some(who)) = (self.find_ticket(tx, words.first()).await?, words.get(1))
        else {
            return Ok(StaffReply::say(chat_id, t::ticket_usage(lang)));
        };
        let Some(person) = self.find_person(who) else {
            return Ok(StaffReply::say(chat_id, t::unknown_person(lang, who)));
        };
        if tx.away_people().await?.contains(&person.id) {
            return Ok(StaffReply::say(chat_id, t::is_away(lang, &person.name)));
        }
        let now_ms = to_millis(now);
        tx.assign_report(r.id, &person.id, now_ms).await?;
        tx.add_report_event(
            r.id,
            "assigned",
            &format!("staff:{}", me.id),
            &person.id,
            now_ms,
        )
        .await?;
        let summary = format!(
            "{} {} — {}",
            r.compound_text, r.address_detail, r.description
        );
        let note = t::assigned_to_you(person.lang, &r.ticket, &me.name, &summary);
        tx.enqueue(
            Lane::Alert,
            &OutMessage::text(person.telegram_id, note),
            now_ms,
        )
        .await?;
        Ok(StaffReply::say(
            chat_id,
            t::assigned(lang, &r.ticket, &person.name),
        ))
    }

    /// `/resolve <ticket> <note>`: one report; its resident gets the note.
    pub(super) async fn resolve_ticket(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        report: ReportRow,
        note: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let now_ms = to_millis(now);
        if !tx.resolve_report(report.id, now_ms).await? {
            return Ok(StaffReply::say(chat_id, t::already_done(lang)));
        }
        tx.add_report_event(
            report.id,
            "resolved",
            &format!("staff:{}", me.id),
            note,
            now_ms,
        )
        .await?;
        crate::escalation::tell_residents(
            tx,
            std::slice::from_ref(&report),
            ReportStatus::Resolved,
            note,
            now_ms,
        )
        .await?;
        Ok(StaffReply::say(
            chat_id,
            t::ticket_resolved(lang, &report.ticket),
        ))
    }

    pub(super) async fn resolve_ticket_command(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<StaffReply>> {
        let Some(report) = self.find_ticket(tx, words.first()).await? else {
            return Ok(None);
        };
        let note = words.get(1..).map(|w| w.join(" ")).unwrap_or_default();
        Ok(Some(
            self.resolve_ticket(tx, me, chat_id, report, &note, now)
                .await?,
        ))
    }

    /// The Resolve button under `/ticket`: `rep:<id>:resolve`.
    pub(super) async fn report_button(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        data: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let id = data.split(':').nth(1).and_then(|i| i.parse::<i64>().ok());
        let report = match id {
            Some(id) => tx.all_report_by_id(id).await?,
            None => None,
        };
        let Some(report) = report else {
            return Ok(StaffReply {
                callback_text: Some(t::no_such_ticket(me.lang).into()),
                ..StaffReply::default()
            });
        };
        let mut reply = self
            .resolve_ticket(tx, me, chat_id, report, "", now)
            .await?;
        reply.callback_text = reply.messages.first().map(|m| match m {
            OutMessage::Send { text, .. } | OutMessage::Edit { text, .. } => text.clone(),
        });
        reply.messages.clear();
        Ok(reply)
    }

    pub(super) async fn away(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        away: bool,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        if away {
            tx.set_away(&me.id, to_millis(now)).await?;
            tracing::info!(person = %me.id, "marked away");
            return Ok(StaffReply {
                changed: true,
                ..StaffReply::say(chat_id, t::away_set(lang))
            });
        }
        let was = tx.set_back(&me.id).await?;
        tracing::info!(person = %me.id, "back");
        Ok(StaffReply::say(
            chat_id,
            if was {
                t::back_set(lang)
            } else {
                t::not_away(lang)
            },
        ))
    }

    /// `/update <escalation id> <text> [eta <time>]`: broadcast to every subscriber.
    pub(super) async fn update(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let tz = self.config.general.time_zone;
        let id = words
            .first()
            .and_then(|w| w.trim_start_matches('#').parse::<i64>().ok());
        let rest = words.get(1..).unwrap_or_default();
        let (text_words, eta) = match rest
            .iter()
            .position(|w| w.eq_ignore_ascii_case("eta") || *w == "预计")
        {
            Some(at) => match oncall::parse_until(&rest[at + 1..].join(" "), now, tz) {
                Ok(eta) => (&rest[..at], Some(eta)),
                Err(_) => return Ok(StaffReply::say(chat_id, t::update_usage(lang))),
            },
            None => (rest, None),
        };
        let text = text_words.join(" ");
        let esc = match id {
            Some(id) => tx.escalation(id).await?,
            None => None,
        };
        let Some(esc) = esc.filter(|_| !text.is_empty()) else {
            return Ok(StaffReply::say(chat_id, t::update_usage(lang)));
        };
        let now_ms = to_millis(now);
        tx.add_incident_update(esc.id, &text, eta.map(to_millis), &me.id, now_ms)
            .await?;
        tx.add_timeline(esc.id, "update", &me.id, &text, now_ms)
            .await?;
        let eta_text = eta.map(|e| local_short(to_millis(e), tz));
        let subscribers = tx.incident_subscribers(esc.id).await?;
        for (resident_chat, resident_lang) in &subscribers {
            let rl = Lang::parse(resident_lang).unwrap_or_default();
            let body = texts::incident_update(
                rl,
                &esc.compound_text,
                esc.category,
                &text,
                eta_text.as_deref(),
            );
            tx.enqueue(
                Lane::Broadcast,
                &OutMessage::text(*resident_chat, body),
                now_ms,
            )
            .await?;
        }
        tracing::info!(escalation_id = esc.id, subscribers = subscribers.len(), by = %me.id, "incident update broadcast");
        Ok(StaffReply::say(
            chat_id,
            t::update_sent(lang, subscribers.len()),
        ))
    }

    /// `/planned <compound> <date> <HH:MM> [<date>] <HH:MM> [note]` or `/planned list`.
    pub(super) async fn planned(
        &self,
        tx: &mut Tx,
        me: &Person,
        chat_id: i64,
        words: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<StaffReply> {
        let lang = me.lang;
        let tz = self.config.general.time_zone;
        let local = |ms: i64| local_short(ms, tz);
        if matches!(words, [] | ["list", ..]) {
            let list = tx.upcoming_planned(to_millis(now)).await?;
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
                t::planned_usage(lang).to_string()
            } else {
                lines.join("\n")
            };
            return Ok(StaffReply::say(chat_id, text));
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
            let PlaceMatch::Found { id, name, .. } = self.places.find(compound) else {
                return None;
            };
            let from = oncall::parse_local(&from, tz).ok()?;
            let to = oncall::parse_local(&to, tz).ok()?;
            (to > from).then(|| (id, name, from, to, note.join(" ")))
        });
        let Some((compound_id, name, from, to, note)) = window else {
            return Ok(StaffReply::say(chat_id, t::planned_usage(lang)));
        };
        let id = tx
            .add_planned(
                &compound_id,
                to_millis(from),
                to_millis(to),
                &note,
                &me.id,
                to_millis(now),
            )
            .await?;
        tracing::info!(planned_id = id, compound = %compound_id, by = %me.id, "planned outage announced");
        Ok(StaffReply::say(
            chat_id,
            t::planned_added(
                lang,
                id,
                &name,
                &local(to_millis(from)),
                &local(to_millis(to)),
            ),
        ))
    }
}
