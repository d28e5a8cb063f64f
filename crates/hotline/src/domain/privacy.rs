//! What must never leave the building in a public answer (Open311) or an
//! export (the desk's CSV): a resident's phone number, in any way it was
//! typed, an e-mail address, and the resident's name. One function,
//! [`mask_personal`], used by every such place.

/// What a hidden run is replaced with.
pub const MASK: &str = "***";

/// Fewest digits in a run that counts as a phone number (a local number has 7).
const PHONE_DIGITS: usize = 7;

/// Shortest name that is masked: a one-character name (`伟`) would hide that
/// character everywhere it appears.
const NAME_MIN_CHARS: usize = 2;

/// `text` with phone numbers, e-mail addresses and `names` replaced by
/// [`MASK`]. A phone number is any run of seven or more digits, ASCII or
/// full-width (`１３８…`), with spaces, dashes, dots, slashes, underscores
/// or brackets (half- or full-width) between them; shorter numbers (`3号楼`,
/// `22:00`, `12 floors`) stay. Names match case-insensitively (ASCII).
pub fn mask_personal(text: &str, names: &[&str]) -> String {
    let masked = hide_names(&hide_emails(&hide_phones(text)), names);
    // A masked name or number next to another leaves "******": one is enough.
    let double = format!("{MASK}{MASK}");
    let mut out = masked;
    while out.contains(&double) {
        out = out.replace(&double, MASK);
    }
    out
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '.'
            | '/'
            | '_'
            | '('
            | ')'
            | '\u{3000}'
            | '－'
            | '．'
            | '／'
            | '＿'
            | '（'
            | '）'
            | '‐'
            | '–'
            | '—'
            | '\u{a0}'
    )
}

fn hide_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (mut end, mut digits, mut last_digit) = (i, 0, i);
        while end < chars.len() && (is_digit(chars[end]) || is_separator(chars[end])) {
            if is_digit(chars[end]) {
                digits += 1;
                last_digit = end;
            }
            end += 1;
        }
        if digits >= PHONE_DIGITS {
            out.push_str(MASK);
        } else {
            out.extend(&chars[i..=last_digit]);
        }
        i = last_digit + 1;
    }
    out
}

/// A word with `@` and a dot after it is an address.
fn hide_emails(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_inclusive(char::is_whitespace) {
        let bare = word.trim_end();
        let at = bare.find('@');
        if at.is_some_and(|at| at > 0 && bare[at..].contains('.')) {
            out.push_str(MASK);
            out.push_str(&word[bare.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

fn hide_names(text: &str, names: &[&str]) -> String {
    let mut out = text.to_string();
    for name in names.iter().map(|n| n.trim()) {
        if name.chars().count() < NAME_MIN_CHARS {
            continue;
        }
        let needle = name.to_ascii_lowercase();
        let mut rest = out.as_str();
        let mut next = String::with_capacity(out.len());
        // ASCII lower-casing keeps byte offsets, so a match in the lowered
        // text is a match at the same place in the original.
        while let Some(at) = rest.to_ascii_lowercase().find(&needle) {
            next.push_str(&rest[..at]);
            next.push_str(MASK);
            rest = &rest[at + needle.len()..];
        }
        next.push_str(rest);
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask_personal;

    fn mask(text: &str) -> String {
        mask_personal(text, &[])
    }

    #[test]
    fn phone_numbers_in_every_digit_form_are_hidden() {
        assert_eq!(mask("请打13800138000联系"), "请打***联系");
        assert_eq!(
            mask("call 138 0013 8000 or 0531-8888-1234."),
            "call *** or ***."
        );
        assert_eq!(mask("电话１３８００１３８０００"), "电话***");
        assert_eq!(mask("138.0013.8000 / 138_0013_8000"), "***");
        assert_eq!(mask("tel 138/0013/8000!"), "tel ***!");
        assert_eq!(mask("（0531）88881234"), "（***");
        assert_eq!(mask("+86 138 0013 8000"), "+***");
    }

    #[test]
    fn short_numbers_times_and_buildings_stay() {
        assert_eq!(
            mask("3号楼2单元 since 22:00, 12 floors"),
            "3号楼2单元 since 22:00, 12 floors"
        );
        assert_eq!(mask("５号楼 1-2-301"), "５号楼 1-2-301");
    }

    #[test]
    fn names_and_email_addresses_are_hidden() {
        assert_eq!(
            mask_personal("王小明说 wang.xm@example.cn 会在家", &["王小明"]),
            "***说 *** 会在家"
        );
        assert_eq!(
            mask_personal("ask LI WEI at door", &["Li Wei"]),
            "ask *** at door"
        );
        assert_eq!(mask_personal("伟大的管道", &["伟"]), "伟大的管道");
        assert_eq!(mask_personal("a@b", &[""]), "a@b");
    }
}
