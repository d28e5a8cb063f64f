//! hotline: a Telegram bot for a water utility's 24-hour service line.
//!
//! The binary (`src/main.rs`) is thin; everything it starts lives here so that
//! tests, the demo and the benchmarks start exactly what production starts.

pub mod app;
pub mod chat;
pub mod clock;
pub mod commands;
pub mod config;
pub mod doctor;
pub mod domain;
pub mod escalation;
pub mod gateway;
pub mod health;
pub mod http;
pub mod init;
pub mod intake;
pub mod obs;
pub mod oncall;
pub mod open311;
pub mod outbox;
pub mod png;
pub mod reach;
pub mod reload;
pub mod secret;
pub mod shared;
pub mod staff;
pub mod store;
pub mod supervision;
pub mod telegram;
pub mod texts;
pub mod upkeep;
pub mod web;
pub mod wechat;
pub mod windows;
pub mod xml;
