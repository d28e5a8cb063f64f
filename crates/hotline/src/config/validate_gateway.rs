//! Rules for `[gateway]`, the SMS/voice fallback: its limits always, the
//! request settings only when a gateway is enabled.

use super::validate::{Problems, is_http_url};
use super::{ConfigError, GatewayConfig, GatewayKind};
use crate::domain::template::{unknown_placeholder, uses};

/// The phone fallback: limits always (defaults pass); the request settings
/// only when a gateway is enabled, since they are ignored otherwise.
pub(super) fn gateway(p: &mut Problems, g: &GatewayConfig) {
    p.ensure(g.per_minute >= 1, "gateway.per_minute", || {
        "must be at least 1 (0 would silence the phone fallback)".to_owned()
    });
    p.ensure(!g.after.is_zero(), "gateway.after", || {
        "must be more than 0s (the manager needs time to answer in Telegram first)".to_owned()
    });
    p.ensure(g.timeout.as_secs() >= 1, "gateway.timeout", || {
        "must be at least 1s".to_owned()
    });
    if g.kind == GatewayKind::None {
        return;
    }
    if matches!(g.kind, GatewayKind::Aliyun | GatewayKind::Tencent) {
        return cloud(p, g);
    }
    p.ensure(is_http_url(&g.url), "gateway.url", || {
        let kind = g.kind.code();
        format!(
            "`{}` is not an http:// or https:// URL (required when gateway.kind = \"{kind}\")",
            g.url
        )
    });
    let env_ok = !g.auth_env.is_empty()
        && g.auth_env
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    p.ensure(env_ok, "gateway.auth_env", || {
        format!(
            "`{}` must be an environment variable name (letters, digits, '_')",
            g.auth_env
        )
    });
    if g.kind == GatewayKind::Twilio {
        p.ensure(!g.from.trim().is_empty(), "gateway.from", || {
            "twilio needs the sending number, e.g. \"+15005550006\"".to_owned()
        });
        return;
    }
    http_request(p, g);
}

/// The request a generic HTTP gateway sends.
fn http_request(p: &mut Problems, g: &GatewayConfig) {
    p.ensure(
        ["GET", "POST", "PUT", "PATCH"].contains(&g.method.as_str()),
        "gateway.method",
        || format!("`{}` must be GET, POST, PUT or PATCH", g.method),
    );
    let header_ok = !g.auth_header.is_empty()
        && g.auth_header
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    p.ensure(header_ok, "gateway.auth_header", || {
        format!("`{}` is not an HTTP header name", g.auth_header)
    });
    p.ensure(g.content_type.contains('/'), "gateway.content_type", || {
        format!(
            "`{}` is not a media type such as application/json",
            g.content_type
        )
    });
    p.ensure(!g.body.trim().is_empty(), "gateway.body", || {
        "must not be empty for kind = \"http\"".to_owned()
    });
    for (key, template) in [("gateway.url", &g.url), ("gateway.body", &g.body)] {
        if let Some(name) = unknown_placeholder(template) {
            let msg = format!(
                "unknown placeholder `{{{name}}}` (known: {{phone}}, {{text}}, {{escalation}})"
            );
            p.push(ConfigError::bad(key, msg));
        }
    }
    p.ensure(
        uses(&g.body, "phone") || uses(&g.url, "phone"),
        "gateway.body",
        || {
            "must contain {phone} (or gateway.url must), or the provider cannot know whom to page"
                .to_owned()
        },
    );
}

/// Alibaba and Tencent: the official endpoint unless `url` names another;
/// the approved signature and template are required.
fn cloud(p: &mut Problems, g: &GatewayConfig) {
    p.ensure(
        g.url.is_empty() || is_http_url(&g.url),
        "gateway.url",
        || format!("`{}` is not an http:// or https:// URL", g.url),
    );
    p.ensure(!g.sign_name.trim().is_empty(), "gateway.sign_name", || {
        "the approved SMS signature name (签名) is required".to_owned()
    });
    p.ensure(!g.template.trim().is_empty(), "gateway.template", || {
        "the approved SMS template (code or id) is required".to_owned()
    });
    p.ensure(
        g.kind != GatewayKind::Tencent || !g.app_id.trim().is_empty(),
        "gateway.app_id",
        || "tencent needs the SmsSdkAppId".to_owned(),
    );
}

/// Every step of a person's `notify` has a way to go: a gateway for sms and
/// voice (and a phone to send to), the robot's URL for a robot.
pub(super) fn notify_rules(problems: &mut Problems, people: &[super::Person], g: &GatewayConfig) {
    use super::Via;
    for (i, p) in people.iter().enumerate() {
        for (j, rule) in p.notify.iter().enumerate() {
            let key = format!("people[{i}].notify[{j}].via");
            let missing = match rule.via {
                Via::Telegram => None,
                Via::Sms | Via::Voice if g.kind == GatewayKind::None => Some("gateway.kind"),
                Via::Sms | Via::Voice if p.phone.is_none() => Some("a `phone` for this person"),
                Via::Voice if g.kind == GatewayKind::Aliyun && g.voice_template.is_empty() => {
                    Some("gateway.voice_template")
                }
                Via::Voice if g.kind == GatewayKind::Tencent => {
                    Some("a voice provider (tencent sends SMS only)")
                }
                Via::Wecom if g.wecom_url.is_none() => Some("gateway.wecom_url"),
                Via::Dingtalk if g.dingtalk_url.is_none() => Some("gateway.dingtalk_url"),
                Via::Feishu if g.feishu_url.is_none() => Some("gateway.feishu_url"),
                _ => None,
            };
            if let Some(what) = missing {
                let msg = format!("`{}` needs {what}", rule.via.code());
                problems.push(ConfigError::bad(key, msg));
            }
        }
    }
}
