//! `[escalation]`: thresholds, urgent and quiet categories, the chain of
//! steps, where each reason starts, and the priority-zone policies. The two tables keyed by a category
//! or zone kind read their keys as text first, so an error inside an entry
//! names the entry (`escalation.thresholds.outage`), not `escalation.thresholds.?`.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::{DeserializeSeed, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::domain::{Category, Role, ZoneKind};

/// When and whom to page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// Households with an unresolved report of one category in one compound
    /// that open an escalation (`domain::household`).
    #[serde(deserialize_with = "by_category")]
    pub thresholds: BTreeMap<Category, u32>,
    /// Categories where a single report pages at once.
    pub urgent: Vec<Category>,
    /// Categories that never page anyone (they wait for office hours).
    pub quiet: Vec<Category>,
    /// The chain: notify these roles, wait, go on to the next step.
    pub steps: Vec<EscalationStep>,
    /// The last step repeats this often until someone acknowledges.
    #[serde(with = "humantime_serde")]
    pub repeat_every: Duration,
    /// How often the engine looks for due work when nothing wakes it.
    #[serde(with = "humantime_serde")]
    pub tick: Duration,
    /// Per priority-zone kind: where its escalations start.
    #[serde(deserialize_with = "by_zone_kind")]
    pub zones: BTreeMap<ZoneKind, ZonePolicy>,
    /// Per reason (a threshold crossed, an urgent category): where its
    /// escalations start and who else is paged at once.
    pub start: Starts,
}

/// `[escalation.start.threshold]` and `[escalation.start.urgent]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Starts {
    pub threshold: StartPolicy,
    pub urgent: StartPolicy,
}

/// Where an escalation opened for one reason starts its walk.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartPolicy {
    /// Index into `escalation.steps` where the walk starts.
    #[serde(default)]
    pub start_step: usize,
    /// Roles paged at once, besides those of the starting step.
    #[serde(default)]
    pub notify: Vec<Role>,
}

impl Default for Escalation {
    /// The built-in policy of `config/default.toml` (the story's numbers:
    /// 5 outages or 3 quality reports in one compound; bursts and pump
    /// failures page at once; meters never do).
    fn default() -> Self {
        super::Config::default().escalation
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    pub notify: Vec<Role>,
    /// How long to wait for an acknowledgement before the next step.
    #[serde(with = "humantime_serde")]
    pub wait: Duration,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZonePolicy {
    /// Roles paged at once, besides those of the starting step.
    #[serde(default)]
    pub notify: Vec<Role>,
    /// Index into `escalation.steps` where the walk starts.
    #[serde(default)]
    pub start_step: usize,
    /// Every alert says "no entry — handle by phone".
    #[serde(default)]
    pub no_entry: bool,
}

fn by_category<'de, D, V>(d: D) -> Result<BTreeMap<Category, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let known = Category::ALL.map(Category::code);
    d.deserialize_map(ByCode {
        what: "category",
        known: &known,
        parse: Category::from_code,
        value: PhantomData,
    })
}

fn by_zone_kind<'de, D, V>(d: D) -> Result<BTreeMap<ZoneKind, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let known = ZoneKind::ALL.map(ZoneKind::code);
    d.deserialize_map(ByCode {
        what: "zone kind",
        known: &known,
        parse: ZoneKind::from_code,
        value: PhantomData,
    })
}

/// A table whose keys are codes of `K`. Keys are read as strings so the
/// path tracker records them; an unknown key fails inside its own entry.
struct ByCode<'k, K, V> {
    what: &'static str,
    known: &'k [&'static str],
    parse: fn(&str) -> Option<K>,
    value: PhantomData<V>,
}

impl<'de, K: Ord, V: Deserialize<'de>> Visitor<'de> for ByCode<'_, K, V> {
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a table keyed by {}", self.what)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let Some(code) = (self.parse)(&key) else {
                let message = format!(
                    "unknown {} `{key}` (expected one of: {})",
                    self.what,
                    self.known.join(", ")
                );
                map.next_value_seed(Reject(message))?;
                return Err(A::Error::custom("unreachable: Reject always fails"));
            };
            out.insert(code, map.next_value()?);
        }
        Ok(out)
    }
}

/// Fails with its message where the value would be read, so the error's
/// path ends in the offending key.
struct Reject(String);

impl<'de> DeserializeSeed<'de> for Reject {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, _d: D) -> Result<(), D::Error> {
        Err(D::Error::custom(self.0))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn check_config_prints_who_each_reason_pages_first() {
        let text = Config::default().describe();
        for needle in [
            "on threshold",
            "start at step 1; pages first: director (客服中心主任 Director), duty_manager",
            "on urgent",
            "start at step 0; pages first: duty_manager (值班干部 Duty manager)",
            "[paging]",
            "phone_replies          off",
        ] {
            assert!(text.contains(needle), "missing {needle} in\n{text}");
        }
    }

    #[test]
    fn a_reason_starting_past_the_last_step_is_refused() {
        let e = Config::from_override_str(
            "[escalation.start.threshold]\nstart_step = 2\n",
            "site.toml",
        )
        .expect_err("step 2 does not exist");
        assert_eq!(e.key, "escalation.start.threshold.start_step");
        assert!(e.message.contains("past the last step"), "{}", e.message);
    }
}
