//! Why a timeline step or report event happened, as data: stored in the
//! row's `detail` as a small JSON object with a stable `why` code (for
//! example `{"why":"no_ack","minutes":30,"step":2}`) and rendered per
//! language by `texts::timeline`. Details written before these codes were
//! English prose; they do not parse and are shown as stored.

use serde::{Deserialize, Serialize};

use super::{PersonId, ReportId};

/// Why a page went out by phone or robot (and what a missing number cost):
/// the alert in Telegram was refused, is not delivered yet, or nobody
/// acknowledged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneWhy {
    Refused,
    Undelivered,
    NoAck,
}

impl PhoneWhy {
    pub fn code(self) -> &'static str {
        match self {
            PhoneWhy::Refused => "refused",
            PhoneWhy::Undelivered => "undelivered",
            PhoneWhy::NoAck => "no_ack",
        }
    }

    pub fn from_code(code: &str) -> Option<PhoneWhy> {
        [PhoneWhy::Refused, PhoneWhy::Undelivered, PhoneWhy::NoAck]
            .into_iter()
            .find(|w| w.code() == code)
    }
}

/// The detail of one timeline step or report event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Detail {
    /// A report joined; the escalation now counts `reports`.
    Joined { report: ReportId, reports: i64 },
    /// A member of staff walked it on (`/escalate`, the button) to `step`.
    EscalatedBy { person: PersonId, step: usize },
    /// Nobody acknowledged within `minutes`: on to `step`.
    NoAck { minutes: i64, step: usize },
    /// Nobody present at step `from`: on to step `to` at once.
    NobodyAtStep { from: usize, to: usize },
    /// The role's holder (`person`) and everyone else in `rotation` are away.
    AllAway { person: PersonId, rotation: String },
    /// No rotation serves the role now.
    NoRotation,
    /// Nobody present at any step and no director on the rota.
    NoDirector,
    /// The director, paged as the last resort: nobody present at any step.
    LastResort,
    /// A phone or robot page went out on `via` through `route`.
    Phoned {
        via: String,
        route: String,
        after: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provider_id: Option<String>,
    },
    /// The provider refused the page on `via` (its own words in `error`).
    SendFailed { via: String, error: String },
    /// The rule's robot is not configured.
    NoRobot { via: String },
    /// The phone gateway is not configured.
    NoGateway { via: String },
    /// The person has no phone number; `after` is why they would be phoned.
    NoPhone { after: String },
    /// A page answered with a digit by text or call (`channel`: sms, voice).
    Reply { channel: String, code: String },
    /// An acknowledge or resolve link was used (`action`: ack, resolve).
    Link { action: String },
    /// The resident asked to have their contact details erased.
    ResidentAsked,
}

impl Detail {
    /// The stored form.
    pub fn code(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// None for free text: a note, an update, or a detail stored before
    /// these codes.
    pub fn from_code(code: &str) -> Option<Detail> {
        code.starts_with('{')
            .then(|| serde_json::from_str(code).ok())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_back_and_prose_does_not() {
        for d in [
            Detail::Joined {
                report: ReportId(5),
                reports: 3,
            },
            Detail::NoAck {
                minutes: 30,
                step: 2,
            },
            Detail::LastResort,
            Detail::Phoned {
                via: "sms".into(),
                route: "gateway".into(),
                after: PhoneWhy::NoAck.code().into(),
                provider_id: None,
            },
        ] {
            assert_eq!(Detail::from_code(&d.code()), Some(d));
        }
        assert_eq!(Detail::LastResort.code(), r#"{"why":"last_resort"}"#);
        assert_eq!(Detail::from_code("report 5; 3 reports now"), None);
        assert_eq!(Detail::from_code("{not json"), None);
    }
}
