//! Where the desk is served and where its links point (issue 25, "the desk
//! on an office network"). Sign-in links, acknowledge links to the desk and
//! the digest's desk link all use [`Config::desk_url`], so they always lead
//! to the server that actually answers:
//!
//! - `web.base_url` when set (behind a reverse proxy, or a LAN address);
//! - else the address the desk is served on: `telegram.webhook_listen` when
//!   set (the desk shares that server), else `web.listen`. A loopback
//!   address gives `http://127.0.0.1:port`; when the desk shares the webhook
//!   server and `telegram.webhook_url` is set, its origin is used instead;
//! - a wildcard (`0.0.0.0`, `[::]`) or other non-loopback address with no
//!   `base_url` cannot be turned into a link a browser can open (which of
//!   the machine's names do staff use?), so `check-config` and start refuse
//!   it. The error is keyed at the listen address (so it names the file or
//!   variable that set it, which is what the operator wrote) and its message
//!   says to set `[web] base_url`.
//!
//! Session cookies are `Secure` exactly when this URL is https: a browser
//! drops a Secure cookie sent over plain http, which signed nobody in.

use std::net::SocketAddr;

use super::{Config, ConfigWarning, HttpUrl};

/// What start-up logs and `check-config` prints for a desk over plain
/// http beyond this machine. An office LAN may be trusted on purpose, so
/// it is a warning, not an error.
pub const PLAIN_HTTP: &str = "the desk is served over plain http beyond this machine: sign-in \
     links and session cookies cross the network unencrypted (put an https address in \
     [web] base_url, behind a TLS proxy)";

/// [`PLAIN_HTTP`] as a `check-config` warning, when it applies.
pub(super) fn warning(c: &Config) -> Option<ConfigWarning> {
    c.desk_over_plain_http().then(|| ConfigWarning {
        key: "web.base_url".to_owned(),
        message: format!("{} ({})", PLAIN_HTTP, c.desk_url()),
    })
}

impl Config {
    /// The address the desk's HTTP server listens on.
    pub fn desk_listen(&self) -> SocketAddr {
        self.telegram.webhook_listen.unwrap_or(self.web.listen)
    }

    /// Where desk links point, or why none can be derived: the key of the
    /// listen address at fault and a sentence naming `[web] base_url`.
    pub fn desk_base(&self) -> Result<HttpUrl, (&'static str, String)> {
        if let Some(base) = &self.web.base_url {
            return Ok(base.clone());
        }
        let shared = self.telegram.webhook_listen.is_some();
        if let (true, Some(webhook)) = (shared, &self.telegram.webhook_url)
            && let Ok(origin) = HttpUrl::parse(&webhook.origin())
        {
            return Ok(origin);
        }
        let listen = self.desk_listen();
        if !listen.ip().is_loopback() {
            let key = match shared {
                true => "telegram.webhook_listen",
                false => "web.listen",
            };
            let message = format!(
                "the desk is served on {listen}, which is not an address a browser can open \
                 (nor a loopback one): set [web] base_url to the address staff open, e.g. \
                 \"http://192.168.1.20:{}\" or \"https://desk.example.org\"",
                listen.port()
            );
            return Err((key, message));
        }
        Ok(loopback_url(listen))
    }

    /// [`Config::desk_base`], which `check-config` guarantees when the desk
    /// is on; with the desk off, `http://` and the listen address.
    pub fn desk_url(&self) -> HttpUrl {
        self.desk_base()
            .unwrap_or_else(|_| loopback_url(self.desk_listen()))
    }

    /// Plain http to an address other machines reach: sign-in links and
    /// session cookies cross the network readable. Start-up warns.
    pub fn desk_over_plain_http(&self) -> bool {
        let url = self.desk_url();
        let loopback = match url.url().host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name == "localhost",
            None => true,
        };
        self.web.enabled && !url.is_https() && !loopback
    }
}

/// `http://` and an address (an IP and a port always make an http URL).
fn loopback_url(listen: SocketAddr) -> HttpUrl {
    HttpUrl::parse(&format!("http://{listen}")).expect("an IP and a port make an http URL")
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn config(text: &str) -> Result<Config, String> {
        Config::from_override_str(text, "site.toml").map_err(|e| e.to_string())
    }

    #[test]
    fn a_loopback_desk_links_to_itself_and_a_wildcard_one_needs_base_url() {
        let local = config("[web]\nenabled = true\nlisten = \"127.0.0.1:8090\"\n").unwrap();
        assert_eq!(local.desk_url().as_str(), "http://127.0.0.1:8090");
        let error = config("[web]\nenabled = true\nlisten = \"0.0.0.0:8090\"\n").unwrap_err();
        assert!(
            error.contains("web.listen") && error.contains("[web] base_url"),
            "{error}"
        );
        let lan = "[web]\nenabled = true\nlisten = \"0.0.0.0:8090\"\nbase_url = \"http://10.1.2.3:8090/\"\n";
        let lan = config(lan).unwrap();
        assert_eq!(lan.desk_url().base(), "http://10.1.2.3:8090");
        assert!(lan.desk_over_plain_http());
    }

    #[test]
    fn a_desk_on_the_webhook_server_links_there() {
        let text = "[web]\nenabled = true\n[telegram]\nwebhook_listen = \"127.0.0.1:8443\"\n";
        assert_eq!(
            config(text).unwrap().desk_url().as_str(),
            "http://127.0.0.1:8443"
        );
        let public = format!("{text}webhook_url = \"https://bot.example.cn/tg/hook\"\n");
        assert_eq!(
            config(&public).unwrap().desk_url().as_str(),
            "https://bot.example.cn"
        );
    }
}
