//! Ids that travel between modules, as newtypes: a report's id can no longer
//! be passed where an escalation's (or a chat's) is expected. Each is its
//! stored integer and nothing more: `#[serde(transparent)]`, shown as the
//! bare number, parsed from it; the store binds and reads them as their
//! inner type (`store/ids.rs`), so the schema does not change. (A configured
//! person's id is still a `String`: see the branch's report.)

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
}
