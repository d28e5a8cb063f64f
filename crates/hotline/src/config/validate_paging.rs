//! Checks of `[phone_replies]` and `[heartbeat]`: settings that matter only
//! when something is already wrong, so they must be right beforehand.

use super::Config;
use super::GatewayKind;
use super::validate::{Problems, is_http_url};

pub(super) fn paging(p: &mut Problems, c: &Config) {
    let h = &c.heartbeat;
    p.ensure(
        h.url.is_empty() || is_http_url(&h.url),
        "heartbeat.url",
        || "must start with http:// or https:// (or be empty for none)".to_owned(),
    );
    p.ensure(h.every.as_secs() >= 10, "heartbeat.every", || {
        "must be at least 10s".to_owned()
    });
    let r = &c.phone_replies;
    if !r.enabled {
        return;
    }
    p.ensure(
        is_http_url(&r.public_url),
        "phone_replies.public_url",
        || "must be the http(s) address the gateway calls this bot at".to_owned(),
    );
    p.ensure(r.path.starts_with('/'), "phone_replies.path", || {
        "must start with /".to_owned()
    });
    p.ensure(
        c.gateway.kind != GatewayKind::None,
        "phone_replies.enabled",
        || "needs a gateway (gateway.kind \"twilio\" or \"http\")".to_owned(),
    );
    p.ensure(
        !c.telegram.webhook_listen.is_empty(),
        "phone_replies.enabled",
        || "needs telegram.webhook_listen: replies are served there".to_owned(),
    );
}
