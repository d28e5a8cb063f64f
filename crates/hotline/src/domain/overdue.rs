//! 督办: whether a ticket has missed the time the utility promises. Both
//! promises count from when the ticket was filed: acknowledged (taken by
//! anyone: acknowledged, in progress) within one, resolved within the other.
//! Pure: the promise, the ticket's facts and `now` in, the missed deadline out.

use super::ReportStatus;

/// One category's promised times, in milliseconds after filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    pub acknowledge_ms: i64,
    pub resolve_ms: i64,
}

impl Promise {
    /// No promise: never overdue.
    pub const NONE: Promise = Promise {
        acknowledge_ms: i64::MAX,
        resolve_ms: i64::MAX,
    };
}

/// The deadline a ticket missed; stored as its code, so the supervisor is
/// told once per ticket and deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Deadline {
    Acknowledge,
    Resolve,
}

impl Deadline {
    pub fn code(self) -> &'static str {
        match self {
            Deadline::Acknowledge => "acknowledge",
            Deadline::Resolve => "resolve",
        }
    }
}

/// The deadline a ticket filed at `created_ms` with `status` has missed at
/// `now_ms`: not resolved in time outranks not acknowledged in time.
pub fn missed(
    promise: Promise,
    status: ReportStatus,
    created_ms: i64,
    now_ms: i64,
) -> Option<Deadline> {
    let waited = now_ms.saturating_sub(created_ms);
    if status == ReportStatus::Resolved {
        None
    } else if waited >= promise.resolve_ms {
        Some(Deadline::Resolve)
    } else if status == ReportStatus::New && waited >= promise.acknowledge_ms {
        Some(Deadline::Acknowledge)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HALF_HOUR: Promise = Promise {
        acknowledge_ms: 30 * 60_000,
        resolve_ms: 4 * 3_600_000,
    };

    #[test]
    fn a_new_ticket_is_overdue_once_the_time_to_acknowledge_is_up() {
        let minute = 60_000;
        assert_eq!(missed(HALF_HOUR, ReportStatus::New, 0, 29 * minute), None);
        assert_eq!(
            missed(HALF_HOUR, ReportStatus::New, 0, 30 * minute),
            Some(Deadline::Acknowledge)
        );
    }

    #[test]
    fn an_acknowledged_ticket_is_overdue_only_when_not_resolved_in_time() {
        let hour = 3_600_000;
        assert_eq!(missed(HALF_HOUR, ReportStatus::Acknowledged, 0, hour), None);
        assert_eq!(
            missed(HALF_HOUR, ReportStatus::InProgress, 0, 4 * hour),
            Some(Deadline::Resolve)
        );
        assert_eq!(
            missed(HALF_HOUR, ReportStatus::New, 0, 5 * hour),
            Some(Deadline::Resolve)
        );
        assert_eq!(missed(HALF_HOUR, ReportStatus::Resolved, 0, 9 * hour), None);
        assert_eq!(missed(Promise::NONE, ReportStatus::New, 0, 9 * hour), None);
    }
}
