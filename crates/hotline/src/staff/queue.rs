//! `/open [compound] [category]`: the queue of open reports, a page at a
//! time, most urgent first, with paging buttons that rewrite the message.

use crate::texts::Label;
use chrono::{DateTime, Utc};

use super::{Ctx, Staff};
use crate::clock::to_millis;
use crate::domain::callback::Callback;
use crate::domain::{Category, Lang, PlaceMatch, Reply};
use crate::outbox::{InlineButton, Keyboard, OutMessage};
use crate::store::{QueueItem, Tx};
use crate::texts::console as texts;

/// Reports per page of `/open`.
pub const PAGE: i64 = 10;

/// The queue's filters: a compound id and a category.
type Filter<'a> = (Option<&'a str>, Option<Category>);

impl Staff {
    /// Reads `/open` filters: a compound and/or a category, in any order.
    fn filters(&self, words: &[&str]) -> Option<(Option<String>, Option<Category>)> {
        let (mut compound, mut category) = (None, None);
        for word in words {
            if let Some(c) =
                Category::from_code(word).or_else(|| crate::texts::category_from_label(word))
            {
                category = Some(c);
            } else if let PlaceMatch::Found { id, .. } = self.places.find(word) {
                compound = Some(id);
            } else {
                return None;
            }
        }
        Some((compound, category))
    }

    pub(super) async fn open(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let Some((compound, category)) = self.filters(words) else {
            return Ok(cx.say(texts::open_usage(cx.lang())));
        };
        let filter = (compound.as_deref(), category);
        let (text, keyboard) = self.open_page(cx.tx, cx.lang(), filter, 0, cx.now).await?;
        Ok(Reply::messages(vec![OutMessage::with_keyboard(
            cx.chat_id, text, keyboard,
        )]))
    }

    /// A paging button of `/open`: the message is rewritten with that page.
    pub(super) async fn open_button(
        &self,
        cx: &mut Ctx<'_>,
        message_id: Option<i32>,
        filter: Filter<'_>,
        page: u16,
    ) -> anyhow::Result<Reply> {
        let page = i64::from(page);
        let (text, keyboard) = self
            .open_page(cx.tx, cx.lang(), filter, page, cx.now)
            .await?;
        let chat_id = cx.chat_id;
        let message = match message_id {
            Some(message_id) => OutMessage::Edit {
                chat_id,
                message_id,
                text,
                keyboard,
            },
            None => OutMessage::with_keyboard(chat_id, text, keyboard),
        };
        Ok(Reply::messages(vec![message]))
    }

    /// One page of the queue and its paging buttons.
    async fn open_page(
        &self,
        tx: &mut Tx,
        lang: Lang,
        (compound, category): Filter<'_>,
        page: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, Keyboard)> {
        let (items, total) = tx.open_queue(compound, category, PAGE, page * PAGE).await?;
        if total == 0 {
            return Ok((texts::open_empty(lang).to_string(), Keyboard::Keep));
        }
        let pages = (total + PAGE - 1) / PAGE;
        let mut lines = vec![texts::open_header(lang, total, page + 1, pages)];
        lines.extend(items.iter().map(|item| self.queue_line(item, lang, now)));
        let button = |text: &str, p: i64| InlineButton {
            text: text.into(),
            data: Callback::OpenPage {
                page: u16::try_from(p).unwrap_or(u16::MAX),
                compound: compound.map(str::to_string),
                category,
            }
            .encode(),
        };
        let mut row = Vec::new();
        if page > 0 {
            row.push(button(texts::prev_button(lang), page - 1));
        }
        if page + 1 < pages {
            row.push(button(texts::next_button(lang), page + 1));
        }
        let keyboard = if row.is_empty() {
            Keyboard::Keep
        } else {
            Keyboard::inline(vec![row])
        };
        Ok((lines.join("\n"), keyboard))
    }

    fn queue_line(&self, item: &QueueItem, lang: Lang, now: DateTime<Utc>) -> String {
        let r = &item.report;
        let flag = item
            .escalation_id
            .map(|id| format!("🚨#{id} "))
            .unwrap_or_default();
        let category = r.category().unwrap_or(Category::Other).label(lang);
        let assigned = r
            .assigned_to
            .as_ref()
            .map(|p| format!(" · 👤{}", self.name_of(p)))
            .unwrap_or_default();
        let status = r.status().label(lang);
        let ago = texts::ago(lang, (to_millis(now) - r.created_at) / 60_000);
        format!(
            "{flag}{} · {category} · {} {} · {status} · {ago}{assigned}",
            r.ticket, r.compound_text, r.address_detail
        )
    }
}
