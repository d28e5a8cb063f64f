//! The read side: services, a service's attributes, service requests
//! (filtered, a capped page), one request and a token's request. Every
//! public text (`address`, `description`, `status_notes`) is masked.

use crate::texts::Label;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat};

use super::body::{Format, Node};
use super::errors::{ApiError, reply};
use super::{Open311, Params};
use crate::clock::{from_millis, to_millis};
use crate::domain::privacy::mask_personal;
use crate::domain::{Category, Lang};
use crate::store::{PublicReport, RequestFilter};
use crate::texts::open311 as t;

/// Without dates, `requests.json` answers the last 90 days (the spec's default).
const DEFAULT_WINDOW_MS: i64 = 90 * 24 * 3600 * 1000;

pub(super) async fn services(
    api: &Open311,
    format: Format,
    params: &Params,
    ip: &str,
) -> Result<Response, ApiError> {
    api.client(params.get("api_key").map(String::as_str), false, ip)
        .await?;
    let lang = api.lang(params);
    let services = Category::ALL
        .into_iter()
        .map(|c| {
            Node::Obj(vec![
                ("service_code", Node::text(c.code())),
                ("service_name", Node::text(c.label(lang))),
                ("description", Node::text(t::service_description(lang))),
                ("metadata", Node::Bool(true)),
                ("type", Node::text("realtime")),
                ("keywords", Node::text(c.code().replace('_', " "))),
                ("group", Node::text("water")),
            ])
        })
        .collect();
    Ok(reply(
        StatusCode::OK,
        format,
        &Node::List("service", services),
        "services",
    ))
}

/// A service's attributes: the compound (one of the configured ones) and the
/// building.
pub(super) async fn service(
    api: &Open311,
    format: Format,
    code: &str,
    params: &Params,
    ip: &str,
) -> Result<Response, ApiError> {
    api.client(params.get("api_key").map(String::as_str), false, ip)
        .await?;
    let Some(category) = Category::from_code(code) else {
        return Err(ApiError::not_found(t::ERR_NO_SERVICE));
    };
    let lang = api.lang(params);
    let values = api
        .config
        .compounds
        .iter()
        .map(|c| {
            Node::Obj(vec![
                ("key", Node::text(&c.id)),
                ("name", Node::text(&c.name)),
            ])
        })
        .collect();
    let compound = attribute(
        "compound",
        "singlevaluelist",
        1,
        t::compound_attribute(lang),
        values,
    );
    let building = attribute("building", "string", 2, t::building_attribute(lang), vec![]);
    let body = Node::Obj(vec![
        ("service_code", Node::text(category.code())),
        (
            "attributes",
            Node::List("attribute", vec![compound, building]),
        ),
    ]);
    Ok(reply(StatusCode::OK, format, &body, "service_definition"))
}

fn attribute(code: &str, datatype: &str, order: i64, description: &str, values: Vec<Node>) -> Node {
    let mut fields = vec![
        ("variable", Node::Bool(true)),
        ("code", Node::text(code)),
        ("datatype", Node::text(datatype)),
        ("required", Node::Bool(false)),
        ("datatype_description", Node::text("")),
        ("order", Node::Int(order)),
        ("description", Node::text(description)),
    ];
    if !values.is_empty() {
        fields.push(("values", Node::List("value", values)));
    }
    Node::Obj(fields)
}

pub(super) async fn requests(
    api: &Open311,
    format: Format,
    params: &Params,
    ip: &str,
) -> Result<Response, ApiError> {
    api.client(params.get("api_key").map(String::as_str), false, ip)
        .await?;
    let filter = filter(api, params)?;
    let rows = api
        .store
        .public_reports(&filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(reply_requests(api, format, params, &rows))
}

pub(super) async fn request(
    api: &Open311,
    format: Format,
    id: &str,
    params: &Params,
    ip: &str,
) -> Result<Response, ApiError> {
    let row = find(api, id, params, ip).await?;
    Ok(reply_requests(api, format, params, &[row]))
}

/// One request by its id (a key is checked if given): 404 when unknown.
async fn find(
    api: &Open311,
    id: &str,
    params: &Params,
    ip: &str,
) -> Result<crate::store::PublicReport, ApiError> {
    api.client(params.get("api_key").map(String::as_str), false, ip)
        .await?;
    let row = api
        .store
        .public_report(id)
        .await
        .map_err(ApiError::internal)?;
    row.ok_or_else(|| ApiError::not_found(t::ERR_NO_REQUEST))
}

/// Requests are created at once, so a token is the request id itself.
pub(super) async fn token(
    api: &Open311,
    format: Format,
    token: &str,
    params: &Params,
    ip: &str,
) -> Result<Response, ApiError> {
    let row = find(api, token, params, ip).await?;
    let body = Node::List(
        "request",
        vec![Node::Obj(vec![
            ("service_request_id", Node::text(&row.ticket)),
            ("token", Node::text(token)),
        ])],
    );
    Ok(reply(StatusCode::OK, format, &body, "service_requests"))
}

fn reply_requests(
    api: &Open311,
    format: Format,
    params: &Params,
    rows: &[PublicReport],
) -> Response {
    let lang = api.lang(params);
    let items = rows.iter().map(|r| request_node(api, lang, r)).collect();
    reply(
        StatusCode::OK,
        format,
        &Node::List("request", items),
        "service_requests",
    )
}

fn request_node(api: &Open311, lang: Lang, r: &PublicReport) -> Node {
    let tz = api.config.general.time_zone;
    let time = |ms: i64| {
        let at = from_millis(ms).with_timezone(&tz);
        Node::text(at.to_rfc3339_opts(SecondsFormat::Secs, true))
    };
    let name = Category::from_code(&r.category).map_or(r.category.as_str(), |c| c.label(lang));
    let names: Vec<&str> = r.names.iter().map(String::as_str).collect();
    let mask = |text: &str| mask_personal(text, &names);
    let address = format!("{} {}", r.compound_text, r.address_detail);
    let address = address.trim();
    // A request given only an address_id has that id as its place: it is
    // answered in address_id, not repeated as an address.
    let address = match &r.address_id {
        Some(id) if id == address => Node::Null,
        _ if address.is_empty() => Node::Null,
        _ => Node::text(mask(address)),
    };
    let notes = r.status_notes.as_deref().filter(|n| !n.is_empty());
    Node::Obj(vec![
        ("service_request_id", Node::text(&r.ticket)),
        (
            "status",
            Node::text(if r.resolved { "closed" } else { "open" }),
        ),
        ("status_notes", Node::opt(notes.map(mask))),
        ("service_name", Node::text(name)),
        ("service_code", Node::text(&r.category)),
        ("description", Node::text(mask(&r.description))),
        (
            "agency_responsible",
            Node::text(&api.settings().agency_responsible),
        ),
        ("service_notice", Node::Null),
        ("requested_datetime", time(r.created_at)),
        ("updated_datetime", time(r.updated_at)),
        ("expected_datetime", Node::Null),
        ("address", address),
        ("address_id", Node::opt(r.address_id.clone())),
        ("zipcode", Node::Null),
        ("lat", r.latitude.map_or(Node::Null, Node::Float)),
        ("long", r.longitude.map_or(Node::Null, Node::Float)),
        ("media_url", Node::opt(r.media_url.clone())),
    ])
}

/// The filters of `GET requests.json`; bad dates or statuses are 400.
fn filter(api: &Open311, params: &Params) -> Result<RequestFilter, ApiError> {
    let list = |key: &str| -> Vec<String> {
        params
            .get(key)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let date = |key: &str| -> Result<Option<i64>, ApiError> {
        match params.get(key).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => DateTime::parse_from_rfc3339(v)
                .map(|d| Some(to_millis(d.to_utc())))
                .map_err(|_| ApiError::bad(t::err_bad_date(key))),
        }
    };
    let limit = i64::from(api.settings().page_size.max(1));
    let mut tickets = list("service_request_id");
    if !tickets.is_empty() {
        // Ids override every other argument (the spec), and name requests
        // exactly: no date window, no status, no service_code.
        tickets.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        return Ok(RequestFilter {
            tickets,
            limit,
            ..RequestFilter::default()
        });
    }
    let end = date("end_date")?;
    let start = date("start_date")?;
    let now_ms = to_millis(api.clock.now());
    let end_ms = end.unwrap_or(i64::MAX);
    let start_ms = start.unwrap_or(end.unwrap_or(now_ms) - DEFAULT_WINDOW_MS);
    let statuses = list("status");
    let closed = match (
        statuses.iter().any(|s| s == "open"),
        statuses.iter().any(|s| s == "closed"),
    ) {
        _ if statuses.iter().any(|s| s != "open" && s != "closed") => {
            return Err(ApiError::bad(t::err_bad_field("status")));
        }
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    };
    Ok(RequestFilter {
        tickets,
        categories: list("service_code"),
        start_ms,
        end_ms,
        closed,
        limit,
    })
}
