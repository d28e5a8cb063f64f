//! The plain sections of the settings: city, database, Telegram, limits,
//! compounds and delivery. Every key's default and meaning is in
//! `config/default.toml`, the built-in base layer: no default is repeated here.

use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use super::values::{self, HttpUrl, QuietHours, TimeOfDay};
use crate::domain::{ChatId, Lang};

/// City-wide settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct General {
    /// Hand-offs and "today" are computed here, never in the server's zone.
    #[serde(deserialize_with = "deserialize_tz")]
    pub time_zone: chrono_tz::Tz,
    pub default_language: Lang,
    pub ticket_prefix: String,
}

/// Where state lives.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// May contain a password: [`super::Config::describe`] redacts it.
    pub url: String,
    pub max_connections: u32,
}

/// How the bot reaches Telegram (the token is not here on purpose).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Telegram {
    pub api_url: HttpUrl,
    /// Every Bot API call goes through it; None: direct (or the
    /// environment's `HTTPS_PROXY`/`ALL_PROXY`, which reqwest honours).
    #[serde(deserialize_with = "super::proxy::deserialize")]
    pub proxy: Option<super::Proxy>,
    #[serde(with = "humantime_serde")]
    pub poll_timeout: Duration,
    pub mode: TelegramMode,
    /// Where the HTTP server (webhook and `/healthz`) listens; `""`: none.
    #[serde(deserialize_with = "values::opt_addr")]
    pub webhook_listen: Option<SocketAddr>,
    pub webhook_path: String,
    /// The public URL registered with setWebhook; `""`: registered by hand.
    #[serde(deserialize_with = "values::opt_url")]
    pub webhook_url: Option<HttpUrl>,
    /// The utility's public channel (its numeric chat id) that incident
    /// updates are also posted to; `""`: none.
    #[serde(deserialize_with = "values::opt_chat_id")]
    pub channel: Option<i64>,
    /// How residents find that channel ("@name" or a t.me link), mentioned
    /// when a fault is already known; empty: not mentioned.
    pub channel_link: String,
    /// Incident updates to subscribers go as Telegram's paid broadcasts
    /// (`allow_paid_broadcast`: up to 1,000 messages/s, for a fee).
    pub paid_broadcast: bool,
    /// Paid messages per city-local day; beyond it, ordinary broadcasts.
    pub paid_broadcast_daily_cap: u32,
}

impl Telegram {
    /// The channel's chat id, when one is configured.
    pub fn channel_id(&self) -> Option<ChatId> {
        self.channel.map(ChatId)
    }
}

/// How updates arrive: one box long-polls; several sit behind a load
/// balancer and receive Telegram's webhook posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TelegramMode {
    Polling,
    Webhook,
}

/// Protections against floods and oversized input.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Longer descriptions are stored truncated, not rejected.
    pub description_max_chars: usize,
    /// Longer addresses are stored truncated, not rejected.
    pub address_max_chars: usize,
    pub max_photos: usize,
    /// Per resident; beyond it they get one polite "slow down".
    pub messages_per_minute: u32,
    /// Per resident; beyond it /report is politely refused.
    pub reports_per_hour: u32,
}

/// One residential compound (小区) residents can pick.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompoundConfig {
    /// Stable key other settings and stored tickets refer to.
    pub id: String,
    pub name: String,
    /// Other names residents type; each belongs to one compound only.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub district: String,
}

impl CompoundConfig {
    /// The name followed by every alias: all the texts that mean this compound.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// How messages to staff are delivered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// No longer used: alerts are never held back to gather a burst (they
    /// merge only into one still waiting to be sent). Accepted, and ignored,
    /// so existing files still load.
    #[serde(with = "humantime_serde")]
    pub bundle_window: Duration,
    /// City-local "HH:MM-HH:MM": non-urgent staff notices wait until it
    /// ends; `""`: none.
    #[serde(deserialize_with = "values::opt_quiet")]
    pub quiet_hours: Option<QuietHours>,
}

/// Reads an IANA zone name; chrono-tz's own serde support is behind a feature
/// we do not need to enable for one field.
fn deserialize_tz<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "unknown time zone `{name}` (expected an IANA name such as \"Asia/Shanghai\")"
        ))
    })
}

/// The operator desk: a web console served by the same binary.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Web {
    pub enabled: bool,
    /// Used only when `telegram.webhook_listen` is empty (else the desk
    /// shares that server).
    #[serde(deserialize_with = "values::addr")]
    pub listen: SocketAddr,
    /// Where desk links point; `""`: derived (see `Config::desk_url`).
    #[serde(deserialize_with = "values::opt_url")]
    pub base_url: Option<HttpUrl>,
    #[serde(with = "humantime_serde")]
    pub session_idle: Duration,
    #[serde(with = "humantime_serde")]
    pub link_ttl: Duration,
    /// City-local "HH:MM" of the daily digest; `""`: none.
    #[serde(deserialize_with = "values::opt_time")]
    pub digest_at: Option<TimeOfDay>,
}

/// `[log]`: how the binary writes its log lines (levels come from `RUST_LOG`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Log {
    pub format: LogFormat,
}

/// Text for people at a terminal, JSON lines for log collectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}
