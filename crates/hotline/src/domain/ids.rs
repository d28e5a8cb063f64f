//! Ids that travel between modules, as newtypes: a report's id can no longer
//! be passed where an escalation's (or a chat's, or a person's) is expected.
//! Each is its stored value and nothing more: `#[serde(transparent)]`, shown
//! bare, parsed from it; the store binds and reads them as their inner type
//! (`store/ids.rs`), so the schema does not change.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

int_id! {
    /// A row of `reports`: one resident's filed fault.
    ReportId
}

int_id! {
    /// A row of `escalations`: one incident that pages people.
    EscalationId
}

int_id! {
    /// A Telegram chat (or, below `REACH_KEY_MAX`, a phone route's stand-in
    /// key in the outbox).
    ChatId
}

/// A configured person (`[[people]] id` in the settings): the key that
/// rotations, overrides, presence, desk sessions, links, reach steps, alerts
/// and notices refer to. Any string the settings give, compared exactly;
/// stored as TEXT. Alert rows also key a duty group under its recipient id
/// (`escalation::duty_group::GROUP_ID`), and a caller's SMS receipt names
/// its reachee `caller`. A timeline row's target stays a plain string (a
/// person, a group or a role code): pass `as_str()`. No `Borrow<str>` or
/// `PartialEq<str>`: a string from outside (a form, a CLI argument) becomes
/// a `PersonId` at the edge, so comparisons stay between ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub String);

impl PersonId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for PersonId {
    fn from(id: &str) -> PersonId {
        PersonId(id.to_owned())
    }
}

impl From<String> for PersonId {
    fn from(id: String) -> PersonId {
        PersonId(id)
    }
}

impl FromStr for PersonId {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(PersonId::from(s))
    }
}

impl ChatId {
    /// The first number of WeChat's namespace, 2^53: Telegram's ids have at
    /// most 52 significant bits, so a chat id alone tells the channel
    /// (`crate::wechat::ids` numbers the openids above it).
    pub const WECHAT_BASE: i64 = 1 << 53;

    /// Whether this is a WeChat resident's chat (sent through WeChat).
    pub fn is_wechat(self) -> bool {
        self.0 >= ChatId::WECHAT_BASE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_and_show_as_their_bare_value() {
        assert_eq!(serde_json::to_string(&ReportId(7)).unwrap(), "7");
        assert_eq!(
            serde_json::from_str::<EscalationId>("12").unwrap(),
            EscalationId(12)
        );
        assert_eq!(ChatId(-5).to_string(), "-5");
        assert_eq!("42".parse::<ReportId>().unwrap(), ReportId(42));
    }

    #[test]
    fn a_person_id_serializes_and_shows_as_the_bare_string() {
        let id = PersonId::from("zhang-wei");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""zhang-wei""#);
        assert_eq!(
            serde_json::from_str::<PersonId>(r#""zhang-wei""#).unwrap(),
            id
        );
        assert_eq!(id.to_string(), "zhang-wei");
        assert_eq!(id.as_str(), "zhang-wei");
        assert_eq!(
            "li-na".parse::<PersonId>().unwrap(),
            PersonId("li-na".into())
        );
        let listed: Vec<PersonId> = toml::from_str::<Wrap>(r#"people = ["a", "b"]"#)
            .unwrap()
            .people;
        assert_eq!(listed, vec![PersonId::from("a"), PersonId::from("b")]);
    }

    #[derive(Deserialize)]
    struct Wrap {
        people: Vec<PersonId>,
    }
}
