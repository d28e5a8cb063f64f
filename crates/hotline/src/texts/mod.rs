//! Every text the bot shows, in Chinese (the default) and English, split by
//! flow: the resident wizard, residents' other conversations, known incidents,
//! alerts, the staff console and the on-call table. One place per flow, so
//! wording stays consistent and a third language is one more arm.

pub mod alerts;
pub mod call;
pub mod console;
pub mod desk;
pub mod desk_hall;
pub mod desk_pages;
pub mod desk_sms;
mod detail;
pub mod digest;
pub mod health;
mod known;
mod labels;
pub mod oncall;
pub mod open311;
pub mod paging;
pub mod reach;
mod resident;
pub mod schedule;
pub mod setup;
pub mod staffing;
pub mod supervision;
pub mod timeline;
pub mod wechat;
mod wizard;

pub use known::*;
pub use labels::{Label, category_from_label};
pub use resident::*;
pub use wizard::*;

use crate::domain::Lang;

pub fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The texts staff see, under the name older code used.
pub mod staff {
    pub use super::alerts::*;
    pub use super::console::*;
    pub use super::pick;
}
