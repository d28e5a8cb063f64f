//! Inline-button data (`callback_data`) as one typed value, encoded and
//! decoded here and nowhere else.
//!
//! The wire format is the one the bot has always used (`w:…`, `esc:…`,
//! `open:…`, `rep:…`, `lang:…`), so buttons already sitting in people's chats
//! keep working across an upgrade. Telegram allows at most 64 bytes of data
//! ([`MAX_CALLBACK_BYTES`](crate::outbox::limits::MAX_CALLBACK_BYTES), with
//! Telegram's other limits); the tests below encode every variant with its
//! largest values.

use std::fmt;

use crate::domain::{COMPOUND_ID_MAX, Category, EscalationId, Lang, ReportId};

/// What a pressed button means.
#[derive(Debug, Clone, PartialEq)]
pub enum Callback {
    /// A button of the resident's report wizard.
    Wizard(WizardPress),
    /// `/lang`'s choice.
    Lang(Lang),
    /// A button under a manager's alert.
    Alert {
        escalation_id: EscalationId,
        action: AlertAction,
    },
    /// A page of an alert bundle's full list: from the summary (a new
    /// message) or from the list itself (turned in place).
    AlertList(ListPage),
    /// A paging button under `/open`.
    OpenPage {
        page: u16,
        compound: Option<String>,
        category: Option<Category>,
    },
    /// Resolve under `/ticket`.
    ResolveReport { report_id: ReportId },
    /// Looks like a staff button (`esc:`, `open:`, `rep:`) but does not decode.
    BadStaffButton,
    /// Anything else: forged, truncated or from a version that no longer exists.
    Unknown,
}

/// A wizard button: only a press carrying the wizard's current `seq` and
/// step is live; any other is stale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WizardPress {
    pub seq: u32,
    pub step: StepTag,
    pub choice: Choice,
}

/// Which page of which bundle's full list (the bundle is its outbox row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPage {
    pub outbox_id: i64,
    pub page: u32,
    pub in_place: bool,
}

/// The wizard step a button was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepTag {
    Category,
    PickPlace,
    Confirm,
    EditPick,
    Known,
    Planned,
    /// Someone else's contact card: use the number or not.
    OtherPhone,
    /// Steps without buttons.
    None,
}

/// What a wizard button says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Category(Category),
    /// The n-th compound offered after a mistyped place.
    Candidate(usize),
    /// None of the offered compounds: keep what was typed.
    NoneOfThese,
    /// Confirm the summary, or "OK" to planned work.
    Ok,
    Edit,
    Field(EditField),
    Back,
    Cancel,
    Join,
    Separate,
    ReportAnyway,
}

/// What the summary's Edit can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Category,
    Place,
    Description,
    Phone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertAction {
    Ack,
    Resolve,
    Progress,
    Escalate,
    Details,
}

impl StepTag {
    const ALL: [StepTag; 8] = [
        StepTag::Category,
        StepTag::PickPlace,
        StepTag::Confirm,
        StepTag::EditPick,
        StepTag::Known,
        StepTag::Planned,
        StepTag::OtherPhone,
        StepTag::None,
    ];

    fn code(self) -> &'static str {
        match self {
            StepTag::Category => "cat",
            StepTag::PickPlace => "pick",
            StepTag::Confirm => "conf",
            StepTag::EditPick => "edit",
            StepTag::Known => "known",
            StepTag::Planned => "plan",
            StepTag::OtherPhone => "other",
            StepTag::None => "none",
        }
    }

    fn parse(code: &str) -> Option<StepTag> {
        StepTag::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl EditField {
    pub const ALL: [EditField; 4] = [
        EditField::Category,
        EditField::Place,
        EditField::Description,
        EditField::Phone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EditField::Category => "category",
            EditField::Place => "place",
            EditField::Description => "description",
            EditField::Phone => "phone",
        }
    }
}

impl Choice {
    fn encode(self) -> String {
        match self {
            Choice::Category(c) => c.code().to_string(),
            Choice::Candidate(i) => i.to_string(),
            Choice::NoneOfThese => "_none".into(),
            Choice::Ok => "ok".into(),
            Choice::Edit => "edit".into(),
            Choice::Field(f) => f.code().into(),
            Choice::Back => "back".into(),
            Choice::Cancel => "cancel".into(),
            Choice::Join => "join".into(),
            Choice::Separate => "separate".into(),
            Choice::ReportAnyway => "report".into(),
        }
    }

    fn parse(value: &str) -> Option<Choice> {
        let fixed = match value {
            "_none" => Choice::NoneOfThese,
            "ok" => Choice::Ok,
            "edit" => Choice::Edit,
            "back" => Choice::Back,
            // Older category prompts said `_cancel`.
            "cancel" | "_cancel" => Choice::Cancel,
            "join" => Choice::Join,
            "separate" => Choice::Separate,
            "report" => Choice::ReportAnyway,
            other => {
                if let Some(f) = EditField::ALL.into_iter().find(|f| f.code() == other) {
                    return Some(Choice::Field(f));
                }
                if let Some(c) = Category::from_code(other) {
                    return Some(Choice::Category(c));
                }
                return other.parse().ok().map(Choice::Candidate);
            }
        };
        Some(fixed)
    }
}

impl AlertAction {
    const ALL: [AlertAction; 5] = [
        AlertAction::Ack,
        AlertAction::Resolve,
        AlertAction::Progress,
        AlertAction::Escalate,
        AlertAction::Details,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AlertAction::Ack => "ack",
            AlertAction::Resolve => "resolve",
            AlertAction::Progress => "progress",
            AlertAction::Escalate => "escalate",
            AlertAction::Details => "details",
        }
    }

    pub fn parse(code: &str) -> Option<AlertAction> {
        AlertAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

impl fmt::Display for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Callback::Wizard(w) => {
                write!(f, "w:{}:{}:{}", w.seq, w.step.code(), w.choice.encode())
            }
            Callback::Lang(lang) => write!(f, "lang:{}", lang.code()),
            Callback::Alert {
                escalation_id,
                action,
            } => write!(f, "esc:{escalation_id}:{}", action.code()),
            Callback::AlertList(l) => {
                let kind = if l.in_place { "page" } else { "list" };
                write!(f, "esc:{kind}:{}:{}", l.outbox_id, l.page)
            }
            Callback::OpenPage {
                page,
                compound,
                category,
            } => write!(
                f,
                "open:{page}:{}:{}",
                compound.as_deref().unwrap_or("-"),
                category.map_or("-", Category::code)
            ),
            Callback::ResolveReport { report_id } => write!(f, "rep:{report_id}:resolve"),
            Callback::BadStaffButton | Callback::Unknown => f.write_str("?"),
        }
    }
}

impl Callback {
    /// The button data to send; fits Telegram's 64 bytes (see the tests).
    pub fn encode(&self) -> String {
        self.to_string()
    }

    /// Reads a press; never fails: undecodable data is `Unknown` (or
    /// `BadStaffButton`) and still gets an answer.
    pub fn decode(data: &str) -> Callback {
        let (kind, rest) = data.split_once(':').unwrap_or((data, ""));
        let decoded = match kind {
            "w" => wizard(rest).map(Callback::Wizard),
            "lang" => Lang::parse(rest).map(Callback::Lang),
            "esc" => alert(rest),
            "open" => open_page(rest),
            "rep" => report(rest),
            _ => return Callback::Unknown,
        };
        decoded.unwrap_or(match kind {
            "esc" | "open" | "rep" => Callback::BadStaffButton,
            _ => Callback::Unknown,
        })
    }

    /// Buttons only configured staff may press.
    pub fn is_staff(&self) -> bool {
        matches!(
            self,
            Callback::Alert { .. }
                | Callback::AlertList(_)
                | Callback::OpenPage { .. }
                | Callback::ResolveReport { .. }
                | Callback::BadStaffButton
        )
    }
}

fn wizard(rest: &str) -> Option<WizardPress> {
    let mut parts = rest.splitn(3, ':');
    let seq = parts.next()?.parse().ok()?;
    let step = StepTag::parse(parts.next()?)?;
    let choice = Choice::parse(parts.next()?)?;
    Some(WizardPress { seq, step, choice })
}

fn alert(rest: &str) -> Option<Callback> {
    let (id, action) = rest.split_once(':')?;
    if let Some(in_place) = match id {
        "list" => Some(false),
        "page" => Some(true),
        _ => None,
    } {
        let (outbox_id, page) = action.split_once(':')?;
        return Some(Callback::AlertList(ListPage {
            outbox_id: outbox_id.parse().ok()?,
            page: page.parse().ok()?,
            in_place,
        }));
    }
    Some(Callback::Alert {
        escalation_id: id.parse().ok()?,
        action: AlertAction::parse(action)?,
    })
}

fn open_page(rest: &str) -> Option<Callback> {
    let mut parts = rest.splitn(3, ':');
    let page = parts.next()?.parse().unwrap_or(0);
    let compound = parts.next()?;
    let category = parts.next()?;
    Some(Callback::OpenPage {
        page,
        compound: (compound != "-" && compound.len() <= COMPOUND_ID_MAX)
            .then(|| compound.to_string()),
        category: Category::from_code(category),
    })
}

fn report(rest: &str) -> Option<Callback> {
    let (id, action) = rest.split_once(':')?;
    (action == "resolve").then_some(())?;
    Some(Callback::ResolveReport {
        report_id: id.parse().ok()?,
    })
}

#[cfg(test)]
mod tests;
