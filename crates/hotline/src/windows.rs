//! Per-key sliding windows in this instance's memory: at most `max` events
//! for one key (a client address, a person) within the last `window_ms`.
//! The desk's SMS sign-in and Open311's key lookups limit with it; the
//! gateway's own limiter (one window for every send) and Open311's shared
//! buckets (in the database, across instances) are other things.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Beyond this many keys, the quiet ones are forgotten (so the map stays
/// small without a sweep on every call).
const MAX_KEYS: usize = 10_000;

#[derive(Debug)]
pub struct KeyedWindows {
    window_ms: i64,
    /// Epoch ms of each key's events within the window, oldest first.
    times: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl KeyedWindows {
    pub fn new(window_ms: i64) -> KeyedWindows {
        KeyedWindows {
            window_ms,
            times: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one event for `key` at `now_ms`; when the window already holds
    /// `max`, counts nothing and says how many ms until it has room.
    pub fn take(&self, key: &str, now_ms: i64, max: usize) -> Result<(), i64> {
        let window = self.window_ms;
        let mut map = self.times.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > MAX_KEYS {
            map.retain(|_, times| times.back().is_some_and(|t| now_ms - t < window));
        }
        let times = map.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|t| now_ms - t >= window) {
            times.pop_front();
        }
        let max = max.max(1);
        if times.len() >= max {
            return Err((times[times.len() - max] + window - now_ms).max(1));
        }
        times.push_back(now_ms);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::KeyedWindows;

    #[test]
    fn a_key_over_its_maximum_waits_until_its_oldest_event_leaves() {
        let windows = KeyedWindows::new(1_000);
        assert_eq!(windows.take("a", 0, 2), Ok(()));
        assert_eq!(windows.take("a", 400, 2), Ok(()));
        assert_eq!(windows.take("a", 500, 2), Err(500));
        assert_eq!(windows.take("b", 500, 2), Ok(()), "per key");
        assert_eq!(windows.take("a", 1_000, 2), Ok(()), "the first left");
    }
}
