//! `POST requests.json`: a service request becomes a report exactly as a
//! confirmed chat report does (the same store call and the same escalation
//! rules in one transaction), filed by the API client instead of a chat.
//! Every field is checked before anything is written: a refused request
//! stores nothing.
//!
//! Limits: `description` up to `open311.max_description_chars` (the spec's
//! 4,000 by default), `address_string` up to `limits.address_max_chars`,
//! `media_url` up to 2,000 (an http(s) URL, stored and shown to staff as a
//! link, never fetched), any other field up to 1,000 characters. `phone` is
//! a phone number or nothing. An unknown `service_code` is 404 (the spec).
//! Each address takes at most `open311.requests_per_address_per_hour`.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::body::{Format, Node};
use super::errors::{ApiError, reply};
use super::{Open311, Params};
use crate::clock::to_millis;
use crate::domain::{Category, ChatId, CompoundRef, Household, Open311Sender, PlaceMatch};
use crate::store::{NewReport, Open311Given};
use crate::texts::open311 as t;

/// A report from outside Telegram has no resident chat: 0 marks it, and
/// nothing is ever sent to it.
pub const NO_CHAT: i64 = 0;

/// Any other field longer than this is refused.
const OTHER_FIELD_MAX: usize = 1_000;
/// The longest `media_url` (browsers' practical limit).
const MEDIA_URL_MAX: usize = 2_000;
/// A phone number has this many digits (the spec's example has 9).
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 5..=20;

pub(super) async fn post(
    api: &Open311,
    format: Format,
    headers: &HeaderMap,
    body: &[u8],
    ip: &str,
) -> Result<Response, ApiError> {
    let params = parse_form(headers, body)?;
    let client = api
        .client(params.get("api_key").map(String::as_str), true, ip)
        .await?;
    let (report, given) = read_report(api, &client, &params)?;
    let now = api.clock.now();
    let now_ms = to_millis(now);
    let per_address = api.settings().requests_per_address_per_hour;
    let bucket = format!("address:{}", address_key(&report, &given));
    api.count(&bucket, now_ms, super::keys::ADDRESS_WINDOW_MS, per_address)
        .await?;
    let general = &api.config.general;
    let stored = async {
        let mut tx = api.store.begin().await?;
        let (id, ticket) = tx
            .create_report(&report, now, general.time_zone, &general.ticket_prefix)
            .await?;
        tx.record_open311_request(id, &client, &given, now_ms)
            .await?;
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
fn read_report(
    api: &Open311,
    client: &str,
    params: &Params,
) -> Result<(NewReport, Open311Given), ApiError> {
    check_lengths(api, params)?;
    let get = |key: &str| params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
    let code = get("service_code").ok_or_else(|| ApiError::bad(t::ERR_NO_SERVICE))?;
    let category =
        Category::from_code(code).ok_or_else(|| ApiError::not_found(t::ERR_NO_SERVICE))?;
    let location = location(params)?;
    let address_id = get("address_id");
    // Staff need a place to go to: with only an address_id, it is the place.
    let address = get("address_string").or(address_id);
    if location.is_none() && address.is_none() {
        return Err(ApiError::bad(t::ERR_NO_LOCATION));
    }
    let phone = get("phone").map(phone_number).transpose()?;
    let given = Open311Given {
        address_id: address_id.map(str::to_string),
        media_url: get("media_url").map(media_url).transpose()?,
    };
    let household = Household::of_open311(
        client,
        Open311Sender {
            account_id: get("account_id"),
            email: get("email"),
            phone: phone.as_deref(),
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
    let report = NewReport {
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
        phone,
        household,
    };
    Ok((report, given))
}

/// `lat` and `long`, both or neither.
fn location(params: &Params) -> Result<Option<(f64, f64)>, ApiError> {
    let coordinate = |key: &str, bound: f64| -> Result<Option<f64>, ApiError> {
        let value = params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
        value
            .map(|v| match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x.abs() <= bound => Ok(x),
                _ => Err(ApiError::bad(t::err_bad_field(key))),
            })
            .transpose()
    };
    match (coordinate("lat", 90.0)?, coordinate("long", 180.0)?) {
        (Some(lat), Some(long)) => Ok(Some((lat, long))),
        (None, None) => Ok(None),
        _ => Err(ApiError::bad(t::ERR_NO_LOCATION)),
    }
}

/// Every field within its limit, else 400 naming it.
fn check_lengths(api: &Open311, params: &Params) -> Result<(), ApiError> {
    for (key, value) in params {
        let max = match key.as_str() {
            "description" => api.settings().max_description_chars,
            "address_string" => api.config.limits.address_max_chars,
            "media_url" => MEDIA_URL_MAX,
            _ => OTHER_FIELD_MAX,
        };
        if value.chars().count() > max {
            return Err(ApiError::bad(t::err_too_long(key, max)));
        }
    }
    Ok(())
}

/// A phone number as typed by a person (`+86 138-0013-8000`, `(0531) 8888
/// 1234`), kept as `+` and digits only; anything else is 400.
fn phone_number(typed: &str) -> Result<String, ApiError> {
    let plus = typed.starts_with('+');
    let rest = typed.strip_prefix('+').unwrap_or(typed);
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')');
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if !rest.chars().all(allowed) || !PHONE_DIGITS.contains(&digits.len()) {
        return Err(ApiError::bad(t::ERR_BAD_PHONE));
    }
    Ok(if plus { format!("+{digits}") } else { digits })
}

/// An absolute http(s) URL, kept as given.
fn media_url(given: &str) -> Result<String, ApiError> {
    match url::Url::parse(given) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(given.to_string())
        }
        _ => Err(ApiError::bad(t::ERR_BAD_MEDIA_URL)),
    }
}

/// The address a posted request is counted under: compound and detail
/// without spaces or case, else the address_id, else a ~10 m spot.
fn address_key(report: &NewReport, given: &Open311Given) -> String {
    let compound = match &report.compound {
        CompoundRef::Matched { id, .. } => id.clone(),
        CompoundRef::Unmatched { raw } => raw.clone(),
    };
    let place: String = format!("{compound}{}", report.address_detail)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    match (&given.address_id, report.location) {
        _ if !place.is_empty() => place,
        (Some(id), _) => format!("id:{id}"),
        (None, Some((lat, long))) => format!("at:{lat:.4},{long:.4}"),
        (None, None) => String::new(),
    }
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
