//! Semantic rules serde cannot express. Each check records every problem it
//! finds as [`ConfigError::bad`] with a dotted key in [`Problems`], so
//! `check-config` can list them all in one run; the loader adds the source.
//! New sections add a function in the same style, called from [`config`].
//! Rotations are parsed (and so checked) by `oncall`, which config calls down
//! into; `[gateway]` has its rules in `validate_gateway`.

use std::collections::HashMap;

use super::{
    CompoundConfig, Config, ConfigError, Database, Escalation, General, Limits, Person, Telegram,
};

/// Every problem found so far, in the order the checks ran.
#[derive(Debug, Default)]
pub(super) struct Problems(pub(super) Vec<ConfigError>);

impl Problems {
    /// Records `message` at `key` unless `ok`; keeps each rule one line.
    /// Returns `ok`, for the few rules that only make sense after another.
    pub(super) fn ensure(&mut self, ok: bool, key: &str, message: impl FnOnce() -> String) -> bool {
        if !ok {
            self.0.push(ConfigError::bad(key, message()));
        }
        ok
    }

    pub(super) fn push(&mut self, error: ConfigError) {
        self.0.push(error);
    }
}

/// Every semantic problem of `c`, in a stable order (section by section).
pub(super) fn config(c: &Config) -> Vec<ConfigError> {
    let mut p = Problems::default();
    general(&mut p, &c.general);
    database(&mut p, &c.database);
    telegram(&mut p, &c.telegram);
    limits(&mut p, &c.limits);
    compounds(&mut p, &c.compounds);
    people(&mut p, &c.people);
    // Parsing the rotations is their validation; the parsed form is rebuilt
    // where it is used (`crate::oncall`), which keeps `Config` plain data.
    for e in super::rotation::check_all(&c.rotations, &c.people, c.general.time_zone) {
        p.push(e.into());
    }
    escalation(&mut p, &c.escalation);
    web(&mut p, c);
    super::validate_gateway::gateway(&mut p, &c.gateway);
    super::desk::validate(&mut p, &c.desk, &c.gateway);
    super::validate_open311::open311(&mut p, &c.open311);
    p.ensure(
        !(c.open311.enabled && c.telegram.webhook_listen.is_none()),
        "open311.enabled",
        || "needs telegram.webhook_listen: Open311 is served there".to_owned(),
    );
    super::validate_open311::retention(&mut p, &c.retention);
    super::wechat::validate(&mut p, &c.wechat, c.telegram.webhook_listen.is_some());
    super::validate_gateway::notify_rules(&mut p, &c.people, &c.gateway);
    super::validate_paging::paging(&mut p, c);
    super::validate_duty_groups::duty_groups(&mut p, c);
    super::supervision::validate(&mut p, c);
    p.0
}

fn general(p: &mut Problems, g: &General) {
    let prefix = &g.ticket_prefix;
    p.ensure(
        (1..=6).contains(&prefix.len()) && prefix.chars().all(|c| c.is_ascii_alphanumeric()),
        "general.ticket_prefix",
        || {
            format!(
                "`{prefix}` must be 1 to 6 ASCII letters or digits (it is printed on every ticket)"
            )
        },
    );
}

fn database(p: &mut Problems, d: &Database) {
    let known = ["sqlite:", "postgres:", "postgresql:"];
    p.ensure(
        known.iter().any(|s| d.url.starts_with(s)),
        "database.url",
        || "must start with sqlite:, postgres: or postgresql:".to_owned(),
    );
    p.ensure(d.max_connections >= 1, "database.max_connections", || {
        "must be at least 1".to_owned()
    });
}

fn telegram(p: &mut Problems, t: &Telegram) {
    p.ensure(
        t.poll_timeout.as_secs() >= 1,
        "telegram.poll_timeout",
        || "must be at least 1s (shorter polls busy-loop against Telegram)".to_owned(),
    );
    let webhook = t.mode == super::TelegramMode::Webhook;
    p.ensure(
        !(webhook && t.webhook_listen.is_none()),
        "telegram.webhook_listen",
        || "must be set when mode is \"webhook\"".to_owned(),
    );
    p.ensure(
        t.webhook_path.starts_with('/'),
        "telegram.webhook_path",
        || "must start with /".to_owned(),
    );
    p.ensure(
        !t.paid_broadcast || t.paid_broadcast_daily_cap >= 1,
        "telegram.paid_broadcast_daily_cap",
        || "must be at least 1 when telegram.paid_broadcast is on".to_owned(),
    );
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

fn limits(p: &mut Problems, l: &Limits) {
    let all = [
        ("description_max_chars", l.description_max_chars as u64),
        ("address_max_chars", l.address_max_chars as u64),
        ("max_photos", l.max_photos as u64),
        ("messages_per_minute", u64::from(l.messages_per_minute)),
        ("reports_per_hour", u64::from(l.reports_per_hour)),
    ];
    for (name, value) in all {
        p.ensure(value > 0, &format!("limits.{name}"), || {
            "must be at least 1 (0 would lock every resident out)".to_owned()
        });
    }
}

fn compounds(p: &mut Problems, list: &[CompoundConfig]) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, c) in list.iter().enumerate() {
        compound(p, i, c);
        if let Some(first) = ids.insert(&c.id, i) {
            p.push(ConfigError::bad(
                format!("compounds[{i}].id"),
                format!("duplicate id `{}` (also compounds[{first}])", c.id),
            ));
        }
    }
    unique_labels(p, list);
}

fn compound(p: &mut Problems, i: usize, c: &CompoundConfig) {
    let id_ok = !c.id.is_empty()
        && c.id.len() <= crate::domain::COMPOUND_ID_MAX
        && c.id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' || ch == '-');
    p.ensure(id_ok, &format!("compounds[{i}].id"), || {
        format!(
            "`{}` must be 1 to {} lowercase letters, digits, '_' or '-'",
            c.id,
            crate::domain::COMPOUND_ID_MAX
        )
    });
    p.ensure(
        !c.name.trim().is_empty(),
        &format!("compounds[{i}].name"),
        || "must not be empty".to_owned(),
    );
    for (j, alias) in c.aliases.iter().enumerate() {
        p.ensure(
            !alias.trim().is_empty(),
            &format!("compounds[{i}].aliases[{j}]"),
            || "must not be empty".to_owned(),
        );
    }
}

/// A name or alias must mean one compound only, or a typed "阳光花园" could
/// file a report against the wrong place.
fn unique_labels(p: &mut Problems, list: &[CompoundConfig]) {
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
                p.push(ConfigError::bad(key, msg));
            }
        }
    }
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
fn people(p: &mut Problems, list: &[Person]) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut telegram: HashMap<i64, usize> = HashMap::new();
    for (i, person) in list.iter().enumerate() {
        p.ensure(
            !person.id.as_str().trim().is_empty(),
            &format!("people[{i}].id"),
            || "must not be empty".to_owned(),
        );
        p.ensure(
            !person.name.trim().is_empty(),
            &format!("people[{i}].name"),
            || "must not be empty".to_owned(),
        );
        if let Some(first) = ids.insert(person.id.as_str(), i) {
            let msg = format!("duplicate id `{}` (also people[{first}])", person.id);
            p.push(ConfigError::bad(format!("people[{i}].id"), msg));
        }
        // 0: not linked yet (several people may wait for their invite).
        if person.telegram_id == 0 {
            continue;
        }
        if let Some(first) = telegram.insert(person.telegram_id, i) {
            let msg = format!(
                "{} is also people[{first}]'s Telegram id",
                person.telegram_id
            );
            p.push(ConfigError::bad(format!("people[{i}].telegram_id"), msg));
        }
    }
}

fn escalation(p: &mut Problems, e: &Escalation) {
    steps(p, e);
    for (category, n) in &e.thresholds {
        let key = format!("escalation.thresholds.{}", category.code());
        p.ensure(*n >= 1, &key, || {
            "must be at least 1 (to page on a single report, list the category in `urgent`)"
                .to_owned()
        });
    }
    urgent_not_quiet(p, e);
    let starts = [
        ("start.threshold".to_owned(), e.start.threshold.start_step),
        ("start.urgent".to_owned(), e.start.urgent.start_step),
    ];
    let zones = e
        .zones
        .iter()
        .map(|(kind, zone)| (format!("zones.{}", kind.code()), zone.start_step));
    for (what, start_step) in starts.into_iter().chain(zones) {
        let key = format!("escalation.{what}.start_step");
        p.ensure(start_step < e.steps.len(), &key, || {
            format!(
                "{start_step} is past the last step (steps are numbered from 0; there are {})",
                e.steps.len()
            )
        });
    }
    let at_least_a_second = |d: std::time::Duration| d.as_secs() >= 1;
    p.ensure(
        at_least_a_second(e.repeat_every),
        "escalation.repeat_every",
        || "must be at least 1s".to_owned(),
    );
    p.ensure(at_least_a_second(e.tick), "escalation.tick", || {
        "must be at least 1s (shorter ticks busy-loop)".to_owned()
    });
}

/// An escalation with no step, or a step paging nobody, would leave an
/// urgent fault unseen.
fn steps(p: &mut Problems, e: &Escalation) {
    p.ensure(!e.steps.is_empty(), "escalation.steps", || {
        "needs at least one step (the director is usually the last)".to_owned()
    });
    for (i, step) in e.steps.iter().enumerate() {
        p.ensure(
            !step.notify.is_empty(),
            &format!("escalation.steps[{i}].notify"),
            || "must name at least one role: operator, duty_manager or director".to_owned(),
        );
    }
}

/// "Page at once" and "never page" cannot both hold.
fn urgent_not_quiet(p: &mut Problems, e: &Escalation) {
    for (i, category) in e.urgent.iter().enumerate() {
        if let Some(j) = e.quiet.iter().position(|q| q == category) {
            let msg = format!(
                "`{}` is also quiet (escalation.quiet[{j}]); a category cannot both page at once and never page",
                category.code()
            );
            p.push(ConfigError::bad(format!("escalation.urgent[{i}]"), msg));
        }
    }
}

/// The operator desk: links that lead to it (see `config/desk_url.rs`), sane
/// lifetimes. Addresses, URLs and times were parsed on reading.
fn web(p: &mut Problems, c: &Config) {
    let w = &c.web;
    if let (true, Err((key, message))) = (w.enabled, c.desk_base()) {
        p.push(ConfigError::bad(key, message));
    }
    p.ensure(w.session_idle.as_secs() >= 60, "web.session_idle", || {
        "must be at least 1m".to_owned()
    });
    p.ensure(
        (60..=3600).contains(&w.link_ttl.as_secs()),
        "web.link_ttl",
        || "must be between 1m and 1h (a sign-in link is a password)".to_owned(),
    );
}
