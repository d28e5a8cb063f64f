//! A ticket's page: the report, where it is, its timeline and that of the
//! escalation it counts on, and the chat's actions (acknowledge, resolve
//! with a note, escalate now, note, assign). Each action runs the very chat
//! command (`crate::staff::Staff::command`) in one transaction, so the
//! manager's alert is edited and the resident told exactly as from chat.

use crate::texts::Label;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use super::session::{OrResponse, Signed, respond};
use super::{Desk, layout};
use crate::chat::StaffCommand;
use crate::clock::from_millis;
use crate::domain::{Category, ReportStatus};
use crate::store::QueueItem;
use crate::texts::desk as texts;
use crate::texts::desk_pages as pages;
use crate::texts::timeline as timeline_texts;

pub async fn page(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Path(ticket): Path<String>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            desk.ticket_page(&signed, &ticket, None).await
        }
        .await,
    )
}

/// One action from the page's forms.
#[derive(Debug, Deserialize)]
pub struct Action {
    csrf: Option<String>,
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    person: String,
}

pub async fn act(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Path(ticket): Path<String>,
    Form(action): Form<Action>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            signed.check_csrf(action.csrf.as_deref())?;
            let lang = signed.lang;
            let item = desk.store.desk_report(&ticket).await.or_page(lang)?;
            let Some(item) = item else {
                return Err(layout::refusal(
                    StatusCode::NOT_FOUND,
                    lang,
                    texts::no_such_report(lang),
                ));
            };
            let flash = desk.run(&signed, &item, &action).await.or_page(lang)?;
            desk.ticket_page(&signed, &ticket, Some(flash)).await
        }
        .await,
    )
}

impl Desk {
    /// Runs an action as its chat command; returns what the chat would have
    /// answered, shown on the page instead.
    async fn run(
        &self,
        signed: &Signed,
        item: &QueueItem,
        action: &Action,
    ) -> anyhow::Result<String> {
        let (ticket, note) = (&item.report.ticket, action.note.trim());
        let escalation = item
            .escalation_id
            .map(|id| id.to_string())
            .unwrap_or_default();
        let (command, args) = match action.action.as_str() {
            "resolve_ticket" => (StaffCommand::Resolve, format!("{ticket} {note}")),
            "note" => (StaffCommand::Note, format!("{ticket} {note}")),
            "assign" => (StaffCommand::Assign, format!("{ticket} {}", action.person)),
            "ack" => (StaffCommand::Ack, escalation),
            "resolve" => (StaffCommand::Resolve, format!("{escalation} {note}")),
            "escalate" => (StaffCommand::Escalate, escalation),
            "update" => (StaffCommand::Update, format!("{escalation} {note}")),
            _ => return Ok(texts::no_such_report(signed.lang).to_string()),
        };
        self.command(signed, command, &args, Some(&action.action))
            .await
    }

    async fn ticket_page(
        &self,
        signed: &Signed,
        ticket: &str,
        flash: Option<String>,
    ) -> Result<Response, Response> {
        let lang = signed.lang;
        let item = self.store.desk_report(ticket).await.or_page(lang)?;
        let Some(item) = item else {
            return Err(layout::refusal(
                StatusCode::NOT_FOUND,
                lang,
                texts::no_such_report(lang),
            ));
        };
        let history = self
            .store
            .desk_report_history(item.report.id)
            .await
            .or_page(lang)?;
        let timeline = match item.escalation_id {
            Some(id) => self.store.desk_timeline(id).await.or_page(lang)?,
            None => vec![],
        };
        let r = &item.report;
        let category = Category::from_code(&r.category).unwrap_or(Category::Other);
        let names = |id: &str| {
            let person = self.config.people.iter().find(|p| p.id == id);
            person.map(|p| p.name.clone())
        };
        let mut events: Vec<(i64, String)> = history
            .into_iter()
            .map(|e| {
                (
                    e.at,
                    timeline_texts::report_event(lang, e.kind, &e.actor, &e.detail, &names),
                )
            })
            .collect();
        events.extend(timeline.into_iter().map(|t| {
            let step = timeline_texts::timeline_step(lang, t.kind, &t.target, &t.detail, &names);
            (t.at, format!("🚨 {step}"))
        }));
        events.sort_by_key(|(at, _)| *at);
        let body = html! {
            @if let Some(flash) = &flash { p.flash role="status" { (flash) } }
            h1 { (r.ticket) " · " (category.label(lang)) }
            p { strong { (texts::status(lang)) ": " } span #status { (r.status.label(lang)) } }
            p { strong { (texts::address(lang)) ": " } (r.compound_text) " " (r.address_detail) }
            @if let Some(phone) = &r.phone {
                p { "☎ " (crate::texts::staffing::phone_with_owner(lang, phone, r.phone_for.as_deref())) }
            }
            p.desc #description { (r.description) }
            @if let (Some(lat), Some(lon)) = (r.latitude, r.longitude) {
                p { strong { (texts::location(lang)) ": " } (format!("{lat:.5}, {lon:.5}")) " "
                    a href=(format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"))
                      rel="noreferrer noopener" target="_blank" { (texts::map(lang)) } }
            }
            @for n in 0..r.photos().len() {
                img.photo src=(format!("/desk/ticket/{}/photo/{n}", r.ticket)) alt=(format!("📷 {}", n + 1)) width="240";
            }
            section {
                h2 { (texts::timeline(lang)) }
                ol.timeline {
                    @for (at, text) in &events { li { time { (self.local(from_millis(*at))) } " " (text) } }
                }
            }
            (self.actions(signed, &item))
        };
        let page = layout::page(lang, &r.ticket, Some(signed), body);
        Ok(layout::respond(StatusCode::OK, page))
    }

    fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.config.general.time_zone)
            .format("%m-%d %H:%M")
            .to_string()
    }

    fn actions(&self, signed: &Signed, item: &QueueItem) -> Markup {
        let lang = signed.lang;
        let action = format!("/desk/ticket/{}", item.report.ticket);
        let open = item.report.status != ReportStatus::Resolved;
        let form = |name: &str, label: &str, with_note: bool| {
            html! {
                form method="post" action=(action) {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    input type="hidden" name="action" value=(name);
                    @if with_note {
                        textarea name="note" placeholder=(texts::note(lang)) aria-label=(texts::note(lang)) {}
                    }
                    button.primary type="submit" name="do" value=(name) { (label) }
                }
            }
        };
        let update = pages::broadcast_update(lang);
        let (ack, resolve) = (pages::acknowledge(lang), pages::resolve_escalation(lang));
        let (escalate, note) = (pages::escalate_now(lang), pages::add_note(lang));
        html! {
            section.actions {
                @if let Some(id) = item.escalation_id {
                    h2 { "🚨 #" (id) }
                    (form("ack", ack, false))
                    (form("resolve", resolve, true))
                    (form("escalate", escalate, false))
                    (form("update", update, true))
                }
                @if open { (form("resolve_ticket", texts::resolve(lang), true)) }
                (form("note", note, true))
                form method="post" action=(action) {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    input type="hidden" name="action" value="assign";
                    select name="person" {
                        @for p in &self.config.people { option value=(p.id) { (p.name) } }
                    }
                    button type="submit" { (pages::assign(lang)) }
                }
            }
        }
    }
}

/// A resident's photo, fetched from Telegram and passed on (the bot token
/// stays on the server).
pub async fn photo(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Path((ticket, n)): Path<(String, usize)>,
) -> Response {
    use axum::response::IntoResponse;
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let lang = signed.lang;
            let item = desk.store.desk_report(&ticket).await.or_page(lang)?;
            let file_id = item.and_then(|i| i.report.photos().get(n).cloned());
            let Some(file_id) = file_id else {
                return Err(layout::refusal(
                    StatusCode::NOT_FOUND,
                    lang,
                    texts::no_such_report(lang),
                ));
            };
            let (bytes, path) = desk.telegram.download(&file_id).await.or_page(lang)?;
            let kind = match path.rsplit('.').next() {
                Some("png") => "image/png",
                Some("webp") => "image/webp",
                _ => "image/jpeg",
            };
            let headers = [
                (axum::http::header::CONTENT_TYPE, kind),
                (axum::http::header::CACHE_CONTROL, "private, max-age=3600"),
            ];
            Ok((headers, bytes).into_response())
        }
        .await,
    )
}
