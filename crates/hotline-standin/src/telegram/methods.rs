//! The Bot API methods the stand-in implements, with Telegram's validation where a
//! careless bot would fail in production (empty/long texts, long callback data,
//! unmodified edits, unknown messages).

use serde_json::{Value, json};

use super::menus::{delete_commands, get_commands, set_commands};
use super::{
    Shared, Shown,
    markup::{Markup, visible_text},
    server::Reply,
    state::{State, Stored},
    unix_now,
};

/// Calls that show something to a resident: subject to blocking, faults and limits.
const MESSAGE_METHODS: &[&str] = &[
    "sendmessage",
    "sendphoto",
    "sendmediagroup",
    "sendvenue",
    "sendlocation",
    "senddocument",
    "editmessagetext",
    "editmessagecaption",
    "editmessagereplymarkup",
];

const MAX_TEXT: usize = 4096;
const MAX_CAPTION: usize = 1024;
const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new message content and reply \
                            markup are exactly the same as a current content and reply markup of the message";

pub(super) fn is_message_method(method: &str) -> bool {
    MESSAGE_METHODS.contains(&method)
}

/// The `chat_id` parameter; `@username` targets are not supported ("chat not found").
pub(super) fn target_chat(params: &Value) -> Result<i64, Reply> {
    let id = &params["chat_id"];
    let parsed = id
        .as_i64()
        .or_else(|| id.as_str().and_then(|s| s.trim().parse().ok()));
    match (id, parsed) {
        (Value::Null, _) => Err(Reply::err(400, "Bad Request: chat_id is empty")),
        (_, Some(chat_id)) => Ok(chat_id),
        (_, None) => Err(Reply::err(400, "Bad Request: chat not found")),
    }
}

pub(super) fn execute(
    s: &mut State,
    shared: &Shared,
    method: &str,
    chat_id: i64,
    p: &Value,
) -> Reply {
    let result = match method {
        "sendmessage" => send(s, shared, chat_id, p, Media::Text),
        "sendphoto" => send(s, shared, chat_id, p, Media::Photo),
        "senddocument" => send(s, shared, chat_id, p, Media::Document),
        "sendmediagroup" => super::media::send_album(s, shared, chat_id, p),
        "sendvenue" | "sendlocation" => super::media::send_place(s, shared, chat_id, p),
        "editmessagetext" => edit(s, chat_id, p, Some("text")),
        "editmessagecaption" => edit(s, chat_id, p, Some("caption")),
        _ => edit(s, chat_id, p, None),
    };
    result.unwrap_or_else(|reply| reply)
}

/// Methods without side effects on chats. `None` means "not supported".
pub(super) fn simple(s: &mut State, shared: &Shared, method: &str, p: &Value) -> Option<Reply> {
    let reply = match method {
        "getme" => Reply::ok(shared.me.clone()),
        "getwebhookinfo" => Reply::ok(json!({
            "url": "", "has_custom_certificate": false, "pending_update_count": s.updates.pending(),
        })),
        "deletewebhook" | "close" | "logout" | "sendchataction" => Reply::ok(json!(true)),
        "answercallbackquery" => answer_callback(s, p),
        "setmycommands" => set_commands(s, p),
        "getmycommands" => Reply::ok(get_commands(s, p)),
        "deletemycommands" => delete_commands(s, p),
        "deletemessage" => delete_message(s, p),
        // Every file is a tiny PNG, served at /file/bot<TOKEN>/<file_path>.
        "getfile" => Reply::ok(json!({
            "file_id": p["file_id"], "file_unique_id": "u", "file_size": super::server::PNG.len(),
            "file_path": format!("photos/{}.png", p["file_id"].as_str().unwrap_or("x")),
        })),
        _ => return None,
    };
    Some(reply)
}

/// One photo of an album, sent as sendPhoto would be.
pub(super) fn send_photo(
    s: &mut State,
    shared: &Shared,
    chat_id: i64,
    p: &Value,
) -> Result<Reply, Reply> {
    send(s, shared, chat_id, p, Media::Photo)
}

/// A venue or location: shown with `text` and the pin's coordinates.
pub(super) fn send_text_as_place(
    s: &mut State,
    shared: &Shared,
    chat_id: i64,
    p: &Value,
    text: String,
    at: (f64, f64),
) -> Result<Reply, Reply> {
    let mut params = p.clone();
    params["text"] = json!(if text.is_empty() {
        "📍".to_owned()
    } else {
        text
    });
    let mut reply = send(s, shared, chat_id, &params, Media::Text)?;
    let (latitude, longitude) = at;
    let location = json!({"latitude": latitude, "longitude": longitude});
    reply.body["result"]["location"] = location.clone();
    if let Some(stored) = s
        .messages
        .get_mut(&chat_id)
        .and_then(|list| list.last_mut())
    {
        stored.shown.location = Some(at);
        stored.json["location"] = location;
    }
    Ok(reply)
}

#[derive(Clone, Copy)]
enum Media {
    Text,
    Photo,
    Document,
}

/// sendMessage / sendPhoto / sendDocument: stores the message and returns it.
fn send(
    s: &mut State,
    shared: &Shared,
    chat_id: i64,
    p: &Value,
    media: Media,
) -> Result<Reply, Reply> {
    let (text_key, limit) = match media {
        Media::Text => ("text", MAX_TEXT),
        _ => ("caption", MAX_CAPTION),
    };
    let text = visible_text(p, text_key);
    check_text(&text, limit, matches!(media, Media::Text))?;
    let markup = Markup::parse(p)?;
    let message_id = s.next_message_id(chat_id);
    let mut json = json!({
        "message_id": message_id, "date": unix_now(), "chat": s.chat_json(chat_id), "from": shared.bot_user,
    });
    if !text.is_empty() {
        json[text_key] = json!(text);
    }
    let (photo, document) = attach_media(s, &mut json, p, media)?;
    if let Some(inline) = &markup.inline_json {
        json["reply_markup"] = json!({"inline_keyboard": inline});
    }
    let shown = Shown {
        chat_id,
        message_id,
        text,
        photo,
        document,
        inline: markup.inline,
        keyboard: markup.keyboard,
        silent: p["disable_notification"].as_bool().unwrap_or(false),
        edited: false,
        location: None,
    };
    s.messages.entry(chat_id).or_default().push(Stored {
        shown,
        json: json.clone(),
    });
    Ok(Reply::ok(json))
}

/// Adds `photo` / `document` to the message; returns what `Shown` records for them.
fn attach_media(
    s: &mut State,
    json: &mut Value,
    p: &Value,
    media: Media,
) -> Result<(Option<String>, Option<String>), Reply> {
    let key = match media {
        Media::Text => return Ok((None, None)),
        Media::Photo => "photo",
        Media::Document => "document",
    };
    let Some(input) = p[key].as_str().map(str::to_owned) else {
        return Err(Reply::err(
            400,
            format!("Bad Request: there is no {key} in the request"),
        ));
    };
    // A file id is sent back unchanged; uploads and URLs get a fresh id, as in Telegram.
    let is_new = input.starts_with("upload:") || input.contains("://");
    let (file_id, unique_id) = if is_new {
        s.new_file_id(key)
    } else {
        (input.clone(), format!("u-{input}"))
    };
    let file = json!({"file_id": file_id, "file_unique_id": unique_id, "file_size": 1024});
    if let Media::Photo = media {
        let mut large = file;
        large["width"] = json!(1280);
        large["height"] = json!(960);
        json["photo"] = json!([large]);
        return Ok((Some(input), None));
    }
    let mut doc = file;
    doc["file_name"] = json!(input.rsplit(['/', ':']).next().unwrap_or("file"));
    json["document"] = doc;
    Ok((None, Some(input)))
}

/// editMessageText / editMessageCaption (`text_key` Some) and editMessageReplyMarkup.
/// Like Telegram, an edit without `reply_markup` removes the inline keyboard.
fn edit(s: &mut State, chat_id: i64, p: &Value, text_key: Option<&str>) -> Result<Reply, Reply> {
    let Some(message_id) = p["message_id"].as_i64() else {
        return Err(Reply::err(
            400,
            "Bad Request: message identifier is not specified",
        ));
    };
    let new_text = text_key.map(|key| visible_text(p, key));
    if let (Some(text), Some(key)) = (&new_text, text_key) {
        let limit = if key == "text" { MAX_TEXT } else { MAX_CAPTION };
        check_text(text, limit, key == "text")?;
    }
    let markup = Markup::parse(p)?;
    let stored = s
        .find_message(chat_id, message_id)
        .ok_or_else(|| Reply::err(400, "Bad Request: message to edit not found"))?;
    let same_text = new_text.as_ref().is_none_or(|t| *t == stored.shown.text);
    if same_text && markup.inline == stored.shown.inline {
        return Err(Reply::err(400, NOT_MODIFIED));
    }
    if let (Some(text), Some(key)) = (new_text, text_key) {
        stored.json[key] = json!(text);
        stored.shown.text = text;
    }
    match (&markup.inline_json, stored.json.as_object_mut()) {
        (Some(inline), Some(msg)) => {
            msg.insert("reply_markup".into(), json!({"inline_keyboard": inline}))
        }
        (None, Some(msg)) => msg.remove("reply_markup"),
        (_, None) => None,
    };
    stored.shown.inline = markup.inline;
    stored.shown.edited = true;
    stored.json["edit_date"] = json!(unix_now());
    Ok(Reply::ok(stored.json.clone()))
}

fn check_text(text: &str, limit: usize, required: bool) -> Result<(), Reply> {
    if required && text.trim().is_empty() {
        return Err(Reply::err(400, "Bad Request: message text is empty"));
    }
    if text.encode_utf16().count() > limit {
        let what = if required {
            "message is too long"
        } else {
            "message caption is too long"
        };
        return Err(Reply::err(400, format!("Bad Request: {what}")));
    }
    Ok(())
}

fn answer_callback(s: &mut State, p: &Value) -> Reply {
    let Some(id) = p["callback_query_id"].as_str() else {
        return Reply::err(
            400,
            "Bad Request: query is too old and response timeout expired or query id is invalid",
        );
    };
    let text = p["text"].as_str().map(str::to_owned);
    s.callback_answers.push((id.to_owned(), text));
    Reply::ok(json!(true))
}

/// Removes the message from what the resident sees.
fn delete_message(s: &mut State, p: &Value) -> Reply {
    let (Ok(chat_id), Some(message_id)) = (target_chat(p), p["message_id"].as_i64()) else {
        return Reply::err(400, "Bad Request: message to delete not found");
    };
    let Some(list) = s.messages.get_mut(&chat_id) else {
        return Reply::err(400, "Bad Request: message to delete not found");
    };
    let before = list.len();
    list.retain(|m| i64::from(m.shown.message_id) != message_id);
    if list.len() == before {
        return Reply::err(400, "Bad Request: message to delete not found");
    }
    Reply::ok(json!(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str, limit: usize, required: bool) -> Option<String> {
        check_text(text, limit, required).err().map(|r| {
            r.body["description"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
    }

    #[test]
    fn text_over_4096_utf16_units_is_refused() {
        assert_eq!(refusal(&"水".repeat(4096), MAX_TEXT, true), None);
        assert_eq!(
            refusal(&"水".repeat(4097), MAX_TEXT, true).as_deref(),
            Some("Bad Request: message is too long")
        );
        // An emoji outside the BMP is two units: 2,049 of them are too many.
        assert_eq!(
            refusal(&"🚰".repeat(2049), MAX_TEXT, true).as_deref(),
            Some("Bad Request: message is too long")
        );
    }

    #[test]
    fn caption_over_1024_is_refused() {
        assert_eq!(refusal(&"x".repeat(1024), MAX_CAPTION, false), None);
        assert_eq!(
            refusal(&"x".repeat(1025), MAX_CAPTION, false).as_deref(),
            Some("Bad Request: message caption is too long")
        );
    }

    #[test]
    fn an_empty_text_is_refused() {
        assert_eq!(
            refusal("  ", MAX_TEXT, true).as_deref(),
            Some("Bad Request: message text is empty")
        );
    }
}
