//! What happened to an escalation (its timeline) and to a report (its
//! events), and who did it: typed here, stored as stable codes (the strings
//! stored before these types existed, so old rows read back unchanged),
//! rendered per language in `texts::timeline`.

/// The kind of one step on an escalation's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineKind {
    /// Opened; the detail is the reason ([`opened_detail`]'s form).
    Opened,
    /// A report joined it.
    Joined,
    /// Someone (a person or a duty group) was paged; the detail is the role.
    Notified,
    /// Nobody could be paged for a role (the target).
    Unstaffed,
    /// Walked on to the next step.
    Escalated,
    /// The last step paged again.
    Repeated,
    Acknowledged,
    InProgress,
    Resolved,
    /// Staff broadcast news to the reports' residents.
    Update,
    /// A text, call or robot message went out.
    Phoned,
    PhoneFailed,
    /// The person to phone has no number.
    PhoneMissing,
    /// Someone answered a text or call with a digit.
    PhoneReply,
    /// Someone used an acknowledge/resolve link.
    LinkUsed,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 15] = [
        TimelineKind::Opened,
        TimelineKind::Joined,
        TimelineKind::Notified,
        TimelineKind::Unstaffed,
        TimelineKind::Escalated,
        TimelineKind::Repeated,
        TimelineKind::Acknowledged,
        TimelineKind::InProgress,
        TimelineKind::Resolved,
        TimelineKind::Update,
        TimelineKind::Phoned,
        TimelineKind::PhoneFailed,
        TimelineKind::PhoneMissing,
        TimelineKind::PhoneReply,
        TimelineKind::LinkUsed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TimelineKind::Opened => "opened",
            TimelineKind::Joined => "joined",
            TimelineKind::Notified => "notified",
            TimelineKind::Unstaffed => "unstaffed",
            TimelineKind::Escalated => "escalated",
            TimelineKind::Repeated => "repeated",
            TimelineKind::Acknowledged => "acknowledged",
            TimelineKind::InProgress => "in_progress",
            TimelineKind::Resolved => "resolved",
            TimelineKind::Update => "update",
            TimelineKind::Phoned => "phoned",
            TimelineKind::PhoneFailed => "phone_failed",
            TimelineKind::PhoneMissing => "phone_missing",
            TimelineKind::PhoneReply => "phone_reply",
            TimelineKind::LinkUsed => "link_used",
        }
    }

    pub fn from_code(code: &str) -> Option<TimelineKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The kind of one event in a report's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportEventKind {
    /// Filed by a resident in chat.
    Created,
    /// Filed through the Open311 API.
    Open311,
    /// Taken by phone at the desk; the actor is the operator who answered.
    Phone,
    Note,
    /// Assigned to a member of staff (the detail is their id).
    Assigned,
    Acknowledged,
    InProgress,
    Resolved,
    /// The resident had their contact details erased.
    Forgotten,
    /// Staff wrote to the resident from the desk (the detail is the text).
    Messaged,
}

impl ReportEventKind {
    pub const ALL: [ReportEventKind; 10] = [
        ReportEventKind::Created,
        ReportEventKind::Open311,
        ReportEventKind::Phone,
        ReportEventKind::Note,
        ReportEventKind::Assigned,
        ReportEventKind::Acknowledged,
        ReportEventKind::InProgress,
        ReportEventKind::Resolved,
        ReportEventKind::Forgotten,
        ReportEventKind::Messaged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportEventKind::Created => "created",
            ReportEventKind::Open311 => "open311",
            ReportEventKind::Phone => "phone",
            ReportEventKind::Note => "note",
            ReportEventKind::Assigned => "assigned",
            ReportEventKind::Acknowledged => "acknowledged",
            ReportEventKind::InProgress => "in_progress",
            ReportEventKind::Resolved => "resolved",
            ReportEventKind::Forgotten => "forgotten",
            ReportEventKind::Messaged => "messaged",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportEventKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The event of a report moving on to `status` (none for `New`).
    pub fn of_status(status: super::ReportStatus) -> Option<ReportEventKind> {
        use super::ReportStatus as S;
        match status {
            S::New => None,
            S::Acknowledged => Some(ReportEventKind::Acknowledged),
            S::InProgress => Some(ReportEventKind::InProgress),
            S::Resolved => Some(ReportEventKind::Resolved),
        }
    }
}

/// Who caused a report event: stored as `resident:<user id>`,
/// `staff:<person id>` or `open311:<client>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Resident(i64),
    Staff(super::PersonId),
    Open311(String),
}

impl Actor {
    pub fn code(&self) -> String {
        match self {
            Actor::Resident(id) => format!("resident:{id}"),
            Actor::Staff(id) => format!("staff:{id}"),
            Actor::Open311(client) => format!("open311:{client}"),
        }
    }

    pub fn from_code(code: &str) -> Option<Actor> {
        let (kind, rest) = code.split_once(':')?;
        match kind {
            "resident" => rest.parse().ok().map(Actor::Resident),
            "staff" => Some(Actor::Staff(rest.into())),
            "open311" => Some(Actor::Open311(rest.to_owned())),
            _ => None,
        }
    }
}

/// Why an escalation opened, as its `opened` row's detail:
/// `threshold:<households>:<threshold>`, `urgent` or `zone:<zone code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenedWhy {
    Threshold { count: i64, threshold: i64 },
    Urgent,
    Zone(super::ZoneKind),
}

impl OpenedWhy {
    pub fn code(self) -> String {
        match self {
            OpenedWhy::Threshold { count, threshold } => format!("threshold:{count}:{threshold}"),
            OpenedWhy::Urgent => "urgent".to_owned(),
            OpenedWhy::Zone(kind) => format!("zone:{}", kind.code()),
        }
    }

    /// None for a detail written before this form (a Debug text).
    pub fn from_code(code: &str) -> Option<OpenedWhy> {
        let mut parts = code.split(':');
        match (parts.next()?, parts.next(), parts.next(), parts.next()) {
            ("urgent", None, ..) => Some(OpenedWhy::Urgent),
            ("zone", Some(zone), None, _) => super::ZoneKind::from_code(zone).map(OpenedWhy::Zone),
            ("threshold", Some(count), Some(threshold), None) => Some(OpenedWhy::Threshold {
                count: count.parse().ok()?,
                threshold: threshold.parse().ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ZoneKind;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for kind in TimelineKind::ALL {
            assert_eq!(TimelineKind::from_code(kind.code()), Some(kind));
        }
        for kind in ReportEventKind::ALL {
            assert_eq!(ReportEventKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(TimelineKind::from_code("Threshold"), None);
    }

    #[test]
    fn actors_and_reasons_read_back_and_old_debug_text_does_not() {
        for actor in [
            Actor::Resident(5004),
            Actor::Staff("cadre-a".into()),
            Actor::Open311("city:app".into()),
        ] {
            assert_eq!(Actor::from_code(&actor.code()), Some(actor));
        }
        for why in [
            OpenedWhy::Threshold {
                count: 5,
                threshold: 5,
            },
            OpenedWhy::Urgent,
            OpenedWhy::Zone(ZoneKind::ConfirmedCase),
        ] {
            assert_eq!(OpenedWhy::from_code(&why.code()), Some(why));
        }
        assert_eq!(
            OpenedWhy::from_code("Threshold { count: 5, threshold: 5 }"),
            None
        );
    }
}
