//! A heartbeat problem in an operator's words, with its time in the city's
//! zone: what `hotline doctor` and `hotline health` print.

use chrono::{DateTime, Utc};

use super::Problem;
use crate::config::Config;

/// "2026-12-07 03:12 (Asia/Shanghai), 5m 3s ago".
pub fn when(config: &Config, at_ms: i64, now_ms: i64) -> String {
    let tz = config.general.time_zone;
    let at = DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default();
    let ago = std::time::Duration::from_secs(((now_ms - at_ms).max(0) / 1000) as u64);
    format!(
        "{} ({}), {} ago",
        at.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S"),
        tz.name(),
        humantime::format_duration(ago)
    )
}

/// The problem in an operator's words.
pub fn describe(config: &Config, problem: &Problem, now_ms: i64) -> String {
    let limit = |d: std::time::Duration| humantime::format_duration(d).to_string();
    let h = &config.health;
    match problem {
        Problem::NeverRan => {
            "no heartbeat: `hotline run` has never run against this database".into()
        }
        Problem::Stopped { at_ms } => {
            format!("not running: stopped {}", when(config, *at_ms, now_ms))
        }
        Problem::Stale { beat_ms } => format!(
            "not running: last heartbeat {} (limit {}); did it crash?",
            when(config, *beat_ms, now_ms),
            limit(h.stale_after)
        ),
        Problem::TelegramDown { since_ms } => format!(
            "Telegram unreachable since {} (limit {}); see `telegram` above and HTTPS_PROXY",
            when(config, *since_ms, now_ms),
            limit(h.telegram_down_after)
        ),
        Problem::EngineStuck { tick_ms: Some(at) } => format!(
            "the escalation engine is stuck: last pass {} (limit {})",
            when(config, *at, now_ms),
            limit(h.engine_stuck_after)
        ),
        Problem::EngineStuck { tick_ms: None } => format!(
            "the escalation engine has not run a pass since start (limit {})",
            limit(h.engine_stuck_after)
        ),
        Problem::ReloadRefused { at_ms, error } => format!(
            "the last reload was refused {}; the old settings run: {error}",
            when(config, *at_ms, now_ms)
        ),
    }
}
