//! `hotline health`: the heartbeat alone, for container health checks and
//! frequent cron runs (`hotline doctor` also asks Telegram, the gateway and
//! the rotations, which is too much every 30 seconds). Reads the database,
//! never creates it; a refused reload is printed but does not fail the
//! check (the old settings still page; `doctor` fails on it).

use super::{Problem, Verdict, wall_ms};
use crate::config::Config;
use crate::store::Store;

/// Prints one line per problem (or "ok"); true when the bot is healthy.
pub async fn check(config: &Config) -> anyhow::Result<bool> {
    let store = Store::open_existing(&config.database.url).await?;
    let rows = store.liveness().await?;
    store.close().await;
    let now = wall_ms();
    let verdict = Verdict::judge(&rows, now, &config.health, true);
    let mut healthy = true;
    for problem in &verdict.problems {
        healthy &= matches!(problem, Problem::ReloadRefused { .. });
        println!("{}", super::describe(config, problem, now));
    }
    if verdict.problems.is_empty() {
        println!("ok: {} instance(s) running", verdict.running.len());
    }
    Ok(healthy)
}
