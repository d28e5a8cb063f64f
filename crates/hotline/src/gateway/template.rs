//! The body (and URL) template of the generic HTTP gateway: `{phone}`,
//! `{text}`, `{escalation}` and `{channel}` (`sms` or `voice`) are replaced, each escaped for where it lands,
//! so an alert with quotes or newlines cannot break the provider's JSON or
//! smuggle extra form fields.

use crate::domain::EscalationId;
use crate::domain::template::{Piece, pieces};

/// How a substituted value is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// Inside a JSON string literal: the template supplies the quotes.
    Json,
    /// `application/x-www-form-urlencoded` (space as `+`).
    Form,
    /// Inside XML text or an attribute.
    Xml,
    /// A URL path segment or query value (space as `%20`).
    Url,
    /// Inserted as is (text/plain and unknown types).
    Raw,
}

impl Escape {
    /// Chooses by media type, ignoring parameters such as `charset`.
    pub(crate) fn for_content_type(content_type: &str) -> Escape {
        let media = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if media == "application/x-www-form-urlencoded" {
            Escape::Form
        } else if media.ends_with("/json") || media.ends_with("+json") {
            Escape::Json
        } else if media.ends_with("/xml") || media.ends_with("+xml") {
            Escape::Xml
        } else {
            Escape::Raw
        }
    }

    pub(crate) fn apply(self, value: &str) -> String {
        match self {
            Escape::Json => {
                let quoted = serde_json::Value::from(value).to_string();
                quoted[1..quoted.len() - 1].to_owned()
            }
            Escape::Form => url::form_urlencoded::byte_serialize(value.as_bytes()).collect(),
            // byte_serialize encodes a literal '+' as %2B, so every '+' left
            // is a space and may safely become %20 (valid in paths too).
            Escape::Url => url::form_urlencoded::byte_serialize(value.as_bytes())
                .collect::<String>()
                .replace('+', "%20"),
            Escape::Xml => crate::xml::escape(value),
            Escape::Raw => value.to_owned(),
        }
    }
}

/// The values of one send.
pub(crate) struct Values<'a> {
    pub phone: &'a str,
    pub text: &'a str,
    pub escalation: EscalationId,
    /// `sms` or `voice`: a person's rule may ask for either.
    pub channel: &'a str,
}

/// Substitutes known placeholders, escaped with `escape`; unknown ones are
/// left as written (the config check has already refused them).
pub(crate) fn render(template: &str, values: &Values<'_>, escape: Escape) -> String {
    let escalation = values.escalation.to_string();
    let mut out = String::with_capacity(template.len() + values.text.len());
    for piece in pieces(template) {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Name("phone") => out.push_str(&escape.apply(values.phone)),
            Piece::Name("text") => out.push_str(&escape.apply(values.text)),
            Piece::Name("escalation") => out.push_str(&escalation),
            Piece::Name("channel") => out.push_str(values.channel),
            Piece::Name(other) => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
    }
    out
}
