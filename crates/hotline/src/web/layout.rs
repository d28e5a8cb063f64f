//! The page shell every desk page shares, the security headers, and the
//! compiled-in stylesheet and script (no CDN, no build step). maud escapes
//! every interpolated value, so residents' text is always shown as text.

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::session::Signed;
use crate::domain::Lang;
use crate::texts::desk as texts;
use crate::texts::desk_hall as hall;
use crate::texts::desk_pages as pages;

const CSS: &str = include_str!("assets/desk.css");
const JS: &str = include_str!("assets/desk.js");

/// Only our own scripts and styles run: an injected `<script>` could not.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                   script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

tokio::task_local! {
    /// The path and query of the request being answered, so the language
    /// switch in every page's header can return to it.
    static HERE: String;
}

/// Remembers the request's path and query while its page is rendered
/// (a layer on the desk's router; pages need no extra argument).
pub async fn remember_page(request: Request, next: Next) -> Response {
    let here = request
        .uri()
        .path_and_query()
        .map_or("/desk".to_string(), |p| p.as_str().to_string());
    HERE.scope(here, next.run(request)).await
}

/// The language switch's link: to `other`, then back to this page.
fn switch_href(other: &str) -> String {
    let here = HERE.try_with(String::clone).unwrap_or_default();
    match super::back::safe_back(&here) {
        Some(back) => format!("/desk/lang?to={other}&back={}", super::back::encode(back)),
        None => format!("/desk/lang?to={other}"),
    }
}

/// A whole page: header with the person and sign-out, then `body`.
pub fn page(lang: Lang, title: &str, signed: Option<&Signed>, body: Markup) -> Markup {
    let html_lang = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let other = match lang {
        Lang::Zh => "en",
        Lang::En => "zh",
    };
    html! {
        (DOCTYPE)
        html lang=(html_lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (texts::title(lang)) }
                link rel="stylesheet" href="/desk/assets/desk.css";
                script src="/desk/assets/desk.js" defer {}
            }
            body data-signed[signed.is_some()] {
                header {
                    a.brand href="/desk" { (texts::title(lang)) }
                    @if signed.is_some() {
                        nav {
                            a href="/desk" { (texts::queue(lang)) }
                            a href="/desk/call" { (crate::texts::call::nav_call(lang)) }
                            a href="/desk/oncall" { (pages::nav_on_call(lang)) }
                            a href="/desk/zones" { (pages::nav_zones(lang)) }
                            a href="/desk/reports" { (pages::nav_reports(lang)) }
                        }
                    }
                    @if signed.is_some() {
                        form.search role="search" method="get" action="/desk/search" {
                            input type="search" name="q" aria-label=(hall::search_hint(lang))
                                placeholder=(hall::search_hint(lang));
                            button type="submit" { (hall::search(lang)) }
                        }
                    }
                    a #switch-lang href=(switch_href(other)) lang=(other_html_lang(lang)) {
                        (texts::other_lang(lang))
                    }
                    @if let Some(signed) = signed {
                        span.who { (signed.person.name) }
                        form method="post" action="/desk/signout" {
                            input type="hidden" name="csrf" value=(signed.csrf);
                            button type="submit" { (texts::sign_out(lang)) }
                        }
                    }
                }
                @if let Some(banner) = signed.and_then(|s| s.banner.as_deref()) {
                    div.banner role="alert" { (banner) }
                }
                main { (body) }
            }
        }
    }
}

/// The language the switch's own label is written in.
fn other_html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "en",
        Lang::En => "zh-CN",
    }
}

/// An HTML response with the desk's security headers.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup).into_response();
    let headers = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    };
    set(headers, "content-security-policy", CSP);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A short page that says why the request was refused.
pub fn refusal(status: StatusCode, lang: Lang, text: &str) -> Response {
    let body = html! { p.notice { (text) } };
    respond(status, page(lang, texts::title(lang), None, body))
}

/// A failure the person cannot fix: logged, not shown.
pub fn server_error(lang: Lang, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %error, "desk request failed");
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        pages::server_error(lang),
    )
}

pub async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

pub async fn js() -> Response {
    asset(JS, "text/javascript; charset=utf-8")
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    response
}
