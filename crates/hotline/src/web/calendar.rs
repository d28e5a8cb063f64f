//! Each person's shifts as an iCalendar feed for their phone's calendar, at
//! a secret URL (`/desk/calendar/<secret>.ics`: calendar apps send no
//! cookies). The On call page makes the link; making a new one retires the
//! old. Shifts come from the rotations and the overrides in force.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};

use super::Desk;
use crate::clock::to_millis;
use crate::domain::{PersonId, Role};
use crate::oncall::{OnCall, Override};
use crate::secret;

/// How far ahead the feed lists shifts.
const HORIZON_DAYS: i64 = 28;

/// One stretch of holding a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub role: Role,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
}

/// The shifts `person_id` holds between `from` and `until` (pure).
pub fn shifts(
    oncall: &OnCall,
    person_id: &PersonId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    overrides: &[Override],
) -> Vec<Shift> {
    let mut out: Vec<Shift> = Vec::new();
    for role in Role::ALL {
        let mut t = from;
        while t < until {
            let next = oncall
                .next_change(role, t, overrides)
                .map_or(until, |n| n.min(until));
            let holds = oncall
                .holder(role, t, overrides)
                .is_some_and(|h| &h.person_id == person_id);
            if holds {
                match out.last_mut() {
                    Some(last) if last.role == role && last.ends == t => last.ends = next,
                    _ => out.push(Shift {
                        role,
                        starts: t,
                        ends: next,
                    }),
                }
            }
            if next <= t {
                break;
            }
            t = next;
        }
    }
    out.sort_by_key(|s| s.starts);
    out
}

/// The feed as iCalendar text (RFC 5545; times in UTC).
pub fn ics(name: &str, shifts: &[Shift]) -> String {
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//hotline//desk//ZH".to_string(),
        format!("X-WR-CALNAME:{} 值班 On call", escape(name)),
    ];
    for s in shifts {
        let role = match s.role {
            Role::Operator => "热线接线 Operator",
            Role::DutyManager => "值班干部 Duty manager",
            Role::Director => "中心主任 Director",
            Role::Supervisor => "督办员 Supervisor",
        };
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}-{}@hotline", s.role.code(), s.starts.timestamp()),
            format!("DTSTAMP:{}", stamp(s.starts)),
            format!("DTSTART:{}", stamp(s.starts)),
            format!("DTEND:{}", stamp(s.ends)),
            format!("SUMMARY:{role}"),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    lines.join("\r\n") + "\r\n"
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// `GET /desk/calendar/<secret>.ics`.
pub async fn feed(State(desk): State<Arc<Desk>>, Path(file): Path<String>) -> Response {
    let token = file.trim_end_matches(".ics");
    let person = match desk.store.calendar_person(&secret::digest(token)).await {
        Ok(person) => person,
        Err(error) => {
            tracing::error!(%error, "calendar feed failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let person = person.and_then(|id| desk.config.people.iter().find(|p| p.id == id));
    let Some(person) = person else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let now = desk.clock.now();
    let overrides = desk
        .store
        .current_overrides(to_millis(now))
        .await
        .unwrap_or_default();
    let until = now + Duration::days(HORIZON_DAYS);
    let list = shifts(&desk.oncall, &person.id, now, until, &overrides);
    let mut response = ics(&person.name, &list).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    response
}

/// `POST /desk/calendar`: a new secret link for the signed-in person.
pub async fn new_link(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    form: axum::Form<super::console::CsrfOnly>,
) -> Response {
    super::session::respond(
        async {
            let signed = desk.signed(&headers).await?;
            signed.check_csrf(form.csrf.as_deref())?;
            let token = secret::random_token();
            let saved = desk
                .store
                .set_calendar_token(&signed.person.id, &secret::digest(&token), desk.now_ms())
                .await;
            if let Err(error) = saved {
                return Err(super::layout::server_error(signed.lang, &error));
            }
            let link = format!(
                "{}/desk/calendar/{token}.ics",
                desk.config.desk_url().base()
            );
            desk.oncall_page(&headers, Some(link)).await
        }
        .await,
    )
}
