//! The overall limit as a sliding one-second window of sends, counted so that
//! what Telegram counts can never exceed it.
//!
//! Telegram counts a message when it arrives, which is some time between the
//! moment the worker took its slot and the moment the answer came back. A
//! slot therefore occupies the window from when it is taken until one second
//! after the send completed: if `n` messages arrive within
//! any one second, the last of them to be taken found the other `n - 1`
//! still occupying (each was taken before it and completed after that
//! second began), so `n` never exceeds the window's limit, however requests
//! overtake each other on the way. The cost is the round trip per slot (a
//! few milliseconds locally), not a fixed share of the budget.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const SECOND: Duration = Duration::from_secs(1);

/// How long to look again when every slot is still in flight (a completion
/// wakes the worker sooner).
const IN_FLIGHT_RECHECK: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, Copy)]
struct Slot {
    id: u64,
    done: Option<Instant>,
}

/// Slots taken in the last second (or still in flight).
#[derive(Debug, Default)]
pub(super) struct Window {
    slots: VecDeque<Slot>,
}

impl Window {
    pub(super) fn new() -> Window {
        Window::default()
    }

    /// When `slot` stops occupying the window (`None`: not yet known).
    fn frees_at(slot: &Slot) -> Option<Instant> {
        slot.done.map(|done| done + SECOND)
    }

    /// Time until one more slot fits under `limit` (zero: now).
    pub(super) fn wait(&mut self, limit: usize) -> Duration {
        let now = Instant::now();
        self.slots
            .retain(|s| Window::frees_at(s).is_none_or(|at| at > now));
        if self.slots.len() < limit.max(1) {
            return Duration::ZERO;
        }
        self.slots
            .iter()
            .filter_map(Window::frees_at)
            .min()
            .map_or(IN_FLIGHT_RECHECK, |at| at.saturating_duration_since(now))
    }

    pub(super) fn take(&mut self, id: u64) {
        self.slots.push_back(Slot { id, done: None });
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
        let mut w = Window::new();
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
}
