//! The generic gateway's templates as the config check and the gateway both
//! read them: `{name}` placeholders among literal text. Rendering (with
//! escaping per content type) is `crate::gateway::template`.

/// The placeholders a template may use; anything else in braces that looks
/// like a name is a typo the config check reports.
pub const PLACEHOLDERS: [&str; 4] = ["phone", "text", "escalation", "channel"];

/// One piece of a template.
pub enum Piece<'a> {
    Literal(&'a str),
    /// `{name}` where name is lowercase letters and '_'.
    Name(&'a str),
}

/// Splits a template; JSON braces such as `{"to": ...}` stay literal because
/// only a brace pair around a bare lowercase name counts as a placeholder.
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            out.push(Piece::Literal(&rest[..open]));
            out.push(Piece::Name(&after[..name_len]));
            rest = &after[name_len + 1..];
        } else {
            out.push(Piece::Literal(&rest[..=open]));
            rest = after;
        }
    }
    out.push(Piece::Literal(rest));
    out
}

/// The first `{name}` that is not a known placeholder, for the config check.
pub fn unknown_placeholder(template: &str) -> Option<&str> {
    pieces(template).into_iter().find_map(|p| match p {
        Piece::Name(name) if !PLACEHOLDERS.contains(&name) => Some(name),
        _ => None,
    })
}

/// Whether `{name}` occurs in the template.
pub fn uses(template: &str, wanted: &str) -> bool {
    pieces(template)
        .iter()
        .any(|p| matches!(p, Piece::Name(name) if *name == wanted))
}
