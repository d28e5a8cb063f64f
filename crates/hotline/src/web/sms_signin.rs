//! Signing in by SMS (issue 27): with Telegram unreachable, `/desk` cannot
//! send a link, so the signed-out page offers one by text when a phone
//! gateway is configured. The person types their mobile number; if it is
//! the `phone` of a configured member of staff, a one-time link (as
//! `/desk` makes, `web.link_ttl`) goes out through the outbox to that
//! configured number, never to a number typed in.
//!
//! The answer is the same page whether or not the number is known (no
//! list to pick from either: the page is public, the staff list is not).
//! The form carries a token that must match its own cookie (double submit;
//! there is no session yet) and the cross-site check of the sign-in
//! button. Limits, per instance and in memory (they reset on a restart or
//! reload): [`PER_CLIENT`] requests per client address and [`PER_PERSON`]
//! texts per person within [`WINDOW_MS`]. A client over its limit is told
//! so (it learns nothing about numbers); a person over theirs gets no more
//! texts, and the page does not say so. The client is as
//! `crate::http::client` decides for every limit.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::session::{cookie, lang_of};
use super::{Desk, layout};
use crate::config::{Config, GatewayKind, Person};
use crate::domain::reach::reach_key;
use crate::domain::{Lane, OutMessage, ReachChannel, Reachee};
use crate::http::client::Client;
use crate::secret;
use crate::texts::desk_sms as texts;
use crate::windows::KeyedWindows;

/// The window both limits count in.
pub const WINDOW_MS: i64 = 15 * 60_000;
/// Requests one client may make per window.
pub const PER_CLIENT: usize = 5;
/// Texts one person may be sent per window.
pub const PER_PERSON: usize = 3;
const FORM_COOKIE: &str = "desk_sms_form";
const PATH: &str = "/desk/signin/sms";

/// Recent request times per key (client or person), over [`WINDOW_MS`].
pub struct Limiter(KeyedWindows);

impl Default for Limiter {
    fn default() -> Limiter {
        Limiter(KeyedWindows::new(WINDOW_MS))
    }
}

impl Limiter {
    /// Counts one request for `key` at `now_ms`, or refuses it (uncounted)
    /// when the window already holds `max`.
    pub fn take(&self, key: &str, now_ms: i64, max: usize) -> bool {
        self.0.take(key, now_ms, max).is_ok()
    }
}

/// Both limits of one desk.
#[derive(Default)]
pub struct SmsLimits {
    clients: Limiter,
    people: Limiter,
}

/// Whether sign-in by SMS is offered: a phone gateway is configured.
pub fn offered(config: &Config) -> bool {
    config.gateway.kind != GatewayKind::None
}

/// GET: the form, with a fresh token in a cookie and in the form.
pub async fn form(State(desk): State<Arc<Desk>>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers, desk.config.general.default_language);
    if !offered(&desk.config) {
        return layout::refusal(StatusCode::NOT_FOUND, lang, texts::title(lang));
    }
    let token = secret::random_token();
    let body = html! {
        p { (texts::prompt(lang)) }
        form method="post" action=(PATH) {
            input type="hidden" name="csrf" value=(token);
            label for="phone" { (texts::phone_label(lang)) }
            input id="phone" name="phone" type="tel" autocomplete="tel" required;
            button.primary type="submit" id="send-sms" { (texts::send(lang)) }
        }
    };
    let page = layout::page(lang, texts::title(lang), None, body);
    let mut response = layout::respond(StatusCode::OK, page);
    let mut set =
        format!("{FORM_COOKIE}={token}; Path={PATH}; HttpOnly; SameSite=Strict; Max-Age=3600");
    // Secure exactly when the desk is served over https, like the session.
    if desk.config.desk_url().is_https() {
        set.push_str("; Secure");
    }
    if let Ok(value) = HeaderValue::from_str(&set) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize)]
pub struct SmsRequest {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    csrf: String,
}

/// POST: checks, limits, maybe a text; always the same answer.
pub async fn request(
    State(desk): State<Arc<Desk>>,
    Client(client): Client,
    headers: HeaderMap,
    Form(asked): Form<SmsRequest>,
) -> Response {
    let lang = lang_of(&headers, desk.config.general.default_language);
    if !offered(&desk.config) {
        return layout::refusal(StatusCode::NOT_FOUND, lang, texts::title(lang));
    }
    let from_form = cookie(&headers, FORM_COOKIE).filter(|c| !c.is_empty());
    let forged = !from_form.is_some_and(|c| secret::same(c, &asked.csrf));
    if forged || !crate::http::headers::same_site(&headers, desk.config.desk_url().as_str()) {
        let refused = crate::texts::desk::csrf_refused(lang);
        return layout::refusal(StatusCode::FORBIDDEN, lang, refused);
    }
    let now_ms = desk.now_ms();
    if !desk.sms_limits.clients.take(&client, now_ms, PER_CLIENT) {
        tracing::warn!(%client, "desk sign-in by SMS: client over its limit");
        return layout::refusal(StatusCode::TOO_MANY_REQUESTS, lang, texts::too_many(lang));
    }
    if let Some(person) = staff_with_phone(&desk.config.people, &asked.phone) {
        if desk
            .sms_limits
            .people
            .take(person.id.as_str(), now_ms, PER_PERSON)
        {
            // In the background: neither an error page nor a slower answer
            // may tell that the number is known.
            let (desk, person) = (desk.clone(), person.clone());
            tokio::spawn(async move {
                if let Err(error) = send_link(&desk, &person, now_ms).await {
                    tracing::error!(error = format!("{error:#}"), "desk sign-in by SMS failed");
                }
            });
        } else {
            tracing::warn!(person = %person.id, "desk sign-in by SMS: person over the limit");
        }
    }
    let minutes = desk.config.web.link_ttl.as_secs().div_ceil(60);
    let body = html! { p.notice { (texts::sent(lang, minutes)) } };
    layout::respond(
        StatusCode::OK,
        layout::page(lang, texts::title(lang), None, body),
    )
}

/// Writes the token and its text in one transaction, then wakes the outbox.
async fn send_link(desk: &Desk, person: &Person, now_ms: i64) -> anyhow::Result<()> {
    let Some(phone) = person.phone.clone() else {
        return Ok(());
    };
    let web = &desk.config.web;
    let token = secret::random_token();
    let ttl_ms = i64::try_from(web.link_ttl.as_millis()).unwrap_or(i64::MAX);
    let link = format!("{}/desk/signin?t={token}", desk.config.desk_url().base());
    let minutes = web.link_ttl.as_secs().div_ceil(60);
    let message = OutMessage::Reach {
        chat_id: reach_key("phone", &phone),
        channel: ReachChannel::Sms,
        to: vec![Reachee {
            person_id: person.id.clone(),
            name: person.name.clone(),
            phone: Some(phone),
            feishu_id: None,
        }],
        text: crate::texts::desk::desk_link(person.lang, &link, minutes),
        steps: vec![],
    };
    let mut tx = desk.store.begin().await?;
    let expires_at = now_ms.saturating_add(ttl_ms);
    (tx.create_desk_token(&secret::digest(&token), &person.id, now_ms, expires_at)).await?;
    // The alert lane: whoever asks is needed at the desk now.
    tx.enqueue(Lane::Alert, &message, now_ms).await?;
    tx.commit().await?;
    desk.wakes.outbox.notify_one();
    tracing::info!(person = %person.id, "desk sign-in link sent by SMS");
    Ok(())
}

/// The configured member of staff whose phone is `typed`: digits compared,
/// a missing country code allowed (`13900000011` for `+8613900000011`).
pub fn staff_with_phone<'a>(people: &'a [Person], typed: &str) -> Option<&'a Person> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let typed = digits(typed);
    if typed.len() < 6 {
        return None;
    }
    people.iter().find(|p| {
        let own = digits(p.phone.as_deref().unwrap_or_default());
        own == typed || (typed.len() >= 10 && own.ends_with(&typed) && own.len() - typed.len() <= 3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limiter_refuses_beyond_its_maximum_until_the_window_moves_on() {
        let limiter = Limiter::default();
        assert!((0..3).all(|i| limiter.take("a", i, 3)));
        assert!(!limiter.take("a", 10, 3));
        assert!(limiter.take("b", 10, 3), "per key");
        assert!(limiter.take("a", WINDOW_MS, 3), "the first left the window");
    }

    #[test]
    fn a_number_matches_with_or_without_its_country_code_and_spaces() {
        let person = |phone: &str| Person {
            id: "p".into(),
            name: "P".into(),
            telegram_id: 0,
            username: None,
            phone: Some(phone.into()),
            lang: crate::domain::Lang::Zh,
            notify: vec![],
            feishu_open_id: None,
        };
        let people = [person("+86 139 0000 0011")];
        assert!(staff_with_phone(&people, "+8613900000011").is_some());
        assert!(staff_with_phone(&people, "139-0000-0011").is_some());
        assert!(staff_with_phone(&people, "0000011").is_none());
        assert!(staff_with_phone(&people, "").is_none());
    }
}
