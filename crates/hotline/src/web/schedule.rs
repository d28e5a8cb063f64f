//! The desk's On call page: for each role, who holds it over the next 14
//! days (from–to, covers, away) with `tel:` links, and the cover and away
//! forms (person pickers, date/time inputs), which run the staff's own
//! logic ([`crate::staff::Staff::cover_window`], `away_window`, `back`).
//! A window that starts in the past starts now; one that ends before it
//! starts, or has already ended, is refused with the reason.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Duration;
use maud::{Markup, html};
use serde::Deserialize;

use super::session::{OrResponse, Signed, respond};
use super::turns::{Turn, turns};
use super::{Desk, layout};
use crate::clock::from_millis;
use crate::domain::{Lang, PersonId, Role};
use crate::staff::{Ctx, Staff};
use crate::texts::desk_pages as pages;
use crate::texts::schedule as t;

/// How far ahead the page shows.
pub const DAYS: i64 = 14;

/// The page's forms: which one, and its fields.
#[derive(Debug, Deserialize)]
pub struct OnCallForm {
    csrf: Option<String>,
    action: String,
    #[serde(default)]
    person: PersonId,
    #[serde(default)]
    replaces: PersonId,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

pub async fn page(State(desk): State<Arc<Desk>>, headers: HeaderMap) -> Response {
    respond(async { desk.oncall_page(&headers, None).await }.await)
}

pub async fn act(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Form(form): Form<OnCallForm>,
) -> Response {
    respond(async { desk.oncall_act(&headers, form).await }.await)
}

impl Desk {
    /// The On call page, with `flash` on top (an answer, a calendar link).
    pub(super) async fn oncall_page(
        &self,
        headers: &HeaderMap,
        flash: Option<String>,
    ) -> Result<Response, Response> {
        let signed = self.signed(headers).await?;
        let lang = signed.lang;
        let now = self.clock.now();
        let mut tx = self.store.begin().await.or_page(lang)?;
        let overrides = tx.current_overrides(self.now_ms()).await.or_page(lang)?;
        let away = tx.away_windows(self.now_ms()).await.or_page(lang)?;
        tx.commit().await.or_page(lang)?;
        let until = now + Duration::days(DAYS);
        let zone = self.config.general.time_zone.name();
        let body = html! {
            @if let Some(flash) = &flash { p.flash role="status" { (flash) } }
            h1 { (pages::on_call_title(lang)) }
            p { (t::schedule_intro(lang, DAYS, zone)) }
            @for role in Role::ALL {
                (self.role_table(lang, role, &turns(&self.oncall, role, now, until, &overrides), &away))
            }
            (self.cover_form(&signed))
            (self.away_form(&signed))
            form method="post" action="/desk/calendar" {
                input type="hidden" name="csrf" value=(signed.csrf);
                button type="submit" #calendar-link { (pages::calendar_link(lang)) }
            }
        };
        let html = layout::page(lang, pages::on_call_title(lang), Some(&signed), body);
        Ok(layout::respond(StatusCode::OK, html))
    }

    fn role_table(
        &self,
        lang: Lang,
        role: Role,
        turns: &[Turn],
        away: &[(PersonId, i64, Option<i64>)],
    ) -> Markup {
        let heading = t::role_heading(lang, self.oncall.staff().roles.of(role), role);
        let (who, from, to, note) = (
            t::col_who(lang),
            t::col_from(lang),
            t::col_to(lang),
            t::col_note(lang),
        );
        html! {
            section.schedule data-role=(role.code()) {
                h2 { (heading) }
                table {
                    thead { tr { th { (who) } th { (from) } th { (to) } th { (note) } } }
                    tbody {
                        @for turn in turns {
                            tr {
                                td data-label=(who) { (self.contact(lang, turn.person_id.as_ref())) }
                                td.when data-label=(from) { (self.shown(turn.starts)) }
                                td.when data-label=(to) { (self.shown(turn.ends)) }
                                td data-label=(note) { (self.turn_note(lang, turn, away)) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Name and a `tel:` link, or "nobody".
    fn contact(&self, lang: Lang, person_id: Option<&PersonId>) -> Markup {
        let person = person_id.and_then(|id| self.config.people.iter().find(|p| &p.id == id));
        html! {
            @match (person, person_id) {
                (Some(p), _) => {
                    span.data { (p.name) }
                    @if let Some(phone) = &p.phone {
                        " " a.tel href={ "tel:" (phone.replace(' ', "")) } { (phone) }
                    }
                }
                (None, Some(id)) => span.data { (id) },
                (None, None) => (t::nobody(lang)),
            }
        }
    }

    fn turn_note(&self, lang: Lang, turn: &Turn, away: &[(PersonId, i64, Option<i64>)]) -> Markup {
        let name = |id: &PersonId| {
            let person = self.config.people.iter().find(|p| &p.id == id);
            person.map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        let windows = away.iter().filter(|(id, since, until)| {
            Some(id) == turn.person_id.as_ref()
                && from_millis(*since) < turn.ends
                && until.is_none_or(|u| from_millis(u) > turn.starts)
        });
        html! {
            @if let Some(scheduled) = &turn.covers {
                div.covers { (t::covers_for(lang)) " " span.data { (name(scheduled)) } }
            }
            @for (_, since, until) in windows {
                div.away {
                    (t::away_window(lang, &self.shown(from_millis(*since)),
                        until.map(|u| self.shown(from_millis(u))).as_deref()))
                }
            }
        }
    }

    fn people_picker(&self, name: &str, id: &str, selected: Option<&PersonId>) -> Markup {
        html! {
            select name=(name) id=(id) required {
                @for p in &self.config.people {
                    option.data value=(p.id) selected[Some(&p.id) == selected] { (p.name) }
                }
            }
        }
    }

    fn cover_form(&self, signed: &Signed) -> Markup {
        let lang = signed.lang;
        let now = self.input_value(self.clock.now());
        html! {
            section #cover {
                h2 { (t::cover_heading(lang)) }
                form.fields method="post" action="/desk/oncall" {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    input type="hidden" name="action" value="cover";
                    label for="cover-person" { (t::cover_person(lang)) }
                    (self.people_picker("person", "cover-person", None))
                    label for="cover-replaces" { (t::cover_for(lang)) }
                    (self.people_picker("replaces", "cover-replaces", Some(&signed.person.id)))
                    label for="cover-from" { (t::starts(lang)) }
                    input type="datetime-local" name="from" id="cover-from" value=(now) required;
                    label for="cover-until" { (t::ends(lang)) }
                    input type="datetime-local" name="until" id="cover-until" required;
                    button.primary type="submit" #set-cover { (t::set_cover(lang)) }
                }
            }
        }
    }

    fn away_form(&self, signed: &Signed) -> Markup {
        let lang = signed.lang;
        let now = self.input_value(self.clock.now());
        html! {
            section #away {
                h2 { (t::away_heading(lang)) }
                form.fields method="post" action="/desk/oncall" {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    label for="away-person" { (t::away_person(lang)) }
                    (self.people_picker("person", "away-person", Some(&signed.person.id)))
                    label for="away-from" { (t::starts(lang)) }
                    input type="datetime-local" name="from" id="away-from" value=(now);
                    label for="away-until" { (t::ends_optional(lang)) }
                    input type="datetime-local" name="until" id="away-until";
                    button.primary type="submit" name="action" value="away" #mark-away { (t::mark_away(lang)) }
                    button type="submit" name="action" value="back" #mark-back { (t::mark_back(lang)) }
                }
            }
        }
    }

    async fn oncall_act(
        &self,
        headers: &HeaderMap,
        form: OnCallForm,
    ) -> Result<Response, Response> {
        let signed = self.signed(headers).await?;
        signed.check_csrf(form.csrf.as_deref())?;
        let lang = signed.lang;
        let from = self
            .local_input(&form.from)
            .unwrap_or_else(|| self.clock.now());
        let until = self.local_input(&form.until);
        let bad_time = !form.until.trim().is_empty() && until.is_none();
        let detail = format!(
            "{} {} {} {}",
            form.person, form.replaces, form.from, form.until
        );
        let audit = Some((form.action.as_str(), detail.trim()));
        let (person, replaces) = (&form.person, &form.replaces);
        let said = match (form.action.as_str(), until) {
            ("cover", None) => t::bad_time(lang).to_string(),
            ("away", _) if bad_time => t::bad_time(lang).to_string(),
            ("cover", Some(until)) => {
                let run = async |staff: &Staff, cx: &mut Ctx<'_>| {
                    staff.cover_window(cx, person, replaces, from, until).await
                };
                self.act(&signed, audit, run).await.or_page(lang)?
            }
            ("away", until) => {
                let run = async |staff: &Staff, cx: &mut Ctx<'_>| {
                    staff.away_window(cx, person, from, until).await
                };
                self.act(&signed, audit, run).await.or_page(lang)?
            }
            ("back", _) => {
                let run = async |staff: &Staff, cx: &mut Ctx<'_>| staff.back(cx, person).await;
                self.act(&signed, audit, run).await.or_page(lang)?
            }
            _ => {
                let text = crate::texts::desk::no_such_report(lang);
                return Err(layout::refusal(StatusCode::BAD_REQUEST, lang, text));
            }
        };
        self.oncall_page(headers, Some(said)).await
    }
}
