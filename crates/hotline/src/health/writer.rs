//! Copies this instance's [`Liveness`] and the engine's last pass into its
//! `liveness` row: checked every second, written when something changed or
//! [`BEAT`] has passed, and once more on a graceful stop (`stopped_at`).
//! A failed write is logged and tried again on the next second: the
//! heartbeat must never stop the bot.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{BEAT, Liveness, wall_ms};
use crate::store::{LivenessRow, Store};

/// Rows of instances silent for this long are forgotten at start.
const FORGET_AFTER_MS: i64 = 7 * 24 * 3_600_000;

/// A name for this instance's row: the host, the process and a random part
/// (tests run several apps in one process).
pub fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let host = match host.trim() {
        "" => "host",
        host => host,
    };
    format!("{host}:{}:{:04x}", std::process::id(), fastrand::u16(..))
}

/// What the row says now, from memory (`started_at` kept from `base`).
fn snapshot(base: &LivenessRow, liveness: &Liveness, engine_tick: &AtomicI64) -> LivenessRow {
    LivenessRow {
        started_at: base.started_at,
        beat_at: base.beat_at,
        ..liveness.row(base.beat_at, engine_tick.load(Ordering::Relaxed))
    }
}

/// Writes the first beat at once, then runs until `stop` turns true.
pub async fn spawn(
    store: Store,
    liveness: Arc<Liveness>,
    engine_tick: Arc<AtomicI64>,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    let now = wall_ms();
    if let Err(error) = store.forget_liveness_before(now - FORGET_AFTER_MS).await {
        tracing::warn!(%error, "could not forget old heartbeats");
    }
    let mut row = LivenessRow {
        instance: liveness.instance.clone(),
        started_at: now,
        beat_at: now,
        ..LivenessRow::default()
    };
    row = snapshot(&row, &liveness, &engine_tick);
    let mut written = store
        .write_liveness(&row)
        .await
        .is_ok()
        .then(|| row.clone());
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => break,
            }
            let now = wall_ms();
            let next = snapshot(&row, &liveness, &engine_tick);
            let due = written.as_ref().is_none_or(|w| {
                now - w.beat_at >= BEAT.as_millis() as i64
                    || LivenessRow {
                        beat_at: w.beat_at,
                        ..next.clone()
                    } != *w
            });
            if !due {
                continue;
            }
            row = LivenessRow {
                beat_at: now,
                ..next
            };
            match store.write_liveness(&row).await {
                Ok(()) => written = Some(row.clone()),
                Err(error) => tracing::warn!(%error, "could not write the heartbeat"),
            }
        }
        let now = wall_ms();
        row = LivenessRow {
            beat_at: now,
            stopped_at: Some(now),
            ..snapshot(&row, &liveness, &engine_tick)
        };
        if let Err(error) = store.write_liveness(&row).await {
            tracing::warn!(%error, "could not write the last heartbeat");
        }
    })
}
