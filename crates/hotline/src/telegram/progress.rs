//! Offset bookkeeping for polling: which fetched updates are still in hand,
//! and the offset up to which every update is committed.
//!
//! Telegram forgets every update below the `offset` of a `getUpdates` call.
//! Workers finish updates out of order (chats are handled in parallel), so
//! the offset may only move past the longest prefix of finished updates: an
//! update still in hand keeps it, and every later one, asked for again.

use std::collections::BTreeSet;

/// The updates fetched and not yet finished, and the committed offset.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Fetched, not yet finished (committed or given up).
    in_hand: BTreeSet<i64>,
    /// The highest update id ever fetched.
    highest: Option<i64>,
    /// Where to start when nothing was fetched yet (the stored offset).
    start: Option<i64>,
}

impl Progress {
    /// Starts at a stored offset (None: from Telegram's own confirmed point).
    pub fn starting_at(offset: Option<i64>) -> Progress {
        Progress {
            start: offset,
            ..Progress::default()
        }
    }

    /// Takes a fetched update into hand. False when it was fetched before
    /// (it is still in hand, or finished): Telegram hands an update out again
    /// until the offset passes it, and it must not be handled twice at once.
    pub fn accept(&mut self, id: i64) -> bool {
        let seen = self.highest.is_some_and(|h| id <= h) || self.start.is_some_and(|s| id < s);
        if seen {
            return false;
        }
        self.highest = Some(id);
        self.in_hand.insert(id);
        true
    }

    /// Marks an update finished: committed, or given up after its last attempt.
    pub fn finish(&mut self, id: i64) {
        self.in_hand.remove(&id);
    }

    /// The offset for the next `getUpdates`: every update below it is finished.
    /// None before anything was fetched without a stored offset.
    pub fn offset(&self) -> Option<i64> {
        match (self.in_hand.first(), self.highest) {
            (Some(&oldest), _) => Some(oldest),
            (None, Some(highest)) => Some(highest + 1),
            (None, None) => self.start,
        }
    }

    pub fn in_hand(&self) -> usize {
        self.in_hand.len()
    }

    /// How many update ids a `getUpdates` from the offset would cover before
    /// reaching new ones: from the oldest in hand to the highest fetched
    /// (0 with nothing in hand).
    pub fn window(&self) -> usize {
        match (self.in_hand.first(), self.highest) {
            (Some(&oldest), Some(highest)) => (highest - oldest + 1) as usize,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn the_offset_moves_only_past_the_finished_prefix() {
        let mut p = Progress::starting_at(Some(10));
        assert_eq!(p.offset(), Some(10));
        for id in 10..15 {
            assert!(p.accept(id));
        }
        p.finish(12);
        p.finish(14);
        assert_eq!(p.offset(), Some(10), "10 is still in hand");
        assert_eq!(p.window(), 5, "10 to 14: a call returns them again");
        p.finish(10);
        assert_eq!(p.offset(), Some(11));
        p.finish(11);
        assert_eq!(p.offset(), Some(13), "12 done, 13 in hand");
        p.finish(13);
        assert_eq!(p.offset(), Some(15), "all done: past the highest");
        assert_eq!(p.window(), 0);
        assert_eq!(p.in_hand(), 0);
    }

    #[test]
    fn an_update_fetched_again_is_not_taken_twice() {
        let mut p = Progress::starting_at(None);
        assert_eq!(p.offset(), None);
        assert!(p.accept(100));
        assert!(p.accept(101));
        assert!(!p.accept(100), "still in hand");
        p.finish(100);
        assert!(!p.accept(100), "finished");
        assert!(p.accept(102));
        assert_eq!(p.offset(), Some(101));
    }

    #[test]
    fn ids_below_the_stored_offset_are_not_taken() {
        let mut p = Progress::starting_at(Some(50));
        assert!(!p.accept(49));
        assert!(p.accept(50));
    }

    #[test]
    fn gaps_between_ids_do_not_hold_the_offset() {
        let mut p = Progress::starting_at(None);
        assert!(p.accept(7));
        assert!(p.accept(9));
        p.finish(9);
        assert_eq!(p.offset(), Some(7));
        p.finish(7);
        assert_eq!(p.offset(), Some(10));
    }
}
