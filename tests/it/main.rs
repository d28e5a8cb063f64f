//! Integration tests: whole conversations through the real teloxide client,
//! against the local Telegram stand-in, on a real SQLite file (or a real
//! PostgreSQL database with `HOTLINE_TEST_POSTGRES`).

mod alerts;
mod bench;
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
mod doctor;
mod duty_group;
mod escalation;
mod first_week;
mod heartbeat;
mod helpers;
mod instances;
mod intake;
mod intake_bad_input;
mod intake_batch;
mod intake_english;
mod open311;
mod open311_keys;
mod open311_qr;
mod open311_round_trip;
mod paging;
mod paid_broadcast;
mod phone_replies;
mod polling;
mod query_plans;
mod reach;
mod reach_links;
mod reach_providers;
mod reload;
mod residents;
mod retention;
mod retention_commands;
mod thresholds;
