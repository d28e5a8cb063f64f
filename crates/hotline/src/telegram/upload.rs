//! Pictures the bot drew itself (the digest's chart), uploaded with
//! `sendPhoto` as multipart, unlike residents' photos, which are resent by
//! their Telegram file id.

use teloxide::RequestError;
use teloxide::payloads::SendPhotoSetters;
use teloxide::prelude::*;
use teloxide::types::InputFile;

/// Sends `png` as a photo with `caption` (if any); returns the message id.
pub async fn png(
    bot: &Bot,
    chat_id: ChatId,
    png: &[u8],
    caption: &str,
) -> Result<Option<i32>, RequestError> {
    let file = InputFile::memory(png.to_vec()).file_name("chart.png");
    let mut request = bot.send_photo(chat_id, file);
    if !caption.is_empty() {
        request = request.caption(caption.to_owned());
    }
    request.await.map(|m| Some(m.id.0))
}
