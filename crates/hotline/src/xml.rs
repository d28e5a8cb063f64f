//! The one XML escaper, for everything the bot writes as XML or HTML by hand:
//! TwiML (calls and phone-reply answers), gateway templates sent as XML,
//! Open311's `.xml` answers and the acknowledge page. Safe in text and in
//! attribute values alike.
//!
//! An alert or a resident's words can carry characters that XML 1.0 forbids
//! outright (control characters other than tab, line feed and carriage
//! return, and U+FFFE/U+FFFF): no escape makes them legal, and a parser
//! refuses the whole document (a call that never rings), so they are dropped.

/// `value` with `& < > " '` escaped and characters XML 1.0 cannot carry
/// dropped.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if !allowed(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char` production (a Rust `char` is never a surrogate).
fn allowed(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        '\u{FFFE}' | '\u{FFFF}' => false,
        c => c >= ' ',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_special_characters_are_escaped() {
        assert_eq!(
            escape(r#"a "b" & <c> 'd'"#),
            "a &quot;b&quot; &amp; &lt;c&gt; &apos;d&apos;"
        );
        assert_eq!(escape("&amp;"), "&amp;amp;", "escaping is not undone");
    }

    #[test]
    fn control_characters_xml_forbids_are_dropped() {
        assert_eq!(
            escape("a\u{0}b\u{1}c\u{8}d\u{b}e\u{c}f\u{1b}g\u{1f}h"),
            "abcdefgh"
        );
        assert_eq!(escape("\u{FFFE}x\u{FFFF}"), "x");
    }

    #[test]
    fn tabs_line_breaks_and_other_text_stay() {
        let text = "停水\t3号楼\r\n漏水 💧 \u{7f}\u{85}\u{FFFD}";
        assert_eq!(escape(text), text);
        assert_eq!(escape(""), "");
    }
}
