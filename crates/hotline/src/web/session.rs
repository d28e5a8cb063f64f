//! Desk sessions: an HttpOnly, SameSite=Strict cookie (Secure exactly
//! when the desk's URL is https, see `config/desk.rs`) whose digest names a row of `desk_sessions`, and the
//! CSRF token every state-changing form carries.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::response::{IntoResponse, Response};

use super::Desk;
use super::layout;
use crate::config::Person;
use crate::domain::Lang;
use crate::secret;
use crate::texts::desk as texts;

pub const SESSION_COOKIE: &str = "desk_session";
pub const LANG_COOKIE: &str = "desk_lang";

/// A signed-in member of staff, for one request.
pub struct Signed {
    pub person: Person,
    pub csrf: String,
    pub lang: Lang,
    pub id_hash: String,
    /// "Telegram unreachable since 03:12" while it is (`super::banner`).
    pub banner: Option<String>,
}

impl Signed {
    /// Refuses a form whose CSRF token is missing or wrong.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), Response> {
        match given {
            Some(given) if secret::same(given, &self.csrf) => Ok(()),
            _ => Err(layout::refusal(
                axum::http::StatusCode::FORBIDDEN,
                self.lang,
                texts::csrf_refused(self.lang),
            )),
        }
    }
}

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// The language chosen on the page, else the default.
pub fn lang_of(headers: &HeaderMap, default: Lang) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => default,
    }
}

impl Desk {
    /// The session behind the request's cookie, or the signed-out page.
    pub async fn signed(&self, headers: &HeaderMap) -> Result<Signed, Response> {
        let lang = lang_of(headers, self.config.general.default_language);
        let signed_out = || self.signed_out_page(lang);
        let Some(token) = cookie(headers, SESSION_COOKIE) else {
            return Err(signed_out());
        };
        let id_hash = secret::digest(token);
        let idle = i64::try_from(self.config.web.session_idle.as_millis()).unwrap_or(i64::MAX);
        let session = self.store.touch_desk_session(&id_hash, self.now_ms(), idle);
        let session = match session.await {
            Ok(Some(session)) => session,
            Ok(None) => return Err(signed_out()),
            Err(error) => return Err(layout::server_error(lang, &error)),
        };
        // Someone removed from [[people]] loses the desk at once.
        let person = self
            .config
            .people
            .iter()
            .find(|p| p.id == session.person_id);
        let Some(mut person) = person.cloned() else {
            return Err(signed_out());
        };
        // The chat commands the desk runs answer in `person.lang`: on the
        // desk that is the page's language, so a flash message never comes
        // back in the other one.
        let lang = lang_of(headers, person.lang);
        person.lang = lang;
        Ok(Signed {
            lang,
            person,
            csrf: session.csrf,
            id_hash,
            banner: self.banner().await,
        })
    }

    /// "Not signed in", with the offer of a link by SMS when a gateway is
    /// configured (Telegram's `/desk` may be unreachable).
    fn signed_out_page(&self, lang: Lang) -> Response {
        let body = maud::html! {
            p.notice { (texts::signed_out(lang)) }
            @if super::sms_signin::offered(&self.config) {
                p { a #sms-signin href="/desk/signin/sms" { (crate::texts::desk_sms::offer(lang)) } }
            }
        };
        let page = layout::page(lang, texts::title(lang), None, body);
        layout::respond(axum::http::StatusCode::UNAUTHORIZED, page)
    }

    /// `Set-Cookie` for a new session (empty value: clears it).
    pub fn session_cookie(&self, value: &str) -> String {
        let max_age = if value.is_empty() {
            0
        } else {
            self.config.web.session_idle.as_secs()
        };
        let mut cookie = format!(
            "{SESSION_COOKIE}={value}; Path=/desk; HttpOnly; SameSite=Strict; Max-Age={max_age}"
        );
        // A browser drops a Secure cookie that came over plain http (signing
        // nobody in), and must never send an https session over http.
        if self.config.desk_url().is_https() {
            cookie.push_str("; Secure");
        }
        cookie
    }
}

/// Lets a handler return early with a ready response.
pub trait OrResponse<T> {
    fn or_page(self, lang: Lang) -> Result<T, Response>;
}

impl<T, E: std::fmt::Display> OrResponse<T> for Result<T, E> {
    fn or_page(self, lang: Lang) -> Result<T, Response> {
        self.map_err(|error| layout::server_error(lang, &error))
    }
}

/// Either a page or an early response.
pub fn respond(result: Result<Response, Response>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}
