//! The page an acknowledge link opens: GET shows the escalation and two
//! buttons and changes nothing (link previews and prefetching robots GET);
//! the buttons POST the token, which is used once, atomically, then
//! acknowledge or resolve exactly as the Telegram buttons do (every copy of
//! the alert is edited, residents are told) and go on the timeline.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tokio::sync::Notify;

use crate::clock::{Clock, to_millis};
use crate::config::{Config, Person};
use crate::domain::{EscalationId, Lang};
use crate::escalation::{Acted, Escalator};
use crate::secret;
use crate::store::{AckLinkRow, Store};
use crate::texts::reach as texts;
use crate::xml;

/// What the link pages need; mounted by `http::serve`.
pub struct AckPages {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub escalator: Arc<Escalator>,
    /// Woken after a press, so the edited alerts leave at once.
    pub outbox: Arc<Notify>,
}

/// `GET /a/{token}` and `POST /a/{token}`.
pub fn router(pages: AckPages) -> Router {
    Router::new()
        .route("/a/{token}", get(show).post(press))
        .with_state(Arc::new(pages))
}

#[derive(Debug, Deserialize)]
struct Pressed {
    action: String,
}

async fn show(State(p): State<Arc<AckPages>>, Path(token): Path<String>) -> Response {
    let (link, person) = match p.valid(&token).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let lang = person.lang;
    let status = match p.status_of(link.escalation_id).await {
        Ok(Some(status)) => status,
        Ok(None) => return page(StatusCode::NOT_FOUND, Lang::Zh, texts::link_unknown(), ""),
        Err(error) => return failed(error),
    };
    let buttons = format!(
        "<form method=\"post\"><button name=\"action\" value=\"ack\">{}</button> \
         <button name=\"action\" value=\"resolve\">{}</button></form>",
        texts::acknowledge_button(lang),
        texts::resolve_button(lang)
    );
    let title = texts::page_title(lang, link.escalation_id);
    let body = format!(
        "<p>{}</p>{buttons}",
        xml::escape(&texts::state_line(lang, &status))
    );
    page(StatusCode::OK, lang, &title, &body)
}

async fn press(
    State(p): State<Arc<AckPages>>,
    Path(token): Path<String>,
    Form(pressed): Form<Pressed>,
) -> Response {
    match p.press(&token, &pressed.action).await {
        Ok(answer) => answer,
        Err(error) => failed(error),
    }
}

impl AckPages {
    pub fn new(shared: &crate::shared::Shared) -> AckPages {
        AckPages {
            store: shared.store.clone(),
            clock: shared.clock.clone(),
            config: shared.config.clone(),
            escalator: shared.escalator.clone(),
            outbox: shared.wakes.outbox.clone(),
        }
    }

    async fn status_of(&self, id: EscalationId) -> anyhow::Result<Option<String>> {
        let mut tx = self.store.begin().await?;
        let status = tx.escalation(id).await?.map(|e| e.status.code().to_owned());
        drop(tx); // read only: rolled back
        Ok(status)
    }

    /// The link and its person, or the page that says why not.
    async fn valid(&self, token: &str) -> Result<(AckLinkRow, Person), Response> {
        let hash = secret::digest(token);
        let link = match self.store.ack_link(&hash).await {
            Ok(Some(link)) => link,
            Ok(None) => {
                return Err(page(
                    StatusCode::NOT_FOUND,
                    Lang::Zh,
                    texts::link_unknown(),
                    "",
                ));
            }
            Err(error) => return Err(failed(error.into())),
        };
        let Some(person) = self.config.people.iter().find(|p| p.id == link.person_id) else {
            return Err(page(
                StatusCode::NOT_FOUND,
                Lang::Zh,
                texts::link_unknown(),
                "",
            ));
        };
        let lang = person.lang;
        if link.used_at.is_some() {
            return Err(page(StatusCode::GONE, lang, texts::link_used(lang), ""));
        }
        if link.expires_at <= to_millis(self.clock.now()) {
            return Err(page(StatusCode::GONE, lang, texts::link_expired(lang), ""));
        }
        Ok((link, person.clone()))
    }

    async fn press(&self, token: &str, action: &str) -> anyhow::Result<Response> {
        let (link, person) = match self.valid(token).await {
            Ok(found) => found,
            Err(answer) => return Ok(answer),
        };
        let lang = person.lang;
        let action = if action == "resolve" {
            "resolve"
        } else {
            "ack"
        };
        let now = self.clock.now();
        let now_ms = to_millis(now);
        let mut tx = self.store.begin().await?;
        if !tx
            .use_ack_link(&secret::digest(token), action, now_ms)
            .await?
        {
            // Another tap won the race (or the link expired meanwhile).
            return Ok(page(StatusCode::GONE, lang, texts::link_used(lang), ""));
        }
        let id = link.escalation_id;
        let acted = match action {
            "resolve" => {
                self.escalator
                    .resolve(&mut tx, id, &person, "", now)
                    .await?
            }
            _ => {
                self.escalator
                    .acknowledge(&mut tx, id, &person, now)
                    .await?
            }
        };
        let detail = crate::domain::Detail::Link {
            action: action.to_owned(),
        }
        .code();
        tx.add_timeline(
            id,
            crate::domain::TimelineKind::LinkUsed,
            person.id.as_str(),
            &detail,
            now_ms,
        )
        .await?;
        tx.commit().await?;
        self.outbox.notify_one();
        let said = match (acted, action) {
            (Acted::Done, "resolve") => texts::resolved(lang),
            (Acted::Done, _) => texts::acknowledged(lang),
            _ => texts::already_closed(lang),
        };
        Ok(page(StatusCode::OK, lang, said, ""))
    }
}

/// A minimal page that reads well on a small phone.
fn page(status: StatusCode, lang: Lang, heading: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>hotline</title>\
         <style>body{{font-family:sans-serif;font-size:1.3em;margin:1em}}\
         button{{font-size:1.2em;padding:.6em 1em;margin:.3em}}</style></head>\
         <body><h1>{}</h1>{body}</body></html>",
        lang.code(),
        xml::escape(heading)
    );
    let mut response = (status, Html(html)).into_response();
    crate::http::headers::secure_page(response.headers_mut(), ACK_CSP);
    response
}

/// No scripts at all; the page's one inline style; forms post back here.
const ACK_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn failed(error: anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "acknowledge link failed");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        Lang::Zh,
        "出错了，请稍后再试 · Something went wrong; try again.",
        "",
    )
}
