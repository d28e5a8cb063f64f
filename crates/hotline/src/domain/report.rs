use std::fmt;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Where a report is: a compound from config, or the text a resident typed that
/// matched none (flagged for staff as unmatched).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompoundRef {
    Matched { id: String, name: String },
    Unmatched { raw: String },
}

impl CompoundRef {
    pub fn display_name(&self) -> &str {
        match self {
            CompoundRef::Matched { name, .. } => name,
            CompoundRef::Unmatched { raw } => raw,
        }
    }

    pub fn matched_id(&self) -> Option<&str> {
        match self {
            CompoundRef::Matched { id, .. } => Some(id),
            CompoundRef::Unmatched { .. } => None,
        }
    }
}

/// Life cycle of a report as the resident sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    New,
    Acknowledged,
    InProgress,
    Resolved,
}

impl ReportStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::New => "new",
            ReportStatus::Acknowledged => "acknowledged",
            ReportStatus::InProgress => "in_progress",
            ReportStatus::Resolved => "resolved",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportStatus> {
        [
            ReportStatus::New,
            ReportStatus::Acknowledged,
            ReportStatus::InProgress,
            ReportStatus::Resolved,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A ticket number that reads well on a phone: `JN-260209-0042`
/// (prefix, the city-local date of the report, the day's sequence number).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ticket(String);

impl Ticket {
    pub fn new(prefix: &str, at: DateTime<Utc>, tz: Tz, seq: i64) -> Ticket {
        let day = at.with_timezone(&tz).format("%y%m%d");
        Ticket(format!("{prefix}-{day}-{seq:04}"))
    }

    /// The city-local day a ticket sequence counts within, e.g. `260209`.
    pub fn day_key(at: DateTime<Utc>, tz: Tz) -> String {
        at.with_timezone(&tz).format("%y%m%d").to_string()
    }

    /// Accepts what a resident types: any case, spaces, full-width dashes.
    pub fn parse(text: &str) -> Option<Ticket> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '－' | '—' | '–' | '_' => '-',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        let mut parts = cleaned.split('-');
        let (prefix, day, seq) = (parts.next()?, parts.next()?, parts.next()?);
        let ok = parts.next().is_none()
            && !prefix.is_empty()
            && prefix.chars().all(|c| c.is_ascii_alphanumeric())
            && day.len() == 6
            && day.chars().all(|c| c.is_ascii_digit())
            && !seq.is_empty()
            && seq.chars().all(|c| c.is_ascii_digit());
        ok.then_some(Ticket(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ticket_uses_the_city_date() {
        // 2026-02-09 17:00 UTC is already the 10th in Shanghai.
        let at = Utc.with_ymd_and_hms(2026, 2, 9, 17, 0, 0).unwrap();
        let t = Ticket::new("JN", at, chrono_tz::Asia::Shanghai, 42);
        assert_eq!(t.as_str(), "JN-260210-0042");
    }

    #[test]
    fn typed_tickets_are_normalised() {
        assert_eq!(
            Ticket::parse(" jn－260209－0042 ").unwrap().as_str(),
            "JN-260209-0042"
        );
        assert!(Ticket::parse("JN-2602-1").is_none());
        assert!(Ticket::parse("hello").is_none());
    }
}
