//! Telegram's limits, in the units Telegram counts them: a message's text and
//! a photo's caption in UTF-16 code units after entity parsing (so an emoji
//! outside the Basic Multilingual Plane, 💧 or 🚰, counts two, a Chinese
//! character one), a button's callback data in bytes, buttons and album photos
//! by number. Every size check of the bot reads them here and counts with
//! [`units`]; counting `chars()` lets a text full of emoji pass a check that
//! Telegram then refuses.

/// A message's text (`sendMessage`, `editMessageText`), in UTF-16 units.
pub const MAX_TEXT_UNITS: usize = 4096;

/// A photo's caption (`sendPhoto`, the first photo of an album), in UTF-16 units.
pub const MAX_CAPTION_UNITS: usize = 1024;

/// A button's `callback_data`, in bytes (of UTF-8).
pub const MAX_CALLBACK_BYTES: usize = 64;

/// The buttons of one inline keyboard, all rows together.
pub const MAX_INLINE_BUTTONS: usize = 100;

/// The photos of one album (`sendMediaGroup`).
pub const MAX_ALBUM_PHOTOS: usize = 10;

/// A text's length as Telegram counts it: UTF-16 code units.
pub fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Keeps at most `limit` UTF-16 units of `text`, marking a cut with an
/// ellipsis (one unit). Cuts between characters, never inside an emoji.
pub fn fit(text: String, limit: usize) -> String {
    if units(&text) <= limit {
        return text;
    }
    let room = limit.saturating_sub(1);
    let mut used = 0;
    let mut out = String::with_capacity(text.len().min(limit * 4));
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emoji_outside_the_bmp_counts_two_units_a_chinese_character_one() {
        assert_eq!(units("水"), 1);
        assert_eq!(units("💧"), 2);
        assert_eq!(units("停水💧a"), 5);
        assert_eq!(units(""), 0);
    }

    #[test]
    fn fit_keeps_what_fits_and_cuts_the_rest_with_an_ellipsis() {
        assert_eq!(fit("短".into(), MAX_TEXT_UNITS), "短");
        let exact = "水".repeat(MAX_TEXT_UNITS);
        assert_eq!(fit(exact.clone(), MAX_TEXT_UNITS), exact);
        let cut = fit("水".repeat(5000), MAX_TEXT_UNITS);
        assert_eq!(units(&cut), MAX_TEXT_UNITS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn fit_counts_emoji_as_telegram_does_and_never_splits_one() {
        // 3,000 emoji are 3,000 characters but 6,000 units: too long.
        let cut = fit("💧".repeat(3000), MAX_TEXT_UNITS);
        assert!(units(&cut) <= MAX_TEXT_UNITS, "{}", units(&cut));
        assert_eq!(cut.chars().filter(|&c| c == '💧').count(), 2047);
        assert!(cut.ends_with('…'));
        // One unit short of the room for another emoji: the cut leaves it out.
        let cut = fit("ab💧cd".to_owned(), 4);
        assert_eq!(cut, "ab…");
    }
}
