//! Integration tests: whole conversations through the real teloxide client,
//! against the local Telegram stand-in, on a real SQLite file (or a real
//! PostgreSQL database with `HOTLINE_TEST_POSTGRES`).

mod cli;
mod console;
mod delivery;
mod escalation;
mod helpers;
mod instances;
mod intake;
mod intake_bad_input;
mod intake_english;
mod query_plans;
mod residents;
