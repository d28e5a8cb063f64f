//! `[supervision]` (督办): the times the utility promises per category, to
//! acknowledge a ticket and to resolve it. Who is told when a ticket misses
//! one is whoever holds the `supervisor` role (a `[[rotations]]` entry, so
//! covers and away work as for every role); the old `supervisors` list is
//! refused with that advice. Defaults and meanings live in
//! `config/default.toml`; whether a ticket is overdue is
//! `crate::domain::overdue`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use super::Config;
use super::validate::Problems;
use crate::domain::overdue::Promise;
use crate::domain::{Category, Role};

/// The key of the promise for every category not listed.
pub const OTHERS: &str = "others";

/// Promised times per category.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisionConfig {
    /// The retired `supervisors` list, read only to refuse it with advice
    /// (one way to say who supervises: a rotation of the `supervisor` role).
    #[serde(default, rename = "supervisors")]
    pub retired_supervisors: Option<toml::Value>,
    /// Per category code, or `others`.
    pub promised: BTreeMap<String, PromiseConfig>,
}

/// One category's promise as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromiseConfig {
    #[serde(with = "humantime_serde")]
    pub acknowledge: Duration,
    #[serde(with = "humantime_serde")]
    pub resolve: Duration,
}

impl SupervisionConfig {
    /// The promise for `category` (a category code), else the `others` one.
    pub fn promise(&self, category: &str) -> Promise {
        let written = self
            .promised
            .get(category)
            .or_else(|| self.promised.get(OTHERS));
        written.map_or(Promise::NONE, |p| Promise {
            acknowledge_ms: millis(p.acknowledge),
            resolve_ms: millis(p.resolve),
        })
    }

    /// The shortest time to acknowledge: younger tickets cannot be overdue.
    pub fn shortest_ms(&self) -> i64 {
        let shortest = self.promised.values().map(|p| p.acknowledge.min(p.resolve));
        shortest.min().map_or(i64::MAX, millis)
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Known categories or `others`; both times more than zero, acknowledging
/// no later than resolving; no `supervisors` list.
pub(super) fn validate(p: &mut Problems, c: &Config) {
    let s = &c.supervision;
    p.ensure(
        s.promised.contains_key(OTHERS),
        "supervision.promised.others",
        || "must be set: the promise for every category not listed".to_owned(),
    );
    for (key, promise) in &s.promised {
        let at = format!("supervision.promised.{key}");
        let known = key == OTHERS || Category::from_code(key).is_some();
        p.ensure(known, &at, || {
            let codes: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
            format!(
                "unknown category (expected one of {}, or others)",
                codes.join(", ")
            )
        });
        p.ensure(
            !promise.acknowledge.is_zero(),
            &format!("{at}.acknowledge"),
            || "must be more than 0s".to_owned(),
        );
        p.ensure(
            promise.acknowledge <= promise.resolve,
            &format!("{at}.resolve"),
            || "must not be shorter than the time to acknowledge".to_owned(),
        );
    }
    if let Some(listed) = &s.retired_supervisors {
        p.push(super::ConfigError::bad(
            "supervision.supervisors",
            retired_advice(listed),
        ));
    }
}

/// What to write instead of `supervisors = [...]`: a rotation, naming the
/// people the list named when it was a list of ids.
fn retired_advice(listed: &toml::Value) -> String {
    let ids: Vec<String> = listed
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .map(|id| format!("\"{id}\""))
                .collect()
        })
        .unwrap_or_default();
    let people = match ids.is_empty() {
        true => "\"<person id>\"".to_owned(),
        false => ids.join(", "),
    };
    format!(
        "is no longer read: the supervisor is whoever holds the `{role}` role. \
         Remove this key and add a rotation: [[rotations]] name = \"supervision\", \
         role = \"{role}\", handoffs = [\"0 0 1 1 *\"], people = [{people}], \
         start = \"2026-01-01 00:00\"",
        role = Role::Supervisor.code()
    )
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn the_defaults_promise_half_an_hour_for_a_leak_and_a_day_for_a_meter() {
        let c = Config::default();
        let leak = c.supervision.promise("leak");
        assert_eq!(
            (leak.acknowledge_ms, leak.resolve_ms),
            (1_800_000, 14_400_000)
        );
        let meter = c.supervision.promise("meter");
        assert_eq!(meter.acknowledge_ms, 24 * 3_600_000);
        assert_eq!(c.supervision.promise("outage").resolve_ms, 24 * 3_600_000);
    }

    #[test]
    fn a_bad_promise_is_refused_with_its_key() {
        let bad = "[supervision.promised]\nleak = { acknowledge = \"5h\", resolve = \"4h\" }\n";
        let error = Config::from_override_str(bad, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("site.toml"), "{error}");
        assert!(
            error.contains("supervision.promised.leak.resolve"),
            "{error}"
        );
        let typo = "[supervision.promised]\nleek = { acknowledge = \"1h\", resolve = \"4h\" }\n";
        let error = Config::from_override_str(typo, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("supervision.promised.leek"), "{error}");
    }

    #[test]
    fn the_old_supervisors_list_is_refused_with_the_rotation_to_write_instead() {
        let old = "[supervision]\nsupervisors = [\"desk-chen\"]\n";
        let error = Config::from_override_str(old, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("site.toml"), "{error}");
        assert!(error.contains("supervision.supervisors"), "{error}");
        assert!(
            error.contains("role = \"supervisor\"") && error.contains("people = [\"desk-chen\"]"),
            "{error}"
        );
    }
}
