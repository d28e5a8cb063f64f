//! API keys: only their SHA-256 ([`secret::digest`](crate::secret::digest))
//! is kept (in config or the database), so a leaked file or backup gives no
//! key away; and a per-key rate limit.

use std::collections::HashMap;
use std::sync::Mutex;

/// Fixed one-minute windows per client; one instance's count (several
/// instances each allow the limit).
#[derive(Debug, Default)]
pub struct RateLimit {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimit {
    /// Counts a call of `client` at `now_ms`; false when over `per_minute`.
    pub fn allow(&self, client: &str, now_ms: i64, per_minute: u32) -> bool {
        let minute = now_ms.div_euclid(60_000);
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let entry = windows.entry(client.to_string()).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
        entry.1 <= per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_per_client_per_minute() {
        let limit = RateLimit::default();
        assert!(limit.allow("city", 0, 2));
        assert!(limit.allow("city", 1_000, 2));
        assert!(!limit.allow("city", 2_000, 2));
        assert!(limit.allow("press", 2_000, 2));
        assert!(limit.allow("city", 60_000, 2));
    }
}
