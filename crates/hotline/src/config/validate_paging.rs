//! Checks of `[phone_replies]` and `[heartbeat]`: settings that matter only
//! when something is already wrong, so they must be right beforehand; and
//! that escalations page only the roles that answer pages (never the
//! `supervisor`, who is told of overdue tickets instead).

use super::Config;
use super::GatewayKind;
use super::validate::Problems;
use crate::domain::Role;

pub(super) fn paging(p: &mut Problems, c: &Config) {
    paged_roles_only(p, c);
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

/// Every role list of `[escalation]`, by key: the steps', each reason's and
/// each zone kind's. None may name a role that is never paged.
fn paged_roles_only(p: &mut Problems, c: &Config) {
    let e = &c.escalation;
    let steps = e.steps.iter().enumerate();
    let steps = steps.map(|(i, s)| (format!("escalation.steps[{i}].notify"), &s.notify));
    let starts = [
        (
            "escalation.start.threshold.notify".to_owned(),
            &e.start.threshold.notify,
        ),
        (
            "escalation.start.urgent.notify".to_owned(),
            &e.start.urgent.notify,
        ),
    ];
    let zones = e.zones.iter();
    let zones = zones.map(|(k, z)| (format!("escalation.zones.{}.notify", k.code()), &z.notify));
    for (key, roles) in steps.chain(starts).chain(zones) {
        for (j, role) in roles.iter().enumerate() {
            p.ensure(role.is_paged(), &format!("{key}[{j}]"), || {
                format!(
                    "`{role}` is never paged: whoever holds it is told of overdue tickets \
                     ([supervision]); page {}",
                    paged_list()
                )
            });
        }
    }
}

fn paged_list() -> String {
    let codes: Vec<&str> = Role::PAGED.iter().map(|r| r.code()).collect();
    codes.join(", ")
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn an_escalation_step_may_not_page_the_supervisor() {
        let bad = "[[escalation.steps]]\nnotify = [\"duty_manager\", \"supervisor\"]\nwait = \"10m\"\n\
                   [[escalation.steps]]\nnotify = [\"director\"]\nwait = \"15m\"\n";
        let error = Config::from_override_str(bad, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("escalation.steps[0].notify[1]"), "{error}");
        assert!(error.contains("`supervisor` is never paged"), "{error}");
        let zone = "[escalation.zones.hospital]\nstart_step = 0\nnotify = [\"supervisor\"]\n";
        let error = Config::from_override_str(zone, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("escalation.zones.hospital.notify[0]"),
            "{error}"
        );
    }
}
