//! Phones beyond Telegram: when an alert stays unacknowledged for
//! `gateway.after`, or Telegram refuses to deliver it, the manager's phone is
//! reached through an SMS or voice gateway.
//!
//! Two request formats cover most providers: a generic HTTP request whose
//! URL, auth header and body template come from the config (so any SMS or
//! call service can be plugged in without code), and Twilio's REST API.
//! The secret comes from an environment variable named in the config and is
//! never logged, printed by `Debug`, or put into an error message.
//!

pub mod inbound;
pub(crate) mod limiter;
pub mod providers;
mod target;
pub(crate) mod template;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

pub use crate::config::{GatewayChannel, GatewayConfig, GatewayEnv, GatewayKind};
pub use inbound::PhoneRepliesConfig;

use crate::clock::{Clock, SystemClock};
use crate::domain::EscalationId;
use limiter::Limiter;
use providers::cloud::{aliyun_target, tencent_target};
use providers::robot::Robot;
pub use providers::{Mention, RobotKind};
use target::{Target, http_target, twilio_target};
use template::Values;

/// Alerts can be long (a list of reports); an SMS of more than three or four
/// segments gets costly and is cut or refused by some carriers, and a call
/// reading a page of text is no better. The summary is at the start.
pub const MAX_TEXT_CHARS: usize = 480;

/// How much of a rejecting answer is kept: enough to diagnose, not a page of
/// HTML in the timeline.
const MAX_ERROR_BODY_CHARS: usize = 300;

/// Why a phone page was not sent.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// For callers holding an `Option<Gateway>` that is `None`.
    #[error("gateway not configured")]
    Disabled,
    /// Over `gateway.per_minute`; nothing was sent. Retry after the duration.
    #[error("rate limited; try again in {0:?}")]
    RateLimited(Duration),
    /// The provider answered with a non-2xx status (body shortened).
    #[error("gateway answered {status}: {body}")]
    Rejected { status: u16, body: String },
    /// No answer: connection refused, DNS, TLS, or `gateway.timeout`.
    #[error("gateway unreachable: {0}")]
    Network(String),
}

impl GatewayError {
    /// Whether trying again later may succeed: limits, network trouble,
    /// provider overload (429, 5xx). Other 4xx (bad number, bad credentials)
    /// will fail the same way again.
    pub fn is_retryable(&self) -> bool {
        match self {
            GatewayError::Disabled => false,
            GatewayError::RateLimited(_) | GatewayError::Network(_) => true,
            GatewayError::Rejected { status, .. } => *status == 429 || *status >= 500,
        }
    }
}

/// What the provider said when it accepted a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewaySent {
    pub status: u16,
    /// The provider's message or call id, for the timeline and support
    /// tickets: Twilio's `sid`; for the generic gateway the first of the
    /// top-level JSON fields `sid`, `id`, `message_id`, `messageId`.
    pub provider_id: Option<String>,
}

/// A configured SMS/voice gateway. Cloning is cheap and clones share one rate
/// limit, so every part of the bot draws on the same `per_minute`.
#[derive(Clone)]
pub struct Gateway {
    client: reqwest::Client,
    kind: GatewayKind,
    channel: GatewayChannel,
    after: Duration,
    target: Arc<Target>,
    limiter: Arc<Limiter>,
    /// The time `per_minute` is counted in: the bot's clock.
    clock: Arc<dyn Clock>,
    /// Work-chat group robots, each with its own rate limit.
    robots: Arc<Vec<Robot>>,
    /// Where a call posts the key pressed (phone replies on, Twilio voice).
    gather: Option<String>,
}

/// Never prints the secret (nor the URL, which for some providers carries an
/// API key in its query).
impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let has_secret = match &*self.target {
            Target::Http { auth, .. } => auth.is_some(),
            Target::None => false,
            _ => true,
        };
        f.debug_struct("Gateway")
            .field("kind", &self.kind)
            .field("channel", &self.channel)
            .field("after", &self.after)
            .field("per_minute", &self.limiter.per_minute())
            .field("secret", &if has_secret { "<set>" } else { "<none>" })
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// `None` when `kind = "none"`. The secret is looked up with `env` under
    /// `cfg.auth_env` (pass `|k| std::env::var(k).ok()` in production; tests
    /// pass a closure and never touch the process environment). A missing
    /// secret is allowed for `http` (no auth header: some gateways sit in a
    /// trusted network or take a key in the URL) but is an error for `twilio`.
    /// Errors name the setting or variable, never the secret's value.
    pub fn from_config(
        cfg: &GatewayConfig,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Option<Gateway>> {
        let secret = env(&cfg.auth_env).filter(|s| !s.trim().is_empty());
        let key_id = env(&cfg.key_id_env).filter(|s| !s.trim().is_empty());
        let robots = providers::robot::robots(cfg, &env)?;
        let target = match cfg.kind {
            GatewayKind::None if robots.is_empty() => return Ok(None),
            GatewayKind::None => Target::None,
            GatewayKind::Http => http_target(cfg, secret)?,
            GatewayKind::Twilio => twilio_target(cfg, secret)?,
            GatewayKind::Aliyun => aliyun_target(cfg, key_id, secret)?,
            GatewayKind::Tencent => tencent_target(cfg, key_id, secret)?,
        };
        let client = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .build()
            .context("building the gateway HTTP client")?;
        Ok(Some(Gateway {
            client,
            kind: cfg.kind,
            channel: cfg.channel,
            after: cfg.after,
            target: Arc::new(target),
            limiter: Arc::new(Limiter::new(cfg.per_minute)),
            clock: Arc::new(SystemClock),
            robots: Arc::new(robots),
            gather: None,
        }))
    }

    /// Counts `per_minute` in `clock`'s time (the bot's clock; tests move it).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Gateway {
        self.clock = clock;
        self
    }

    /// Calls wait for a key and post it to `url?escalation=N` (see
    /// `inbound`); SMS pages are unchanged (their text carries the hint).
    pub fn with_gather(mut self, url: String) -> Gateway {
        self.gather = Some(url);
        self
    }

    /// How long an alert may stay unacknowledged before the phone is paged.
    pub fn after(&self) -> Duration {
        self.after
    }

    pub fn kind(&self) -> GatewayKind {
        self.kind
    }

    /// SMS or voice call, for the timeline's wording.
    pub fn channel(&self) -> GatewayChannel {
        self.channel
    }

    /// Sends one SMS (or places one call) to `phone`. Returns at once with
    /// [`GatewayError::RateLimited`] when another request would put more than
    /// `per_minute` into some 60-second window: the caller
    /// reschedules rather than holding a task asleep. `text` longer than
    /// [`MAX_TEXT_CHARS`] is shortened; spaces, dashes and brackets in
    /// `phone` are removed (people write numbers that way, providers want
    /// E.164). `escalation_id` is available to templates as `{escalation}`.
    pub async fn send(
        &self,
        phone: &str,
        text: &str,
        escalation_id: EscalationId,
    ) -> Result<GatewaySent, GatewayError> {
        self.send_via(self.channel, phone, text, escalation_id)
            .await
    }

    /// Like [`Gateway::send`], by `channel` rather than the configured one
    /// (a person's notification rules may ask for a text, then a call).
    pub async fn send_via(
        &self,
        channel: GatewayChannel,
        phone: &str,
        text: &str,
        escalation_id: EscalationId,
    ) -> Result<GatewaySent, GatewayError> {
        if matches!(*self.target, Target::None) {
            return Err(GatewayError::Disabled);
        }
        let slot = self
            .limiter
            .take(self.clock.now())
            .map_err(GatewayError::RateLimited)?;
        let outcome = self.request_once(channel, phone, text, escalation_id).await;
        crate::obs::record_page(channel.code(), outcome.is_ok());
        self.limiter.finished(slot, self.clock.now());
        outcome
    }

    async fn request_once(
        &self,
        channel: GatewayChannel,
        phone: &str,
        text: &str,
        escalation_id: EscalationId,
    ) -> Result<GatewaySent, GatewayError> {
        let phone = normalize_phone(phone);
        let text = shorten(text.trim(), MAX_TEXT_CHARS);
        let values = Values {
            phone: &phone,
            text: &text,
            escalation: escalation_id,
            channel: channel.code(),
        };
        let gather = self
            .gather
            .as_ref()
            .map(|url| format!("{url}?escalation={escalation_id}"));
        let request = self.target.request(
            &self.client,
            channel,
            &values,
            self.clock.now(),
            gather.as_deref(),
        );
        let response = request.send().await.map_err(network)?;
        let status = response.status().as_u16();
        let ok = response.status().is_success();
        // A 2xx whose body cannot be read was still accepted: reporting a
        // failure would make the caller page the manager twice.
        let body = match response.text().await {
            Ok(body) => body,
            Err(e) if !ok => return Err(network(e)),
            Err(_) => String::new(),
        };
        tracing::debug!(
            escalation_id = escalation_id.0,
            status,
            kind = self.kind.code(),
            "gateway answered"
        );
        answer(self.kind, status, &body)
    }

    /// Posts `text` to the `kind` robot's group, mentioning everyone in
    /// `to` the way the robot can. Each robot keeps its own documented rate
    /// limit; over it, [`GatewayError::RateLimited`].
    pub async fn send_robot(
        &self,
        kind: RobotKind,
        to: &[Mention<'_>],
        text: &str,
    ) -> Result<GatewaySent, GatewayError> {
        let Some(robot) = self.robots.iter().find(|r| r.kind == kind) else {
            return Err(GatewayError::Disabled);
        };
        robot.send(&self.client, self.clock.now(), to, text).await
    }

    /// Whether texts and calls can go out (a provider is configured, not
    /// only robots).
    pub fn phones(&self) -> bool {
        !matches!(*self.target, Target::None)
    }

    /// Whether the `kind` robot is configured.
    pub fn has_robot(&self, kind: RobotKind) -> bool {
        self.robots.iter().any(|r| r.kind == kind)
    }
}

/// Reads a provider's answer: the clouds say yes or no (and "slow down")
/// in their JSON, often inside a 200; the others by HTTP status.
fn answer(kind: GatewayKind, status: u16, body: &str) -> Result<GatewaySent, GatewayError> {
    let rejected = || GatewayError::Rejected {
        status,
        body: shorten(body.trim(), MAX_ERROR_BODY_CHARS),
    };
    if status >= 500 || status == 429 {
        return Err(rejected());
    }
    let provider_id = match kind {
        GatewayKind::Aliyun => providers::aliyun::outcome(body)?,
        GatewayKind::Tencent => providers::tencent::outcome(body)?,
        _ if !(200..300).contains(&status) => return Err(rejected()),
        _ => provider_id(body, kind),
    };
    Ok(GatewaySent {
        status,
        provider_id,
    })
}

/// Describes a transport error without its URL, which may hold a key.
pub(crate) fn network(e: reqwest::Error) -> GatewayError {
    let timeout = e.is_timeout();
    let e = e.without_url();
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    if timeout && !msg.contains("timed out") {
        msg.push_str(" (timed out)");
    }
    GatewayError::Network(msg)
}

/// Keeps at most `max` characters, marking a cut with an ellipsis.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some(_) => {
            let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
            out.push('…');
            out
        }
    }
}

pub(crate) fn normalize_phone(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '\u{a0}'))
        .collect()
}

fn provider_id(body: &str, kind: GatewayKind) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    let fields: &[&str] = match kind {
        GatewayKind::Twilio => &["sid"],
        _ => &["sid", "id", "message_id", "messageId"],
    };
    fields.iter().find_map(|f| match &json[*f] {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}
