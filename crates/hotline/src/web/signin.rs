//! Signing in with a `/desk` link and out again. The link's GET only shows a
//! button (Telegram's link previews fetch URLs; they must not use the
//! link up); the POST uses the token once and opens a session.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::back::safe_back;
use super::session::{LANG_COOKIE, lang_of, respond};
use super::{Desk, layout};
use crate::secret;
use crate::texts::desk as texts;

#[derive(Deserialize)]
pub struct Link {
    #[serde(default)]
    t: String,
}

/// GET of the link: a page with one button that posts the token.
pub async fn confirm(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Query(link): Query<Link>,
) -> Response {
    let lang = lang_of(&headers, desk.config.general.default_language);
    let body = html! {
        p { (texts::sign_in_prompt(lang)) }
        form method="post" action="/desk/signin" {
            input type="hidden" name="t" value=(link.t);
            button.primary type="submit" id="sign-in" { (texts::sign_in(lang)) }
        }
    };
    layout::respond(
        StatusCode::OK,
        layout::page(lang, texts::sign_in(lang), None, body),
    )
}

/// POST of the link: a valid, unused, unexpired token opens a session.
pub async fn sign_in(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Form(link): Form<Link>,
) -> Response {
    let lang = lang_of(&headers, desk.config.general.default_language);
    if !crate::http::headers::same_site(&headers, desk.config.desk_url().as_str()) {
        return layout::refusal(StatusCode::FORBIDDEN, lang, texts::link_refused(lang));
    }
    let now_ms = desk.now_ms();
    let person_id = match desk
        .store
        .use_desk_token(&secret::digest(&link.t), now_ms)
        .await
    {
        Ok(found) => found,
        Err(error) => return layout::server_error(lang, &error),
    };
    let staff = person_id.filter(|id| desk.config.people.iter().any(|p| &p.id == id));
    let Some(person_id) = staff else {
        tracing::info!("desk sign-in refused: unknown, used or expired link");
        return layout::refusal(StatusCode::FORBIDDEN, lang, texts::link_refused(lang));
    };
    let session = secret::random_token();
    let csrf = secret::random_token();
    let session_hash = secret::digest(&session);
    let created = desk
        .store
        .create_desk_session(&session_hash, &person_id, &csrf, now_ms);
    if let Err(error) = created.await {
        return layout::server_error(lang, &error);
    }
    tracing::info!(person = %person_id, "desk sign-in");
    redirect_with_cookie("/desk", &desk.session_cookie(&session))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

pub async fn sign_out(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            signed.check_csrf(form.csrf.as_deref())?;
            let ended =
                desk.store
                    .end_desk_session(&signed.id_hash, &signed.person.id, desk.now_ms());
            if let Err(error) = ended.await {
                return Err(layout::server_error(signed.lang, &error));
            }
            Ok(redirect_with_cookie("/desk", &desk.session_cookie("")))
        }
        .await,
    )
}

#[derive(Deserialize)]
pub struct LangChoice {
    to: String,
    /// The page the switch was pressed on (see `back.rs`).
    #[serde(default)]
    back: String,
}

/// Switches the desk's language (a cookie, nothing on the server) and
/// returns to the page it was pressed on, or to the queue.
pub async fn switch_lang(Query(choice): Query<LangChoice>) -> Response {
    let to = if choice.to == "en" { "en" } else { "zh" };
    let cookie = format!("{LANG_COOKIE}={to}; Path=/desk; SameSite=Strict; Max-Age=31536000");
    redirect_with_cookie(safe_back(&choice.back).unwrap_or("/desk"), &cookie)
}

fn redirect_with_cookie(to: &str, cookie: &str) -> Response {
    let mut response = layout::respond(StatusCode::SEE_OTHER, html! {});
    let headers = response.headers_mut();
    let to = HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/desk"));
    headers.insert(LOCATION, to);
    if let Ok(value) = HeaderValue::from_str(cookie) {
        headers.append(SET_COOKIE, value);
    }
    response
}
