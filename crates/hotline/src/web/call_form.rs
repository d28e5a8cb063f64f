//! The call form's markup: keyboard-first (the number has the focus, Tab
//! walks the fields in the order a call goes, Enter files it, compound
//! suggestions in a datalist the arrow keys reach), a plain form without
//! JavaScript; `assets/call.js` (served here) adds the live lookups, among
//! them the compound suggestions (`/desk/call/places`).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::call::CallForm;
use super::session::{OrResponse, Signed, respond};
use super::{Desk, layout};
use crate::config::Config;
use crate::domain::places::normalize;
use crate::domain::{Category, Lang, PlaceMatch, Places};
use crate::store::EscalationRow;
use crate::texts::Label;
use crate::texts::call as t;

/// The most compounds one suggestion list shows.
const SUGGESTIONS: usize = 8;

/// Why a posted form is shown again instead of filed.
#[derive(Debug, Clone)]
pub enum Problem {
    /// Only the number was given: show what is known about it.
    Lookup,
    Missing(&'static str),
    NotAPhone,
    TooLong(&'static str, usize),
    /// Several compounds come close to what was typed: (id, name).
    Which(Vec<(String, String)>),
    IncidentOver,
}

/// A form to show, with what went wrong (if anything).
pub struct Shown<'a> {
    pub form: &'a CallForm,
    pub problem: Option<Problem>,
}

impl Desk {
    pub(super) async fn call_page(
        &self,
        signed: &Signed,
        shown: Shown<'_>,
        status: StatusCode,
    ) -> Result<Response, Response> {
        let lang = signed.lang;
        let form = shown.form;
        let typed = self.staff.places().find(form.compound.trim());
        let typed_id = match &typed {
            PlaceMatch::Found { id, .. } => Some(id.as_str()),
            _ => None,
        };
        let panel = self.caller_panel(lang, &form.phone, typed_id);
        let panel = panel.await.or_page(lang)?;
        let incidents = self.store.unresolved_escalations().await.or_page(lang)?;
        let filed = self
            .filed_banner(lang, form.filed.trim())
            .await
            .or_page(lang)?;
        // After a filed call the form starts afresh for the next one.
        let blank = CallForm::default();
        let form = if filed.is_some() { &blank } else { form };
        let body = html! {
            link rel="stylesheet" href="/desk/assets/call.css";
            script src="/desk/assets/call.js" defer {}
            h1 { (t::title(lang)) }
            @if let Some(filed) = filed { (filed) }
            @if let Some(problem) = &shown.problem { (problem_line(lang, problem)) }
            (self.form(lang, signed, form, shown.problem.as_ref(), &incidents, panel))
        };
        let page = layout::page(lang, t::title(lang), Some(signed), body);
        Ok(layout::respond(status, page))
    }

    fn form(
        &self,
        lang: Lang,
        signed: &Signed,
        form: &CallForm,
        problem: Option<&Problem>,
        incidents: &[EscalationRow],
        panel: Markup,
    ) -> Markup {
        let focus_phone = matches!(problem, None | Some(Problem::NotAPhone))
            || matches!(problem, Some(Problem::Missing(w)) if *w == t::phone(lang));
        let candidates = match problem {
            Some(Problem::Which(c)) => c.as_slice(),
            _ => &[],
        };
        let sms_on = self.config.desk.sms_receipts;
        html! {
            form #call method="post" action="/desk/call" autocomplete="off" {
                input type="hidden" name="csrf" value=(signed.csrf);
                label for="phone" { (t::phone(lang)) }
                input #phone type="tel" name="phone" value=(form.phone) autofocus[focus_phone]
                    inputmode="tel" aria-describedby="phone-hint";
                small #phone-hint { (t::phone_hint(lang)) }
                div #caller aria-live="polite" { (panel) }
                label for="compound" { (t::compound(lang)) }
                input #compound type="text" name="compound" value=(form.compound)
                    list="compound-list" aria-describedby="compound-hint"
                    autofocus[!focus_phone && candidates.is_empty()];
                small #compound-hint { (t::compound_hint(lang)) }
                datalist #compound-list { (suggestions(self.staff.places(), &self.config, &form.compound)) }
                @if !candidates.is_empty() {
                    fieldset.which {
                        legend { (t::which_compound(lang)) }
                        @for (n, (id, name)) in candidates.iter().enumerate() {
                            label {
                                input type="radio" name="compound_id" value=(id)
                                    checked[n == 0] autofocus[n == 0];
                                " " (name)
                            }
                        }
                    }
                }
                label for="detail" { (t::detail(lang)) }
                input #detail type="text" name="detail" value=(form.detail);
                label for="category" { (t::category(lang)) }
                select #category name="category" {
                    option value="" { (t::choose(lang)) }
                    @for c in Category::ALL {
                        option value=(c.code()) selected[form.category == c.code()] { (c.label(lang)) }
                    }
                }
                label for="description" { (t::description(lang)) }
                input #description type="text" name="description" value=(form.description);
                label for="join" { (t::join(lang)) }
                select #join name="join" {
                    option value="" { (t::join_none(lang)) }
                    @for e in incidents {
                        @let id = e.id.to_string();
                        option value=(id) selected[form.join == id] {
                            "#" (id) " " (e.compound_text) " · " (e.category.label(lang))
                        }
                    }
                }
                @if sms_on {
                    label.check {
                        input #sms type="checkbox" name="sms" value="on"
                            checked[form.sms == "on" || form.phone.is_empty()];
                        " " (t::sms_receipt(lang))
                    }
                }
                button.primary #file type="submit" { (t::submit(lang)) }
            }
        }
    }

    /// The ticket just filed, large, with what happened to it.
    async fn filed_banner(&self, lang: Lang, ticket: &str) -> anyhow::Result<Option<Markup>> {
        if ticket.is_empty() {
            return Ok(None);
        }
        let Some(item) = self.store.desk_report(ticket).await? else {
            return Ok(None);
        };
        let texted = self.store.call_texts_caller(item.report.id).await?;
        let ticket = &item.report.ticket;
        Ok(Some(html! {
            div.filed role="status" {
                p { (t::filed(lang)) }
                p #filed-ticket.ticket-number { (ticket) }
                @if let Some(id) = item.escalation_id { p { (t::escalated(lang, id)) } }
                @if texted == Some(true) { p { (t::texted(lang)) } }
                p {
                    a href={ "/desk/ticket/" (ticket) } { (t::open_ticket(lang)) }
                }
            }
        }))
    }
}

fn problem_line(lang: Lang, problem: &Problem) -> Markup {
    let text = match problem {
        Problem::Lookup | Problem::Which(_) => return html! {},
        Problem::Missing(what) => t::missing(lang, what),
        Problem::NotAPhone => t::not_a_phone(lang).to_owned(),
        Problem::TooLong(what, max) => t::too_long(lang, what, *max),
        Problem::IncidentOver => t::no_such_incident(lang).to_owned(),
    };
    html! { p.problem role="alert" { (text) } }
}

/// Compound names for what was typed: the chat's own match first (the
/// compound named, or the close candidates), then every compound whose
/// name or alias contains the text; all of them while nothing is typed.
pub fn suggestions(places: &Places, config: &Config, typed: &str) -> Markup {
    let typed = typed.trim();
    let mut names: Vec<&str> = Vec::new();
    let found = match places.find(typed) {
        PlaceMatch::Found { id, .. } => vec![id],
        PlaceMatch::Candidates(c) => c.into_iter().map(|(id, _)| id).collect(),
        PlaceMatch::Unknown => vec![],
    };
    let wanted: String = normalize(typed).0.into_iter().collect();
    for c in &config.compounds {
        let contains = c.labels().any(|l| {
            let label: String = normalize(l).0.into_iter().collect();
            label.contains(&wanted)
        });
        if (typed.is_empty() || contains) && !found.contains(&c.id) {
            names.push(&c.name);
        }
    }
    let first = found
        .iter()
        .filter_map(|id| config.compounds.iter().find(|c| &c.id == id));
    let names: Vec<&str> = first
        .map(|c| c.name.as_str())
        .chain(names)
        .take(SUGGESTIONS)
        .collect();
    html! { @for name in names { option value=(name) {} } }
}

/// `GET /desk/call/places?q=`: suggestions for the compound field, matched
/// as the chat matches a typed place, as `<option>`s for its datalist.
pub async fn places(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(form): Query<Suggest>,
) -> Response {
    respond(
        async {
            desk.signed(&headers).await?;
            let markup = suggestions(desk.staff.places(), &desk.config, &form.q);
            Ok(layout::respond(StatusCode::OK, markup))
        }
        .await,
    )
}

/// `GET /desk/assets/call.js` and `call.css`: the call page's own assets.
pub async fn js() -> Response {
    asset(
        include_str!("assets/call.js"),
        "text/javascript; charset=utf-8",
    )
}

pub async fn css() -> Response {
    asset(include_str!("assets/call.css"), "text/css; charset=utf-8")
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "max-age=3600"),
    ];
    (headers, body).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct Suggest {
    #[serde(default)]
    q: String,
}
