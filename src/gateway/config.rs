//! The `[gateway]` section. It lives next to the code that uses it (and is
//! re-exported from `crate::config`) so the phone fallback is one module.

use std::time::Duration;

use serde::Deserialize;

/// How alerts reach a phone when Telegram is not enough.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    pub kind: GatewayKind,
    /// http: the endpoint (placeholders allowed, URL-encoded); twilio: the
    /// API base, to which the Messages/Calls path is appended.
    pub url: String,
    /// http only.
    pub method: String,
    /// http only: name of the header that carries the secret.
    pub auth_header: String,
    /// Name of the environment variable holding the secret, so the secret
    /// is never in a file under version control nor in `check-config`.
    pub auth_env: String,
    /// http only; also decides how placeholders are escaped.
    pub content_type: String,
    /// http only: the request body with `{phone}`, `{text}`, `{escalation}`.
    pub body: String,
    /// twilio: the sending number.
    pub from: String,
    pub channel: GatewayChannel,
    /// Across all sends: a runaway escalation must not run up a bill.
    pub per_minute: u32,
    /// Page by phone when an alert is still unacknowledged this long.
    #[serde(with = "humantime_serde")]
    pub after: Duration,
    /// Per HTTP request, so a hung provider cannot stall the escalation.
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
}

/// Which request format the gateway speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayKind {
    /// No phone fallback.
    #[default]
    None,
    /// Any provider: URL, header and body template from the config.
    Http,
    /// Twilio's REST API (Messages.json / Calls.json).
    Twilio,
}

/// A text message or a phone call that reads the text aloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayChannel {
    #[default]
    Sms,
    Voice,
}

impl GatewayKind {
    pub fn code(self) -> &'static str {
        match self {
            GatewayKind::None => "none",
            GatewayKind::Http => "http",
            GatewayKind::Twilio => "twilio",
        }
    }
}

impl GatewayChannel {
    pub fn code(self) -> &'static str {
        match self {
            GatewayChannel::Sms => "sms",
            GatewayChannel::Voice => "voice",
        }
    }
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            kind: GatewayKind::None,
            url: String::new(),
            method: "POST".to_owned(),
            auth_header: "Authorization".to_owned(),
            auth_env: "HOTLINE_GATEWAY_AUTH".to_owned(),
            content_type: "application/json".to_owned(),
            body: r#"{"to": "{phone}", "text": "{text}"}"#.to_owned(),
            from: String::new(),
            channel: GatewayChannel::Sms,
            per_minute: 10,
            after: Duration::from_secs(300),
            timeout: Duration::from_secs(10),
        }
    }
}
