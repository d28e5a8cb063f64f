//! What Open311 must never show: a resident's phone number, even one they
//! typed into their description.

/// Residents sometimes type their number into the description: any run of
/// seven or more digits (spaces and dashes between them allowed) is hidden.
pub(super) fn hide_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (mut end, mut digits, mut last_digit) = (i, 0, i);
        while end < chars.len() && (chars[end].is_ascii_digit() || matches!(chars[end], ' ' | '-'))
        {
            if chars[end].is_ascii_digit() {
                digits += 1;
                last_digit = end;
            }
            end += 1;
        }
        let run: String = chars[i..=last_digit].iter().collect();
        out.push_str(if digits >= 7 { "***" } else { &run });
        i = last_digit + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hide_phones;

    #[test]
    fn phone_numbers_in_descriptions_are_hidden_and_short_numbers_kept() {
        assert_eq!(hide_phones("请打13800138000联系"), "请打***联系");
        assert_eq!(
            hide_phones("call 138 0013 8000 or 0531-8888-1234."),
            "call *** or ***."
        );
        assert_eq!(
            hide_phones("3号楼2单元 since 22:00, 12 floors"),
            "3号楼2单元 since 22:00, 12 floors"
        );
    }
}
