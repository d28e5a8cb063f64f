//! The Queue page: open reports and escalations, urgent first, with filters
//! and counts per compound; it updates itself within a second or two of a
//! change, over server-sent events (the database is polled, so a report
//! taken by any instance shows on every instance's desk). The hall notices
//! at once: the tab title counts unacknowledged escalations, and a new urgent
//! row is announced (`aria-live`) and, if this browser turned it on, beeps
//! (`assets/desk.js`).

use crate::texts::Label;
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::session::{OrResponse, Signed, respond};
use super::{Desk, layout};
use crate::domain::{Category, Lang, ReportStatus};
use crate::store::QueueItem;
use crate::texts::desk as texts;
use crate::texts::desk_hall as hall;
use crate::texts::supervision;

/// How often the live queue looks for changes.
const POLL: Duration = Duration::from_millis(700);
/// The most open reports one page shows.
const LIMIT: i64 = 500;

/// The queue's filters, from the query string; empty means all.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Filter {
    compound: String,
    district: String,
    category: String,
    status: String,
    zone: String,
    /// `1`: only tickets past a promised time (督办).
    overdue: String,
}

pub async fn page(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(filter): Query<Filter>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let lang = signed.lang;
            let (rows, waiting) = desk.queue_html(lang, &filter).await.or_page(lang)?;
            let body = html! {
                h1 { (texts::queue(lang)) }
                (desk.filter_form(lang, &filter))
                (hall_controls(lang))
                div #queue data-announce=(hall::announce_urgent(lang)) { (rows) }
            };
            let title = match waiting {
                0 => texts::queue(lang).to_string(),
                n => format!("({n}) {}", texts::queue(lang)),
            };
            let page = layout::page(lang, &title, Some(&signed), body);
            Ok(layout::respond(StatusCode::OK, page))
        }
        .await,
    )
}

/// The queue without the page around it.
pub async fn rows(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(filter): Query<Filter>,
) -> Response {
    respond(
        async {
            let Signed { lang, .. } = desk.signed(&headers).await?;
            let (rows, _) = desk.queue_html(lang, &filter).await.or_page(lang)?;
            Ok(layout::respond(StatusCode::OK, rows))
        }
        .await,
    )
}

/// Server-sent events: a `queue` event with the new rows whenever they change.
pub async fn events(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(filter): Query<Filter>,
) -> Response {
    let lang = match desk.signed(&headers).await {
        Ok(signed) => signed.lang,
        Err(refused) => return refused,
    };
    let start = (desk, filter, String::new(), true);
    let stream =
        futures_util::stream::unfold(start, move |(desk, filter, last, first)| async move {
            if !first {
                tokio::time::sleep(POLL).await;
            }
            let mut last = last;
            loop {
                if let Ok((rows, _)) = desk.queue_html(lang, &filter).await {
                    // An event's data ends at a line break: keep them as entities.
                    let rows = rows
                        .into_string()
                        .replace('\r', "&#13;")
                        .replace('\n', "&#10;");
                    if rows != last {
                        let event = Event::default().event("queue").data(&rows);
                        return Some((Ok::<_, Infallible>(event), (desk, filter, rows, false)));
                    }
                    last = rows;
                }
                tokio::time::sleep(POLL).await;
            }
        });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The hall's notices: the sound toggle (shown by the script, which keeps
/// the choice per browser) and the region a screen reader announces.
fn hall_controls(lang: Lang) -> Markup {
    html! {
        button #sound-toggle type="button" hidden aria-pressed="false"
            data-on=(hall::sound_on(lang)) data-off=(hall::sound_off(lang)) { (hall::sound_off(lang)) }
        div #announce .visually-hidden role="status" aria-live="assertive" {}
    }
}

impl Desk {
    pub(super) fn district_of(&self, compound_id: Option<&str>) -> &str {
        let compound = compound_id.and_then(|id| self.config.compounds.iter().find(|c| c.id == id));
        compound.map_or("", |c| c.district.as_str())
    }

    fn keep(&self, item: &QueueItem, filter: &Filter, zoned: &[String], now_ms: i64) -> bool {
        let r = &item.report;
        let overdue = || crate::supervision::deadline_of(&self.config, r, now_ms).is_some();
        let compound = r.compound_id.as_deref();
        (filter.compound.is_empty() || compound == Some(filter.compound.as_str()))
            && (filter.district.is_empty() || self.district_of(compound) == filter.district)
            && (filter.category.is_empty() || r.category == filter.category)
            && (filter.status.is_empty() || r.status.code() == filter.status)
            && (filter.zone.is_empty() || compound.is_some_and(|c| zoned.iter().any(|z| z == c)))
            && (filter.overdue.is_empty() || overdue())
    }

    /// The counts and the table of the filtered queue, and how many
    /// escalations nobody has acknowledged (the page's title counts them).
    async fn queue_html(&self, lang: Lang, filter: &Filter) -> anyhow::Result<(Markup, i64)> {
        let items = self.store.desk_queue(LIMIT).await?;
        let now_ms = self.now_ms();
        let zoned = self.store.zoned_compounds(now_ms).await?;
        // Per compound: reports, and the households behind them.
        let mut counts: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
        for item in &items {
            let r = &item.report;
            let (n, households) = counts.entry(r.compound_text.as_str()).or_default();
            *n += 1;
            households.insert(r.household.as_deref().unwrap_or(&r.ticket));
        }
        let waiting = self.store.unacknowledged_escalations().await?;
        let shown: Vec<&QueueItem> = items
            .iter()
            .filter(|item| self.keep(item, filter, &zoned, now_ms))
            .collect();
        let markup = html! {
            span #unacked hidden data-count=(waiting) {}
            p.total #total { (texts::total(lang, shown.len())) }
            ul.counts aria-label=(texts::per_compound(lang)) {
                @for (compound, (n, households)) in &counts {
                    li { (compound) " " strong { (n) } " · " (texts::households(lang, households.len())) }
                }
            }
            @if shown.is_empty() {
                p.notice { (texts::queue_empty(lang)) }
            } @else {
                table {
                    thead { tr {
                        th { (texts::ticket(lang)) }
                        th { (texts::category(lang)) }
                        th { (texts::address(lang)) }
                        th { (texts::description(lang)) }
                        th { (texts::status(lang)) }
                        th { (texts::waited(lang)) }
                    } }
                    tbody {
                        @for item in &shown { (self.row(item, lang, now_ms, &zoned)) }
                    }
                }
            }
        };
        Ok((markup, waiting))
    }

    fn row(&self, item: &QueueItem, lang: Lang, now_ms: i64, zoned: &[String]) -> Markup {
        let r = &item.report;
        let category = Category::from_code(&r.category).unwrap_or(Category::Other);
        let in_zone = r
            .compound_id
            .as_deref()
            .is_some_and(|c| zoned.iter().any(|z| z == c));
        let overdue = crate::supervision::deadline_of(&self.config, r, now_ms);
        html! {
            tr.urgent[item.escalation_id.is_some()] .overdue[overdue.is_some()] data-ticket=(r.ticket)
                data-announce=(format!("{} {} {}", r.ticket, category.label(lang), r.compound_text)) {
                td {
                    a href={ "/desk/ticket/" (r.ticket) } { (r.ticket) }
                    @if let Some(id) = item.escalation_id {
                        br; span.badge { "🚨 " (texts::escalated(lang)) " #" (id) }
                    }
                    @if in_zone { br; span.badge { "⚠ " (texts::zone(lang)) } }
                    @if let Some(deadline) = overdue {
                        br; span.badge.overdue { "⏰ " (supervision::missed(lang, deadline)) }
                    }
                }
                td { (category.label(lang)) }
                td { (r.compound_text) " " (r.address_detail) }
                td.desc { (r.description) }
                td { (r.status.label(lang)) }
                td { (texts::waited_for(lang, (now_ms - r.created_at).max(0) / 60_000)) }
            }
        }
    }

    fn filter_form(&self, lang: Lang, filter: &Filter) -> Markup {
        let mut districts: Vec<&str> = self
            .config
            .compounds
            .iter()
            .map(|c| c.district.as_str())
            .filter(|d| !d.is_empty())
            .collect();
        districts.sort_unstable();
        districts.dedup();
        let statuses = [
            ReportStatus::New,
            ReportStatus::Acknowledged,
            ReportStatus::InProgress,
        ];
        html! {
            form.filters method="get" action="/desk" {
                label { (texts::compound(lang)) select name="compound" {
                    option value="" { (texts::all(lang)) }
                    @for c in &self.config.compounds {
                        option value=(c.id) selected[filter.compound == c.id] { (c.name) }
                    }
                } }
                label { (texts::district(lang)) select name="district" {
                    option value="" { (texts::all(lang)) }
                    @for d in &districts {
                        option value=(d) selected[filter.district == *d] { (d) }
                    }
                } }
                label { (texts::category(lang)) select name="category" {
                    option value="" { (texts::all(lang)) }
                    @for c in Category::ALL {
                        option value=(c.code()) selected[filter.category == c.code()] { (c.label(lang)) }
                    }
                } }
                label { (texts::status(lang)) select name="status" {
                    option value="" { (texts::all(lang)) }
                    @for s in statuses {
                        option value=(s.code()) selected[filter.status == s.code()] { (s.label(lang)) }
                    }
                } }
                label { (texts::zone(lang)) select name="zone" {
                    option value="" { (texts::all(lang)) }
                    option value="1" selected[!filter.zone.is_empty()] { (texts::zone_only(lang)) }
                } }
                label { (supervision::filter_label(lang)) select name="overdue" {
                    option value="" { (texts::all(lang)) }
                    option value="1" selected[!filter.overdue.is_empty()] { (supervision::overdue_only(lang)) }
                } }
                button type="submit" { (texts::filter(lang)) }
            }
        }
    }
}
