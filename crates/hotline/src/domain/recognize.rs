//! Understanding a fault written in one message: "燕山小区3号楼停水了",
//! "no water in Yanshan building 3" → outage, 燕山小区, "3号楼".
//!
//! Pure: text in, a reading out, no I/O. A message is recognised only when it
//! names exactly one known compound and exactly one category; anything less
//! sure (no compound, an unknown one, two compounds, two categories, none) is
//! left to the wizard, which asks. Negations ("不是停水") are out of scope:
//! the resident corrects a wrong reading on the summary before confirming.
//!
//! Compounds are found anywhere in the sentence, tolerant of spacing, case,
//! full-width characters and a missing "小区" suffix, by their names and
//! aliases from config (the same list `Places` is built from). The category
//! keyword tables live in `recognize/keywords.rs` (words understood, never
//! shown, so not in `src/texts`). Only the first [`MAX_SCAN_CHARS`]
//! characters are read, so a 4,000-character essay costs no more than a
//! short message; work per character is bounded by the phrases that share
//! its first character.

mod detail;
mod keywords;
mod text;

use serde::{Deserialize, Serialize};

use super::{Category, CompoundRef};
use text::{Dictionary, SEPARATOR};

/// Characters of a message that are read; the rest is kept in the
/// description but not scanned.
pub const MAX_SCAN_CHARS: usize = 500;

const SUFFIX: &str = "小区";

/// A fault recognised in one message, ready for a summary to confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recognized {
    pub category: Category,
    /// Always `CompoundRef::Matched`.
    pub compound: CompoundRef,
    /// Building, unit, flat as typed ("3号楼2单元", "building 3"); may be empty.
    pub detail: String,
    /// The resident's whole message, trimmed (not clipped: the caller applies
    /// its description limit).
    pub description: String,
}

/// Everything found in a message, sure or not: for logs, and for a caller
/// that wants the compound even when the category is missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reading {
    /// Distinct categories named, in order of first mention.
    pub categories: Vec<Category>,
    /// Distinct known compounds named (all `Matched`), in order of mention.
    pub compounds: Vec<CompoundRef>,
    pub detail: String,
    /// The message was longer than [`MAX_SCAN_CHARS`]; only its start was read.
    pub truncated: bool,
}

impl Reading {
    /// Exactly one category and one compound, or nothing.
    pub fn sure(&self) -> Option<(Category, &CompoundRef)> {
        match (&self.categories[..], &self.compounds[..]) {
            ([category], [compound]) => Some((*category, compound)),
            _ => None,
        }
    }
}

/// The compounds and keywords, prepared once (from config) for many messages.
#[derive(Debug, Clone)]
pub struct Recognizer {
    compounds: Vec<(String, String)>,
    names: Dictionary<usize>,
    keywords: Dictionary<Category>,
}

impl Recognizer {
    /// `compounds` are (id, name, aliases), as for `Places::new`.
    pub fn new<'a>(
        compounds: impl IntoIterator<Item = (&'a str, &'a str, &'a [String])>,
    ) -> Recognizer {
        let mut list = Vec::new();
        let mut phrases = Vec::new();
        for (index, (id, name, aliases)) in compounds.into_iter().enumerate() {
            list.push((id.to_string(), name.to_string()));
            for n in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
                phrases.extend(name_keys(n).into_iter().map(|k| (k, index)));
            }
        }
        let keywords = keywords::KEYWORDS.iter().flat_map(|(category, words)| {
            words.iter().map(|w| (text::normalize_str(w), *category))
        });
        Recognizer {
            compounds: list,
            names: Dictionary::new(phrases, true),
            keywords: Dictionary::new(keywords, false),
        }
    }

    /// The fault in `message`, when it names one known compound and one
    /// category; None sends the resident to the wizard.
    pub fn recognize(&self, message: &str) -> Option<Recognized> {
        let reading = self.read(message);
        let (category, compound) = reading.sure()?;
        Some(Recognized {
            category,
            compound: compound.clone(),
            detail: reading.detail.clone(),
            description: message.trim().to_string(),
        })
    }

    /// Everything `message` names, for `recognize` and for diagnostics.
    pub fn read(&self, message: &str) -> Reading {
        let message = message.trim();
        let mut folded: Vec<char> = message
            .chars()
            .take(MAX_SCAN_CHARS + 1)
            .map(text::fold)
            .collect();
        let truncated = folded.len() > MAX_SCAN_CHARS;
        folded.truncate(MAX_SCAN_CHARS);
        let mut norm = text::normalize(&folded);

        let mut compounds: Vec<CompoundRef> = Vec::new();
        let suffix: Vec<char> = SUFFIX.chars().collect();
        for (at, mut len, index) in self.names.scan(&norm.chars) {
            let (id, name) = &self.compounds[index];
            let found = CompoundRef::Matched {
                id: id.clone(),
                name: name.clone(),
            };
            if !compounds.contains(&found) {
                compounds.push(found);
            }
            // Blank the name (and a "小区" after it) so "清水小区" is not a
            // pressure complaint ("水小") and "经十路1号院" not a building.
            if norm.chars[at + len..].starts_with(&suffix) {
                len += suffix.len();
            }
            folded[norm.origin[at]..=norm.origin[at + len - 1]].fill(SEPARATOR);
            norm.chars[at..at + len].fill(SEPARATOR);
        }

        let mut categories = Vec::new();
        for (_, _, category) in self.keywords.scan(&norm.chars) {
            if !categories.contains(&category) {
                categories.push(category);
            }
        }
        Reading {
            categories,
            compounds,
            detail: detail::find(&folded),
            truncated,
        }
    }
}

/// The forms a compound is named by: as written, without "小区", and for
/// English names also without spaces ("SunshineGarden").
fn name_keys(name: &str) -> Vec<Vec<char>> {
    let bare = name.trim().trim_end_matches(SUFFIX);
    let mut keys = vec![text::normalize_str(name), text::normalize_str(bare)];
    for key in keys.clone() {
        if key.contains(&' ') {
            keys.push(key.into_iter().filter(|c| *c != ' ').collect());
        }
    }
    keys.retain(|k| k.len() >= 2);
    keys
}

#[cfg(test)]
mod tests;
