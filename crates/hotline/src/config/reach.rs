//! The `[reach]` section, beside the code that uses it.

use std::time::Duration;

use serde::Deserialize;

/// Acknowledge links in texts beyond Telegram, and robot bundling.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReachConfig {
    /// Where the bot's HTTP server (`telegram.webhook_listen`) is reachable
    /// from managers' phones, e.g. `https://hotline.example.cn`. `""`: no links.
    #[serde(deserialize_with = "super::values::opt_url")]
    pub public_url: Option<super::HttpUrl>,
    /// How long a link works.
    #[serde(with = "humantime_serde")]
    pub link_ttl: Duration,
    /// A work-chat robot's message waits this long for the steps of other
    /// escalations that come due meanwhile, so they go out as one message
    /// (robots take 20 a minute). Phones are never held.
    #[serde(with = "humantime_serde")]
    pub robot_window: Duration,
}

impl Default for ReachConfig {
    fn default() -> Self {
        ReachConfig {
            public_url: None,
            link_ttl: Duration::from_secs(24 * 3600),
            robot_window: Duration::from_secs(10),
        }
    }
}
