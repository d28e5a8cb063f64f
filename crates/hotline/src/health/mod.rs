//! Liveness you can check from outside (issue 25). The running bot keeps a
//! [`Liveness`] in memory (Telegram calls answered or failing, the last
//! reload) and [`writer`] copies it, with the engine's last pass, into its
//! `liveness` row: at most once a second, and only on change or every
//! [`BEAT`]. `hotline doctor`, `/healthz`, `/metrics` and the desk's banner
//! read that row through [`verdict`], so they judge the same facts the same
//! way. Times here are wall-clock epoch ms: they measure the process, not
//! the business day (the engine's clock may be a test's).

pub mod cli;
mod describe;
pub mod metrics;
pub mod notify;
pub mod probe;
pub mod reload_wait;
pub mod verdict;
pub mod writer;

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use crate::store::LivenessRow;

pub use crate::config::HealthConfig;
pub use describe::{describe, when};
pub use verdict::{Problem, Verdict};

/// How often an unchanged heartbeat is written anyway.
pub const BEAT: Duration = Duration::from_secs(5);

/// The last reload's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadOutcome {
    pub at_ms: i64,
    /// `None`: taken; `Some(messages)`: refused.
    pub refused: Option<String>,
}

/// What this process knows about itself, updated where things happen.
#[derive(Debug)]
pub struct Liveness {
    /// This process's row in `liveness` (kept across reloads).
    pub instance: String,
    /// When this process's client was made (wall-clock epoch ms).
    pub started_ms: i64,
    /// The last Telegram call that got an answer (0: none yet).
    telegram_ok_ms: AtomicI64,
    /// Since when Telegram calls have failed (0: they do not).
    failing_since_ms: AtomicI64,
    reload: Mutex<Option<ReloadOutcome>>,
}

impl Default for Liveness {
    fn default() -> Self {
        Liveness {
            instance: writer::instance_name(),
            started_ms: wall_ms(),
            telegram_ok_ms: AtomicI64::new(0),
            failing_since_ms: AtomicI64::new(0),
            reload: Mutex::new(None),
        }
    }
}

fn wall_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn nonzero(v: i64) -> Option<i64> {
    (v > 0).then_some(v)
}

impl Liveness {
    /// Telegram answered a call (even with an error of its own).
    pub fn telegram_answered(&self) {
        self.telegram_ok_ms.store(wall_ms(), Ordering::Relaxed);
        self.failing_since_ms.store(0, Ordering::Relaxed);
    }

    /// A call got no answer from Telegram (network, timeout, 5xx).
    pub fn telegram_unreachable(&self) {
        let _ = self.failing_since_ms.compare_exchange(
            0,
            wall_ms(),
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }

    pub fn telegram_ok_ms(&self) -> Option<i64> {
        nonzero(self.telegram_ok_ms.load(Ordering::Relaxed))
    }

    pub fn failing_since_ms(&self) -> Option<i64> {
        nonzero(self.failing_since_ms.load(Ordering::Relaxed))
    }

    /// Records a reload's outcome (`Err`: the refusal's messages).
    pub fn reloaded(&self, outcome: Result<(), String>) {
        let outcome = ReloadOutcome {
            at_ms: wall_ms(),
            refused: outcome.err(),
        };
        *self.reload.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
    }

    pub fn last_reload(&self) -> Option<ReloadOutcome> {
        self.reload
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Liveness {
    /// What this instance's heartbeat row says now (`engine_tick_ms`: the
    /// engine's last pass, 0 for none).
    pub fn row(&self, now_ms: i64, engine_tick_ms: i64) -> LivenessRow {
        let reload = self.last_reload();
        LivenessRow {
            instance: self.instance.clone(),
            started_at: self.started_ms,
            beat_at: now_ms,
            stopped_at: None,
            telegram_ok_at: self.telegram_ok_ms(),
            telegram_failing_since: self.failing_since_ms(),
            engine_tick_at: nonzero(engine_tick_ms),
            reload_at: reload.as_ref().map(|r| r.at_ms),
            reload_ok: reload.as_ref().map(|r| i64::from(r.refused.is_none())),
            reload_error: reload.and_then(|r| r.refused),
        }
    }
}

impl Default for HealthConfig {
    /// The built-in `[health]` of `config/default.toml`.
    fn default() -> Self {
        crate::config::Config::default().health
    }
}
