//! What the call form shows about a caller as soon as their number is
//! typed: that number's earlier reports, open and resolved (by household,
//! so a chat resident who gave this number is found too), and what is known
//! now about their compounds: open incidents, planned work with its end,
//! priority zones and whether staff may enter. Served whole in the page
//! (without JavaScript) and as a fragment for the live lookup.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::Desk;
use super::session::{OrResponse, respond};
use crate::clock::local_short;
use crate::domain::household::normalize_phone;
use crate::domain::{Category, Household, Lang, ReportStatus};
use crate::store::ReportRow;
use crate::texts::Label;
use crate::texts::call as t;

/// One compound's news, ready to show.
struct CompoundNews {
    name: String,
    lines: Vec<String>,
    no_entry: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct Lookup {
    #[serde(default)]
    phone: String,
}

/// `GET /desk/call/caller?phone=`: the caller panel alone (live lookup).
pub async fn caller(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(lookup): Query<Lookup>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let lang = signed.lang;
            let panel = desk.caller_panel(lang, &lookup.phone, None).await;
            Ok(super::layout::respond(StatusCode::OK, panel.or_page(lang)?))
        }
        .await,
    )
}

impl Desk {
    /// The panel for `phone` (nothing when it is not a number yet), with
    /// `compound` (the one typed on the form) among the compounds shown.
    pub(super) async fn caller_panel(
        &self,
        lang: Lang,
        phone: &str,
        compound: Option<&str>,
    ) -> anyhow::Result<Markup> {
        let Some(number) = normalize_phone(phone) else {
            return Ok(html! {});
        };
        let key = Household::of_call(Some(&number)).key("");
        let reports = self.store.household_reports(&key).await?;
        let mut compounds: BTreeSet<String> = reports
            .iter()
            .filter_map(|r| r.compound_id.clone())
            .collect();
        compounds.extend(compound.map(str::to_owned));
        let news = self.compound_news(lang, &compounds).await?;
        Ok(html! {
            section.history {
                h2 { (t::history(lang)) " · " (number) }
                @if reports.is_empty() {
                    p { (t::no_history(lang)) }
                } @else {
                    ul { @for r in &reports { li { (self.history_line(lang, r)) } } }
                }
                @if !compounds.is_empty() {
                    h2 { (t::news(lang)) }
                    @if news.iter().all(|n| n.lines.is_empty()) {
                        p { (t::no_news(lang)) }
                    }
                    ul {
                        @for n in news.iter().filter(|n| !n.lines.is_empty()) {
                            li.news {
                                strong { (n.name) } " "
                                @if n.no_entry { span.no-entry { (t::no_entry(lang)) } " " }
                                (n.lines.join("；"))
                            }
                        }
                    }
                }
            }
        })
    }

    fn history_line(&self, lang: Lang, r: &ReportRow) -> Markup {
        let tz = self.config.general.time_zone;
        let category = Category::from_code(&r.category).map_or("", |c| c.label(lang));
        let open = r.status != ReportStatus::Resolved;
        html! {
            a href={ "/desk/ticket/" (r.ticket) } { (r.ticket) } " "
            (local_short(r.created_at, tz)) " · " (category) " · "
            (r.compound_text) " " (r.address_detail) " · "
            span class=(if open { "open" } else { "done" }) { (r.status.label(lang)) }
            @if !r.description.is_empty() { " — " span.desc { (r.description) } }
        }
    }

    /// Open incidents, planned work and zones of each compound.
    async fn compound_news(
        &self,
        lang: Lang,
        compounds: &BTreeSet<String>,
    ) -> anyhow::Result<Vec<CompoundNews>> {
        if compounds.is_empty() {
            return Ok(vec![]);
        }
        let now = self.now_ms();
        let tz = self.config.general.time_zone;
        let incidents = self.store.unresolved_escalations().await?;
        let planned = self.store.planned_not_over(now).await?;
        let zones = self.store.zones_in_force(now).await?;
        let policies = &self.config.escalation.zones;
        Ok(compounds
            .iter()
            .map(|id| {
                let here = |c: Option<&String>| c.is_some_and(|c| c == id);
                let mut lines = Vec::new();
                let mut no_entry = false;
                for e in incidents.iter().filter(|e| here(e.compound_id.as_ref())) {
                    no_entry |= e.no_entry;
                    let category = e.category.label(lang);
                    lines.push(t::open_incident(lang, category, e.report_count));
                }
                for p in planned.iter().filter(|p| here(Some(&p.compound_id))) {
                    lines.push(t::planned(lang, &local_short(p.ends_at, tz), &p.note));
                }
                for z in zones.iter().filter(|z| here(Some(&z.compound_id))) {
                    no_entry |= policies.get(&z.kind).is_some_and(|p| p.no_entry);
                    let label = format!("{} {}", z.kind.label(lang), z.address);
                    lines.push(t::zone(lang, label.trim()));
                }
                CompoundNews {
                    name: self.places_name_of(id),
                    lines,
                    no_entry,
                }
            })
            .collect())
    }
}
