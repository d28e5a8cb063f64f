//! Several alerts in one message, always within Telegram's sizes: up to
//! [`FULL_MAX`] escalations are shown in full; beyond that (or when the full
//! text would pass Telegram's [`MAX_TEXT_UNITS`], counted in UTF-16 units as
//! Telegram counts) the message is a summary — how many, in how
//! many compounds, the most urgent first — with a button to the full list,
//! which pages through every escalation of the bundle, [`PAGE_SIZE`] at a time.

use super::Escalator;
use super::alerts::{buttons, why};
use crate::config::Person;
use crate::domain::callback::{Callback, ListPage};
use crate::domain::{EscalationReason, EscalationStatus, Lang};
use crate::outbox::limits::{MAX_INLINE_BUTTONS, MAX_TEXT_UNITS, fit, units};
use crate::outbox::{InlineButton, Keyboard, OutMessage};
use crate::store::{EscalationRow, Tx};
use crate::texts::staff::{self as texts, BundleLine};

/// A bundle of more escalations than this becomes a summary.
pub const FULL_MAX: usize = 5;
/// How many escalations a summary names (the rest are in the full list).
const SUMMARY_LINES: usize = 10;
/// How many of the named escalations get their own buttons in a summary.
const SUMMARY_BUTTON_ROWS: usize = 5;
/// Escalations per page of the full list: at two buttons each, a page stays
/// well below Telegram's [`MAX_INLINE_BUTTONS`], and few pages means few
/// presses (each turn is one message to the chat, paced at one a second).
pub const PAGE_SIZE: usize = 30;
const _: () = assert!(2 * PAGE_SIZE + 2 <= MAX_INLINE_BUTTONS);
/// Compound names as residents typed them can be long; a line shows this
/// much (UTF-16 units, as everything cut for Telegram).
const COMPOUND_UNITS: usize = 24;

/// The text of a bundle showing every alert in full under `header`, or `None`
/// when Telegram would refuse it as one message (the summary goes instead).
pub fn full_text(header: &str, alerts: &[String]) -> Option<String> {
    let text = format!("{header}\n\n{}", alerts.join("\n\n"));
    (units(&text) <= MAX_TEXT_UNITS).then_some(text)
}

/// Most urgent first: open before acknowledged before resolved; priority
/// zones, then urgent categories, then thresholds; then the oldest.
pub fn by_urgency(rows: &mut [EscalationRow]) {
    let status = |e: &EscalationRow| match e.status {
        EscalationStatus::Open => 0,
        EscalationStatus::Acknowledged => 1,
        EscalationStatus::Resolved => 2,
    };
    let reason = |e: &EscalationRow| match e.reason {
        EscalationReason::Zone => 0,
        EscalationReason::Urgent => 1,
        EscalationReason::Threshold => 2,
    };
    rows.sort_by_key(|e| (status(e), reason(e), e.opened_at, e.id));
}

fn line(e: &EscalationRow, lang: Lang) -> String {
    let compound = fit(e.compound_text.clone(), COMPOUND_UNITS);
    texts::bundle_line(
        lang,
        &BundleLine {
            id: e.id,
            compound: &compound,
            category: e.category,
            reason: why(e),
            status: e.status,
        },
    )
}

impl Escalator {
    /// The summary message of a big bundle (rows already read).
    pub(super) fn summary(
        &self,
        outbox_id: i64,
        mut rows: Vec<EscalationRow>,
        person: &Person,
    ) -> OutMessage {
        let lang = person.lang;
        by_urgency(&mut rows);
        let mut compounds: Vec<&str> = rows
            .iter()
            .map(|e| e.compound_id.as_deref().unwrap_or(&e.compound_text))
            .collect();
        compounds.sort_unstable();
        compounds.dedup();
        let open = rows
            .iter()
            .filter(|e| e.status == EscalationStatus::Open)
            .count();
        let mut text = texts::bundle_summary(lang, rows.len(), compounds.len(), open);
        for e in rows.iter().take(SUMMARY_LINES) {
            text.push('\n');
            text.push_str(&line(e, lang));
        }
        if rows.len() > SUMMARY_LINES {
            text.push('\n');
            text.push_str(&texts::bundle_more(lang, rows.len() - SUMMARY_LINES));
        }
        let mut keyboard: Vec<Vec<InlineButton>> = rows
            .iter()
            .take(SUMMARY_BUTTON_ROWS)
            .flat_map(|e| buttons(e, lang, true))
            .collect();
        keyboard.push(vec![list_button(lang, outbox_id)]);
        OutMessage::with_keyboard(
            person.chat(),
            fit(text, MAX_TEXT_UNITS),
            Keyboard::inline(keyboard),
        )
    }

    /// A page of a bundle's full list, for the person who pressed the button:
    /// a new message, or the list message turned to another page in place.
    /// `None` when the bundle does not exist.
    pub async fn list_page(
        &self,
        tx: &mut Tx,
        person: &Person,
        message_id: Option<i32>,
        page: ListPage,
    ) -> anyhow::Result<Option<OutMessage>> {
        let lang = person.lang;
        let mut rows = tx.bundle_rows(page.outbox_id).await?;
        if rows.is_empty() {
            return Ok(None);
        }
        by_urgency(&mut rows);
        let pages = rows.len().div_ceil(PAGE_SIZE);
        let at = (page.page as usize).min(pages - 1);
        let mut text = texts::list_page_header(lang, at + 1, pages, rows.len());
        let on_page: Vec<&EscalationRow> =
            rows.iter().skip(at * PAGE_SIZE).take(PAGE_SIZE).collect();
        for e in &on_page {
            text.push('\n');
            text.push_str(&line(e, lang));
        }
        // Two escalations to a row: the first and last of each one's buttons
        // (acknowledge or resolve, and details).
        let mut keyboard: Vec<Vec<InlineButton>> = on_page
            .chunks(2)
            .map(|pair| pair.iter().flat_map(|e| compact(e, lang)).collect())
            .collect();
        keyboard.push(nav_buttons(lang, page.outbox_id, at, pages));
        let text = fit(text, MAX_TEXT_UNITS);
        let keyboard = Keyboard::inline(keyboard.into_iter().filter(|r| !r.is_empty()).collect());
        let chat_id = person.chat();
        Ok(Some(match (page.in_place, message_id) {
            (true, Some(message_id)) => OutMessage::Edit {
                chat_id,
                message_id,
                text,
                keyboard,
            },
            _ => OutMessage::with_keyboard(chat_id, text, keyboard),
        }))
    }
}

/// An escalation's first and last buttons (acknowledge or resolve, and details).
fn compact(e: &EscalationRow, lang: Lang) -> Vec<InlineButton> {
    let mut all = buttons(e, lang, true).concat();
    if all.len() > 2 {
        let last = all.len() - 1;
        all.swap(1, last);
        all.truncate(2);
    }
    all
}

/// The summary's button to the full list.
fn list_button(lang: Lang, outbox_id: i64) -> InlineButton {
    let page = ListPage {
        outbox_id,
        page: 0,
        in_place: false,
    };
    InlineButton {
        text: texts::full_list_button(lang).to_owned(),
        data: Callback::AlertList(page).encode(),
    }
}

/// ◀ / ▶ between pages of a list, as far as there are pages.
fn nav_buttons(lang: Lang, outbox_id: i64, at: usize, pages: usize) -> Vec<InlineButton> {
    let to = |page: usize, text: &str| InlineButton {
        text: text.to_owned(),
        data: Callback::AlertList(ListPage {
            outbox_id,
            page: page as u32,
            in_place: true,
        })
        .encode(),
    };
    let mut row = Vec::new();
    if at > 0 {
        row.push(to(at - 1, texts::prev_button(lang)));
    }
    if at + 1 < pages {
        row.push(to(at + 1, texts::next_button(lang)));
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five alerts of `n` copies of `s` each, as a bundle would join them.
    fn alerts(s: &str, n: usize) -> Vec<String> {
        (0..FULL_MAX)
            .map(|i| format!("#{i} {}", s.repeat(n)))
            .collect()
    }

    #[test]
    fn a_bundle_is_shown_in_full_while_telegram_would_take_it() {
        let text = full_text("5 条告警", &alerts("水", 700)).expect("3,5xx units fit");
        assert!(units(&text) <= MAX_TEXT_UNITS);
    }

    #[test]
    fn a_bundle_of_emoji_becomes_a_summary_where_telegram_would_refuse_it() {
        // 💧 is one character but two UTF-16 units: these alerts are about
        // 3,500 characters (which a count of characters would let through)
        // and about 7,000 units, which Telegram refuses.
        let alerts = alerts("💧", 700);
        let joined = alerts.join("\n\n");
        assert!(joined.chars().count() < MAX_TEXT_UNITS);
        assert_eq!(full_text("5 条告警", &alerts), None);
    }

    #[test]
    fn the_limit_is_exact_in_units() {
        let header = "h";
        // "h\n\n" + the alert: 3 units + the alert's.
        let fits = vec!["💧".repeat((MAX_TEXT_UNITS - 3) / 2) + "a"];
        assert_eq!(units(&format!("h\n\n{}", fits[0])), MAX_TEXT_UNITS);
        assert!(full_text(header, &fits).is_some());
        let over = vec![fits[0].clone() + "💧"];
        assert_eq!(full_text(header, &over), None);
    }
}
