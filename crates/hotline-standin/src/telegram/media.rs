//! sendMediaGroup (albums of photos by file id) and sendVenue / sendLocation
//! (a map pin), with Telegram's checks: 2 to 10 photos per album.

use serde_json::{Value, json};

use super::{Shared, methods, server::Reply, state::State};

/// Each photo of the album becomes a shown message, as in Telegram; the
/// answer is the list of them.
pub(super) fn send_album(
    s: &mut State,
    shared: &Shared,
    chat_id: i64,
    p: &Value,
) -> Result<Reply, Reply> {
    let media = match &p["media"] {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    };
    let items = media.as_array().cloned().unwrap_or_default();
    if !(2..=10).contains(&items.len()) {
        return Err(Reply::err(
            400,
            "Bad Request: media group must include 2-10 items",
        ));
    }
    let mut sent = Vec::new();
    for item in items {
        if item["type"] != "photo" {
            return Err(Reply::err(
                400,
                "Bad Request: only photos are supported here",
            ));
        }
        let one = json!({
            "chat_id": chat_id,
            "photo": item["media"],
            "caption": item["caption"],
            "disable_notification": p["disable_notification"],
        });
        let reply = methods::send_photo(s, shared, chat_id, &one)?;
        sent.push(reply.body["result"].clone());
    }
    Ok(Reply::ok(Value::Array(sent)))
}

/// A pin: the shown message's text is the title and address (venue).
pub(super) fn send_place(
    s: &mut State,
    shared: &Shared,
    chat_id: i64,
    p: &Value,
) -> Result<Reply, Reply> {
    let (Some(latitude), Some(longitude)) = (p["latitude"].as_f64(), p["longitude"].as_f64())
    else {
        return Err(Reply::err(400, "Bad Request: wrong latitude or longitude"));
    };
    let text = [&p["title"], &p["address"]]
        .iter()
        .filter_map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let reply = methods::send_text_as_place(s, shared, chat_id, p, text, (latitude, longitude))?;
    Ok(reply)
}
