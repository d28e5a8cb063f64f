//! Taking a phone call at the desk (`/desk/call`): the operator types the
//! caller's number first and sees what is known about them
//! (`call_info.rs`), then the compound (suggested as they type, matched
//! server-side exactly as the chat matches a typed place), the building,
//! the category and what the caller says, or picks a known incident to join.
//!
//! Submitting files the report through the chat's own path
//! (`crate::intake::file_report`: ticket, households, thresholds, urgent
//! categories, zones, incidents, paging) in one transaction with the call's
//! record, a "phone · taken by …" event on the ticket's timeline and, with
//! `[desk] sms_receipts`, the caller's SMS receipt, and a `call` line on the
//! desk's audit trail. The answer is a redirect to a fresh form headed by
//! the ticket number, large enough to read out.
//!
//! Choices where the issue is silent: a submission with only the number is a
//! lookup (Enter on the number shows its history, with or without
//! JavaScript); an unknown compound is stored as typed and flagged, as an
//! Open311 address is; the caller's reports are in the city's default
//! language; the number is stored normalised (`+86…`).

use crate::domain::{ChatId, EscalationId};
use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Desk;
use super::call_form::{Problem, Shown};
use super::session::{OrResponse, Signed, respond};
use crate::domain::household::normalize_phone;
use crate::domain::{Actor, Category, CompoundRef, Household, PlaceMatch, ReportEventKind};
use crate::intake::file_report;
use crate::store::NewReport;
use crate::texts;
use crate::texts::call as t;

/// A call has no chat to answer in: 0 marks it (as for Open311), and
/// nothing is ever sent to it.
const NO_CHAT: i64 = 0;

/// The call form, as posted (every field may be missing or blank).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CallForm {
    pub csrf: Option<String>,
    pub phone: String,
    pub compound: String,
    /// A compound chosen among close candidates (its id).
    pub compound_id: String,
    pub detail: String,
    pub category: String,
    pub description: String,
    /// A known incident to join (its escalation id).
    pub join: String,
    /// "on" when the caller is to be texted.
    pub sms: String,
    /// After a redirect: the ticket just filed.
    pub filed: String,
}

/// `GET /desk/call`: an empty form, or one for `?phone=`, or headed by
/// `?filed=<ticket>` after a call was filed.
pub async fn page(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(form): Query<CallForm>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let shown = Shown {
                form: &form,
                problem: None,
            };
            desk.call_page(&signed, shown, StatusCode::OK).await
        }
        .await,
    )
}

/// `POST /desk/call`: a lookup, a form to correct, or a filed call.
pub async fn submit(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Form(form): Form<CallForm>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            signed.check_csrf(form.csrf.as_deref())?;
            let lang = signed.lang;
            let report = match desk.read_call(lang, &form).await.or_page(lang)? {
                Ok(report) => report,
                Err(problem) => {
                    let status = match problem {
                        Problem::Lookup => StatusCode::OK,
                        _ => StatusCode::UNPROCESSABLE_ENTITY,
                    };
                    let shown = Shown {
                        form: &form,
                        problem: Some(problem),
                    };
                    return desk.call_page(&signed, shown, status).await;
                }
            };
            let sms = desk.config.desk.sms_receipts && form.sms == "on";
            let ticket = desk.file_call(&signed, &report, sms).await.or_page(lang)?;
            let location = format!("/desk/call?filed={ticket}");
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
        }
        .await,
    )
}

impl Desk {
    /// The report a filled form describes, or what keeps it from being one.
    async fn read_call(
        &self,
        lang: crate::domain::Lang,
        form: &CallForm,
    ) -> anyhow::Result<Result<NewReport, Problem>> {
        let phone = form.phone.trim();
        let rest_blank = [
            &form.compound,
            &form.category,
            &form.description,
            &form.join,
        ]
        .iter()
        .all(|f| f.trim().is_empty());
        if phone.is_empty() {
            return Ok(Err(Problem::Missing(t::phone(lang))));
        }
        let Some(number) = normalize_phone(phone) else {
            return Ok(Err(Problem::NotAPhone));
        };
        if rest_blank {
            return Ok(Err(Problem::Lookup));
        }
        let limits = &self.config.limits;
        let description = form.description.trim();
        let detail = form.detail.trim();
        if description.chars().count() > limits.description_max_chars {
            let max = limits.description_max_chars;
            return Ok(Err(Problem::TooLong(t::description(lang), max)));
        }
        if detail.chars().count() + form.compound.chars().count() > limits.address_max_chars {
            return Ok(Err(Problem::TooLong(
                t::detail(lang),
                limits.address_max_chars,
            )));
        }
        let (compound, category, extra) = match self.place_and_category(lang, form).await? {
            Ok(found) => found,
            Err(problem) => return Ok(Err(problem)),
        };
        let description = match (description.is_empty(), form.join.trim().is_empty()) {
            (true, false) => texts::joined_description(lang).to_owned(),
            (true, true) => return Ok(Err(Problem::Missing(t::description(lang)))),
            (false, _) => description.to_owned(),
        };
        let address_detail = [extra.as_str(), detail]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Ok(NewReport {
            resident_user_id: NO_CHAT,
            resident_chat_id: ChatId(NO_CHAT),
            resident_lang: self.config.general.default_language,
            category,
            compound,
            address_detail,
            location: None,
            description,
            description_truncated: false,
            photo_file_ids: vec![],
            household: Household::of_call(Some(&number)),
            phone: Some(number),
        }))
    }

    /// The compound and category: the incident's when joining one, else
    /// the form's, the compound matched as the chat matches a typed place
    /// (with what else was typed beside its name).
    async fn place_and_category(
        &self,
        lang: crate::domain::Lang,
        form: &CallForm,
    ) -> anyhow::Result<Result<(CompoundRef, Category, String), Problem>> {
        if let Ok(id) = form.join.trim().parse::<EscalationId>() {
            let incidents = self.store.unresolved_escalations().await?;
            let Some(e) = incidents.into_iter().find(|e| e.id == id) else {
                return Ok(Err(Problem::IncidentOver));
            };
            let compound = match e.compound_id {
                Some(id) => CompoundRef::Matched {
                    name: self.places_name_of(&id),
                    id,
                },
                None => CompoundRef::Unmatched {
                    raw: e.compound_text,
                },
            };
            return Ok(Ok((compound, e.category, String::new())));
        }
        let Some(category) = Category::from_code(form.category.trim()) else {
            return Ok(Err(Problem::Missing(t::category(lang))));
        };
        let places = self.staff.places();
        if let Some(name) = places.name_of(form.compound_id.trim()) {
            let compound = CompoundRef::Matched {
                id: form.compound_id.trim().to_owned(),
                name: name.to_owned(),
            };
            return Ok(Ok((compound, category, String::new())));
        }
        let typed = form.compound.trim();
        if typed.is_empty() {
            return Ok(Err(Problem::Missing(t::compound(lang))));
        }
        Ok(match places.find(typed) {
            PlaceMatch::Found { id, name, rest } => {
                Ok((CompoundRef::Matched { id, name }, category, rest))
            }
            PlaceMatch::Candidates(candidates) => Err(Problem::Which(candidates)),
            PlaceMatch::Unknown => {
                let raw = typed.to_owned();
                Ok((CompoundRef::Unmatched { raw }, category, String::new()))
            }
        })
    }

    pub(super) fn places_name_of(&self, id: &str) -> String {
        self.staff.places().name_of(id).unwrap_or(id).to_owned()
    }

    /// Files the call in one transaction; returns its ticket.
    async fn file_call(
        &self,
        signed: &Signed,
        report: &NewReport,
        sms: bool,
    ) -> anyhow::Result<String> {
        let now = self.clock.now();
        let now_ms = crate::clock::to_millis(now);
        let person = &signed.person;
        let mut tx = self.store.begin().await?;
        let escalator = self.staff.escalator();
        let filed = file_report(&mut tx, escalator, &self.config, report, None, now).await?;
        tx.record_call(filed.id, &person.id, sms, now_ms).await?;
        let actor = Actor::Staff(person.id.clone());
        tx.add_report_event(filed.id, ReportEventKind::Phone, &actor, "", now_ms)
            .await?;
        // On the audit trail by ticket (the caller's number stays off it).
        tx.desk_audit(&person.id, "call", &filed.ticket, now_ms)
            .await?;
        if let (true, Some(phone)) = (sms, report.phone.as_deref()) {
            let text = t::sms_receipt_text(report.resident_lang, &filed.ticket);
            crate::escalation::text_caller(&mut tx, phone, text, now_ms).await?;
        }
        tx.commit().await?;
        tracing::info!(ticket = %filed.ticket, by = %person.id, sms, "call filed at the desk");
        self.wakes.outbox.notify_one();
        if filed.escalation.is_some() {
            self.wakes.engine.notify_one();
        }
        Ok(filed.ticket)
    }
}
