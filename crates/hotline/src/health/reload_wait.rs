//! `hotline reload` (what systemd's `ExecReload` runs) waits for the answer:
//! it moves the reload generation, then watches the running instances'
//! heartbeats until one records a reload newer than the request. Refused:
//! the messages, and an error (exit 1), so `systemctl reload` fails too.
//! No running instance, or none answering in time, is an error as well.

use std::time::Duration;

use super::{Verdict, wall_ms};
use crate::config::Config;
use crate::store::Store;

/// How long to wait for an instance to answer (the watch checks every 5 s,
/// and taking new settings restarts the app).
pub const WAIT: Duration = Duration::from_secs(60);

pub async fn request_and_wait(config: &Config, wait: Duration) -> anyhow::Result<()> {
    let store = Store::open_existing(&config.database.url).await?;
    let rows = store.liveness().await?;
    let running = Verdict::judge(&rows, wall_ms(), &config.health, false).running;
    anyhow::ensure!(
        !running.is_empty(),
        "no running hotline writes a heartbeat to this database: nothing to reload"
    );
    let asked_ms = wall_ms();
    let generation = store.request_reload(asked_ms).await?;
    println!("reload requested (generation {generation}); waiting for the running bot…");
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let rows = store.liveness().await?;
        let answered = rows
            .iter()
            .find(|r| r.stopped_at.is_none() && r.reload_at.is_some_and(|at| at >= asked_ms));
        if let Some(row) = answered {
            if row.reload_refused() {
                let error = row.reload_error.clone().unwrap_or_default();
                anyhow::bail!("reload refused; the old settings keep running: {error}");
            }
            println!("reload taken by {}", row.instance);
            return Ok(());
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "no running instance answered the reload within {}",
            humantime::format_duration(wait)
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
