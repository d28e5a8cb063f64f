//! The Reports page: a period's counts per day, category, compound and
//! district, time to acknowledge and to resolve (median, p90), a chart of
//! reports per day (SVG, or PNG from `chart.rs`), the CSV download, and the
//! tickets overdue now (督办, `overdue.rs`);
//! `hotline export` prints the same CSV.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate, TimeZone};
use maud::{Markup, html};
use serde::Deserialize;

use super::session::{OrResponse, respond};
use super::stats::{self, Summary};
use super::{Desk, layout};
use crate::clock::to_millis;
use crate::config::Config;
use crate::domain::Lang;
use crate::store::{PeriodFigures, ReportTimes, Store};
use crate::texts::desk_pages as pages;

/// `?from=2026-02-01&to=2026-02-29` (city dates, both included); default:
/// the last seven days.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Period {
    from: String,
    to: String,
}

impl Period {
    fn days(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let to = parse(&self.to).unwrap_or(today);
        let from = parse(&self.from).unwrap_or(to - Duration::days(6));
        (from, to.max(from))
    }
}

/// The instants `[start of from, start of the day after to)` of city dates
/// `from..=to`.
fn bounds(config: &Config, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    let tz = config.general.time_zone;
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        tz.from_local_datetime(&midnight)
            .earliest()
            .map_or(0, |t| to_millis(t.to_utc()))
    };
    (start(from), start(to + Duration::days(1)))
}

/// The reports created on city dates `from..=to`, every column (the CSV).
pub async fn reports_in(
    store: &Store,
    config: &Config,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<Vec<ReportTimes>> {
    let (start, end) = bounds(config, from, to);
    Ok(store.reports_between(start, end).await?)
}

/// The figures of the reports created on city dates `from..=to` (the page,
/// the chart, the digest): counted in SQL, never every row.
pub async fn figures_in(
    store: &Store,
    config: &Config,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<PeriodFigures> {
    let (start, end) = bounds(config, from, to);
    Ok(store.period_figures(start, end).await?)
}

/// Reports per city day on `from..=to` (the charts).
pub async fn per_day_in(
    store: &Store,
    config: &Config,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<BTreeMap<NaiveDate, usize>> {
    let (start, end) = bounds(config, from, to);
    let quarters = store.period_per_quarter(start, end).await?;
    Ok(stats::per_day(&quarters, config.general.time_zone))
}

/// `hotline export`: the CSV of the reports created on `from..=to`.
pub async fn export_csv(config: &Config, from: NaiveDate, to: NaiveDate) -> anyhow::Result<String> {
    let store = Store::open_existing(&config.database.url).await?;
    let rows = reports_in(&store, config, from, to).await?;
    store.close().await;
    Ok(stats::csv(
        &rows,
        config.general.time_zone,
        config.general.default_language,
        |c| district(config, c),
    ))
}

fn district(config: &Config, compound_id: &str) -> String {
    let found = config.compounds.iter().find(|c| c.id == compound_id);
    found.map_or(String::new(), |c| c.district.clone())
}

impl Desk {
    /// The period's city dates, the last seven days by default.
    fn period_days(&self, period: &Period) -> (NaiveDate, NaiveDate) {
        let tz = self.config.general.time_zone;
        let today = self.clock.now().with_timezone(&tz).date_naive();
        period.days(today)
    }
}

pub async fn page(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(period): Query<Period>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let lang = signed.lang;
            let (from, to) = desk.period_days(&period);
            let figures = figures_in(&desk.store, &desk.config, from, to)
                .await
                .or_page(lang)?;
            let tz = desk.config.general.time_zone;
            let summary = stats::summarize(&figures, tz, lang, |c| district(&desk.config, c));
            let overdue = desk.overdue_counts(lang).await.or_page(lang)?;
            let query = format!("from={from}&to={to}");
            let title = pages::reports_title(lang);
            let body = html! {
                h1 { (title) }
                form.filters method="get" action="/desk/reports" {
                    label { (pages::from(lang)) input type="date" name="from" value=(from); }
                    label { (pages::to(lang)) input type="date" name="to" value=(to); }
                    button type="submit" { (crate::texts::desk::filter(lang)) }
                }
                p {
                    a #csv href={ "/desk/reports.csv?" (query) } { "CSV" }
                }
                img #chart src={ "/desk/reports/chart.svg?" (query) } alt=(title) width="640" height="240";
                (summary_html(&summary, lang))
                (super::overdue::section(&overdue, lang))
            };
            let html = layout::page(lang, title, Some(&signed), body);
            Ok(layout::respond(StatusCode::OK, html))
        }
        .await,
    )
}

fn summary_html(s: &Summary, lang: Lang) -> Markup {
    let minutes = |m: Option<(i64, i64)>| match m {
        Some((median, p90)) => format!("{median} / {p90} min"),
        None => "—".to_string(),
    };
    let table = |title: &str, counts: &BTreeMap<String, usize>| {
        html! {
            section { h2 { (title) } table { tbody {
                @for (k, n) in counts { tr { td { (k) } td { (n) } } }
            } } }
        }
    };
    let per_day: BTreeMap<String, usize> =
        s.per_day.iter().map(|(d, n)| (d.to_string(), *n)).collect();
    html! {
        p #total { (pages::reports_total(lang)) ": " (s.total) }
        p { (pages::time_to_acknowledge(lang)) ": " (minutes(s.to_acknowledge)) }
        p { (pages::time_to_resolve(lang)) ": " (minutes(s.to_resolve)) }
        (table(pages::per_day(lang), &per_day))
        (table(crate::texts::desk::category(lang), &s.per_category))
        (table(crate::texts::desk::compound(lang), &s.per_compound))
        (table(crate::texts::desk::district(lang), &s.per_district))
    }
}

pub async fn csv(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(period): Query<Period>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let lang = signed.lang;
            let (from, to) = desk.period_days(&period);
            let rows = reports_in(&desk.store, &desk.config, from, to)
                .await
                .or_page(lang)?;
            let tz = desk.config.general.time_zone;
            let body = stats::csv(&rows, tz, lang, |c| district(&desk.config, c));
            let mut response = body.into_response();
            let h = response.headers_mut();
            h.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            let name = format!("attachment; filename=\"reports-{from}-{to}.csv\"");
            if let Ok(value) = HeaderValue::from_str(&name) {
                h.insert(CONTENT_DISPOSITION, value);
            }
            Ok(response)
        }
        .await,
    )
}

/// The period's reports per day as an SVG chart.
pub async fn chart(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(period): Query<Period>,
) -> Response {
    respond(chart_as(&desk, &headers, &period, Picture::Svg).await)
}

/// The same chart as a PNG (every day of the period, 0 included).
pub async fn chart_png(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(period): Query<Period>,
) -> Response {
    respond(chart_as(&desk, &headers, &period, Picture::Png).await)
}

enum Picture {
    Svg,
    Png,
}

async fn chart_as(
    desk: &Desk,
    headers: &HeaderMap,
    period: &Period,
    picture: Picture,
) -> Result<Response, Response> {
    let signed = desk.signed(headers).await?;
    let (from, to) = desk.period_days(period);
    let per_day = per_day_in(&desk.store, &desk.config, from, to)
        .await
        .or_page(signed.lang)?;
    let (mut response, kind) = match picture {
        Picture::Svg => (stats::chart(&per_day).into_response(), "image/svg+xml"),
        Picture::Png => {
            let bars = super::chart::days(&per_day, from, to, None);
            (super::chart::png(&bars).into_response(), "image/png")
        }
    };
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    Ok(response)
}
