//! Texts longer than Telegram accepts, sent as several messages.
//!
//! Telegram refuses a message over [`MAX_TEXT_UNITS`] (4,096) UTF-16 code
//! units, counted after entity parsing (an emoji outside the BMP counts twice;
//! see [`limits`](super::limits)). A long
//! `Details` or `/ticket` is cut at line boundaries into parts that each fit;
//! the keyboard goes on the last part, under the end of the text it belongs
//! to. The worker sends one part per claim and records how many went out, so a
//! crash repeats at most one part. An edit cannot become two messages: it is
//! shortened instead, with a mark that something was cut.

use super::limits::{
    MAX_ALBUM_PHOTOS, MAX_CAPTION_UNITS, MAX_INLINE_BUTTONS, MAX_TEXT_UNITS, units,
};
use super::{InlineButton, Keyboard, OutMessage};

/// The text of a message that only carries buttons which did not fit under
/// the one before (Telegram needs some text).
const MORE_BUTTONS: &str = "⬇️";

/// Appended to an edit that had to be shortened.
const CUT_MARK: &str = "\n…";

/// The messages that `message` goes out as: itself when it fits, else its
/// parts in order (only a `Send` is split; an `Edit` is shortened).
pub fn parts(message: &OutMessage) -> Vec<OutMessage> {
    match message {
        OutMessage::Send { text, keyboard, .. }
            if units(text) <= MAX_TEXT_UNITS && buttons(keyboard) <= MAX_INLINE_BUTTONS =>
        {
            vec![message.clone()]
        }
        OutMessage::Send {
            chat_id,
            text,
            keyboard,
            silent,
            paid,
            news,
        } => {
            let mut pieces: Vec<(String, Keyboard)> = split(text, MAX_TEXT_UNITS)
                .into_iter()
                .map(|text| (text, Keyboard::Keep))
                .collect();
            let mut keyboards = keyboards(keyboard).into_iter();
            if let (Some(last), Some(first)) = (pieces.last_mut(), keyboards.next()) {
                last.1 = first;
            }
            pieces.extend(keyboards.map(|k| (MORE_BUTTONS.to_owned(), k)));
            pieces
                .into_iter()
                .map(|(text, keyboard)| OutMessage::Send {
                    chat_id: *chat_id,
                    text,
                    keyboard,
                    silent: *silent,
                    paid: *paid,
                    news: news.clone(),
                })
                .collect()
        }
        OutMessage::Photos {
            chat_id,
            file_ids,
            caption,
        } => file_ids
            .chunks(MAX_ALBUM_PHOTOS)
            .enumerate()
            .map(|(i, ids)| OutMessage::Photos {
                chat_id: *chat_id,
                file_ids: ids.to_vec(),
                caption: if i == 0 {
                    caption_of(caption)
                } else {
                    String::new()
                },
            })
            .collect(),
        OutMessage::Place { .. }
        | OutMessage::Menu { .. }
        | OutMessage::Reach { .. }
        | OutMessage::Image { .. } => {
            vec![message.clone()]
        }
        OutMessage::Edit {
            chat_id,
            message_id,
            text,
            keyboard,
        } => {
            let text = if units(text) <= MAX_TEXT_UNITS {
                text.clone()
            } else {
                let room = MAX_TEXT_UNITS - units(CUT_MARK);
                let mut head = split(text, room).swap_remove(0);
                head.push_str(CUT_MARK);
                head
            };
            // The buttons that do not fit are left off: an edit is one message.
            let keyboard = keyboards(keyboard).swap_remove(0);
            vec![OutMessage::Edit {
                chat_id: *chat_id,
                message_id: *message_id,
                text,
                keyboard,
            }]
        }
    }
}

/// How many inline buttons a keyboard has (0 for other kinds).
fn buttons(keyboard: &Keyboard) -> usize {
    match keyboard {
        Keyboard::Inline { rows } => rows.iter().map(Vec::len).sum(),
        _ => 0,
    }
}

/// The keyboard cut into keyboards of at most [`MAX_INLINE_BUTTONS`], whole
/// rows each (a row longer than that is cut too). Never empty.
fn keyboards(keyboard: &Keyboard) -> Vec<Keyboard> {
    let Keyboard::Inline { rows } = keyboard else {
        return vec![keyboard.clone()];
    };
    if buttons(keyboard) <= MAX_INLINE_BUTTONS {
        return vec![keyboard.clone()];
    }
    let mut out: Vec<Vec<Vec<InlineButton>>> = vec![Vec::new()];
    let mut count = 0;
    for row in rows.iter().flat_map(|r| r.chunks(MAX_INLINE_BUTTONS)) {
        if count + row.len() > MAX_INLINE_BUTTONS {
            out.push(Vec::new());
            count = 0;
        }
        count += row.len();
        out.last_mut().expect("never empty").push(row.to_vec());
    }
    out.into_iter().map(Keyboard::inline).collect()
}

/// A caption cut to fit, ending in the cut mark.
fn caption_of(caption: &str) -> String {
    if units(caption) <= MAX_CAPTION_UNITS {
        return caption.to_owned();
    }
    let mut head = split(caption, MAX_CAPTION_UNITS - units(CUT_MARK)).swap_remove(0);
    head.push_str(CUT_MARK);
    head
}

/// Which of `message`'s parts is the one to remember (its Telegram message id
/// is what later edits rewrite): the last part of the text, the one under
/// which the keyboard starts.
pub fn main_part(message: &OutMessage) -> usize {
    match message {
        OutMessage::Send { text, .. } if units(text) > MAX_TEXT_UNITS => {
            split(text, MAX_TEXT_UNITS).len() - 1
        }
        _ => 0,
    }
}

/// Cuts `text` into pieces of at most `limit` UTF-16 units, at line ends where
/// possible; a single longer line is cut between characters. Never returns an
/// empty list, and no piece is empty unless `text` is.
pub fn split(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_units = 0;
    for line in text.split_inclusive('\n') {
        let line_units = units(line);
        if current_units + line_units > limit && !current.is_empty() {
            pieces.push(finish(std::mem::take(&mut current)));
            current_units = 0;
        }
        if line_units <= limit {
            current.push_str(line);
            current_units += line_units;
            continue;
        }
        for c in line.chars() {
            if current_units + c.len_utf16() > limit {
                pieces.push(finish(std::mem::take(&mut current)));
                current_units = 0;
            }
            current.push(c);
            current_units += c.len_utf16();
        }
    }
    if !current.is_empty() || pieces.is_empty() {
        pieces.push(finish(current));
    }
    pieces
}

/// A piece does not end with the line break it was cut at.
fn finish(mut piece: String) -> String {
    if piece.ends_with('\n') && piece.trim_end_matches('\n').chars().next().is_some() {
        piece.pop();
    }
    piece
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatId;

    fn lines(n: usize, width: usize) -> String {
        (0..n)
            .map(|i| format!("{i:04} {}", "水".repeat(width)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_short_text_is_one_message() {
        let m = OutMessage::text(ChatId(1), "你好");
        assert_eq!(parts(&m), vec![m]);
    }

    #[test]
    fn a_long_text_is_cut_at_line_ends_and_keeps_every_line() {
        let text = lines(300, 40);
        let keyboard = Keyboard::inline(vec![vec![InlineButton {
            text: "✅".into(),
            data: "ack:1".into(),
        }]]);
        let m = OutMessage::with_keyboard(ChatId(5), text.clone(), keyboard.clone());
        let sent = parts(&m);
        assert!(sent.len() > 1);
        let mut joined = Vec::new();
        for (i, part) in sent.iter().enumerate() {
            let OutMessage::Send {
                text: t,
                keyboard: k,
                ..
            } = part
            else {
                panic!("a send")
            };
            assert!(units(t) <= MAX_TEXT_UNITS, "part {i}: {}", units(t));
            assert!(
                t.starts_with(|c: char| c.is_ascii_digit()),
                "cut at a line end"
            );
            let last = i == sent.len() - 1;
            assert_eq!(*k == keyboard, last, "keyboard on the last part only");
            joined.push(t.clone());
        }
        assert_eq!(joined.join("\n"), text);
        assert_eq!(main_part(&m), sent.len() - 1);
    }

    #[test]
    fn characters_outside_the_bmp_count_twice() {
        let text = "🚰".repeat(3000); // 6,000 UTF-16 units, one line
        let pieces = split(&text, MAX_TEXT_UNITS);
        assert_eq!(pieces.len(), 2);
        assert_eq!(units(&pieces[0]), MAX_TEXT_UNITS);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn a_long_edit_is_shortened_with_a_mark() {
        let m = OutMessage::Edit {
            chat_id: ChatId(1),
            message_id: 2,
            text: lines(300, 40),
            keyboard: Keyboard::Keep,
        };
        let sent = parts(&m);
        let [OutMessage::Edit { text, .. }] = sent.as_slice() else {
            panic!("one edit")
        };
        assert!(units(text) <= MAX_TEXT_UNITS && text.ends_with('…'));
    }

    #[test]
    fn buttons_beyond_a_hundred_go_under_further_messages() {
        let rows = (0..150)
            .map(|i| {
                vec![InlineButton {
                    text: format!("✅ #{i}"),
                    data: format!("ack:{i}"),
                }]
            })
            .collect();
        let m = OutMessage::with_keyboard(ChatId(5), "150 escalations", Keyboard::inline(rows));
        let sent = parts(&m);
        let counts: Vec<(String, usize)> = sent
            .iter()
            .map(|p| match p {
                OutMessage::Send { text, keyboard, .. } => (text.clone(), buttons(keyboard)),
                _ => panic!("a send"),
            })
            .collect();
        assert_eq!(
            counts,
            vec![("150 escalations".to_owned(), 100), ("⬇️".to_owned(), 50)]
        );
        assert_eq!(main_part(&m), 0);
    }

    #[test]
    fn an_empty_text_stays_one_piece() {
        assert_eq!(split("", 10), vec![String::new()]);
    }

    #[test]
    fn more_than_ten_photos_go_as_albums_of_ten_with_the_caption_on_the_first() {
        let m = OutMessage::Photos {
            chat_id: ChatId(1),
            file_ids: (0..12).map(|i| format!("p{i}")).collect(),
            caption: "水".repeat(2000),
        };
        let sent = parts(&m);
        let sizes: Vec<(usize, usize)> = sent
            .iter()
            .map(|p| match p {
                OutMessage::Photos {
                    file_ids, caption, ..
                } => (file_ids.len(), units(caption)),
                _ => panic!("photos"),
            })
            .collect();
        assert_eq!(sizes, [(10, MAX_CAPTION_UNITS), (2, 0)]);
        assert_eq!(main_part(&m), 0);
    }
}
