//! Plain types of the hotline: parsed once at the edge, used everywhere else.

mod category;
mod lang;
mod report;

pub use category::Category;
pub use lang::Lang;
pub use report::{CompoundRef, ReportStatus, Ticket};
