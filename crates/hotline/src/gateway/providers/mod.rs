//! Providers that need more than a template: China's clouds sign every
//! request (Alibaba Cloud's RPC HMAC-SHA1, Tencent Cloud's TC3-HMAC-SHA256)
//! and answer errors inside a 200; work-chat robots post JSON to a group.
//! Each file holds a provider's signing (tested against its documentation's
//! example), its answer's reading (accepted, throttled, refused) and a fake
//! answer for the local test server that checks the signature.

pub mod aliyun;
pub(super) mod cloud;
pub mod dingtalk;
pub mod feishu;
pub(crate) mod robot;
pub mod tencent;
pub mod wecom;

pub use robot::{Mention, RobotKind};

use super::GatewayError;

/// A throttling answer: retried later by the engine, never counted as sent.
pub(crate) fn throttled(body: &str) -> GatewayError {
    GatewayError::Rejected {
        status: 429,
        body: super::shorten(body.trim(), 300),
    }
}

/// A refusal that will not change on retry (bad number, bad template).
pub(crate) fn refused(body: &str) -> GatewayError {
    GatewayError::Rejected {
        status: 400,
        body: super::shorten(body.trim(), 300),
    }
}

/// RFC 3986 percent-encoding as both clouds canonicalise: unreserved
/// characters (`A-Z a-z 0-9 - _ . ~`) stay, every other byte is `%XX`
/// (upper-case hex), so a space is `%20` and `*` is `%2A`.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
