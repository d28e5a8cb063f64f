//! The overall limit as a sliding one-second window of sends, counted so that
//! what Telegram counts can never exceed it.
//!
//! Telegram counts a message when it arrives, which is some time between the
//! moment the worker took its slot and the moment the answer came back. A
//! slot therefore occupies the window from when it is taken until one second
//! after the send completed (`by_completion`): if `n` messages arrive within
//! any one second, the last of them to be taken found the other `n - 1`
//! still occupying (each was taken before it and completed after that
//! second began), so `n` never exceeds the window's limit, however requests
//! overtake each other on the way. The cost is the round trip per slot (a
//! few milliseconds locally), not a fixed share of the budget.
//!
//! The older count (`by_completion = false`, kept for the benchmark's
//! comparison) stamps a slot when its claim returned and frees it one second
//! later; it needs headroom because a request may arrive later than stamped.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const SECOND: Duration = Duration::from_secs(1);

/// How long to look again when every slot is still in flight (a completion
/// wakes the worker sooner).
const IN_FLIGHT_RECHECK: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, Copy)]
struct Slot {
    id: u64,
    at: Instant,
    done: Option<Instant>,
}

/// Slots taken in the last second (or still in flight).
#[derive(Debug, Default)]
pub(super) struct Window {
    slots: VecDeque<Slot>,
    by_completion: bool,
}

impl Window {
    pub(super) fn new(by_completion: bool) -> Window {
        Window {
            slots: VecDeque::new(),
            by_completion,
        }
    }

    /// When `slot` stops occupying the window (`None`: not yet known).
    fn frees_at(&self, slot: &Slot) -> Option<Instant> {
        if self.by_completion {
            slot.done.map(|done| done + SECOND)
        } else {
            Some(slot.at + SECOND)
        }
    }

    /// Time until one more slot fits under `limit` (zero: now).
    pub(super) fn wait(&mut self, limit: usize) -> Duration {
        let now = Instant::now();
        let by_completion = self.by_completion;
        self.slots.retain(|s| {
            let frees = if by_completion {
                s.done.map(|d| d + SECOND)
            } else {
                Some(s.at + SECOND)
            };
            frees.is_none_or(|at| at > now)
        });
        if self.slots.len() < limit.max(1) {
            return Duration::ZERO;
        }
        self.slots
            .iter()
            .filter_map(|s| self.frees_at(s))
            .min()
            .map_or(IN_FLIGHT_RECHECK, |at| at.saturating_duration_since(now))
    }

    pub(super) fn take(&mut self, id: u64) {
        self.slots.push_back(Slot {
            id,
            at: Instant::now(),
            done: None,
        });
    }

    /// The slot's send starts now (its claim came back): the older count
    /// stamps it again, since Telegram counts arrivals.
    pub(super) fn started(&mut self, id: u64) {
        if let Some(slot) = self.slots.iter_mut().find(|s| s.id == id) {
            slot.at = Instant::now();
        }
    }

    /// The slot's send was never made (another instance claimed the row).
    pub(super) fn cancel(&mut self, id: u64) {
        self.slots.retain(|s| s.id != id);
    }

    /// The slot's send has its answer (or gave up): it frees a second later.
    pub(super) fn done(&mut self, id: u64) {
        if let Some(slot) = self.slots.iter_mut().find(|s| s.id == id) {
            slot.done.get_or_insert_with(Instant::now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_occupies_the_window_until_a_second_after_its_send_completed() {
        let mut w = Window::new(true);
        for id in 0..3 {
            assert!(w.wait(3).is_zero());
            w.take(id);
        }
        assert!(!w.wait(3).is_zero(), "full");
        std::thread::sleep(Duration::from_millis(30));
        w.done(0);
        let wait = w.wait(3);
        assert!(
            wait > Duration::from_millis(950) && wait <= SECOND,
            "a second after completion, not after the take: {wait:?}"
        );
        w.cancel(1);
        assert!(w.wait(3).is_zero(), "a cancelled slot frees at once");
    }

    #[test]
    fn the_older_count_frees_a_slot_a_second_after_it_started() {
        let mut w = Window::new(false);
        w.take(0);
        assert!(!w.wait(1).is_zero());
        w.done(0);
        assert!(!w.wait(1).is_zero(), "completion does not matter");
    }
}
