//! 督办 on the Reports page: the tickets past a promised time now, counted
//! per category and per compound (the queue's `?overdue=1` lists them).

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::Desk;
use crate::domain::Lang;
use crate::supervision::{self, Counts};
use crate::texts::desk as words;
use crate::texts::supervision as texts;

impl Desk {
    /// The tickets overdue at the clock's now, counted.
    pub(super) async fn overdue_counts(&self, lang: Lang) -> anyhow::Result<Counts> {
        supervision::overdue_counts(&self.store, &self.config, self.now_ms(), lang).await
    }
}

/// The section: the total, linked to the filtered queue, and two tables.
pub(super) fn section(c: &Counts, lang: Lang) -> Markup {
    let table = |title: &str, counts: &BTreeMap<String, usize>| {
        html! {
            table.overdue-by { caption { (title) } tbody {
                @for (k, n) in counts { tr { td { (k) } td { (n) } } }
            } }
        }
    };
    html! {
        section #overdue {
            h2 { (texts::filter_label(lang)) }
            p { a href="/desk?overdue=1" { (texts::digest_overdue(lang, c.total)) } }
            @if c.total > 0 {
                (table(words::category(lang), &c.per_category))
                (table(words::compound(lang), &c.per_compound))
            }
        }
    }
}
