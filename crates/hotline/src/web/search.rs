//! `/desk/search`: one box for a ticket, a phone (whole or its last 4
//! digits), a compound or address, or words of the description, over every
//! stored report, open and resolved, with status and date filters. Pages
//! run newest first; "next page" continues below the last report shown, so
//! a page never repeats or skips a report while new ones arrive.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{Duration, NaiveDate, TimeZone};
use maud::{Markup, html};
use serde::Deserialize;

use super::session::{OrResponse, respond};
use super::{Desk, layout};
use crate::clock::{from_millis, to_millis};
use crate::domain::{Category, Lang, SearchTerm};
use crate::store::{ReportRow, Search, StatusFilter, WORD_WINDOW};
use crate::texts::Label;
use crate::texts::desk as texts;
use crate::texts::desk_hall as hall;

/// Reports per page.
const PAGE: i64 = 50;

/// The query string: `?q=8000&status=open&from=2026-02-01&to=2026-02-09&before=123`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Params {
    q: String,
    /// `open`, `resolved`, or anything else for all.
    status: String,
    /// City dates, both included.
    from: String,
    to: String,
    before: Option<i64>,
}

impl Params {
    fn status(&self) -> StatusFilter {
        match self.status.as_str() {
            "open" => StatusFilter::Open,
            "resolved" => StatusFilter::Resolved,
            _ => StatusFilter::Any,
        }
    }

    /// This search from its first page, or continued below `before`.
    fn link(&self, before: Option<i64>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &self.q);
        query.append_pair("status", &self.status);
        query.append_pair("from", &self.from);
        query.append_pair("to", &self.to);
        if let Some(id) = before {
            query.append_pair("before", &id.to_string());
        }
        format!("/desk/search?{}", query.finish())
    }
}

pub async fn page(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let lang = signed.lang;
            let search = desk.search_of(&params);
            let found = desk.store.search_reports(&search).await.or_page(lang)?;
            // A word search that read its window without filling the page
            // says so: the next link looks further back in the history.
            let full = found.reports.len() as i64 >= PAGE;
            let next_text = match full {
                true => hall::next_page(lang),
                false => hall::search_older(lang),
            };
            let body = html! {
                h1 { (hall::search(lang)) }
                (search_form(lang, &params))
                (desk.results(lang, &found.reports))
                nav.pages {
                    @if params.before.is_some() { a href=(params.link(None)) { (hall::first_page(lang)) } " " }
                    @if let Some(id) = found.next_before { a #next-page href=(params.link(Some(id))) { (next_text) } }
                }
            };
            let page = layout::page(lang, hall::search(lang), Some(&signed), body);
            Ok(layout::respond(StatusCode::OK, page))
        }
        .await,
    )
}

impl Desk {
    fn search_of(&self, params: &Params) -> Search {
        let tz = self.config.general.time_zone;
        let start = |text: &str, days: i64| {
            let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
            let midnight = (day + Duration::days(days)).and_hms_opt(0, 0, 0)?;
            let at = tz.from_local_datetime(&midnight).earliest()?;
            Some(to_millis(at.to_utc()))
        };
        Search {
            term: SearchTerm::parse(&params.q),
            status: params.status(),
            from_ms: start(&params.from, 0),
            to_ms: start(&params.to, 1),
            before_id: params.before,
            limit: PAGE,
            word_window: WORD_WINDOW,
        }
    }

    fn results(&self, lang: Lang, found: &[ReportRow]) -> Markup {
        let tz = self.config.general.time_zone;
        let when = |ms: i64| from_millis(ms).with_timezone(&tz).format("%Y-%m-%d %H:%M");
        html! {
            @if found.is_empty() {
                p.notice #no-results { (hall::no_results(lang)) }
            } @else {
                table #results {
                    thead { tr {
                        th { (texts::ticket(lang)) }
                        th { (hall::created(lang)) }
                        th { (texts::category(lang)) }
                        th { (texts::address(lang)) }
                        th { (texts::description(lang)) }
                        th { (hall::phone(lang)) }
                        th { (texts::status(lang)) }
                    } }
                    tbody {
                        @for r in found {
                            tr data-ticket=(r.ticket) {
                                td { a href={ "/desk/ticket/" (r.ticket) } { (r.ticket) } }
                                td { (when(r.created_at)) }
                                td { (Category::from_code(&r.category).unwrap_or(Category::Other).label(lang)) }
                                td { (r.compound_text) " " (r.address_detail) }
                                td.desc { (r.description) }
                                td { (r.phone.as_deref().unwrap_or("")) }
                                td.status { (r.status.label(lang)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn search_form(lang: Lang, params: &Params) -> Markup {
    let status = params.status();
    html! {
        form.filters role="search" method="get" action="/desk/search" {
            label { (hall::search(lang))
                input type="search" name="q" value=(params.q) placeholder=(hall::search_hint(lang)) autofocus;
            }
            label { (texts::status(lang)) select name="status" {
                option value="" selected[status == StatusFilter::Any] { (hall::any_status(lang)) }
                option value="open" selected[status == StatusFilter::Open] { (hall::open_only(lang)) }
                option value="resolved" selected[status == StatusFilter::Resolved] { (hall::resolved_only(lang)) }
            } }
            label { (hall::from(lang)) input type="date" name="from" value=(params.from); }
            label { (hall::to(lang)) input type="date" name="to" value=(params.to); }
            button type="submit" { (hall::search(lang)) }
        }
    }
}
