//! Semantic rules serde cannot express. Each check returns the first problem
//! as [`ConfigError::bad`] with a dotted key; the loader adds the source.
//! New sections add a function in the same style, called from [`config`].
//! Rotations are parsed (and so checked) by `oncall`, which config calls down
//! into; `[gateway]` has its rules in `validate_gateway`.

use std::collections::HashMap;

use super::{
    CompoundConfig, Config, ConfigError, Database, Escalation, General, Limits, Person, Telegram,
};

pub(super) type Check = Result<(), ConfigError>;

pub(super) fn config(c: &Config) -> Check {
    general(&c.general)?;
    database(&c.database)?;
    telegram(&c.telegram)?;
    limits(&c.limits)?;
    compounds(&c.compounds)?;
    people(&c.people)?;
    // Parsing the rotations is their validation; the parsed form is rebuilt
    // where it is used, which keeps `Config` plain data.
    c.oncall()?;
    escalation(&c.escalation)?;
    web(&c.web)?;
    ensure(
        c.delivery.quiet_hours.is_empty() || c.delivery.quiet().is_some(),
        "delivery.quiet_hours",
        || {
            format!(
                "`{}` is not HH:MM-HH:MM (or empty for none)",
                c.delivery.quiet_hours
            )
        },
    )?;
    super::validate_gateway::gateway(&c.gateway)
}

/// Fails with `message` at `key` unless `ok`; keeps each rule one line.
pub(super) fn ensure(ok: bool, key: &str, message: impl FnOnce() -> String) -> Check {
    if ok {
        Ok(())
    } else {
        Err(ConfigError::bad(key, message()))
    }
}

fn general(g: &General) -> Check {
    let p = &g.ticket_prefix;
    ensure(
        (1..=6).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()),
        "general.ticket_prefix",
        || format!("`{p}` must be 1 to 6 ASCII letters or digits (it is printed on every ticket)"),
    )
}

fn database(d: &Database) -> Check {
    let known = ["sqlite:", "postgres:", "postgresql:"];
    ensure(
        known.iter().any(|s| d.url.starts_with(s)),
        "database.url",
        || "must start with sqlite:, postgres: or postgresql:".to_owned(),
    )?;
    ensure(d.max_connections >= 1, "database.max_connections", || {
        "must be at least 1".to_owned()
    })
}

fn telegram(t: &Telegram) -> Check {
    ensure(is_http_url(&t.api_url), "telegram.api_url", || {
        format!("`{}` is not an http:// or https:// URL", t.api_url)
    })?;
    ensure(
        t.poll_timeout.as_secs() >= 1,
        "telegram.poll_timeout",
        || "must be at least 1s (shorter polls busy-loop against Telegram)".to_owned(),
    )?;
    let webhook = t.mode == super::TelegramMode::Webhook;
    ensure(
        !(webhook && t.webhook_listen.is_empty()),
        "telegram.webhook_listen",
        || "must be set when mode is \"webhook\"".to_owned(),
    )?;
    ensure(
        t.webhook_listen.is_empty() || t.webhook_listen.parse::<std::net::SocketAddr>().is_ok(),
        "telegram.webhook_listen",
        || format!("`{}` is not an address like 0.0.0.0:8080", t.webhook_listen),
    )?;
    ensure(
        t.webhook_path.starts_with('/'),
        "telegram.webhook_path",
        || "must start with /".to_owned(),
    )?;
    ensure(
        t.webhook_url.is_empty() || is_http_url(&t.webhook_url),
        "telegram.webhook_url",
        || format!("`{}` is not an http:// or https:// URL", t.webhook_url),
    )
}

/// Scheme, a non-empty host, no whitespace: enough to catch typos without
/// pulling in a URL parser for one key.
pub(super) fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !host.starts_with(':') && !url.chars().any(char::is_whitespace)
}

fn limits(l: &Limits) -> Check {
    let all = [
        ("description_max_chars", l.description_max_chars as u64),
        ("address_max_chars", l.address_max_chars as u64),
        ("max_photos", l.max_photos as u64),
        ("messages_per_minute", u64::from(l.messages_per_minute)),
        ("reports_per_hour", u64::from(l.reports_per_hour)),
    ];
    for (name, value) in all {
        ensure(value > 0, &format!("limits.{name}"), || {
            "must be at least 1 (0 would lock every resident out)".to_owned()
        })?;
    }
    Ok(())
}

fn compounds(list: &[CompoundConfig]) -> Check {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, c) in list.iter().enumerate() {
        compound(i, c)?;
        if let Some(first) = ids.insert(&c.id, i) {
            return Err(ConfigError::bad(
                format!("compounds[{i}].id"),
                format!("duplicate id `{}` (also compounds[{first}])", c.id),
            ));
        }
    }
    unique_labels(list)
}

fn compound(i: usize, c: &CompoundConfig) -> Check {
    let id_ok = !c.id.is_empty()
        && c.id.len() <= crate::domain::COMPOUND_ID_MAX
        && c.id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' || ch == '-');
    ensure(id_ok, &format!("compounds[{i}].id"), || {
        format!(
            "`{}` must be 1 to {} lowercase letters, digits, '_' or '-'",
            c.id,
            crate::domain::COMPOUND_ID_MAX
        )
    })?;
    ensure(
        !c.name.trim().is_empty(),
        &format!("compounds[{i}].name"),
        || "must not be empty".to_owned(),
    )?;
    for (j, alias) in c.aliases.iter().enumerate() {
        ensure(
            !alias.trim().is_empty(),
            &format!("compounds[{i}].aliases[{j}]"),
            || "must not be empty".to_owned(),
        )?;
    }
    Ok(())
}

/// A name or alias must mean one compound only, or a typed "阳光花园" could
/// file a report against the wrong place.
fn unique_labels(list: &[CompoundConfig]) -> Check {
    let mut owners: HashMap<String, usize> = HashMap::new();
    for (i, c) in list.iter().enumerate() {
        for (j, label) in c.labels().enumerate() {
            let other = *owners.entry(normalize_label(label)).or_insert(i);
            if other != i {
                let key = match j {
                    0 => format!("compounds[{i}].name"),
                    _ => format!("compounds[{i}].aliases[{}]", j - 1),
                };
                let msg = format!(
                    "`{label}` already names compounds[{other}] (`{}`)",
                    list[other].id
                );
                return Err(ConfigError::bad(key, msg));
            }
        }
    }
    Ok(())
}

/// How names are compared: case, surrounding and inner spaces ignored, as
/// residents type "Sunshine garden" or "阳光 花园".
pub(super) fn normalize_label(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Rotations, overrides and the bot's staff check all key on `id` and
/// `telegram_id`; a duplicate would page or authorise the wrong person.
fn people(list: &[Person]) -> Check {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut telegram: HashMap<i64, usize> = HashMap::new();
    for (i, p) in list.iter().enumerate() {
        ensure(!p.id.trim().is_empty(), &format!("people[{i}].id"), || {
            "must not be empty".to_owned()
        })?;
        ensure(
            !p.name.trim().is_empty(),
            &format!("people[{i}].name"),
            || "must not be empty".to_owned(),
        )?;
        if let Some(first) = ids.insert(&p.id, i) {
            let msg = format!("duplicate id `{}` (also people[{first}])", p.id);
            return Err(ConfigError::bad(format!("people[{i}].id"), msg));
        }
        if let Some(first) = telegram.insert(p.telegram_id, i) {
            let msg = format!("{} is also people[{first}]'s Telegram id", p.telegram_id);
            return Err(ConfigError::bad(format!("people[{i}].telegram_id"), msg));
        }
    }
    Ok(())
}

fn escalation(e: &Escalation) -> Check {
    steps(e)?;
    for (category, n) in &e.thresholds {
        let key = format!("escalation.thresholds.{}", category.code());
        ensure(*n >= 1, &key, || {
            "must be at least 1 (to page on a single report, list the category in `urgent`)"
                .to_owned()
        })?;
    }
    urgent_not_quiet(e)?;
    for (kind, zone) in &e.zones {
        let key = format!("escalation.zones.{}.start_step", kind.code());
        ensure(zone.start_step < e.steps.len(), &key, || {
            format!(
                "{} is past the last step (steps are numbered from 0; there are {})",
                zone.start_step,
                e.steps.len()
            )
        })?;
    }
    let at_least_a_second = |d: std::time::Duration| d.as_secs() >= 1;
    ensure(
        at_least_a_second(e.repeat_every),
        "escalation.repeat_every",
        || "must be at least 1s".to_owned(),
    )?;
    ensure(at_least_a_second(e.tick), "escalation.tick", || {
        "must be at least 1s (shorter ticks busy-loop)".to_owned()
    })
}

/// An escalation with no step, or a step paging nobody, would leave an
/// urgent fault unseen.
fn steps(e: &Escalation) -> Check {
    ensure(!e.steps.is_empty(), "escalation.steps", || {
        "needs at least one step (the director is usually the last)".to_owned()
    })?;
    for (i, step) in e.steps.iter().enumerate() {
        ensure(
            !step.notify.is_empty(),
            &format!("escalation.steps[{i}].notify"),
            || "must name at least one role: operator, duty_manager or director".to_owned(),
        )?;
    }
    Ok(())
}

/// "Page at once" and "never page" cannot both hold.
fn urgent_not_quiet(e: &Escalation) -> Check {
    for (i, category) in e.urgent.iter().enumerate() {
        if let Some(j) = e.quiet.iter().position(|q| q == category) {
            let msg = format!(
                "`{}` is also quiet (escalation.quiet[{j}]); a category cannot both page at once and never page",
                category.code()
            );
            return Err(ConfigError::bad(format!("escalation.urgent[{i}]"), msg));
        }
    }
    Ok(())
}

/// The operator desk: a real address, an http(s) base URL, sane lifetimes.
fn web(w: &super::Web) -> Check {
    ensure(
        !w.enabled || w.listen.parse::<std::net::SocketAddr>().is_ok(),
        "web.listen",
        || format!("`{}` is not an address like 127.0.0.1:8090", w.listen),
    )?;
    ensure(
        w.base_url.is_empty() || is_http_url(&w.base_url),
        "web.base_url",
        || format!("`{}` is not an http:// or https:// URL", w.base_url),
    )?;
    ensure(w.session_idle.as_secs() >= 60, "web.session_idle", || {
        "must be at least 1m".to_owned()
    })?;
    ensure(
        w.digest_at.is_empty() || chrono::NaiveTime::parse_from_str(&w.digest_at, "%H:%M").is_ok(),
        "web.digest_at",
        || format!("`{}` is not HH:MM (or empty for none)", w.digest_at),
    )?;
    ensure(
        (60..=3600).contains(&w.link_ttl.as_secs()),
        "web.link_ttl",
        || "must be between 1m and 1h (a sign-in link is a password)".to_owned(),
    )
}
