//! A ticket's page: a header to read at a glance (ticket, category, status,
//! channel, created and waited, the callback number as a `tel:` link,
//! compound, district, zone, map pin), photos, one action panel
//! (`ticket_panel.rs`: only actions that still apply, each saying who hears
//! of it) and the timeline of the report and of the escalation it counts on,
//! in the desk's language with people's names. Each action runs the very
//! chat command (`crate::staff::Staff::command`) in one transaction, so the
//! manager's alert is edited and the resident told exactly as from chat.

use crate::domain::ChatId;
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
use super::ticket_panel::{Act, Fields, Situation};
use super::{Desk, layout};
use crate::clock::from_millis;
use crate::domain::{Category, Lang, ReportEventKind, ReportStatus, ZoneKind};
use crate::store::{QueueItem, ReportEventRow, ReportRow, TimelineRow};
use crate::texts::desk as texts;
use crate::texts::desk_hall as hall;
use crate::texts::timeline as timeline_texts;
use crate::texts::wechat as wechat_texts;

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
    /// The box that confirms resolving a whole escalation.
    #[serde(default)]
    confirm: String,
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
            let (item, situation) = desk.situation(lang, &ticket).await?;
            // Only what the page would offer runs: a forged or stale form
            // (acknowledging a resolved escalation) writes and sends nothing.
            let act = Act::parse(&action.action).filter(|a| situation.applies(*a));
            let Some(act) = act else {
                return Err(layout::refusal(
                    StatusCode::CONFLICT,
                    lang,
                    hall::no_longer_applies(lang),
                ));
            };
            let fields = Fields {
                note: &action.note,
                person: &action.person,
                confirmed: !action.confirm.is_empty(),
            };
            let flash = desk.run(&signed, &item, act, &fields).await.or_page(lang)?;
            desk.ticket_page(&signed, &ticket, Some(flash)).await
        }
        .await,
    )
}

impl Desk {
    /// The ticket and which actions apply to it; a page that says so when
    /// there is no such ticket.
    async fn situation(
        &self,
        lang: Lang,
        ticket: &str,
    ) -> Result<(QueueItem, Situation), Response> {
        let item = self.store.desk_report(ticket).await.or_page(lang)?;
        let Some(item) = item else {
            return Err(layout::refusal(
                StatusCode::NOT_FOUND,
                lang,
                texts::no_such_report(lang),
            ));
        };
        let status = match item.escalation_id {
            Some(id) => self.store.escalation_status(id).await.or_page(lang)?,
            None => None,
        };
        let situation = Situation::of(&item, status);
        Ok((item, situation))
    }

    async fn ticket_page(
        &self,
        signed: &Signed,
        ticket: &str,
        flash: Option<String>,
    ) -> Result<Response, Response> {
        let lang = signed.lang;
        let (item, situation) = self.situation(lang, ticket).await?;
        let history = self
            .store
            .desk_report_history(item.report.id)
            .await
            .or_page(lang)?;
        let channel = match history.first().map(|e| e.kind) {
            Some(ReportEventKind::Open311) => hall::channel_open311(lang),
            _ if history.iter().any(|e| e.kind == ReportEventKind::Phone) => {
                hall::channel_phone(lang)
            }
            _ if item.report.resident_chat_id != ChatId(0) => hall::channel_chat(lang),
            _ => hall::channel_other(lang),
        };
        let timeline = match item.escalation_id {
            Some(id) => self.store.desk_timeline(id).await.or_page(lang)?,
            None => vec![],
        };
        let media_url = (self.store.open311_media_url(item.report.id).await).or_page(lang)?;
        let zones = match &item.report.compound_id {
            Some(c) => self
                .store
                .zone_kinds_of(c, self.now_ms())
                .await
                .or_page(lang)?,
            None => vec![],
        };
        let mut events = self.events(lang, history, timeline);
        let r = &item.report;
        if r.resident_chat_id.is_wechat() {
            let failed = self.store.failed_sends(r.resident_chat_id, r.created_at);
            let failed = failed.await.or_page(lang)?;
            let unreached = |(at, why, what): (i64, String, Option<String>)| {
                (at, wechat_texts::unreached(lang, &why, what.as_deref()))
            };
            events.extend(failed.into_iter().map(unreached));
            events.sort_by_key(|(at, _)| *at);
        }
        let body = html! {
            @if let Some(flash) = &flash { p.flash role="status" { (flash) } }
            (self.header(lang, r, channel, &zones))
            p.desc #description { (r.description) }
            (photos(lang, r))
            @if let Some(url) = &media_url {
                p { a #media href=(url) rel="noreferrer noopener nofollow" target="_blank" { (crate::texts::open311::media_link(lang)) } }
            }
            (self.panel(signed, &item, situation))
            section {
                h2 { (texts::timeline(lang)) }
                ol.timeline {
                    @for (at, text) in &events { li { time { (self.local(from_millis(*at))) } " " (text) } }
                }
            }
        };
        let page = layout::page(lang, &r.ticket, Some(signed), body);
        Ok(layout::respond(StatusCode::OK, page))
    }

    /// The report's history and its escalation's timeline as one list,
    /// oldest first, in the desk's language with people's names.
    fn events(
        &self,
        lang: Lang,
        history: Vec<ReportEventRow>,
        timeline: Vec<TimelineRow>,
    ) -> Vec<(i64, String)> {
        let names = |id: &str| {
            let person = self.config.people.iter().find(|p| p.id.as_str() == id);
            person.map(|p| p.name.clone())
        };
        let mut events: Vec<(i64, String)> = history
            .into_iter()
            .map(|e| {
                let event = timeline_texts::report_event(lang, e.kind, &e.actor, &e.detail, &names);
                (e.at, event)
            })
            .collect();
        events.extend(timeline.into_iter().map(|t| {
            let step = timeline_texts::timeline_step(lang, t.kind, &t.target, &t.detail, &names);
            (t.at, format!("🚨 {step}"))
        }));
        events.sort_by_key(|(at, _)| *at);
        events
    }

    fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.config.general.time_zone)
            .format("%m-%d %H:%M")
            .to_string()
    }

    /// Ticket, category, status, channel, created and waited, the callback
    /// number, compound, district, zone and map pin, at a glance.
    fn header(&self, lang: Lang, r: &ReportRow, channel: &str, zones: &[String]) -> Markup {
        let category = Category::from_code(&r.category).unwrap_or(Category::Other);
        let open = r.status != ReportStatus::Resolved;
        let minutes = (self.now_ms() - r.created_at).max(0) / 60_000;
        let district = self.district_of(r.compound_id.as_deref());
        let zone_labels: Vec<&str> = zones
            .iter()
            .filter_map(|z| ZoneKind::from_code(z).map(|k| k.label(lang)))
            .collect();
        let dial: String = r
            .phone
            .as_deref()
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        html! {
            h1 { (r.ticket) " · " (category.label(lang)) }
            dl.ticket-head {
                dt { (texts::status(lang)) } dd #status { (r.status.label(lang)) }
                dt { (hall::channel(lang)) } dd #channel { (channel) }
                dt { (hall::created(lang)) } dd { (self.local(from_millis(r.created_at))) }
                dt { (texts::waited(lang)) } dd #waited {
                    @if open { (texts::waited_for(lang, minutes)) } @else { (hall::resolved_waited(lang)) }
                }
                dt { (hall::callback(lang)) } dd #callback {
                    @if let Some(phone) = &r.phone {
                        a href={ "tel:" (dial) } { (phone) }
                        @if let Some(owner) = &r.phone_for {
                            " " span.badge.for-other { (crate::texts::staffing::given_for_someone_else(lang, owner)) }
                        }
                    } @else { (hall::no_callback(lang)) }
                }
                dt { (hall::compound(lang)) } dd { (r.compound_text) " " (r.address_detail) }
                dt { (hall::district(lang)) } dd { @if district.is_empty() { "—" } @else { (district) } }
                dt { (hall::zone(lang)) } dd #zone {
                    @if zone_labels.is_empty() { (hall::none(lang)) } @else { span.badge { "⚠ " (zone_labels.join("、")) } }
                }
                @if let (Some(lat), Some(lon)) = (r.latitude, r.longitude) {
                    dt { (texts::location(lang)) } dd { (format!("{lat:.5}, {lon:.5}")) " "
                        a href=(format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"))
                          rel="noreferrer noopener" target="_blank" { "📍 " (texts::map(lang)) } }
                }
            }
        }
    }
}

fn photos(lang: Lang, r: &ReportRow) -> Markup {
    html! {
        @if !r.photos().is_empty() {
            section.photos aria-label=(hall::photos(lang)) {
                @for n in 0..r.photos().len() {
                    a href=(format!("/desk/ticket/{}/photo/{n}", r.ticket)) target="_blank" {
                        img.photo src=(format!("/desk/ticket/{}/photo/{n}", r.ticket)) alt=(format!("📷 {}", n + 1)) width="240";
                    }
                }
            }
        }
    }
}
