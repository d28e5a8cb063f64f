//! One judgement of the heartbeats, shared by `hotline doctor`, `/healthz`,
//! `/metrics` and the desk's banner: pure (rows + now + thresholds in, the
//! problems out), so every reader says the same thing about the same facts.

use super::HealthConfig;
use crate::store::LivenessRow;

/// Something wrong with the running bot, as an operator names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No instance has ever written a heartbeat to this database.
    NeverRan,
    /// The last instance stopped (gracefully) at this time.
    Stopped { at_ms: i64 },
    /// The freshest heartbeat is this old: the bot is not running.
    Stale { beat_ms: i64 },
    /// Telegram calls are failing, and none was answered since then
    /// (longer than allowed).
    TelegramDown { since_ms: i64 },
    /// The escalation engine's last pass (None: none since start) is too old.
    EngineStuck { tick_ms: Option<i64> },
    /// The last reload was refused with these messages.
    ReloadRefused { at_ms: i64, error: String },
}

/// The judgement, and the running instances it was made from.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub problems: Vec<Problem>,
    /// Rows whose heartbeat is fresh (the running instances).
    pub running: Vec<LivenessRow>,
}

fn ms(d: std::time::Duration) -> i64 {
    d.as_millis() as i64
}

impl Verdict {
    /// Judges `rows` (any order) at `now_ms`. `check_engine`: whether an
    /// engine pass is expected (doctor: from some instance; `/healthz`:
    /// only on the engine's leader).
    pub fn judge(
        rows: &[LivenessRow],
        now_ms: i64,
        cfg: &HealthConfig,
        check_engine: bool,
    ) -> Verdict {
        let mut verdict = Verdict::default();
        let Some(freshest) = rows.iter().max_by_key(|r| r.beat_at) else {
            verdict.problems.push(Problem::NeverRan);
            return verdict;
        };
        verdict.running = (rows.iter())
            .filter(|r| r.stopped_at.is_none() && now_ms - r.beat_at <= ms(cfg.stale_after))
            .cloned()
            .collect();
        if verdict.running.is_empty() {
            verdict.problems.push(match freshest.stopped_at {
                Some(at_ms) => Problem::Stopped { at_ms },
                None => Problem::Stale {
                    beat_ms: freshest.beat_at,
                },
            });
            return verdict;
        }
        verdict.judge_running(now_ms, cfg, check_engine);
        verdict
    }

    fn judge_running(&mut self, now_ms: i64, cfg: &HealthConfig, check_engine: bool) {
        let down_after = ms(cfg.telegram_down_after);
        // Down when every running instance's calls are failing now; since
        // the last answer any of them got (a frozen Telegram fails a call
        // only when the client gives up, long after it stopped answering).
        let failing = (self.running.iter())
            .map(|r| (r.telegram_failing_since).map(|_| r.telegram_ok_at.unwrap_or(r.started_at)))
            .collect::<Option<Vec<i64>>>();
        if let Some(since_ms) = failing.and_then(|f| f.into_iter().max())
            && now_ms - since_ms > down_after
        {
            self.problems.push(Problem::TelegramDown { since_ms });
        }
        let stuck_after = ms(cfg.engine_stuck_after);
        let tick_ms = self.running.iter().filter_map(|r| r.engine_tick_at).max();
        let started = self
            .running
            .iter()
            .map(|r| r.started_at)
            .min()
            .unwrap_or(now_ms);
        let last = tick_ms.unwrap_or(started);
        if check_engine && now_ms - last > stuck_after {
            self.problems.push(Problem::EngineStuck { tick_ms });
        }
        for r in &self.running {
            if let (true, Some(at_ms)) = (r.reload_refused(), r.reload_at) {
                let error = r.reload_error.clone().unwrap_or_default();
                self.problems.push(Problem::ReloadRefused { at_ms, error });
                break;
            }
        }
    }

    pub fn healthy(&self) -> bool {
        self.problems.is_empty()
    }

    /// Since when Telegram has been unreachable, if longer than allowed.
    pub fn telegram_down_since(&self) -> Option<i64> {
        self.problems.iter().find_map(|p| match p {
            Problem::TelegramDown { since_ms } => Some(*since_ms),
            _ => None,
        })
    }

    /// The last Telegram call answered, on any running instance.
    pub fn telegram_ok_ms(&self) -> Option<i64> {
        self.running.iter().filter_map(|r| r.telegram_ok_at).max()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn cfg() -> HealthConfig {
        HealthConfig {
            listen: None,
            stale_after: Duration::from_secs(60),
            telegram_down_after: Duration::from_secs(120),
            engine_stuck_after: Duration::from_secs(120),
        }
    }

    fn running(now: i64) -> LivenessRow {
        LivenessRow {
            instance: "a".into(),
            started_at: now - 600_000,
            beat_at: now - 2_000,
            telegram_ok_at: Some(now - 3_000),
            engine_tick_at: Some(now - 4_000),
            ..LivenessRow::default()
        }
    }

    #[test]
    fn a_fresh_heartbeat_that_reaches_telegram_and_ticks_is_healthy() {
        let now = 10_000_000;
        assert!(Verdict::judge(&[running(now)], now, &cfg(), true).healthy());
    }

    #[test]
    fn no_row_a_stale_row_and_a_stopped_row_each_say_the_bot_is_not_running() {
        let now = 10_000_000;
        let never = Verdict::judge(&[], now, &cfg(), true);
        assert_eq!(never.problems, vec![Problem::NeverRan]);
        let stale = LivenessRow {
            beat_at: now - 61_000,
            ..running(now)
        };
        let verdict = Verdict::judge(&[stale], now, &cfg(), true);
        assert_eq!(
            verdict.problems,
            vec![Problem::Stale {
                beat_ms: now - 61_000
            }]
        );
        let stopped = LivenessRow {
            stopped_at: Some(now - 5_000),
            ..running(now)
        };
        let verdict = Verdict::judge(&[stopped], now, &cfg(), true);
        assert_eq!(
            verdict.problems,
            vec![Problem::Stopped { at_ms: now - 5_000 }]
        );
    }

    #[test]
    fn telegram_failing_longer_than_allowed_a_stuck_engine_and_a_refused_reload_are_named() {
        let now = 10_000_000;
        let row = LivenessRow {
            telegram_ok_at: Some(now - 121_000),
            telegram_failing_since: Some(now - 100_000),
            engine_tick_at: Some(now - 121_000),
            reload_at: Some(now - 1_000),
            reload_ok: Some(0),
            reload_error: Some("bad time_zone".into()),
            ..running(now)
        };
        let verdict = Verdict::judge(std::slice::from_ref(&row), now, &cfg(), true);
        assert_eq!(verdict.telegram_down_since(), Some(now - 121_000));
        assert!(verdict.problems.contains(&Problem::EngineStuck {
            tick_ms: Some(now - 121_000)
        }));
        assert!(verdict.problems.contains(&Problem::ReloadRefused {
            at_ms: now - 1_000,
            error: "bad time_zone".into()
        }));
        // A follower is not expected to tick; a short failure is not an outage.
        let brief = LivenessRow {
            telegram_ok_at: Some(now - 20_000),
            telegram_failing_since: Some(now - 10_000),
            reload_ok: None,
            ..row
        };
        assert!(Verdict::judge(&[brief], now, &cfg(), false).healthy());
    }
}
