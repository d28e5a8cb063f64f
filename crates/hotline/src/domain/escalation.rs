//! An escalation's status and reason, as stored codes and as types.

/// Where an escalation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscalationStatus {
    /// The chain is walking: someone is paged until a person acknowledges.
    Open,
    /// A person took it; nobody else is paged.
    Acknowledged,
    Resolved,
}

impl EscalationStatus {
    pub fn code(self) -> &'static str {
        match self {
            EscalationStatus::Open => "open",
            EscalationStatus::Acknowledged => "acknowledged",
            EscalationStatus::Resolved => "resolved",
        }
    }

    pub fn from_code(code: &str) -> Option<EscalationStatus> {
        [Self::Open, Self::Acknowledged, Self::Resolved]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Why an escalation was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscalationReason {
    /// Enough unresolved reports of one category piled up in one compound.
    Threshold,
    /// A category that pages at once (a burst main, a pump).
    Urgent,
    /// A report from a priority zone.
    Zone,
}

impl EscalationReason {
    pub fn code(self) -> &'static str {
        match self {
            EscalationReason::Threshold => "threshold",
            EscalationReason::Urgent => "urgent",
            EscalationReason::Zone => "zone",
        }
    }

    pub fn from_code(code: &str) -> Option<EscalationReason> {
        [Self::Threshold, Self::Urgent, Self::Zone]
            .into_iter()
            .find(|s| s.code() == code)
    }
}
