//! Every secret the bot makes or checks, on one crypto stack (RustCrypto:
//! `sha1`, `sha2`, `hmac`, `getrandom`, and `ctutils` for comparisons; the
//! crates sqlx-postgres already builds). Random tokens come from the
//! operating system; the database keeps only their SHA-256 ([`digest`]), so
//! the database alone signs no one in and acknowledges nothing. The
//! providers' request signatures are HMACs over what each provider names
//! (Twilio and Alibaba Cloud HMAC-SHA1, the others HMAC-SHA256).

use base64::Engine as _;
use ctutils::CtEq as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

/// `N` bytes from the operating system's random source.
///
/// # Panics
/// When the operating system gives no randomness: nothing secret can be
/// made then, and going on with a guessable token would be worse.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes
}

/// 256 random bits as 64 hex digits: desk sign-in links, sessions, CSRF
/// tokens, calendar feeds, Open311 keys.
pub fn random_token() -> String {
    hex::encode(random_bytes::<32>())
}

/// 128 random bits as 22 URL-safe characters: links short enough for a text
/// message (acknowledge links, staff invites).
pub fn short_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<16>())
}

/// 128 random bits as 32 hex digits: a signed request's nonce.
pub fn nonce() -> String {
    hex::encode(random_bytes::<16>())
}

/// What the database (or the config) keeps of a token or key: its SHA-256
/// as 64 lower-case hex digits (what `printf %s KEY | sha256sum` prints).
pub fn digest(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// SHA-256 of `data` as lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(sha256(data))
}

/// HMAC-SHA256 of `data` keyed with `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA1 of `data` keyed with `key`: only for providers that sign so
/// (Twilio, Alibaba Cloud's RPC signature).
pub fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Whether `expected` and `given` are equal, in time independent of where
/// they first differ (a length mismatch answers at once: the lengths of
/// tokens and signatures are no secret).
pub fn same(expected: &str, given: &str) -> bool {
    expected.as_bytes().ct_eq(given.as_bytes()).to_bool()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_fips_vectors() {
        // FIPS 180-2, appendix B.1 and the empty message.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            digest(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            digest("test"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // RFC 4231, test cases 1 and 2.
        assert_eq!(
            hex::encode(hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        // RFC 2202, test cases 1 and 2.
        assert_eq!(
            hex::encode(hmac_sha1(&[0x0b; 20], b"Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00"
        );
        assert_eq!(
            hex::encode(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }

    #[test]
    fn same_is_equality() {
        assert!(same("", ""));
        assert!(same(
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
        assert!(!same("abc", "abd"), "the last byte differs");
        assert!(!same("abc", "xbc"), "the first byte differs");
        assert!(!same("abc", "ab"), "a prefix");
        assert!(!same("ab", "abc"), "longer");
        assert!(!same("abc", ""));
        assert!(same("水务", "水务") && !same("水务", "水表"));
    }

    #[test]
    fn tokens_are_random_and_of_their_sizes() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        let (s, t) = (short_token(), short_token());
        assert_eq!(s.len(), 22);
        assert_ne!(s, t);
        assert!(
            s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_eq!(nonce().len(), 32);
        assert_ne!(digest(&a), a);
        assert_eq!(digest(&a).len(), 64);
    }
}
