//! 督办 (supervision of promised times): which unresolved tickets are overdue
//! now (`domain::overdue` per ticket, `[supervision]` per category), the
//! lists `/overdue` and the digest show, and the engine's `overdue` part:
//! one bundled message to whoever holds the `supervisor` role now (by the
//! rotations, covers and away, as any role) about tickets NEWLY overdue,
//! through the outbox, each ticket and deadline recorded so it is never told
//! twice (the record and the message commit together). With nobody holding
//! the role nothing is recorded, so the next holder hears of them all.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::clock::to_millis;
use crate::config::Config;
use crate::domain::overdue::{Deadline, missed};
use crate::domain::{Category, Lane, Lang, OutMessage, Role};
use crate::oncall::OnCall;
use crate::store::{ReportRow, Store, Tx};
use crate::texts::Label;
use crate::texts::supervision as texts;

/// The most tickets one message lists; the rest are counted.
const LISTED: usize = 30;

/// A ticket past a promised time.
#[derive(Debug, Clone)]
pub struct Overdue {
    pub report: ReportRow,
    pub deadline: Deadline,
}

/// The deadline `report` has missed at `now_ms`, by its category's promise.
pub fn deadline_of(config: &Config, report: &ReportRow, now_ms: i64) -> Option<Deadline> {
    let promise = config.supervision.promise(&report.category);
    missed(promise, report.status, report.created_at, now_ms)
}

/// Every unresolved ticket overdue at `now_ms`, oldest first.
pub async fn overdue_now(
    store: &Store,
    config: &Config,
    now_ms: i64,
) -> anyhow::Result<Vec<Overdue>> {
    let filed_by = now_ms.saturating_sub(config.supervision.shortest_ms());
    let rows = store.unresolved_filed_by(filed_by).await?;
    Ok(overdue_among(config, rows, now_ms))
}

/// Those of `rows` overdue at `now_ms`.
pub fn overdue_among(config: &Config, rows: Vec<ReportRow>, now_ms: i64) -> Vec<Overdue> {
    rows.into_iter()
        .filter_map(|report| {
            let deadline = deadline_of(config, &report, now_ms)?;
            Some(Overdue { report, deadline })
        })
        .collect()
}

/// One ticket as a line: number, place, category, what it missed, how long
/// it has waited.
pub fn line(lang: Lang, o: &Overdue, now_ms: i64) -> String {
    let r = &o.report;
    let category = Category::from_code(&r.category).unwrap_or(Category::Other);
    let minutes = (now_ms - r.created_at).max(0) / 60_000;
    format!(
        "• {} {} · {} · {} · {}",
        r.ticket,
        r.compound_text,
        category.label(lang),
        texts::missed(lang, o.deadline),
        texts::waited(lang, minutes)
    )
}

/// `head`, then up to [`LISTED`] tickets, then how many more there are.
pub fn message(lang: Lang, head: String, items: &[&Overdue], now_ms: i64) -> String {
    let mut lines = vec![head];
    lines.extend(items.iter().take(LISTED).map(|o| line(lang, o, now_ms)));
    if items.len() > LISTED {
        lines.push(texts::and_more(lang, items.len() - LISTED));
    }
    lines.join("\n")
}

/// What `/overdue` answers, from the unresolved `rows`: every overdue
/// ticket, or that there is none.
pub fn answer(config: &Config, rows: Vec<ReportRow>, lang: Lang, now_ms: i64) -> String {
    let overdue = overdue_among(config, rows, now_ms);
    if overdue.is_empty() {
        return texts::none_overdue(lang).to_owned();
    }
    let items: Vec<&Overdue> = overdue.iter().collect();
    message(lang, texts::overdue_now(lang, items.len()), &items, now_ms)
}

/// The person who holds the `supervisor` role at `now` and is present,
/// if they can be written to.
async fn supervisor<'a>(
    tx: &mut Tx,
    config: &'a Config,
    oncall: &OnCall,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<&'a crate::config::Person>> {
    let now_ms = to_millis(now);
    let overrides = tx.current_overrides(now_ms).await?;
    let away = tx.away_people(now_ms).await?;
    let holder = oncall.present_holder(Role::Supervisor, now, &overrides, &away);
    let person = holder.and_then(|h| config.people.iter().find(|p| p.id == h.person_id));
    Ok(person.filter(|p| p.telegram_id != 0))
}

/// Tells whoever holds the `supervisor` role, in one message, about the
/// tickets that missed a deadline since the role was last told; returns how
/// many were new.
pub async fn notify_newly_overdue(
    store: &Store,
    config: &Config,
    oncall: &OnCall,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let now_ms = to_millis(now);
    let overdue = overdue_now(store, config, now_ms).await?;
    if overdue.is_empty() {
        return Ok(0);
    }
    let mut tx = store.begin().await?;
    let Some(person) = supervisor(&mut tx, config, oncall, now).await? else {
        return Ok(0);
    };
    let mut fresh = Vec::new();
    for o in &overdue {
        if tx
            .record_overdue_notice(o.report.id, o.deadline.code(), now_ms)
            .await?
        {
            fresh.push(o);
        }
    }
    if fresh.is_empty() {
        return Ok(0);
    }
    let head = texts::newly_overdue(person.lang, fresh.len());
    let text = message(person.lang, head, &fresh, now_ms);
    let out = OutMessage::text(person.chat(), text);
    tx.enqueue(Lane::Reply, &out, now_ms).await?;
    tx.commit().await?;
    tracing::info!(
        tickets = fresh.len(),
        person = %person.id,
        "supervisor told of newly overdue tickets"
    );
    Ok(fresh.len())
}

/// The tickets overdue at `now_ms`, counted in SQL (the Reports page and
/// the digest read no report's row): the promises become, per category,
/// the latest filing times that have missed them.
pub async fn overdue_counts(
    store: &Store,
    config: &Config,
    now_ms: i64,
    lang: Lang,
) -> anyhow::Result<Counts> {
    let filed_by = now_ms.saturating_sub(config.supervision.shortest_ms());
    let by = |code: &str| {
        let promise = config.supervision.promise(code);
        (
            now_ms.saturating_sub(promise.resolve_ms),
            now_ms.saturating_sub(promise.acknowledge_ms),
        )
    };
    let thresholds: Vec<_> = Category::ALL
        .iter()
        .map(|c| {
            let (resolve_by, acknowledge_by) = by(c.code());
            (c.code().to_string(), resolve_by, acknowledge_by)
        })
        .collect();
    let others = by("");
    let mut c = Counts::default();
    for (category, compound, n) in store.overdue_counted(filed_by, &thresholds, others).await? {
        let n = usize::try_from(n).unwrap_or(0);
        c.total += n;
        let category = Category::from_code(&category).unwrap_or(Category::Other);
        *c.per_category
            .entry(category.label(lang).to_owned())
            .or_default() += n;
        *c.per_compound.entry(compound).or_default() += n;
    }
    Ok(c)
}

/// Overdue tickets counted per category (its label) and per compound.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub total: usize,
    pub per_category: BTreeMap<String, usize>,
    pub per_compound: BTreeMap<String, usize>,
}

pub fn counts(lang: Lang, items: &[Overdue]) -> Counts {
    let mut c = Counts {
        total: items.len(),
        ..Counts::default()
    };
    for o in items {
        let category = Category::from_code(&o.report.category).unwrap_or(Category::Other);
        *c.per_category
            .entry(category.label(lang).to_owned())
            .or_default() += 1;
        *c.per_compound
            .entry(o.report.compound_text.clone())
            .or_default() += 1;
    }
    c
}

/// The digest's lines: how many are overdue, per category, per compound.
pub fn digest_lines(lang: Lang, c: &Counts) -> Vec<String> {
    let joined = |m: &BTreeMap<String, usize>| {
        let parts: Vec<String> = m.iter().map(|(k, n)| format!("{k} {n}")).collect();
        parts.join(" · ")
    };
    let mut lines = vec![texts::digest_overdue(lang, c.total)];
    if c.total > 0 {
        lines.push(format!(
            "{}{}",
            texts::per_category(lang),
            joined(&c.per_category)
        ));
        let per_compound = crate::texts::digest::per_compound(lang);
        lines.push(format!("{per_compound}{}", joined(&c.per_compound)));
    }
    lines
}
