//! `hotline doctor`'s contact-method checks (issue 15): every way people's
//! notification rules reach them is configured — the provider's section,
//! its secrets in the environment, the person's phone (or Feishu id) — and
//! its endpoint answers. Nothing is sent: any HTTP answer from the
//! endpoint's host counts as reachable.

use std::collections::BTreeSet;

use super::Report;
use crate::config::{Config, GatewayKind, Person};
use crate::gateway::Gateway;
use crate::oncall::Via;

/// The contact methods of everyone on staff, with secrets looked up by
/// `env` (the process environment in `hotline doctor`; tests pass their
/// own), and a cheap request to each endpoint in use.
pub async fn check(config: &Config, env: impl Fn(&str) -> Option<String>) -> Report {
    let mut report = Report::default();
    let used = methods_in_use(config);
    if used.is_empty() {
        report.ok("contacts", "Telegram only: no rule reaches beyond it");
        return report;
    }
    let phones = used.contains(&"sms") || used.contains(&"voice");
    let g = &config.gateway;
    // Building the gateway checks every secret its providers need; the
    // SMS/voice provider's endpoint is requested by `doctor`'s own check.
    match Gateway::from_config(g, &env) {
        Err(error) => report.fail("contacts", format!("{error:#}")),
        Ok(_) if phones && g.kind == GatewayKind::None => report.fail(
            "contacts",
            "texts or calls in the rules, but gateway.kind is \"none\"",
        ),
        Ok(_) => {}
    }
    let robots = [
        ("wecom", &g.wecom_url, &g.wecom_key_env, "key=", ""),
        (
            "dingtalk",
            &g.dingtalk_url,
            &g.dingtalk_key_env,
            "access_token=",
            g.dingtalk_secret_env.as_str(),
        ),
        (
            "feishu",
            &g.feishu_url,
            &g.feishu_key_env,
            "",
            g.feishu_secret_env.as_str(),
        ),
    ];
    for (via, url, key_env, in_url, secret_env) in robots {
        if !used.contains(&via) {
            continue;
        }
        let Some(url) = url.as_ref().map(|u| u.as_str()) else {
            report.fail(
                "contacts",
                format!("{via} in the rules, but gateway.{via}_url is empty"),
            );
            continue;
        };
        let key_in_url = match via {
            "feishu" => !url.trim_end_matches('/').ends_with("/hook"),
            _ => url.contains(in_url),
        };
        let set = |name: &str| env(name).is_some_and(|v| !v.trim().is_empty());
        if !key_in_url && !set(key_env) {
            report.fail(
                "contacts",
                format!("{via}: environment variable {key_env} is not set"),
            );
        }
        if !secret_env.is_empty() && !set(secret_env) {
            report.ok(
                "contacts",
                format!("{via}: {secret_env} not set; messages go unsigned"),
            );
        }
        reachable(&mut report, via, url, config).await;
    }
    people(&mut report, config);
    if report.healthy() {
        let list: Vec<&str> = used.into_iter().collect();
        report.ok("contacts", format!("configured: {}", list.join(", ")));
    }
    report
}

/// Every contact method beyond Telegram someone's rules (or the site-wide
/// default) use.
fn methods_in_use(config: &Config) -> BTreeSet<&'static str> {
    let mut used = BTreeSet::new();
    for person in &config.people {
        for via in vias(config, person) {
            if via != Via::Telegram {
                used.insert(via.code());
            }
        }
    }
    used
}

/// A person's contact methods: their rules, or the site-wide default.
fn vias(config: &Config, person: &Person) -> Vec<Via> {
    if !person.notify.is_empty() {
        return person.notify.iter().map(|r| r.via).collect();
    }
    match config.gateway.kind {
        GatewayKind::None => vec![Via::Telegram],
        _ => match config.gateway.channel {
            crate::config::GatewayChannel::Sms => vec![Via::Telegram, Via::Sms],
            crate::config::GatewayChannel::Voice => vec![Via::Telegram, Via::Voice],
        },
    }
}

/// What each person's own methods need: a phone for texts, calls and the
/// mobile-number mentions; a Feishu id for a real @-mention there.
fn people(report: &mut Report, config: &Config) {
    for person in &config.people {
        let vias = vias(config, person);
        let who = format!("{} ({})", person.name, person.id);
        // Only their own rules: the site default applies to everyone, and
        // the people check already names who may be paged but not phoned.
        let own = !person.notify.is_empty();
        let needs_phone = vias
            .iter()
            .find(|v| own && matches!(v, Via::Sms | Via::Voice | Via::Wecom | Via::Dingtalk));
        if let Some(via) = needs_phone
            && person.phone.is_none()
        {
            report.fail(
                "contacts",
                format!("{who}: {} needs their phone", via.code()),
            );
        }
        if vias.contains(&Via::Feishu) && person.feishu_open_id.is_none() {
            report.ok(
                "contacts",
                format!("{who}: no feishu_open_id; Feishu messages name them without @-mention"),
            );
        }
    }
}

async fn reachable(report: &mut Report, via: &str, url: &str, config: &Config) {
    let origin = url::Url::parse(url).map(|u| u.origin().ascii_serialization());
    let Ok(origin) = origin else {
        return report.fail("contacts", format!("{via}: gateway.{via}_url is not a URL"));
    };
    let client = reqwest::Client::builder()
        .timeout(config.gateway.timeout)
        .build();
    let answer = match client {
        Ok(client) => client.get(&origin).send().await,
        Err(error) => return report.fail("contacts", error.to_string()),
    };
    match answer {
        Ok(r) => report.ok(
            "contacts",
            format!("{via}: {origin} answered HTTP {}", r.status().as_u16()),
        ),
        Err(error) => report.fail(
            "contacts",
            format!("{via}: {origin} unreachable: {}", error.without_url()),
        ),
    }
}
