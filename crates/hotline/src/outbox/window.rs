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
//!
//! A call still unanswered `hung` after it was taken (`Pacing::hung_after`,
//! 1 s) is taken to have arrived by then: a request that reached Telegram
//! is counted on arrival, which is within a round trip of sending it, while
//! the call may hang for its whole timeout waiting for the answer. Counting
//! such a call until a second after its timeout (5 s) made every hung call
//! hold a tenth of the budget for six seconds: with 10 % of calls hanging
//! the worker sent at about 11 a second instead of 28. A request that hangs
//! on its way *to* Telegram and arrives later still is the rare case; the
//! 429 it might earn is obeyed like any other.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const SECOND: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy)]
struct Slot {
    id: u64,
    taken: Instant,
    done: Option<Instant>,
}

/// Slots taken in the last second (or still in flight).
#[derive(Debug)]
pub(super) struct Window {
    slots: VecDeque<Slot>,
    /// By when an unanswered call is taken to have arrived (see the module's doc).
    hung: Duration,
}

impl Window {
    pub(super) fn new(hung: Duration) -> Window {
        Window {
            slots: VecDeque::new(),
            hung,
        }
    }

    /// When `slot` stops occupying the window: a second after its answer,
    /// or after `hung` if the answer is later or not yet in.
    fn frees_at(hung: Duration, slot: &Slot) -> Instant {
        let arrived_by = slot.taken + hung;
        slot.done.map_or(arrived_by, |done| done.min(arrived_by)) + SECOND
    }

    /// Time until one more slot fits under `limit` (zero: now).
    pub(super) fn wait(&mut self, limit: usize) -> Duration {
        let now = Instant::now();
        let hung = self.hung;
        self.slots.retain(|s| Window::frees_at(hung, s) > now);
        if self.slots.len() < limit.max(1) {
            return Duration::ZERO;
        }
        self.slots
            .iter()
            .map(|s| Window::frees_at(hung, s))
            .min()
            .map_or(Duration::ZERO, |at| at.saturating_duration_since(now))
    }

    pub(super) fn take(&mut self, id: u64) {
        let taken = Instant::now();
        self.slots.push_back(Slot {
            id,
            taken,
            done: None,
        });
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
        let mut w = Window::new(Duration::from_secs(5));
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
    fn an_unanswered_call_frees_its_slot_a_second_after_it_counts_as_hung() {
        let hung = Duration::from_millis(40);
        let mut w = Window::new(hung);
        w.take(0);
        let wait = w.wait(1);
        assert!(
            wait > SECOND && wait <= SECOND + hung,
            "known without an answer: {wait:?}"
        );
        std::thread::sleep(hung * 2);
        w.done(0);
        let wait = w.wait(1);
        assert!(
            wait < SECOND,
            "a late answer does not move it later: {wait:?}"
        );
    }
}
