//! Which proxy the Telegram client goes through, for `hotline doctor`: the
//! `telegram.proxy` key, else the environment the HTTP client reads
//! (teloxide's `TELOXIDE_PROXY`, then the standard variables for the API
//! URL's scheme), else none. Passwords are masked: the output may be pasted
//! into a ticket.

use crate::config::{Config, masked_proxy};

/// Variables read when `telegram.proxy` is empty, in the client's order.
fn variables(api_url: &str) -> [&'static str; 5] {
    match api_url.starts_with("https:") {
        true => [
            "TELOXIDE_PROXY",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ],
        false => [
            "TELOXIDE_PROXY",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
        ],
    }
}

/// One line saying which proxy is used and where it comes from.
pub fn describe(config: &Config, env: impl Fn(&str) -> Option<String>) -> String {
    if let Some(proxy) = &config.telegram.proxy {
        return format!("{} (telegram.proxy)", proxy.masked());
    }
    let api_url = &config.telegram.api_url;
    let from_env = variables(api_url.as_str()).into_iter().find_map(|name| {
        env(name)
            .filter(|v| !v.trim().is_empty())
            .map(|v| (name, v))
    });
    match from_env {
        Some((name, value)) => format!(
            "{} (from {name}; NO_PROXY may exempt some hosts)",
            masked_proxy(&value)
        ),
        None => "none: Telegram is called directly".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(proxy: &str) -> Config {
        let toml = format!("[telegram]\nproxy = \"{proxy}\"\n");
        Config::from_override_str(&toml, "test.toml").unwrap()
    }

    #[test]
    fn the_key_wins_over_the_environment_and_hides_its_password() {
        let env = |_: &str| Some("http://env-proxy:3128".to_owned());
        let line = describe(&config("socks5://ops:hunter2@10.1.1.1:1080"), env);
        assert_eq!(line, "socks5://ops:***@10.1.1.1:1080 (telegram.proxy)");
    }

    #[test]
    fn without_the_key_the_environment_is_named_with_its_password_masked() {
        let env = |name: &str| match name {
            "ALL_PROXY" => Some("http://u:pw@squid:3128".to_owned()),
            _ => None,
        };
        let line = describe(&config(""), env);
        assert!(
            line.starts_with("http://u:***@squid:3128/ (from ALL_PROXY"),
            "{line}"
        );
        assert_eq!(
            describe(&config(""), |_| None),
            "none: Telegram is called directly"
        );
    }
}
