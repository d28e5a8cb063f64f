//! Plain types of the hotline: parsed once at the edge, used everywhere else.

mod category;
mod escalation;
mod lang;
mod message;
pub mod places;
mod recognize;
mod report;
mod staff;

pub use category::Category;
pub use escalation::{EscalationReason, EscalationStatus};
pub use lang::Lang;
pub use message::{InlineButton, Keyboard, Lane, OutMessage, ReplyButton, ReplyButtonKind};
pub use places::{COMPOUND_ID_MAX, PlaceMatch, Places};
pub use recognize::{MAX_SCAN_CHARS, Reading, Recognized, Recognizer};
pub use report::{CompoundRef, ReportStatus, Ticket};
pub use staff::{Role, ZoneKind};
