//! What residents sent besides words — photos and a shared location — as
//! messages for staff: an album by Telegram file id and a map pin with the
//! address. Only staff views (an alert's Details, `/ticket`) call this, so
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
    let photos = r.photos();
    if !photos.is_empty() {
        out.push(OutMessage::Photos {
            chat_id,
            file_ids: photos,
            caption: texts::photos_caption(lang, &r.ticket, &place),
        });
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
