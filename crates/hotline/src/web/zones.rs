//! The desk's Zones page: priority zones and planned work as labelled
//! lists numbered by their real ids, each with a remove button, and forms
//! to add them with a compound picker and a kind picker. Adding and
//! removing run the staff's own logic (`Staff::add_zone_of`, `/zone
//! remove`, `Staff::add_planned`, `Staff::remove_planned`); planned work
//! that has already ended is refused there, with the reason.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::session::{OrResponse, Signed, respond};
use super::{Desk, layout};
use crate::chat::StaffCommand;
use crate::clock::from_millis;
use crate::domain::{Lang, PersonId, ZoneKind};
use crate::staff::{Ctx, Staff};
use crate::store::{PlannedOutage, ZoneRow};
use crate::texts::Label;
use crate::texts::console as chat_texts;
use crate::texts::desk_pages as pages;
use crate::texts::schedule as t;

/// The page's forms: which one, and its fields.
#[derive(Debug, Deserialize)]
pub struct ZonesForm {
    csrf: Option<String>,
    action: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    compound: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    note: String,
}

pub async fn page(State(desk): State<Arc<Desk>>, headers: HeaderMap) -> Response {
    respond(async { desk.zones_page(&headers, None).await }.await)
}

pub async fn act(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Form(form): Form<ZonesForm>,
) -> Response {
    respond(async { desk.zones_act(&headers, form).await }.await)
}

impl Desk {
    async fn zones_page(
        &self,
        headers: &HeaderMap,
        flash: Option<String>,
    ) -> Result<Response, Response> {
        let signed = self.signed(headers).await?;
        let lang = signed.lang;
        let mut tx = self.store.begin().await.or_page(lang)?;
        let zones = tx.active_zones(self.now_ms()).await.or_page(lang)?;
        let planned = tx.upcoming_planned(self.now_ms()).await.or_page(lang)?;
        tx.commit().await.or_page(lang)?;
        let body = html! {
            @if let Some(flash) = &flash { p.flash role="status" { (flash) } }
            h1 { (pages::zones_title(lang)) }
            section #zones {
                h2 { (t::zones_heading(lang)) }
                (self.zone_list(&signed, &zones))
                (self.zone_form(&signed))
            }
            section #planned {
                h2 { (t::planned_heading(lang)) }
                (self.planned_list(&signed, &planned))
                (self.planned_form(&signed))
            }
        };
        let html = layout::page(lang, pages::zones_title(lang), Some(&signed), body);
        Ok(layout::respond(StatusCode::OK, html))
    }

    fn compound_name<'a>(&'a self, id: &'a str) -> &'a str {
        let found = self.config.compounds.iter().find(|c| c.id == id);
        found.map_or(id, |c| c.name.as_str())
    }

    fn person_name<'a>(&'a self, id: &'a PersonId) -> &'a str {
        let found = self.config.people.iter().find(|p| &p.id == id);
        found.map_or(id.as_str(), |p| p.name.as_str())
    }

    fn zone_list(&self, signed: &Signed, zones: &[ZoneRow]) -> Markup {
        let lang = signed.lang;
        let (no, compound, kind) = (
            t::col_number(lang),
            t::col_compound(lang),
            t::col_kind(lang),
        );
        let (until, by) = (t::col_until(lang), t::col_by(lang));
        if zones.is_empty() {
            return html! { p.empty #no-zones { (chat_texts::no_zones(lang)) } };
        }
        html! {
            table.zones {
                thead { tr { th { (no) } th { (compound) } th { (kind) } th { (until) } th { (by) } th {} } }
                tbody {
                    @for z in zones {
                        tr data-zone=(z.id) {
                            td data-label=(no) { "#" (z.id) }
                            td data-label=(compound) {
                                span.data { (self.compound_name(&z.compound_id)) " " (z.address) }
                            }
                            td data-label=(kind) { (z.kind.label(lang)) }
                            td data-label=(until) {
                                (z.expires_at.map_or(t::no_end(lang).to_string(), |e| self.shown(from_millis(e))))
                            }
                            td data-label=(by) { span.data { (self.person_name(&z.created_by)) } }
                            td { (remove_button(signed, "zone_remove", z.id, &t::remove_zone_label(lang, z.id))) }
                        }
                    }
                }
            }
        }
    }

    fn planned_list(&self, signed: &Signed, planned: &[PlannedOutage]) -> Markup {
        let lang = signed.lang;
        let (no, compound, note) = (
            t::col_number(lang),
            t::col_compound(lang),
            t::col_note_planned(lang),
        );
        let (from, to, by) = (t::starts(lang), t::ends(lang), t::col_by(lang));
        if planned.is_empty() {
            return html! { p.empty #no-planned { (t::no_planned(lang)) } };
        }
        html! {
            table.planned {
                thead { tr { th { (no) } th { (compound) } th { (from) } th { (to) } th { (note) } th { (by) } th {} } }
                tbody {
                    @for p in planned {
                        tr data-planned=(p.id) {
                            td data-label=(no) { "#" (p.id) }
                            td data-label=(compound) { span.data { (self.compound_name(&p.compound_id)) } }
                            td data-label=(from) { (self.shown(from_millis(p.starts_at))) }
                            td data-label=(to) { (self.shown(from_millis(p.ends_at))) }
                            td data-label=(note) { span.data { (p.note) } }
                            td data-label=(by) { span.data { (self.person_name(&p.created_by)) } }
                            td { (remove_button(signed, "planned_remove", p.id, &t::remove_planned_label(lang, p.id))) }
                        }
                    }
                }
            }
        }
    }

    fn compound_picker(&self, id: &str, lang: Lang) -> Markup {
        html! {
            label for=(id) { (t::col_compound(lang)) }
            select name="compound" id=(id) required {
                @for c in &self.config.compounds {
                    option.data value=(c.id) { (c.name) }
                }
            }
        }
    }

    fn zone_form(&self, signed: &Signed) -> Markup {
        let lang = signed.lang;
        html! {
            form.fields method="post" action="/desk/zones" #add-zone {
                input type="hidden" name="csrf" value=(signed.csrf);
                input type="hidden" name="action" value="zone_add";
                (self.compound_picker("zone-compound", lang))
                label for="zone-kind" { (t::col_kind(lang)) }
                select name="kind" id="zone-kind" required {
                    @for kind in ZoneKind::ALL { option value=(kind.code()) { (kind.label(lang)) } }
                }
                label for="zone-address" { (t::col_address(lang)) }
                input type="text" name="address" id="zone-address";
                label for="zone-until" { (t::col_until(lang)) }
                input type="date" name="until" id="zone-until";
                button.primary type="submit" { (t::add_zone(lang)) }
            }
        }
    }

    fn planned_form(&self, signed: &Signed) -> Markup {
        let lang = signed.lang;
        html! {
            form.fields method="post" action="/desk/zones" #add-planned {
                input type="hidden" name="csrf" value=(signed.csrf);
                input type="hidden" name="action" value="planned_add";
                (self.compound_picker("planned-compound", lang))
                label for="planned-from" { (t::starts(lang)) }
                input type="datetime-local" name="from" id="planned-from" required;
                label for="planned-until" { (t::ends(lang)) }
                input type="datetime-local" name="until" id="planned-until" required;
                label for="planned-note" { (t::col_note_planned(lang)) }
                input type="text" name="note" id="planned-note";
                button.primary type="submit" { (t::add_planned(lang)) }
            }
        }
    }

    async fn zones_act(&self, headers: &HeaderMap, form: ZonesForm) -> Result<Response, Response> {
        let signed = self.signed(headers).await?;
        signed.check_csrf(form.csrf.as_deref())?;
        let said = self.zones_run(&signed, &form).await?;
        self.zones_page(headers, Some(said)).await
    }

    /// Runs one of the page's forms; returns what to say on top.
    async fn zones_run(&self, signed: &Signed, form: &ZonesForm) -> Result<String, Response> {
        let lang = signed.lang;
        let detail = format!(
            "{} {} {} {} {} {} {}",
            form.id, form.compound, form.kind, form.address, form.from, form.until, form.note
        );
        let audit = Some((form.action.as_str(), detail.trim()));
        let compound = form.compound.as_str();
        let known = self.config.compounds.iter().any(|c| c.id == compound);
        let id = form.id.trim().parse::<i64>().ok();
        let said = match form.action.as_str() {
            "zone_add" | "planned_add" if !known => t::unknown_compound(lang).to_string(),
            "zone_add" => {
                let Some(kind) = ZoneKind::from_code(&form.kind) else {
                    return Ok(t::unknown_kind(lang).to_string());
                };
                let until = form.until.trim();
                let expires = match until {
                    "" => None,
                    day => match self.staff.end_of_day(day) {
                        Some(at) => Some(at),
                        None => return Ok(t::bad_time(lang).to_string()),
                    },
                };
                let address = form.address.as_str();
                let run = async |staff: &Staff, cx: &mut Ctx<'_>| {
                    staff
                        .add_zone_of(cx, compound, kind, expires, address)
                        .await
                };
                self.act(signed, audit, run).await.or_page(lang)?
            }
            "zone_remove" => {
                let args = format!("remove {}", id.unwrap_or(0));
                let run = async |staff: &Staff, cx: &mut Ctx<'_>| {
                    staff.command(cx, StaffCommand::Zone, &args).await
                };
                self.act(signed, audit, run).await.or_page(lang)?
            }
            "planned_add" => {
                let from = self.local_input(&form.from);
                let until = self.local_input(&form.until);
                let (Some(from), Some(until)) = (from, until) else {
                    return Ok(t::bad_time(lang).to_string());
                };
                let note = form.note.as_str();
                let run = async |staff: &Staff, cx: &mut Ctx<'_>| {
                    staff.add_planned(cx, compound, from, until, note).await
                };
                self.act(signed, audit, run).await.or_page(lang)?
            }
            "planned_remove" => {
                let run = async |staff: &Staff, cx: &mut Ctx<'_>| {
                    staff.remove_planned(cx, id.unwrap_or(0)).await
                };
                self.act(signed, audit, run).await.or_page(lang)?
            }
            _ => {
                let text = crate::texts::desk::no_such_report(lang);
                return Err(layout::refusal(StatusCode::BAD_REQUEST, lang, text));
            }
        };
        Ok(said)
    }
}

/// A one-button form that removes row `id`, labelled for screen readers.
fn remove_button(signed: &Signed, action: &str, id: i64, label: &str) -> Markup {
    html! {
        form method="post" action="/desk/zones" {
            input type="hidden" name="csrf" value=(signed.csrf);
            input type="hidden" name="action" value=(action);
            input type="hidden" name="id" value=(id);
            button type="submit" aria-label=(label) { (t::remove(signed.lang)) }
        }
    }
}
