//! Work-chat group robots (WeCom, DingTalk, Feishu): built from
//! `[gateway]`'s `*_url` keys, with their keys and signing secrets from the
//! environment, each with its provider's documented rate limit.

use chrono::{DateTime, Utc};

use super::{dingtalk, feishu, wecom};
use crate::gateway::limiter::Limiter;
use crate::gateway::{GatewayConfig, GatewayError, GatewaySent, network, normalize_phone, shorten};

/// The longest text a robot message carries (WeCom allows 2,048 bytes of
/// content; DingTalk and Feishu more): longer ones are cut with "…".
pub const MAX_ROBOT_CHARS: usize = 2000;

/// Which robot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RobotKind {
    Wecom,
    Dingtalk,
    Feishu,
}

impl RobotKind {
    pub fn name(self) -> &'static str {
        match self {
            RobotKind::Wecom => "WeCom robot",
            RobotKind::Dingtalk => "DingTalk robot",
            RobotKind::Feishu => "Feishu bot",
        }
    }
}

/// Someone a robot message @-mentions: by mobile (WeCom, DingTalk) or by
/// Feishu open_id; the name is what Feishu shows without an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention<'a> {
    pub name: &'a str,
    pub mobile: Option<&'a str>,
    pub feishu_id: Option<&'a str>,
}

/// One configured robot; its URL holds a key and is never logged.
pub(crate) struct Robot {
    pub(crate) kind: RobotKind,
    url: reqwest::Url,
    secret: Option<String>,
    limiter: Limiter,
}

/// The robots whose URL is set.
pub(crate) fn robots(
    cfg: &GatewayConfig,
    env: &impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Vec<Robot>> {
    let get = |name: &str| {
        env(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let mut out = Vec::new();
    let specs = [
        (
            RobotKind::Wecom,
            &cfg.wecom_url,
            &cfg.wecom_key_env,
            "",
            wecom::PER_MINUTE,
        ),
        (
            RobotKind::Dingtalk,
            &cfg.dingtalk_url,
            &cfg.dingtalk_key_env,
            cfg.dingtalk_secret_env.as_str(),
            dingtalk::PER_MINUTE,
        ),
        (
            RobotKind::Feishu,
            &cfg.feishu_url,
            &cfg.feishu_key_env,
            cfg.feishu_secret_env.as_str(),
            feishu::PER_MINUTE,
        ),
    ];
    for (kind, url, key_env, secret_env, per_minute) in specs {
        let Some(url) = url else {
            continue;
        };
        let mut parsed = url.url().clone();
        if let Some(key) = get(key_env) {
            match kind {
                RobotKind::Wecom => parsed.query_pairs_mut().append_pair("key", &key).finish(),
                RobotKind::Dingtalk => parsed
                    .query_pairs_mut()
                    .append_pair("access_token", &key)
                    .finish(),
                RobotKind::Feishu => {
                    let path = format!("{}/{key}", parsed.path().trim_end_matches('/'));
                    parsed.set_path(&path);
                    &mut parsed
                }
            };
        }
        let secret = if secret_env.is_empty() {
            None
        } else {
            get(secret_env)
        };
        out.push(Robot {
            kind,
            url: parsed,
            secret,
            limiter: Limiter::new(per_minute),
        });
    }
    Ok(out)
}

impl Robot {
    /// Posts `text`, mentioning everyone in `to` the way the robot can.
    pub(crate) async fn send(
        &self,
        client: &reqwest::Client,
        now: DateTime<Utc>,
        to: &[Mention<'_>],
        text: &str,
    ) -> Result<GatewaySent, GatewayError> {
        let slot = self.limiter.take(now).map_err(GatewayError::RateLimited)?;
        let outcome = self.post(client, now, to, text).await;
        self.limiter.finished(slot, now);
        outcome
    }

    async fn post(
        &self,
        client: &reqwest::Client,
        now: DateTime<Utc>,
        to: &[Mention<'_>],
        text: &str,
    ) -> Result<GatewaySent, GatewayError> {
        let mobiles: Vec<String> = to.iter().filter_map(|m| m.mobile).map(mainland).collect();
        let mobiles: Vec<&str> = mobiles.iter().map(String::as_str).collect();
        let text = shorten(text.trim(), MAX_ROBOT_CHARS);
        let mut url = self.url.clone();
        let body = match self.kind {
            RobotKind::Wecom => wecom::body(&text, &mobiles),
            RobotKind::Dingtalk => {
                if let Some(secret) = &self.secret {
                    let ts = now.timestamp_millis();
                    url.query_pairs_mut()
                        .append_pair("timestamp", &ts.to_string())
                        .append_pair("sign", &dingtalk::sign(ts, secret));
                }
                dingtalk::body(&text, &mobiles)
            }
            RobotKind::Feishu => {
                let signed = self.secret.as_ref().map(|s| {
                    let ts = now.timestamp();
                    (ts, feishu::sign(ts, s))
                });
                feishu::body(&feishu::with_mentions(&text, to), signed)
            }
        };
        let response = client.post(url).json(&body).send().await.map_err(network)?;
        let status = response.status().as_u16();
        let answer = response.text().await.unwrap_or_default();
        tracing::debug!(status, robot = self.kind.name(), "robot answered");
        if status == 429 || !(200..300).contains(&status) {
            return Err(GatewayError::Rejected {
                status,
                body: shorten(answer.trim(), 300),
            });
        }
        let provider_id = match self.kind {
            RobotKind::Wecom => wecom::outcome(&answer)?,
            RobotKind::Dingtalk => dingtalk::outcome(&answer)?,
            RobotKind::Feishu => feishu::outcome(&answer)?,
        };
        Ok(GatewaySent {
            status,
            provider_id,
        })
    }
}

/// Mainland mobiles as the robots know them: 11 digits, no +86.
fn mainland(phone: &str) -> String {
    let p = normalize_phone(phone);
    let p = p.trim_start_matches('+');
    p.strip_prefix("86")
        .filter(|p| p.len() == 11)
        .unwrap_or(p)
        .to_owned()
}
