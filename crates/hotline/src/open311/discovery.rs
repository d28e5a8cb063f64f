//! `discovery.json`: where the API is, when what it describes last changed,
//! and how a client obtains a key.
//!
//! `url` is `open311.base_url`, or, when that is unset, built from the Host
//! the client called: accepted only as a plain host name or IP address with
//! an optional port (nothing else can reach the answer), scheme `http`, and
//! the answer is marked `no-store` so no shared cache hands one client's
//! Host to another. Without a usable Host, `url` is the path alone.
//!
//! `changeset` is the time the services, their attributes (the compound
//! list) or this API's shapes last changed: a digest of them is kept in the
//! database and the time moves when the digest does.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::SecondsFormat;

use super::body::{Format, Node};
use super::errors::{ApiError, reply};
use super::{Open311, PREFIX};
use crate::clock::{from_millis, to_millis};
use crate::domain::{Category, Lang};
use crate::texts::Label;
use crate::texts::open311 as t;

const SPEC: &str = "http://wiki.open311.org/GeoReport_v2";
/// Bumped when this API's answers change shape: part of the changeset digest.
const API_REVISION: &str = "2026-12-07 issue 26";

pub(super) async fn discovery(
    api: &Open311,
    format: Format,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let s = api.settings();
    let now_ms = to_millis(api.clock.now());
    let changed_ms = api
        .store
        .open311_changeset(&described(&api.config), now_ms)
        .await
        .map_err(ApiError::internal)?;
    let changeset = from_millis(changed_ms).to_rfc3339_opts(SecondsFormat::Secs, true);
    let formats = ["text/xml", "application/json"].map(Node::text).to_vec();
    let endpoint = Node::Obj(vec![
        ("specification", Node::text(SPEC)),
        ("url", Node::text(url(&s.base_url, headers))),
        ("changeset", Node::text(&changeset)),
        ("type", Node::text("production")),
        ("formats", Node::List("format", formats)),
    ]);
    let body = Node::Obj(vec![
        ("changeset", Node::text(&changeset)),
        ("contact", Node::text(&s.contact)),
        ("key_service", Node::text(t::key_service(&s.contact))),
        ("endpoints", Node::List("endpoint", vec![endpoint])),
    ]);
    let mut response = reply(StatusCode::OK, format, &body, "discovery");
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::VARY, HeaderValue::from_static("Host"));
    Ok(response)
}

/// A digest of everything discovery's changeset stands for.
fn described(config: &crate::config::Config) -> String {
    let mut text = format!("{API_REVISION}\n");
    for category in Category::ALL {
        for lang in [Lang::Zh, Lang::En] {
            text.push_str(&format!("{}={}\n", category.code(), category.label(lang)));
        }
    }
    for compound in &config.compounds {
        text.push_str(&format!("compound {}={}\n", compound.id, compound.name));
    }
    crate::secret::digest(&text)
}

/// The configured base URL, else one built from a plain Host.
fn url(base_url: &Option<crate::config::HttpUrl>, headers: &HeaderMap) -> String {
    if let Some(base_url) = base_url {
        return base_url.to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match host.filter(|h| plain_host(h)) {
        Some(host) => format!("http://{host}{PREFIX}"),
        None => PREFIX.to_string(),
    }
}

/// `name`, `name:port`, `1.2.3.4:port` or `[::1]:port`; nothing else.
fn plain_host(host: &str) -> bool {
    let port_ok = |port: Option<&str>| {
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    if let Some(rest) = host.strip_prefix('[') {
        let Some((inner, after)) = rest.split_once(']') else {
            return false;
        };
        let port = match after {
            "" => None,
            after => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => return false,
            },
        };
        return inner.parse::<std::net::Ipv6Addr>().is_ok() && port_ok(port);
    }
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let name_ok = (1..=253).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !name.starts_with(['-', '.']);
    name_ok && port_ok(port)
}

#[cfg(test)]
mod tests {
    use super::{described, plain_host};
    use crate::config::Config;

    #[test]
    fn the_changeset_digest_follows_the_compound_list() {
        let config = Config::default();
        assert_eq!(described(&config), described(&config.clone()));
        let mut renamed = config.clone();
        let mut more = config.clone();
        let mut first = config.compounds[0].clone();
        renamed.compounds[0].name.push_str("（新）");
        first.id = "new-compound".into();
        more.compounds.push(first);
        assert_ne!(described(&config), described(&renamed));
        assert_ne!(described(&config), described(&more));
    }

    #[test]
    fn only_plain_hosts_make_a_url() {
        for good in [
            "hotline.example.org",
            "127.0.0.1:8080",
            "[::1]:80",
            "localhost",
        ] {
            assert!(plain_host(good), "{good}");
        }
        for bad in [
            "evil.example/<script>",
            "a b",
            "host:port",
            "host:",
            "",
            "-x",
            "user@host",
            "[not-ip]:80",
        ] {
            assert!(!plain_host(bad), "{bad}");
        }
    }
}
