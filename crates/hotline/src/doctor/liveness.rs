//! Doctor's look at the running bot, through its heartbeat in the database
//! (`crate::health`): failing when the bot is stopped or silent, when
//! Telegram has not answered for `health.telegram_down_after`, when the
//! engine is stuck, or when the last reload was refused. Ages are measured
//! on the wall clock, like the heartbeat itself.

use super::Report;
use crate::config::Config;
use crate::health::{Verdict, describe, when};
use crate::store::Store;

/// Adds the `bot` finding(s). Without a store there is nothing to read.
pub async fn check(report: &mut Report, config: &Config, store: Option<&Store>, now_ms: i64) {
    let Some(store) = store else {
        return report.fail("bot", "heartbeat unknown: the database is unreachable");
    };
    let rows = match store.liveness().await {
        Ok(rows) => rows,
        Err(error) => return report.fail("bot", format!("reading the heartbeat: {error}")),
    };
    let verdict = Verdict::judge(&rows, now_ms, &config.health, true);
    for problem in &verdict.problems {
        report.fail("bot", describe(config, problem, now_ms));
    }
    if verdict.healthy() {
        let last = verdict.telegram_ok_ms().unwrap_or(now_ms);
        report.ok(
            "bot",
            format!(
                "running ({} instance(s)); Telegram last answered {}",
                verdict.running.len(),
                when(config, last, now_ms)
            ),
        );
    }
}
