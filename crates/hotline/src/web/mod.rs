//! The operator desk: a web console for the hotline hall, served by the same
//! binary (mounted on the HTTP server of `crate::http`).
//!
//! Staff sign in with a one-time link from `/desk` (`signin.rs`), or sent
//! by SMS when Telegram is down (`sms_signin.rs`); sessions
//! and their CSRF tokens live in the database, so any instance serves any
//! browser (`session.rs`). Pages are server-rendered with maud, which escapes
//! every value (`layout.rs`, `queue.rs`, `ticket.rs`, `schedule.rs`,
//! `zones.rs`); the queue updates itself over server-sent events. Actions run the chat commands' own code
//! (`crate::staff`), so the desk and the chat cannot drift apart.

// Handlers return a refusal page as `Err(Response)` and it goes out at once:
// a large error variant costs nothing here.
#![allow(clippy::result_large_err)]

mod back;
mod banner;
mod calendar;
mod call;
mod call_form;
mod call_info;
pub mod chart;
mod console;
pub mod digest;
mod layout;
mod metrics;
mod overdue;
mod photo;
mod queue;
pub mod reports;
mod schedule;
mod search;
mod session;
mod signin;
mod sms_signin;
mod stats;
mod ticket;
mod ticket_panel;
mod title;
mod turns;
mod zones;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::chat::Wakes;
use crate::clock::Clock;
use crate::config::Config;
use crate::oncall::OnCall;
use crate::shared::Shared;
use crate::staff::Staff;
use crate::store::Store;
use crate::telegram::Telegram;

/// What every desk handler needs.
pub struct Desk {
    store: Store,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    wakes: Wakes,
    staff: Staff,
    oncall: Arc<OnCall>,
    telegram: Telegram,
    sms_limits: sms_signin::SmsLimits,
}

impl Desk {
    pub fn new(shared: &Shared, telegram: Telegram) -> anyhow::Result<Desk> {
        let Shared {
            store,
            config,
            oncall,
            places,
            escalator,
            clock,
            wakes,
        } = shared.clone();
        let staff = Staff::new(config.clone(), oncall.clone(), escalator, places);
        Ok(Desk {
            store,
            config,
            clock,
            wakes,
            staff,
            oncall,
            telegram,
            sms_limits: sms_signin::SmsLimits::default(),
        })
    }

    fn now_ms(&self) -> i64 {
        crate::clock::to_millis(self.clock.now())
    }
}

/// The desk's routes, all under `/desk`.
pub fn router(desk: Desk) -> Router {
    Router::new()
        .route("/desk", get(queue::page))
        .route("/desk/rows", get(queue::rows))
        .route("/desk/events", get(queue::events))
        .route("/desk/events/unacked", get(title::events))
        .route("/desk/call", get(call::page).post(call::submit))
        .route("/desk/call/caller", get(call_info::caller))
        .route("/desk/call/places", get(call_form::places))
        .route("/desk/assets/call.js", get(call_form::js))
        .route("/desk/assets/call.css", get(call_form::css))
        .route("/desk/signin", get(signin::confirm).post(signin::sign_in))
        .route(
            "/desk/signin/sms",
            get(sms_signin::form).post(sms_signin::request),
        )
        .route("/desk/signout", post(signin::sign_out))
        .route("/desk/lang", get(signin::switch_lang))
        .route("/desk/search", get(search::page))
        .route("/desk/ticket/{ticket}", get(ticket::page).post(ticket::act))
        .route("/desk/ticket/{ticket}/photo/{n}", get(photo::photo))
        .route("/desk/oncall", get(schedule::page).post(schedule::act))
        .route("/desk/calendar", post(calendar::new_link))
        .route("/desk/calendar/{file}", get(calendar::feed))
        .route("/desk/zones", get(zones::page).post(zones::act))
        .route("/desk/reports", get(reports::page))
        .route("/desk/reports.csv", get(reports::csv))
        .route("/desk/reports/chart.svg", get(reports::chart))
        .route("/desk/reports/chart.png", get(reports::chart_png))
        .route("/metrics", get(metrics::metrics))
        .route("/desk/assets/desk.css", get(layout::css))
        .route("/desk/assets/desk.js", get(layout::js))
        .layer(axum::middleware::from_fn(layout::remember_page))
        .with_state(Arc::new(desk))
}
