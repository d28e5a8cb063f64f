//! `[supervision]` (督办): the times the utility promises per category, to
//! acknowledge a ticket and to resolve it, and the people (the supervision
//! office, 督办科) told when a ticket misses one. Defaults and meanings live
//! in `config/default.toml`; whether a ticket is overdue is
//! `crate::domain::overdue`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use super::validate::Problems;
use super::{Config, Person};
use crate::domain::overdue::Promise;
use crate::domain::{Category, PersonId};

/// The key of the promise for every category not listed.
pub const OTHERS: &str = "others";

/// Promised times and who supervises them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisionConfig {
    /// Person ids (see `[[people]]`) who get the bundled overdue message.
    pub supervisors: Vec<PersonId>,
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

    /// The configured supervisors, in the order written.
    pub fn people<'a>(&self, people: &'a [Person]) -> Vec<&'a Person> {
        people
            .iter()
            .filter(|p| self.supervisors.contains(&p.id))
            .collect()
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
/// no later than resolving; supervisors configured people.
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
    for (i, id) in s.supervisors.iter().enumerate() {
        p.ensure(
            c.people.iter().any(|person| &person.id == id),
            &format!("supervision.supervisors[{i}]"),
            || format!("`{id}` is not a person in [[people]]"),
        );
    }
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
    fn a_supervisor_must_be_a_configured_person() {
        let bad = "[supervision]\nsupervisors = [\"nobody\"]\n";
        let error = Config::from_override_str(bad, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("supervision.supervisors[0]"), "{error}");
    }
}
