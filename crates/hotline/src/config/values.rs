//! Typed setting values, parsed once when the config is read: http(s) URLs,
//! listen addresses, city-local times of day, quiet hours and chat ids. A bad
//! value is a deserialisation error at its key (so `check-config` names the
//! file and the key); code that uses a value never parses it again.
//!
//! An empty string means "off" for optional values and becomes `None`.
//! URLs are shown as the operator wrote them (no added trailing slash), so
//! `check-config` prints what is in the file.

use std::fmt;
use std::net::SocketAddr;

use chrono::NaiveTime;
use serde::{Deserialize, Deserializer, de::Error as _};

/// An http:// or https:// URL with a host and no whitespace.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpUrl {
    url: url::Url,
    text: String,
}

impl HttpUrl {
    /// Reads `text`; the error is the sentence `check-config` shows.
    pub fn parse(text: &str) -> Result<HttpUrl, String> {
        let text = text.trim();
        let bad = || format!("`{text}` is not an http:// or https:// URL");
        if text.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let url = url::Url::parse(text).map_err(|_| bad())?;
        let http = matches!(url.scheme(), "http" | "https");
        if !http || url.host_str().is_none_or(str::is_empty) {
            return Err(bad());
        }
        Ok(HttpUrl {
            url,
            text: text.to_owned(),
        })
    }

    /// The parsed URL.
    pub fn url(&self) -> &url::Url {
        &self.url
    }

    /// As written in the settings.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// As written, without trailing slashes: ready for `format!("{}/path")`.
    pub fn base(&self) -> &str {
        self.text.trim_end_matches('/')
    }

    pub fn is_https(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// `scheme://host[:port]`, the part a browser compares for same-origin.
    pub fn origin(&self) -> String {
        self.url.origin().ascii_serialization()
    }

    /// The host, for summaries that must not show a secret path or query.
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpUrl({})", self.text)
    }
}

impl std::str::FromStr for HttpUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<HttpUrl, String> {
        HttpUrl::parse(s)
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HttpUrl, D::Error> {
        HttpUrl::parse(&String::deserialize(d)?).map_err(D::Error::custom)
    }
}

/// A city-local wall-clock time written "HH:MM".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(NaiveTime);

impl TimeOfDay {
    pub fn parse(text: &str) -> Result<TimeOfDay, String> {
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map(TimeOfDay)
            .map_err(|_| format!("`{text}` is not HH:MM (or empty for none)"))
    }

    pub fn time(self) -> NaiveTime {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl fmt::Debug for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeOfDay({self})")
    }
}

/// City-local "HH:MM-HH:MM" during which non-urgent notices wait; the span
/// may cross midnight (start after end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    pub fn parse(text: &str) -> Result<QuietHours, String> {
        let bad = || format!("`{text}` is not HH:MM-HH:MM (or empty for none)");
        let (start, end) = text.split_once('-').ok_or_else(bad)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        Ok(QuietHours {
            start: time(start)?,
            end: time(end)?,
        })
    }
}

impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// Reads a string; empty (or blank) is `None`, anything else goes to `parse`.
fn optional<'de, D, T>(
    d: D,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse(&text).map(Some).map_err(D::Error::custom)
}

/// An optional http(s) URL; `""` is none.
pub(super) fn opt_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<HttpUrl>, D::Error> {
    optional(d, HttpUrl::parse)
}

/// An optional "HH:MM"; `""` is none.
/// Also takes a TOML local time: `HOTLINE__WEB__DIGEST_AT=07:30` reads as
/// one (TOML 1.1 lets seconds be left out), where a file has `"07:30"`.
pub(super) fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeOfDay>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }
    let text = match Raw::deserialize(d)? {
        Raw::Text(text) => text,
        Raw::Toml(at) => match (at.date, at.time, at.offset) {
            (None, Some(t), None) => format!("{:02}:{:02}", t.hour, t.minute),
            _ => at.to_string(),
        },
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    TimeOfDay::parse(&text).map(Some).map_err(D::Error::custom)
}

/// Optional quiet hours; `""` is none.
pub(super) fn opt_quiet<'de, D: Deserializer<'de>>(d: D) -> Result<Option<QuietHours>, D::Error> {
    optional(d, QuietHours::parse)
}

fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("`{text}` is not an address like 127.0.0.1:8090"))
}

/// A listen address such as `127.0.0.1:8090` (an IP and a port, no name).
pub(super) fn addr<'de, D: Deserializer<'de>>(d: D) -> Result<SocketAddr, D::Error> {
    parse_addr(&String::deserialize(d)?).map_err(D::Error::custom)
}

/// An optional listen address; `""` is none.
pub(super) fn opt_addr<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SocketAddr>, D::Error> {
    optional(d, parse_addr)
}

/// A chat id written as a number or a string of digits (an environment
/// variable's `-100123` arrives as a number); `""` is none.
pub(super) fn opt_chat_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(i64),
        Text(String),
    }
    let text = match Raw::deserialize(d)? {
        Raw::Number(id) => return Ok(Some(id)),
        Raw::Text(text) => text,
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.trim().parse().map(Some).map_err(|_| {
        D::Error::custom(format!(
            "`{text}` is not a chat id: use the channel's numeric id (like -1001234567890) \
             and put its @name in telegram.channel_link"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_what_was_written_and_refuse_what_is_not_http() {
        let url = HttpUrl::parse("https://desk.example.cn/").unwrap();
        assert_eq!(url.to_string(), "https://desk.example.cn/");
        assert_eq!(url.base(), "https://desk.example.cn");
        assert!(url.is_https());
        assert_eq!(url.origin(), "https://desk.example.cn");
        for bad in [
            "ftp://x",
            "http://",
            "http://:80",
            "desk.example.cn",
            "http://a b",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_of_day_and_quiet_hours_read_as_written() {
        assert_eq!(TimeOfDay::parse("08:00").unwrap().to_string(), "08:00");
        assert!(TimeOfDay::parse("25:00").is_err());
        let quiet = QuietHours::parse("22:00-07:00").unwrap();
        assert_eq!(quiet.to_string(), "22:00-07:00");
        assert!(QuietHours::parse("22:00").is_err());
    }

    #[test]
    fn a_time_of_day_from_the_environment_reads_like_one_from_a_file() {
        let env = [("HOTLINE__WEB__DIGEST_AT".to_owned(), "07:30".to_owned())];
        let c = crate::config::Config::load_with_env(None, &env).unwrap();
        assert_eq!(c.web.digest_at.unwrap().to_string(), "07:30");
        let env = [("HOTLINE__WEB__DIGEST_AT".to_owned(), "".to_owned())];
        let c = crate::config::Config::load_with_env(None, &env).unwrap();
        assert_eq!(c.web.digest_at, None);
        let env = [(
            "HOTLINE__TELEGRAM__CHANNEL".to_owned(),
            "-100123".to_owned(),
        )];
        let c = crate::config::Config::load_with_env(None, &env).unwrap();
        assert_eq!(c.telegram.channel, Some(-100_123));
    }
}
