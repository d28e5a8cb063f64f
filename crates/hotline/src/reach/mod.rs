//! Acknowledge from anywhere: every text beyond Telegram carries a short
//! one-time link (`<public_url>/a/<token>`) bound to one escalation and one
//! person. It opens a minimal page whose Acknowledge and Resolve buttons POST
//! the token, so link previews and prefetching robots change nothing. A used
//! or expired link says so. Tokens are 128 random bits, stored only as their
//! SHA-256, so the database alone cannot be used to acknowledge.
//! The page is `crate::http::ack_page`; the outbox hands notifications
//! beyond Telegram (`OutMessage::Reach`) to the gateway in
//! `crate::outbox::dispatch`.

use sha2::{Digest, Sha256};

pub use crate::config::ReachConfig;

/// A new link's token (for the URL) and its hash (for the database).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    use base64::Engine as _;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The link for `token` under `public_url` (a trailing slash is allowed).
pub fn link(public_url: &str, token: &str) -> String {
    format!("{}/a/{token}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_short_random_and_stored_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_eq!(a.len(), 22);
        assert_ne!(a, b);
        assert_eq!(hash_a, token_hash(&a));
        assert_eq!(hash_a.len(), 64);
        assert_eq!(
            link("https://hotline.example.cn/", "abc"),
            "https://hotline.example.cn/a/abc"
        );
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
