//! `telegram.proxy`: the proxy every call to the Bot API goes through (in
//! mainland China Telegram is reachable only through one). Parsed once at
//! load: a scheme reqwest cannot use or a URL without a host is a config
//! error naming the key, not a failed send at 3 a.m. Shown anywhere with its
//! password masked.

use serde::{Deserialize, Deserializer};

/// Schemes the Telegram client can tunnel through. `socks5h` resolves
/// names at the proxy (needed where DNS answers for Telegram are poisoned).
const SCHEMES: [&str; 4] = ["http", "https", "socks5", "socks5h"];

/// A proxy URL with a known scheme and a host.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy(url::Url);

impl Proxy {
    /// Reads `value`; an error says what is wrong, for the config error.
    pub fn parse(value: &str) -> Result<Proxy, String> {
        let url = url::Url::parse(value.trim())
            .map_err(|e| format!("`{}` is not a URL: {e}", masked(value)))?;
        if !SCHEMES.contains(&url.scheme()) {
            return Err(format!(
                "`{}`: the scheme must be http, https, socks5 or socks5h",
                Proxy(url).masked()
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{}` has no host", Proxy(url).masked()));
        }
        Ok(Proxy(url))
    }

    /// The URL, credentials included: for the HTTP client only.
    pub fn url(&self) -> &url::Url {
        &self.0
    }

    /// The URL with its password replaced by `***`, for logs and output.
    pub fn masked(&self) -> String {
        let mut url = self.0.clone();
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        url.to_string()
    }
}

/// Never prints the password, wherever the config is debug-printed.
impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Proxy({})", self.masked())
    }
}

/// A proxy URL from anywhere (the environment too) with its password masked;
/// unparseable text is shown as its scheme only.
pub fn masked(value: &str) -> String {
    match url::Url::parse(value.trim()) {
        Ok(url) => Proxy(url).masked(),
        Err(_) => match value.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://…"),
            None => "(unreadable)".to_owned(),
        },
    }
}

/// `""` is no proxy (reqwest still honours `HTTPS_PROXY`/`ALL_PROXY`).
pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Proxy>, D::Error> {
    let value = String::deserialize(d)?;
    if value.trim().is_empty() {
        return Ok(None);
    }
    Proxy::parse(&value)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socks5_proxy_is_read_and_its_password_never_shown() {
        let proxy = Proxy::parse("socks5h://hotline:s3cret@10.0.0.5:1080").unwrap();
        assert_eq!(proxy.masked(), "socks5h://hotline:***@10.0.0.5:1080");
        assert!(!format!("{proxy:?}").contains("s3cret"));
        assert_eq!(proxy.url().password(), Some("s3cret"));
    }

    #[test]
    fn an_unknown_scheme_or_no_url_is_refused_without_showing_the_password() {
        let err = Proxy::parse("ftp://u:pw@proxy:21").unwrap_err();
        assert!(err.contains("scheme") && !err.contains("pw@"), "{err}");
        assert!(Proxy::parse("proxy.example.com:8080").is_err());
        let err = Proxy::parse("http://u:pw@").unwrap_err();
        assert!(!err.contains("pw"), "{err}");
    }
}
