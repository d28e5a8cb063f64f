//! The outbox's messages as WeChat's JSON, pure. A text is a `text`
//! customer-service message; one with buttons a menu message (`msgmenu`):
//! the text as its head, each button an item whose id is the button's
//! callback data (a press comes back as a text with that `bizmsgmenuid`,
//! read as the very press the Telegram button gives). Big buttons become
//! items too (id `k1`, `k2`, …: their press is read as their text, as
//! Telegram's are); those asking for a phone's contact or location are
//! left out (WeChat has no such button: the resident types the number or
//! the address). Texts longer than WeChat takes are cut on line breaks.
//!
//! WeChat publishes no size for a customer-service text; it refuses one of
//! over about 2 KB with `45002` (content size out of limit), so a message
//! is kept within [`MAX_BYTES`] of UTF-8, menu items included.
//!
//! WeChat cannot edit a message it has shown. An edit that only records a
//! press (the question with the choice under it, its buttons dropped) is
//! not sent: on WeChat the press itself already shows in the chat as the
//! resident's own message, and the old items stay pressable anyway (a
//! stale press is answered as such). Any other edit — a new question in
//! place of the pressed one, the receipt — is news to the resident and
//! goes as a new message, its buttons a new menu.

use serde_json::{Value, json};

use crate::domain::{Keyboard, News, NewsKind, OutMessage, ReplyButtonKind};

/// The most bytes of text (head and items) one message carries.
pub const MAX_BYTES: usize = 2000;
/// The most characters of a template message's value.
const MAX_TEMPLATE_CHARS: usize = 200;

/// The `custom/send` bodies that show `message` to `openid`, in order;
/// none for what a WeChat chat has no place for (a per-chat command menu,
/// staff's photo albums and charts).
pub fn bodies(openid: &str, message: &OutMessage) -> Vec<Value> {
    let (text, keyboard) = match message {
        OutMessage::Edit { text, keyboard, .. }
            if !matches!(keyboard, Keyboard::Inline { .. })
                && crate::texts::only_answered(text) =>
        {
            return vec![];
        }
        OutMessage::Send { text, keyboard, .. } | OutMessage::Edit { text, keyboard, .. } => {
            (text.clone(), keyboard)
        }
        OutMessage::Place { title, address, .. } => {
            (format!("📍 {title}\n{address}"), &Keyboard::Keep)
        }
        OutMessage::Photos { .. }
        | OutMessage::Image { .. }
        | OutMessage::Menu { .. }
        | OutMessage::Reach { .. } => return vec![],
    };
    let items = items(keyboard);
    let items_size: usize = items.iter().map(|(_, c)| c.len()).sum();
    let mut pieces = split(&text, MAX_BYTES);
    let last = pieces.pop().unwrap_or_default();
    let mut bodies: Vec<Value> = pieces.iter().map(|p| text_body(openid, p)).collect();
    match items.is_empty() {
        true => bodies.push(text_body(openid, &last)),
        false if last.len() + items_size > MAX_BYTES => {
            bodies.push(text_body(openid, &last));
            bodies.push(menu_body(openid, "", &items));
        }
        false => bodies.push(menu_body(openid, &last, &items)),
    }
    bodies.retain(|b| b != &text_body(openid, ""));
    bodies
}

fn text_body(openid: &str, text: &str) -> Value {
    json!({"touser": openid, "msgtype": "text", "text": {"content": text}})
}

fn menu_body(openid: &str, head: &str, items: &[(String, String)]) -> Value {
    let list: Vec<Value> = items
        .iter()
        .map(|(id, content)| json!({"id": id, "content": content}))
        .collect();
    json!({
        "touser": openid,
        "msgtype": "msgmenu",
        "msgmenu": {"head_content": head, "list": list, "tail_content": ""}
    })
}

/// A keyboard's buttons as menu items: (id, content).
fn items(keyboard: &Keyboard) -> Vec<(String, String)> {
    match keyboard {
        Keyboard::Inline { rows } => rows
            .iter()
            .flatten()
            .map(|b| (b.data.clone(), b.text.clone()))
            .collect(),
        Keyboard::Reply { rows } => rows
            .iter()
            .flatten()
            .filter(|b| b.kind == ReplyButtonKind::Plain)
            .enumerate()
            .map(|(i, b)| (format!("k{}", i + 1), b.text.clone()))
            .collect(),
        Keyboard::Keep | Keyboard::Remove => vec![],
    }
}

/// `text` in pieces of at most `max` bytes, cut after a line break where
/// there is one, never inside a character.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.len() > max {
        let mut cut = max;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let at = rest[..cut].rfind('\n').map_or(cut, |n| n + 1);
        let at = if at == 0 { cut } else { at };
        pieces.push(rest[..at].trim_end().to_owned());
        rest = &rest[at..];
    }
    pieces.push(rest.to_owned());
    pieces
}

/// The `template/send` body telling `openid` of `news`: `first` the
/// headline, `keyword1` the ticket or compound, `keyword2` the status,
/// `remark` the message itself (cut to fit).
pub fn template_body(openid: &str, template_id: &str, news: &News, text: &str) -> Value {
    let (headline, status) = crate::texts::wechat::news(news.kind);
    let value = |v: &str| json!({"value": cut(v, MAX_TEMPLATE_CHARS)});
    json!({
        "touser": openid,
        "template_id": template_id,
        "data": {
            "first": value(headline),
            "keyword1": value(&news.subject),
            "keyword2": value(status),
            "remark": value(text),
        }
    })
}

/// The configured template for a kind of news.
pub fn template_for(templates: &crate::config::WechatTemplates, kind: NewsKind) -> Option<&str> {
    match kind {
        NewsKind::Acknowledged | NewsKind::InProgress => templates.acknowledged.as_deref(),
        NewsKind::Resolved => templates.resolved.as_deref(),
        NewsKind::Incident => templates.incident.as_deref(),
    }
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
