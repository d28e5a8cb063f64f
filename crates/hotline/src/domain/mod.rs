//! Plain types of the hotline: parsed once at the edge, used everywhere else.

pub mod callback;
mod category;
pub mod command;
mod detail;
mod escalation;
pub mod household;
mod ids;
pub mod input;
mod lang;
mod message;
pub mod overdue;
pub mod photo;
pub mod places;
pub mod privacy;
pub mod reach;
mod recognize;
pub mod reply;
mod report;
pub mod search;
mod staff;
pub mod template;
mod timeline;

pub use callback::Callback;
pub use category::Category;
pub use command::{Command, ResidentCommand, StaffCommand};
pub use detail::{Detail, PhoneWhy};
pub use escalation::{EscalationReason, EscalationStatus};
pub use household::{Household, Open311Sender};
pub use ids::{ChatId, EscalationId, PersonId, ReportId};
pub use input::{From, Incoming, Input, Press};
pub use lang::Lang;
pub use message::{
    InlineButton, Keyboard, Lane, News, NewsKind, OutMessage, ReplyButton, ReplyButtonKind,
};
pub use places::{COMPOUND_ID_MAX, PlaceMatch, Places};
pub use reach::{ReachChannel, ReachStep, Reachee};
pub use recognize::{MAX_SCAN_CHARS, Reading, Recognized, Recognizer};
pub use reply::Reply;
pub use report::{CompoundRef, ReportStatus, Ticket};
pub use search::SearchTerm;
pub use staff::{Role, ZoneKind};
pub use timeline::{Actor, OpenedWhy, ReportEventKind, TimelineKind};
