//! Running the chat's staff commands from the desk: every action (and the
//! On call and Zones pages, which show what `/oncall`, `/zone list` and
//! `/planned list` answer) goes through `crate::staff::Staff::command`, in
//! one transaction, so the desk and the chat cannot drift apart.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::session::{OrResponse, Signed, respond};
use super::{Desk, layout};
use crate::chat::StaffCommand;
use crate::clock::to_millis;
use crate::domain::Lang;
use crate::staff::Ctx;
use crate::texts::desk as texts;
use crate::texts::desk_pages as pages;

/// A form's example arguments, in the reader's language.
type Example = fn(Lang) -> &'static str;

impl Desk {
    /// Runs a staff command as `signed`; returns what the chat would have
    /// answered. With `audit`, the action goes on the audit trail.
    pub(super) async fn command(
        &self,
        signed: &Signed,
        command: StaffCommand,
        args: &str,
        audit: Option<&str>,
    ) -> anyhow::Result<String> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut cx = Ctx {
            tx: &mut tx,
            me: &signed.person,
            chat_id: signed.person.chat(),
            now,
        };
        let reply = self.staff.command(&mut cx, command, args).await?;
        if let Some(action) = audit {
            let detail = format!("{} {args}", command.name());
            tx.desk_audit(&signed.person.id, action, detail.trim(), to_millis(now))
                .await?;
        }
        tx.commit().await?;
        self.wakes.outbox.notify_one();
        if reply.changed {
            self.wakes.engine.notify_one();
        }
        let said = reply
            .messages
            .iter()
            .filter_map(|m| m.text_shown().map(str::to_owned));
        Ok(said
            .chain(reply.callback_text)
            .next()
            .unwrap_or_else(|| texts::done(signed.lang).to_string()))
    }
}

/// A form that carries nothing but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    pub csrf: Option<String>,
}

/// A page's forms: a command and its words.
#[derive(Debug, Deserialize)]
pub struct Typed {
    csrf: Option<String>,
    action: String,
    #[serde(default)]
    args: String,
}

pub async fn oncall(State(desk): State<Arc<Desk>>, headers: HeaderMap) -> Response {
    respond(async { desk.console_page(&headers, Page::OnCall, None).await }.await)
}

pub async fn zones(State(desk): State<Arc<Desk>>, headers: HeaderMap) -> Response {
    respond(async { desk.console_page(&headers, Page::Zones, None).await }.await)
}

pub async fn oncall_act(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Form(form): Form<Typed>,
) -> Response {
    respond(async { desk.console_act(&headers, Page::OnCall, form).await }.await)
}

pub async fn zones_act(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Form(form): Form<Typed>,
) -> Response {
    respond(async { desk.console_act(&headers, Page::Zones, form).await }.await)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    OnCall,
    Zones,
}

impl Page {
    fn path(self) -> &'static str {
        match self {
            Page::OnCall => "/desk/oncall",
            Page::Zones => "/desk/zones",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Page::OnCall => pages::on_call_title(lang),
            Page::Zones => pages::zones_title(lang),
        }
    }

    /// What the page shows: these commands' answers.
    fn shows(self) -> &'static [(StaffCommand, &'static str)] {
        match self {
            Page::OnCall => &[(StaffCommand::OnCall, "")],
            Page::Zones => &[
                (StaffCommand::Zone, "list"),
                (StaffCommand::Planned, "list"),
            ],
        }
    }

    /// The forms: (action, command, example arguments).
    fn forms(self) -> &'static [(&'static str, StaffCommand, Example)] {
        match self {
            Page::OnCall => &[("cover", StaffCommand::Cover, pages::cover_example)],
            Page::Zones => &[
                ("zone", StaffCommand::Zone, pages::zone_example),
                (
                    "zone_remove",
                    StaffCommand::Zone,
                    pages::zone_remove_example,
                ),
                ("planned", StaffCommand::Planned, pages::planned_example),
            ],
        }
    }
}

impl Desk {
    async fn console_page(
        &self,
        headers: &HeaderMap,
        page: Page,
        flash: Option<String>,
    ) -> Result<Response, Response> {
        let signed = self.signed(headers).await?;
        let lang = signed.lang;
        let mut shown = Vec::new();
        for (command, args) in page.shows() {
            shown.push(
                self.command(&signed, *command, args, None)
                    .await
                    .or_page(lang)?,
            );
        }
        let body = html! {
            @if let Some(flash) = &flash { p.flash role="status" { (flash) } }
            h1 { (page.title(lang)) }
            @for text in &shown { pre.answer { (text) } }
            (forms(&signed, page))
            @if page == Page::OnCall {
                form method="post" action="/desk/calendar" {
                    input type="hidden" name="csrf" value=(signed.csrf);
                    button type="submit" #calendar-link {
                        (pages::calendar_link(lang))
                    }
                }
            }
        };
        let html = layout::page(lang, page.title(lang), Some(&signed), body);
        Ok(layout::respond(StatusCode::OK, html))
    }

    /// The On call page with a message on top (e.g. a new calendar link).
    pub(super) async fn console_flash(
        &self,
        headers: &HeaderMap,
        flash: String,
    ) -> Result<Response, Response> {
        self.console_page(headers, Page::OnCall, Some(flash)).await
    }

    async fn console_act(
        &self,
        headers: &HeaderMap,
        page: Page,
        form: Typed,
    ) -> Result<Response, Response> {
        let signed = self.signed(headers).await?;
        signed.check_csrf(form.csrf.as_deref())?;
        let found = page.forms().iter().find(|(a, ..)| *a == form.action);
        let Some((action, command, ..)) = found else {
            return Err(layout::refusal(
                StatusCode::BAD_REQUEST,
                signed.lang,
                texts::no_such_report(signed.lang),
            ));
        };
        let args = match *action {
            "zone_remove" => format!("remove {}", form.args.trim().trim_start_matches("remove ")),
            _ => form.args.trim().to_string(),
        };
        let said = self.command(&signed, *command, &args, Some(action)).await;
        let said = said.or_page(signed.lang)?;
        self.console_page(headers, page, Some(said)).await
    }
}

fn forms(signed: &Signed, page: Page) -> Markup {
    let lang = signed.lang;
    html! {
        @for (action, command, example) in page.forms() {
            form method="post" action=(page.path()) {
                input type="hidden" name="csrf" value=(signed.csrf);
                input type="hidden" name="action" value=(action);
                label { "/" (command.name()) " "
                    input type="text" name="args" size="40"
                        placeholder=(example(lang));
                }
                button.primary type="submit" { (command.name()) }
            }
        }
    }
}
