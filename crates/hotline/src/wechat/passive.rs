//! The passive reply (被动回复): what a push caused, answered in the HTTP
//! response to it instead of by `message/custom/send`. WeChat does not
//! count it against the resident's quota of customer-service messages (5
//! within 48 hours after a message, 3 within a minute after a click), so a
//! wizard walked by presses keeps its quota for the replies that come later.
//!
//! A passive reply is one message, and of a few kinds only (text, image,
//! news, …: no menu message). So the replies waiting for the chat go as
//! one text, in order, a blank line between them, and a menu message's
//! items as `weixin://bizmsgmenu` links under its text: a press comes back
//! exactly as a menu message's press does (a text with `bizmsgmenuid`).
//! Replies that do not fit in one text of [`MAX_BYTES`], or whose items
//! cannot be written as links, are left to the outbox's worker.
//! (WeChat's rules, checked 2026-12:
//! <https://developers.weixin.qq.com/doc/service/en/guide/product/message/Passive_user_reply_message.html>.)

use serde_json::Value;

use super::message::{MAX_BYTES, bodies};
use crate::domain::OutMessage;

/// `messages` as one passive text reply, or None when they do not fit one.
pub fn text(messages: &[OutMessage]) -> Option<String> {
    let mut pieces = Vec::new();
    for message in messages {
        for body in bodies("", message) {
            pieces.push(piece(&body)?);
        }
    }
    let text = pieces.join("\n\n");
    (!text.is_empty() && text.len() <= MAX_BYTES).then_some(text)
}

/// One `custom/send` body as text: a menu message's items as links.
fn piece(body: &Value) -> Option<String> {
    match body["msgtype"].as_str()? {
        "text" => Some(body["text"]["content"].as_str()?.to_owned()),
        "msgmenu" => {
            let menu = &body["msgmenu"];
            let mut lines = vec![menu["head_content"].as_str()?.to_owned()];
            for item in menu["list"].as_array()? {
                lines.push(link(item["id"].as_str()?, item["content"].as_str()?)?);
            }
            Some(lines.join("\n").trim().to_owned())
        }
        _ => None,
    }
}

/// A menu item as WeChat's link; None if its id or text would break it.
pub fn link(id: &str, content: &str) -> Option<String> {
    let unsafe_char = |c: char| matches!(c, '"' | '<' | '>' | '&' | '\n');
    if id.is_empty() || id.contains(unsafe_char) || content.contains(unsafe_char) {
        return None;
    }
    Some(format!(
        "<a href=\"weixin://bizmsgmenu?msgmenucontent={content}&msgmenuid={id}\">{content}</a>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChatId, InlineButton, Keyboard};

    #[test]
    fn a_text_and_a_menu_become_one_text_with_links() {
        let chat = ChatId(1);
        let greeting = OutMessage::text(chat, "您好");
        let mut step = OutMessage::text(chat, "第 1/4 步");
        if let OutMessage::Send { keyboard, .. } = &mut step {
            *keyboard = Keyboard::Inline {
                rows: vec![vec![InlineButton {
                    text: "停水".into(),
                    data: "cat:outage".into(),
                }]],
            };
        }
        let text = text(&[greeting, step]).unwrap();
        assert_eq!(
            text,
            "您好\n\n第 1/4 步\n<a href=\"weixin://bizmsgmenu?msgmenucontent=停水&msgmenuid=cat:outage\">停水</a>"
        );
        assert_eq!(link("a&b", "x"), None);
        let long = OutMessage::text(chat, "水".repeat(700));
        assert_eq!(super::text(&[long]), None, "over 2,000 bytes");
    }
}
