//! Acknowledge from anywhere: every text beyond Telegram carries a short
//! one-time link (`<public_url>/a/<token>`) bound to one escalation and one
//! person. It opens a minimal page whose Acknowledge and Resolve buttons POST
//! the token, so link previews and prefetching robots change nothing. A used
//! or expired link says so. Tokens are 128 random bits
//! ([`secret::short_token`](crate::secret::short_token)), stored only as their
//! SHA-256, so the database alone cannot be used to acknowledge.
//! The page is `crate::http::ack_page`; the outbox hands notifications
//! beyond Telegram (`OutMessage::Reach`) to the gateway in
//! `crate::outbox::dispatch`.

pub use crate::config::ReachConfig;

/// The link for `token` under `public_url` (a trailing slash is allowed).
pub fn link(public_url: &str, token: &str) -> String {
    format!("{}/a/{token}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_the_public_url_and_the_token() {
        assert_eq!(
            link("https://hotline.example.cn/", "abc"),
            "https://hotline.example.cn/a/abc"
        );
    }
}
