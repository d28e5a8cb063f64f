//! API keys and rate limits. Only a key's SHA-256
//! ([`secret::digest`](crate::secret::digest)) is kept (in config or the
//! database), so a leaked file or backup gives no key away.
//!
//! Limits, all sliding windows: each client (its key's client name, else the
//! caller's address as `crate::http::client` decides) makes at most `requests_per_minute` calls in any 60
//! seconds, counted in the database so every instance shares the count; each
//! address gets at most `requests_per_address_per_hour` posted requests in
//! any hour. A key that is not in the config is looked up in the database
//! only after the caller's IP passed [`LookupLimit`], kept in memory, so
//! guessing keys cannot hammer the database.

use crate::windows::KeyedWindows;

/// The window of the per-client limit.
pub const CLIENT_WINDOW_MS: i64 = 60_000;
/// The window of the per-address limit.
pub const ADDRESS_WINDOW_MS: i64 = 3_600_000;

/// Per-IP sliding window over key lookups, in this instance's memory.
#[derive(Debug)]
pub struct LookupLimit(KeyedWindows);

impl Default for LookupLimit {
    fn default() -> LookupLimit {
        LookupLimit(KeyedWindows::new(CLIENT_WINDOW_MS))
    }
}

impl LookupLimit {
    /// Counts a lookup by `ip` at `now_ms`: `None` when allowed, else the
    /// milliseconds until the window has room.
    pub fn allow(&self, ip: &str, now_ms: i64, per_minute: u32) -> Option<i64> {
        self.0.take(ip, now_ms, per_minute as usize).err()
    }
}

/// Whole seconds for `Retry-After`, rounded up, at least 1.
pub fn retry_after_secs(ms: i64) -> i64 {
    ((ms + 999) / 1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_slide_per_ip() {
        let limit = LookupLimit::default();
        assert_eq!(limit.allow("1.2.3.4", 0, 2), None);
        assert_eq!(limit.allow("1.2.3.4", 30_000, 2), None);
        assert_eq!(limit.allow("1.2.3.4", 59_000, 2), Some(1_000));
        assert_eq!(limit.allow("5.6.7.8", 59_000, 2), None);
        assert_eq!(
            limit.allow("1.2.3.4", 60_000, 2),
            None,
            "the first aged out"
        );
        assert_eq!(limit.allow("1.2.3.4", 61_000, 2), Some(29_000));
        assert_eq!(retry_after_secs(1), 1);
        assert_eq!(retry_after_secs(29_000), 29);
        assert_eq!(retry_after_secs(29_001), 30);
    }
}
