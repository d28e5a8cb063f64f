//! Checks of `[phone_replies]` and `[heartbeat]`: settings that matter only
//! when something is already wrong, so they must be right beforehand.

use super::Config;
use super::GatewayKind;
use super::validate::Problems;

pub(super) fn paging(p: &mut Problems, c: &Config) {
    let h = &c.heartbeat;
    p.ensure(h.every.as_secs() >= 10, "heartbeat.every", || {
        "must be at least 10s".to_owned()
    });
    let r = &c.phone_replies;
    if !r.enabled {
        return;
    }
    p.ensure(r.public_url.is_some(), "phone_replies.public_url", || {
        "must be the http(s) address the gateway calls this bot at".to_owned()
    });
    p.ensure(r.path.starts_with('/'), "phone_replies.path", || {
        "must start with /".to_owned()
    });
    p.ensure(
        c.gateway.kind != GatewayKind::None,
        "phone_replies.enabled",
        || "needs a gateway (gateway.kind \"twilio\" or \"http\")".to_owned(),
    );
    p.ensure(
        c.telegram.webhook_listen.is_some(),
        "phone_replies.enabled",
        || "needs telegram.webhook_listen: replies are served there".to_owned(),
    );
}
