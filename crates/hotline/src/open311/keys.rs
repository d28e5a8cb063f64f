//! API keys: only their SHA-256 is kept (in config or the database), so a
//! leaked file or backup gives no key away; and a per-key rate limit.

use std::collections::HashMap;
use std::sync::Mutex;

use ring::digest;
use ring::rand::{SecureRandom, SystemRandom};

/// Lower-case hex SHA-256 of a key, as config and the database hold it.
pub fn hash_key(key: &str) -> String {
    let d = digest::digest(&digest::SHA256, key.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A new key: 32 random bytes from the OS, as 64 hex characters.
pub fn new_key() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| anyhow::anyhow!("the OS gave no randomness for a key"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

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
    fn hashes_are_sha256_hex() {
        assert_eq!(
            hash_key("test"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
    }

    #[test]
    fn new_keys_differ_and_are_long() {
        let (a, b) = (new_key().unwrap(), new_key().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }

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
