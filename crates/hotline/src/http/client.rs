//! Who a request counts against, for every per-client limit on the HTTP
//! side (the desk's sign-in by SMS, Open311's callers without a key): one
//! rule, so a reverse proxy in front changes all of them alike.
//!
//! The client is the peer's address; when the peer is on this machine (a
//! reverse proxy beside the bot, as the README's nginx and Caddy examples
//! set up), the last address of its `X-Forwarded-For`, which that proxy
//! appended. A remote peer's header is ignored: anyone can write one.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

/// The client address a limit counts against (see the module's doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| *peer);
        Ok(Client(client_of(peer, &parts.headers)))
    }
}

/// The rule itself: the peer, or behind a local proxy the address it forwarded.
pub fn client_of(peer: Option<SocketAddr>, headers: &HeaderMap) -> String {
    let forwarded = || {
        let value = headers.get("x-forwarded-for")?.to_str().ok()?;
        Some(value.rsplit(',').next()?.trim().to_owned()).filter(|v| !v.is_empty())
    };
    match peer {
        Some(peer) if !peer.ip().is_loopback() => peer.ip().to_string(),
        Some(peer) => forwarded().unwrap_or_else(|| peer.ip().to_string()),
        None => forwarded().unwrap_or_else(|| "unknown".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn a_local_proxy_names_the_client_a_remote_peer_cannot() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let headers = forwarded("10.0.0.1, 198.51.100.7");
        assert_eq!(client_of(Some(local), &headers), "198.51.100.7");
        assert_eq!(client_of(Some(remote), &headers), "203.0.113.9");
        assert_eq!(client_of(Some(local), &HeaderMap::new()), "127.0.0.1");
    }
}
