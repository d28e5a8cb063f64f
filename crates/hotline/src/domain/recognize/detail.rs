//! Finding the building, unit or flat in a message: "3号楼2单元", "3栋",
//! "3#", "5-2", "building 3", "unit 2", "#3".
//!
//! Works on the folded message (full-width digits already ASCII) with the
//! compound's name blanked out, so digits in a compound's name are not read
//! as a building. A bare number ("3天没水") is not a place.

/// Markers after a number written in Chinese numerals ("三号楼"): only those
/// that cannot be a count or a floor.
const STRONG: &[&str] = &["号楼", "号院", "#楼", "栋", "幢", "单元", "座"];
/// Further markers after a number in digits; "3楼" may be a floor, which is
/// still a useful place detail.
const WEAK: &[&str] = &["楼", "号", "室", "层", "户", "#"];
const ZH_NUMERALS: &str = "一二三四五六七八九十";
const EN_WORDS: &[&str] = &[
    "building",
    "bldg",
    "block",
    "blk",
    "tower",
    "unit",
    "apartment",
    "apt",
    "flat",
    "room",
    "rm",
    "entrance",
    "floor",
    "no",
];
/// A resident names at most building, unit, floor and flat.
const MAX_PARTS: usize = 4;
/// Longer runs of digits are phone numbers or dates, not flats.
const MAX_DIGITS: usize = 6;

/// The place details in `text`, as typed (digits folded), joined by a space;
/// empty when there are none.
pub fn find(text: &[char]) -> String {
    let mut out = String::new();
    let mut parts = 0;
    let mut last_end = None;
    let mut at = 0;
    while at < text.len() && parts < MAX_PARTS {
        let continues = last_end == Some(at);
        match part_at(text, at, continues) {
            Some(end) => {
                if !out.is_empty() && !continues {
                    out.push(' ');
                }
                out.extend(&text[at..end]);
                parts += 1;
                last_end = Some(end);
                at = end;
            }
            None => at += 1,
        }
    }
    out
}

/// The end of a place detail starting at `at`. A bare number counts only
/// right after another detail ("3号楼2单元301").
fn part_at(text: &[char], at: usize, continues: bool) -> Option<usize> {
    let c = text[at];
    let inside_word = at > 0 && text[at - 1].is_ascii_alphanumeric();
    if c.is_ascii_digit() && !inside_word {
        let end = number_end(text, at)?;
        if let Some(m) = marker_at(text, end, STRONG).or_else(|| marker_at(text, end, WEAK)) {
            return Some(end + m);
        }
        let dashed = text[at..end].contains(&'-');
        return (dashed || continues).then_some(end);
    }
    if ZH_NUMERALS.contains(c) {
        let end = at
            + text[at..]
                .iter()
                .take_while(|c| ZH_NUMERALS.contains(**c))
                .count();
        return marker_at(text, end, STRONG).map(|m| end + m);
    }
    if c == '#' {
        return number_end(text, at + 1);
    }
    if c.is_ascii_alphabetic() && !inside_word {
        return english_at(text, at);
    }
    None
}

/// "building 3", "bldg.3", "unit #2", "No. 5": a word, then a number.
fn english_at(text: &[char], at: usize) -> Option<usize> {
    let word_end = at
        + text[at..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
    let word: String = text[at..word_end]
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !EN_WORDS.contains(&word.as_str()) {
        return None;
    }
    let digits_at = word_end
        + text[word_end..]
            .iter()
            .take_while(|c| matches!(c, ' ' | '.' | '#' | ':'))
            .take(3)
            .count();
    if !text.get(digits_at)?.is_ascii_digit() {
        return None;
    }
    let end = number_end(text, digits_at)?;
    // A letter suffix ("building 3A") belongs to the number.
    let suffix = text.get(end).is_some_and(|c| c.is_ascii_alphabetic())
        && !text.get(end + 1).is_some_and(|c| c.is_ascii_alphabetic());
    Some(end + usize::from(suffix))
}

/// The end of digits joined by dashes or slashes ("5", "5-2", "3/301"), or
/// None when it holds too many digits to be a place.
fn number_end(text: &[char], at: usize) -> Option<usize> {
    let mut end = at;
    let mut digits = 0;
    while let Some(&c) = text.get(end) {
        let joins = matches!(c, '-' | '/')
            && end > at
            && text.get(end + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() {
            digits += 1;
        } else if !joins {
            break;
        }
        end += 1;
    }
    (digits > 0 && digits <= MAX_DIGITS).then_some(end)
}

fn marker_at(text: &[char], at: usize, markers: &[&str]) -> Option<usize> {
    markers
        .iter()
        .map(|m| m.chars().collect::<Vec<char>>())
        .filter(|m| text[at.min(text.len())..].starts_with(m))
        .map(|m| m.len())
        .max()
}
