//! Integration tests: whole conversations through the real teloxide client,
//! against the local Telegram stand-in, on a real SQLite file (or a real
//! PostgreSQL database with `HOTLINE_TEST_POSTGRES`).

mod alerts;
mod cli;
mod console;
mod delivery;
mod delivery_instances;
mod delivery_limits;
mod delivery_order;
mod desk;
mod desk_browser;
mod desk_client;
mod desk_pages;
mod desk_webdriver;
mod escalation;
mod helpers;
mod instances;
mod intake;
mod intake_bad_input;
mod intake_english;
mod paging;
mod polling;
mod query_plans;
