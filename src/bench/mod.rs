//! Benchmarks run from the command line (`hotline bench …`), against the local
//! Telegram stand-in with its limits enforced, so that the figures come from
//! the very code path production runs (real teloxide client, real SQLite file,
//! real outbox worker, real clock) rather than from a model of it.

pub mod flood;
mod stats;
