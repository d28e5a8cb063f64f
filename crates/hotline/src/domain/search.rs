//! What an operator typed into the desk's search box, read once: a ticket
//! number, a phone (the last 4 digits, or a whole number however it is
//! written), or words that must each appear in the description, the compound
//! or the address. Pure; the store turns it into one portable query.

use super::report::Ticket;

/// The most words one search matches (each one more `LIKE` per row).
pub const MAX_WORDS: usize = 4;

/// One search, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// An empty box: every report (still filtered by status and dates).
    Everything,
    Ticket(Ticket),
    /// The last 4 digits of a phone.
    PhoneEnd(String),
    /// A whole number: its last 4 digits (the index) and the digits it
    /// must end with once separators are dropped (no country or trunk prefix).
    Phone {
        last4: String,
        national: String,
    },
    /// Lower-cased words, each to be found somewhere in the report.
    Words(Vec<String>),
}

impl SearchTerm {
    pub fn parse(text: &str) -> SearchTerm {
        let text = text.trim();
        if text.is_empty() {
            return SearchTerm::Everything;
        }
        if let Some(ticket) = Ticket::parse(text) {
            return SearchTerm::Ticket(ticket);
        }
        if let Some(phone) = phone(text) {
            return phone;
        }
        let words = text
            .split_whitespace()
            .map(str::to_lowercase)
            .take(MAX_WORDS)
            .collect();
        SearchTerm::Words(words)
    }
}

/// Digits with the separators people type (`+`, spaces, dashes, brackets).
fn phone(text: &str) -> Option<SearchTerm> {
    let separators = |c: char| matches!(c, '+' | ' ' | '-' | '(' | ')' | '（' | '）');
    if !text.chars().all(|c| c.is_ascii_digit() || separators(c)) {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        4 => Some(SearchTerm::PhoneEnd(digits)),
        7..=15 => {
            let national = digits
                .strip_prefix("0086")
                .or_else(|| digits.strip_prefix("86").filter(|d| d.len() >= 10))
                .or_else(|| digits.strip_prefix('0'))
                .unwrap_or(&digits)
                .to_string();
            let last4 = digits[digits.len() - 4..].to_string();
            Some(SearchTerm::Phone { last4, national })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_however_typed() {
        let term = SearchTerm::parse(" jn-260209-0007 ");
        assert_eq!(
            term,
            SearchTerm::Ticket(Ticket::parse("JN-260209-0007").unwrap())
        );
    }

    #[test]
    fn four_digits_are_the_end_of_a_phone() {
        assert_eq!(
            SearchTerm::parse("8000"),
            SearchTerm::PhoneEnd("8000".into())
        );
    }

    #[test]
    fn a_whole_number_loses_its_country_code_and_separators() {
        let expected = SearchTerm::Phone {
            last4: "8000".into(),
            national: "13800138000".into(),
        };
        assert_eq!(SearchTerm::parse("+86 138-0013-8000"), expected);
        assert_eq!(SearchTerm::parse("13800138000"), expected);
        let landline = SearchTerm::parse("0531-8888 1234");
        assert_eq!(
            landline,
            SearchTerm::Phone {
                last4: "1234".into(),
                national: "53188881234".into()
            }
        );
    }

    #[test]
    fn anything_else_is_words() {
        assert_eq!(
            SearchTerm::parse("泉城花园  Rusty water"),
            SearchTerm::Words(vec!["泉城花园".into(), "rusty".into(), "water".into()])
        );
        assert_eq!(SearchTerm::parse("  "), SearchTerm::Everything);
        assert_eq!(
            SearchTerm::parse("12"),
            SearchTerm::Words(vec!["12".into()])
        );
    }
}
