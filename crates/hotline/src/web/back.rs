//! Where the language switch may send a person back to: a desk page of this
//! site, given as a relative path (`/desk…`) with its query. Anything else
//! (another host, `//host`, a backslash, `..`, control characters, the
//! switch itself) falls back to the queue, so the switch is no open
//! redirect.

/// `back` when it is a same-site desk page, else None.
pub fn safe_back(back: &str) -> Option<&str> {
    let path = back.split(['?', '#']).next().unwrap_or_default();
    let desk = path == "/desk" || path.starts_with("/desk/");
    let plain = !back.contains('\\') && !back.chars().any(char::is_control);
    let no_climb = !path.split('/').any(|s| s == ".." || s == ".");
    let not_switch = !path.starts_with("/desk/lang");
    (desk && plain && no_climb && not_switch && back.len() <= 2000).then_some(back)
}

/// Percent-encodes `text` for a query value (RFC 3986 unreserved kept, and
/// `/` for legible links).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_desk_pages_of_this_site_are_returned_to() {
        assert_eq!(safe_back("/desk"), Some("/desk"));
        assert_eq!(safe_back("/desk/search?q=a"), Some("/desk/search?q=a"));
        for bad in [
            "//evil.example/desk",
            "https://evil.example/desk",
            "/\\evil.example",
            "/deskevil",
            "/desk/../x",
            "/desk/lang?to=en",
            "/desk/\nx",
            "",
        ] {
            assert_eq!(safe_back(bad), None, "{bad:?}");
        }
    }
}
