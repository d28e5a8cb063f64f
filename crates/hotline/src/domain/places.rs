//! Matching what a resident types against the compounds in config: tolerant
//! of spacing, full-width characters, case and a missing "小区" suffix.
//! Used by the resident wizard and by staff commands that name a compound.

/// The longest compound id config accepts: ids travel in button data, which
/// Telegram caps at 64 bytes (see `crate::domain::callback`).
pub const COMPOUND_ID_MAX: usize = 32;

/// The result of reading a typed place.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceMatch {
    /// A known compound was named; `rest` is what else was typed (building, unit).
    Found {
        id: String,
        name: String,
        rest: String,
    },
    /// Nothing matched exactly; these come close, best first.
    Candidates(Vec<(String, String)>),
    /// Nothing comes close: accepted as typed, flagged for staff.
    Unknown,
}

#[derive(Debug, Clone)]
struct Entry {
    id: String,
    name: String,
    /// Normalised names and aliases, longest first.
    keys: Vec<Vec<char>>,
}

/// The compounds a resident can name, prepared for matching.
#[derive(Debug, Clone, Default)]
pub struct Places {
    entries: Vec<Entry>,
}

const SUFFIX: &str = "小区";
const MAX_CANDIDATES: usize = 3;
const MIN_SIMILARITY: f64 = 0.5;

impl Places {
    /// `compounds` are (id, name, aliases).
    pub fn new<'a>(
        compounds: impl IntoIterator<Item = (&'a str, &'a str, &'a [String])>,
    ) -> Places {
        let entries = compounds
            .into_iter()
            .map(|(id, name, aliases)| {
                let mut keys: Vec<Vec<char>> = std::iter::once(name)
                    .chain(aliases.iter().map(String::as_str))
                    .flat_map(|n| {
                        let full = normalize(n).0;
                        let bare = normalize(n.trim().trim_end_matches(SUFFIX)).0;
                        [full, bare]
                    })
                    .filter(|k| k.len() >= 2)
                    .collect();
                keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
                keys.dedup();
                Entry {
                    id: id.to_string(),
                    name: name.to_string(),
                    keys,
                }
            })
            .collect();
        Places { entries }
    }

    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.as_str())
    }

    pub fn find(&self, typed: &str) -> PlaceMatch {
        let (text, origin) = normalize(typed);
        let original: Vec<char> = typed.chars().collect();
        // The longest key found anywhere in the text wins.
        let best = self
            .entries
            .iter()
            .flat_map(|e| e.keys.iter().map(move |k| (e, k)))
            .filter_map(|(e, k)| position(&text, k).map(|at| (e, k.len(), at)))
            .max_by_key(|(_, len, _)| *len);
        if let Some((entry, len, at)) = best {
            let start = origin[at];
            let end = origin.get(at + len).copied().unwrap_or(original.len());
            let before: String = original[..start].iter().collect();
            let after: String = original[end..].iter().collect();
            let rest = format!(
                "{} {}",
                before.trim(),
                after.trim().trim_start_matches(SUFFIX).trim()
            );
            return PlaceMatch::Found {
                id: entry.id.clone(),
                name: entry.name.clone(),
                rest: rest.trim().to_string(),
            };
        }
        let mut scored: Vec<(f64, &Entry)> = self
            .entries
            .iter()
            .map(|e| {
                (
                    e.keys
                        .iter()
                        .map(|k| similarity(&text, k))
                        .fold(0.0, f64::max),
                    e,
                )
            })
            .filter(|(score, _)| *score >= MIN_SIMILARITY)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        if scored.is_empty() {
            return PlaceMatch::Unknown;
        }
        PlaceMatch::Candidates(
            scored
                .into_iter()
                .take(MAX_CANDIDATES)
                .map(|(_, e)| (e.id.clone(), e.name.clone()))
                .collect(),
        )
    }
}

/// Full-width forms (Ａ, ３, ＃) to ASCII, the ideographic space to a space.
/// Shared with the one-message reader (`domain::recognize`).
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// Folds full-width forms to ASCII, lower-cases, and drops whitespace and
/// punctuation. Returns the characters and, for each, its index in the input.
pub fn normalize(s: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::new();
    let mut origin = Vec::new();
    for (i, c) in s.chars().enumerate() {
        let c = fold(c);
        if c.is_whitespace() || matches!(c, '·' | '・' | '-' | '_' | ',' | '.' | '，' | '。' | '、')
        {
            continue;
        }
        for lower in c.to_lowercase() {
            chars.push(lower);
            origin.push(i);
        }
    }
    (chars, origin)
}

fn position(haystack: &[char], needle: &[char]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Dice similarity of character bigrams, of the key against the best-aligned
/// window of the text (the text may hold a building number too).
fn similarity(text: &[char], key: &[char]) -> f64 {
    if text.len() < 2 || key.len() < 2 {
        return 0.0;
    }
    let key_grams: Vec<&[char]> = key.windows(2).collect();
    let width = key.len().min(text.len());
    text.windows(width)
        .map(|window| {
            let grams: Vec<&[char]> = window.windows(2).collect();
            let shared = key_grams.iter().filter(|g| grams.contains(g)).count();
            2.0 * shared as f64 / (key_grams.len() + grams.len()) as f64
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        let sunshine = ["阳光花园".to_string(), "Sunshine Garden".to_string()];
        let none: Vec<String> = vec![];
        let list = [
            ("yangguang", "阳光花园小区", &sunshine[..]),
            ("yanshan", "燕山小区", &none[..]),
        ];
        Places::new(list)
    }

    fn found(m: PlaceMatch) -> (String, String) {
        match m {
            PlaceMatch::Found { id, rest, .. } => (id, rest),
            other => panic!("expected a match, got {other:?}"),
        }
    }

    #[test]
    fn spacing_full_width_and_missing_suffix_still_match() {
        assert_eq!(
            found(places().find("阳光花园小区3号楼2单元")),
            ("yangguang".into(), "3号楼2单元".into())
        );
        assert_eq!(
            found(places().find("阳光 花园 ３号楼")),
            ("yangguang".into(), "３号楼".into())
        );
        assert_eq!(
            found(places().find("燕山 5-2")),
            ("yanshan".into(), "5-2".into())
        );
        assert_eq!(
            found(places().find("SUNSHINE  garden building 3")),
            ("yangguang".into(), "building 3".into())
        );
        assert_eq!(
            found(places().find("燕山小区")),
            ("yanshan".into(), "".into())
        );
    }

    #[test]
    fn a_near_miss_offers_candidates() {
        match places().find("阳光花圆3号楼") {
            PlaceMatch::Candidates(c) => assert_eq!(c[0].0, "yangguang"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unknown_place_is_unknown() {
        assert_eq!(places().find("幸福里 8号"), PlaceMatch::Unknown);
    }
}
