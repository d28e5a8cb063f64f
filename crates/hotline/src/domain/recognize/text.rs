//! Preparing a message for scanning, and a dictionary that finds the longest
//! known phrase at a position.
//!
//! Messages and dictionary phrases go through the same [`normalize`], so a
//! phrase matches whatever spacing, width or case the resident used. Width
//! is folded as compound matching folds it (`places::fold`); the rest differs
//! on purpose: here word boundaries survive as [`SEPARATOR`], because a
//! keyword must not be found across a sentence break.

use std::collections::HashMap;

/// Marks a place no phrase may cross: sentence punctuation, emoji, control
/// characters, and text already claimed by a compound name.
pub const SEPARATOR: char = '|';

/// Joins a word without breaking it ("山大·新村", "Shanda-Xincun").
fn is_joiner(c: char) -> bool {
    matches!(c, '·' | '・' | '-' | '_' | '\'' | '’')
}

pub use crate::domain::places::fold;

/// The normalised text and, for each of its characters, the index of the
/// (folded) input character it came from.
pub struct Normalized {
    pub chars: Vec<char>,
    pub origin: Vec<usize>,
}

/// Lower-cases and drops joiners; keeps a single space only between two
/// ASCII letters or digits ("no  water" → "no water", "阳光 花园" → "阳光花园");
/// turns anything else that is not a letter, digit or `#` into [`SEPARATOR`].
pub fn normalize(folded: &[char]) -> Normalized {
    let mut chars: Vec<char> = Vec::with_capacity(folded.len());
    let mut origin = Vec::with_capacity(folded.len());
    let mut pending_space = false;
    for (i, &c) in folded.iter().enumerate() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if is_joiner(c) {
            continue;
        }
        let word_char = c.is_alphanumeric() || c == '#';
        if pending_space
            && c.is_ascii_alphanumeric()
            && chars.last().is_some_and(|p| p.is_ascii_alphanumeric())
        {
            chars.push(' ');
            origin.push(i);
        }
        pending_space = false;
        if word_char {
            for lower in c.to_lowercase() {
                chars.push(lower);
                origin.push(i);
            }
        } else if chars.last() != Some(&SEPARATOR) {
            chars.push(SEPARATOR);
            origin.push(i);
        }
    }
    Normalized { chars, origin }
}

/// Normalises a dictionary phrase (a compound name, a keyword).
pub fn normalize_str(s: &str) -> Vec<char> {
    let folded: Vec<char> = s.trim().chars().map(fold).collect();
    normalize(&folded).chars
}

/// Phrases indexed by their first character; the longest phrase wins.
///
/// A phrase starting with an ASCII letter or digit must start a word
/// ("meter" is not found in "kilometer"). With `whole_words`, a phrase ending
/// in an ASCII letter must also end one ("Yanshan" is not found in
/// "Yanshanlu"); without it, endings are free ("leak" finds "leaking").
#[derive(Debug, Clone)]
pub struct Dictionary<T> {
    by_first: HashMap<char, Vec<(Vec<char>, T)>>,
    whole_words: bool,
}

impl<T: Copy> Dictionary<T> {
    pub fn new(phrases: impl IntoIterator<Item = (Vec<char>, T)>, whole_words: bool) -> Self {
        let mut by_first: HashMap<char, Vec<(Vec<char>, T)>> = HashMap::new();
        for (phrase, value) in phrases {
            let Some(&first) = phrase.first() else {
                continue;
            };
            if phrase.contains(&SEPARATOR) {
                continue;
            }
            let bucket = by_first.entry(first).or_default();
            if !bucket.iter().any(|(p, _)| *p == phrase) {
                bucket.push((phrase, value));
            }
        }
        for bucket in by_first.values_mut() {
            bucket.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        }
        Dictionary {
            by_first,
            whole_words,
        }
    }

    /// The longest phrase starting at `at`: its length and value.
    pub fn longest_at(&self, text: &[char], at: usize) -> Option<(usize, T)> {
        let bucket = self.by_first.get(text.get(at)?)?;
        if text[at].is_ascii_alphanumeric() && at > 0 && text[at - 1].is_ascii_alphanumeric() {
            return None;
        }
        bucket
            .iter()
            .find(|(p, _)| text[at..].starts_with(p) && self.ends_well(text, p, at + p.len()))
            .map(|(p, value)| (p.len(), *value))
    }

    /// Every match, left to right, none overlapping: (start, length, value).
    pub fn scan(&self, text: &[char]) -> Vec<(usize, usize, T)> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            match self.longest_at(text, at) {
                Some((len, value)) => {
                    found.push((at, len, value));
                    at += len;
                }
                None => at += 1,
            }
        }
        found
    }

    fn ends_well(&self, text: &[char], phrase: &[char], end: usize) -> bool {
        let ends_in_letter = phrase.last().is_some_and(|c| c.is_ascii_alphabetic());
        !(self.whole_words
            && ends_in_letter
            && text.get(end).is_some_and(|c| c.is_ascii_alphabetic()))
    }
}
