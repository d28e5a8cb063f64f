//! Plain types of the hotline: parsed once at the edge, used everywhere else.

mod category;
mod lang;
mod message;
mod report;
mod staff;

pub use category::Category;
pub use lang::Lang;
pub use message::{InlineButton, Keyboard, Lane, OutMessage, ReplyButton, ReplyButtonKind};
pub use report::{CompoundRef, ReportStatus, Ticket};
pub use staff::{Role, ZoneKind};
