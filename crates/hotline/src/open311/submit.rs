//! `POST requests.json`: a service request becomes a report exactly as a
//! confirmed chat report does (the same store call and the same escalation
//! rules in one transaction), filed by the API client instead of a chat.
//! Every field is checked before anything is written: a refused request
//! stores nothing.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::body::{Format, Node};
use super::errors::{ApiError, reply};
use super::{Open311, Params};
use crate::clock::to_millis;
use crate::domain::{Category, ChatId, CompoundRef, Household, Open311Sender, PlaceMatch};
use crate::store::NewReport;
use crate::texts::open311 as t;

/// A report from outside Telegram has no resident chat: 0 marks it, and
/// nothing is ever sent to it.
pub const NO_CHAT: i64 = 0;

/// Any other field longer than this is refused.
const OTHER_FIELD_MAX: usize = 500;

pub(super) async fn post(
    api: &Open311,
    format: Format,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ApiError> {
    let params = parse_form(headers, body)?;
    let client = api
        .client(params.get("api_key").map(String::as_str), true)
        .await?;
    let report = read_report(api, &client, &params)?;
    let now = api.clock.now();
    let now_ms = to_millis(now);
    let general = &api.config.general;
    let stored = async {
        let mut tx = api.store.begin().await?;
        let (id, ticket) = tx
            .create_report(&report, now, general.time_zone, &general.ticket_prefix)
            .await?;
        tx.record_open311_request(id, &client, now_ms).await?;
        let actor = crate::domain::Actor::Open311(client.clone());
        tx.add_report_event(
            id,
            crate::domain::ReportEventKind::Open311,
            &actor,
            "",
            now_ms,
        )
        .await?;
        let opened = api.escalator.on_report(&mut tx, id, &report, now).await?;
        tx.commit().await?;
        tracing::info!(report_id = id.0, ticket = %ticket, client, "Open311 report stored");
        anyhow::Ok((ticket, opened))
    }
    .await
    .map_err(ApiError::internal)?;
    let (ticket, opened) = stored;
    api.wakes.outbox.notify_one();
    if opened.is_some() {
        api.wakes.engine.notify_one();
    }
    let body = Node::List(
        "request",
        vec![Node::Obj(vec![
            ("service_request_id", Node::text(ticket.as_str())),
            ("service_notice", Node::text("")),
            ("account_id", Node::Null),
        ])],
    );
    Ok(reply(StatusCode::OK, format, &body, "service_requests"))
}

/// The spec's body: `application/x-www-form-urlencoded`, UTF-8.
fn parse_form(headers: &HeaderMap, body: &[u8]) -> Result<Params, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_form = content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded");
    if !is_form || std::str::from_utf8(body).is_err() {
        return Err(ApiError::bad(t::ERR_MALFORMED));
    }
    Ok(url::form_urlencoded::parse(body).into_owned().collect())
}

/// Checks every field and builds the report; nothing is stored yet.
fn read_report(api: &Open311, client: &str, params: &Params) -> Result<NewReport, ApiError> {
    let limits = &api.config.limits;
    let max_description = api.settings().max_description_chars;
    for (key, value) in params {
        let max = match key.as_str() {
            "description" => max_description,
            "address_string" => limits.address_max_chars,
            _ => OTHER_FIELD_MAX,
        };
        if value.chars().count() > max {
            return Err(ApiError::bad(t::err_too_long(key, max)));
        }
    }
    let get = |key: &str| params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
    let code = get("service_code").ok_or_else(|| ApiError::bad(t::ERR_NO_SERVICE))?;
    let category = Category::from_code(code).ok_or_else(|| ApiError::bad(t::ERR_NO_SERVICE))?;
    let coordinate = |key: &str, bound: f64| -> Result<Option<f64>, ApiError> {
        get(key)
            .map(|v| match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x.abs() <= bound => Ok(x),
                _ => Err(ApiError::bad(t::err_bad_field(key))),
            })
            .transpose()
    };
    let location = match (coordinate("lat", 90.0)?, coordinate("long", 180.0)?) {
        (Some(lat), Some(long)) => Some((lat, long)),
        (None, None) => None,
        _ => return Err(ApiError::bad(t::ERR_NO_LOCATION)),
    };
    let address = get("address_string").or(get("address_id"));
    if location.is_none() && address.is_none() {
        return Err(ApiError::bad(t::ERR_NO_LOCATION));
    }
    let household = Household::of_open311(
        client,
        Open311Sender {
            account_id: get("account_id"),
            email: get("email"),
            phone: get("phone"),
            device_id: get("device_id"),
        },
    );
    let building = get("attribute[building]").unwrap_or("");
    let (compound, detail) = place(api, get("attribute[compound]"), address.unwrap_or(""))?;
    let detail = [building, detail.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(NewReport {
        resident_user_id: NO_CHAT,
        resident_chat_id: ChatId(NO_CHAT),
        resident_lang: api.lang(params),
        category,
        compound,
        address_detail: detail,
        location,
        description: get("description").unwrap_or("").to_string(),
        description_truncated: false,
        photo_file_ids: vec![],
        phone: get("phone").map(str::to_string),
        household,
    })
}

/// The compound: the attribute when given (one of the listed ids), else the
/// address matched as a resident's typed place is.
fn place(
    api: &Open311,
    attribute: Option<&str>,
    address: &str,
) -> Result<(CompoundRef, String), ApiError> {
    if let Some(id) = attribute {
        let name = api
            .places
            .name_of(id)
            .ok_or_else(|| ApiError::bad(t::ERR_BAD_COMPOUND))?;
        let compound = CompoundRef::Matched {
            id: id.to_string(),
            name: name.to_string(),
        };
        return Ok((compound, address.to_string()));
    }
    Ok(match api.places.find(address) {
        PlaceMatch::Found { id, name, rest } => (CompoundRef::Matched { id, name }, rest),
        PlaceMatch::Candidates(_) | PlaceMatch::Unknown => (
            CompoundRef::Unmatched {
                raw: address.to_string(),
            },
            String::new(),
        ),
    })
}
