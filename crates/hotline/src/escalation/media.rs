//! What residents sent besides words — photos and a shared location — as
//! messages for staff: an album by Telegram file id and a map pin with the
//! address. Photos a WeChat resident sent are kept by the bot, not Telegram:
//! staff are told they are on the desk's ticket page. Only staff views (an alert's Details, `/ticket`) call this, so
//! no resident ever sees another's pictures or place.

use crate::domain::{ChatId, Lang};
use crate::outbox::OutMessage;
use crate::store::ReportRow;
use crate::texts::setup as texts;

/// The photos (one message, cut into albums by the outbox) and the pin of
/// one report, for `chat_id`; nothing when the resident sent neither.
pub fn report_media(chat_id: ChatId, r: &ReportRow, lang: Lang) -> Vec<OutMessage> {
    let place = format!("{} {}", r.compound_text, r.address_detail)
        .trim()
        .to_owned();
    let mut out = Vec::new();
    let (wechat, photos): (Vec<String>, Vec<String>) =
        (r.photos().into_iter()).partition(|id| crate::domain::photo::wechat_id(id).is_some());
    if !photos.is_empty() {
        out.push(OutMessage::Photos {
            chat_id,
            file_ids: photos,
            caption: texts::photos_caption(lang, &r.ticket, &place),
        });
    }
    if !wechat.is_empty() {
        let text = texts::wechat_photos_on_desk(lang, &r.ticket, wechat.len());
        out.push(OutMessage::text(chat_id, text));
    }
    if let (Some(latitude), Some(longitude)) = (r.latitude, r.longitude) {
        out.push(OutMessage::Place {
            chat_id,
            latitude,
            longitude,
            title: texts::place_title(lang, &r.ticket),
            address: place,
        });
    }
    out
}
