//! What the resident would see, read from a call's parameters: the displayed text
//! (after `parse_mode`) and the keyboards.

use serde_json::Value;

use super::{Button, server::Reply};

/// Telegram rejects callback data longer than this (bytes); a bot must not depend on more.
const MAX_CALLBACK_DATA: usize = 64;

/// Telegram refuses an inline keyboard with more buttons than this.
const MAX_INLINE_BUTTONS: usize = 100;

/// The text as the resident reads it: HTML markup or MarkdownV2 escapes removed.
pub(super) fn visible_text(p: &Value, key: &str) -> String {
    let raw = p[key].as_str().unwrap_or_default();
    match p["parse_mode"]
        .as_str()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html") => strip_html(raw),
        Some("markdownv2") => unescape_markdown(raw),
        _ => raw.to_owned(),
    }
}

fn strip_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_tag = false;
    for c in raw.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn unescape_markdown(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The keyboards of a `reply_markup` parameter.
pub(super) struct Markup {
    pub inline: Vec<Vec<Button>>,
    /// The inline keyboard as sent, echoed back in the returned `Message`.
    pub inline_json: Option<Value>,
    pub keyboard: Vec<Vec<Button>>,
}

impl Markup {
    pub(super) fn parse(p: &Value) -> Result<Markup, Reply> {
        let markup = &p["reply_markup"];
        let inline_json = markup
            .get("inline_keyboard")
            .filter(|v| v.is_array())
            .cloned();
        let inline = rows(inline_json.as_ref().unwrap_or(&Value::Null));
        let mut data = inline.iter().flatten().filter_map(|b| b.data.as_ref());
        if data.any(|d| d.is_empty() || d.len() > MAX_CALLBACK_DATA) {
            return Err(Reply::err(400, "Bad Request: BUTTON_DATA_INVALID"));
        }
        if inline.iter().map(Vec::len).sum::<usize>() > MAX_INLINE_BUTTONS {
            return Err(Reply::err(400, "Bad Request: reply markup is too long"));
        }
        Ok(Markup {
            inline,
            inline_json,
            keyboard: rows(&markup["keyboard"]),
        })
    }
}

fn rows(v: &Value) -> Vec<Vec<Button>> {
    let rows = v.as_array().map(Vec::as_slice).unwrap_or_default();
    rows.iter()
        .map(|row| {
            row.as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(button)
                .collect()
        })
        .collect()
}

/// Buttons come as objects, or (reply keyboards only) as bare strings.
fn button(v: &Value) -> Button {
    let text = v
        .as_str()
        .or_else(|| v["text"].as_str())
        .unwrap_or_default();
    Button {
        text: text.to_owned(),
        data: v["callback_data"].as_str().map(str::to_owned),
        request_contact: v["request_contact"].as_bool().unwrap_or(false),
        request_location: v["request_location"].as_bool().unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keyboard(buttons: usize, data: &str) -> Value {
        let row: Vec<Value> = (0..buttons)
            .map(|i| json!({"text": format!("#{i}"), "callback_data": data}))
            .collect();
        json!({"reply_markup": {"inline_keyboard": [row]}})
    }

    fn refusal(p: &Value) -> Option<String> {
        Markup::parse(p).err().map(|r| {
            r.body["description"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
    }

    #[test]
    fn callback_data_over_64_bytes_is_refused() {
        assert_eq!(refusal(&keyboard(1, &"a".repeat(64))), None);
        // 22 Chinese characters are 66 bytes.
        assert_eq!(
            refusal(&keyboard(1, &"水".repeat(22))).as_deref(),
            Some("Bad Request: BUTTON_DATA_INVALID")
        );
    }

    #[test]
    fn more_than_a_hundred_buttons_are_refused() {
        assert_eq!(refusal(&keyboard(100, "ack:1")), None);
        assert_eq!(
            refusal(&keyboard(101, "ack:1")).as_deref(),
            Some("Bad Request: reply markup is too long")
        );
    }

    #[test]
    fn visible_text_strips_markup() {
        let p = json!({"text": "<b>Leak</b> &amp; <i>flood</i> &lt;3", "parse_mode": "HTML"});
        assert_eq!(visible_text(&p, "text"), "Leak & flood <3");
        let p = json!({"text": "No\\. 5\\!", "parse_mode": "MarkdownV2"});
        assert_eq!(visible_text(&p, "text"), "No. 5!");
    }
}
