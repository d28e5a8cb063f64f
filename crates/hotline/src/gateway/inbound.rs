//! Replies from managers' phones: an SMS "1" (acknowledge) or "2" (resolve),
//! or the same key pressed during a call. This file reads and authenticates
//! the provider's request (Twilio's `X-Twilio-Signature`, or the generic
//! provider's shared secret and field names); what a reply does to an
//! escalation is `escalation::phone_reply`, and the route is in
//! `http/phone_replies.rs`.

use std::collections::BTreeMap;

use base64::Engine as _;

use super::normalize_phone;
pub use crate::config::PhoneRepliesConfig;
use crate::domain::EscalationId;
use crate::secret;

/// The header Twilio signs its requests in.
pub const TWILIO_SIGNATURE: &str = "x-twilio-signature";

/// What a reply asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyAction {
    Acknowledge,
    Resolve,
}

/// The code that ends a page, "1" or "2", optionally followed by the
/// escalation's number ("1 42"); anything else is not a reply.
pub fn parse_code(text: &str) -> Option<(ReplyAction, Option<EscalationId>)> {
    let mut words = text.split_whitespace();
    let action = match words.next()? {
        "1" => ReplyAction::Acknowledge,
        "2" => ReplyAction::Resolve,
        _ => return None,
    };
    let escalation = match words.next() {
        None => None,
        Some(word) => Some(word.trim_start_matches('#').parse().ok()?),
    };
    words.next().is_none().then_some((action, escalation))
}

/// How inbound requests prove they come from the provider.
#[derive(Clone)]
pub enum Verifier {
    /// Twilio: HMAC-SHA1 of the URL and sorted form fields, with the auth token.
    Twilio { token: String },
    /// The generic provider: a shared secret in a header.
    Secret { header: String, secret: String },
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verifier::Twilio { .. } => f.write_str("Verifier::Twilio(***)"),
            Verifier::Secret { header, .. } => write!(f, "Verifier::Secret({header}: ***)"),
        }
    }
}

/// A request that passed authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// The manager's number, normalised: the sender of an SMS, the callee of
    /// a call that gathered a key.
    pub phone: String,
    /// The SMS text or the key pressed.
    pub text: String,
    /// Unique per message (per call and key): a replay repeats it.
    pub provider_id: String,
    /// The escalation named in the request's query (calls carry it).
    pub escalation: Option<EscalationId>,
}

/// Why a request was refused; nothing it asked for happens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("bad or missing signature")]
    Forged,
    #[error("missing field `{0}`")]
    Missing(String),
}

/// Whether the request is a call's gathered key or an SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Voice,
}

impl Verifier {
    /// Authenticates and reads one request. `url` is the full URL the
    /// provider called (public base, path and query), as Twilio signs it.
    pub fn read(
        &self,
        cfg: &PhoneRepliesConfig,
        channel: Channel,
        url: &str,
        header: impl Fn(&str) -> Option<String>,
        body: &[u8],
    ) -> Result<Inbound, Refused> {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let escalation = form(query.as_bytes())
            .get("escalation")
            .and_then(|v| v.parse().ok());
        match self {
            Verifier::Twilio { token } => {
                let fields = form(body);
                let given = header(TWILIO_SIGNATURE).unwrap_or_default();
                if !secret::same(&twilio_signature(token, url, &fields), &given) {
                    return Err(Refused::Forged);
                }
                let field = |name: &str| {
                    fields
                        .get(name)
                        .cloned()
                        .ok_or_else(|| Refused::Missing(name.to_owned()))
                };
                let (phone, text, provider_id) = match channel {
                    Channel::Sms => (field("From")?, field("Body")?, field("MessageSid")?),
                    Channel::Voice => {
                        let digits = field("Digits")?;
                        let id = format!("{}:{digits}", field("CallSid")?);
                        (field("To")?, digits, id)
                    }
                };
                Ok(Inbound {
                    phone: normalize_phone(&phone),
                    text,
                    provider_id,
                    escalation,
                })
            }
            Verifier::Secret {
                header: name,
                secret,
            } => {
                let given = header(name).unwrap_or_default();
                if !secret::same(secret, &given) {
                    return Err(Refused::Forged);
                }
                let fields = match serde_json::from_slice::<serde_json::Value>(body) {
                    Ok(serde_json::Value::Object(map)) => map
                        .into_iter()
                        .map(|(k, v)| match v {
                            serde_json::Value::String(s) => (k, s),
                            other => (k, other.to_string()),
                        })
                        .collect(),
                    _ => form(body),
                };
                let field = |name: &String| {
                    fields
                        .get(name)
                        .cloned()
                        .ok_or_else(|| Refused::Missing(name.clone()))
                };
                Ok(Inbound {
                    phone: normalize_phone(&field(&cfg.from_field)?),
                    text: field(&cfg.text_field)?,
                    provider_id: format!("{}:{}", channel_code(channel), field(&cfg.id_field)?),
                    escalation,
                })
            }
        }
    }
}

fn channel_code(channel: Channel) -> &'static str {
    match channel {
        Channel::Sms => "sms",
        Channel::Voice => "voice",
    }
}

fn form(body: &[u8]) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// Twilio's request signature: base64 of HMAC-SHA1, keyed with the auth
/// token, over the URL followed by each form field's name and value in
/// name order.
pub fn twilio_signature(token: &str, url: &str, fields: &BTreeMap<String, String>) -> String {
    let mut data = url.to_owned();
    for (name, value) in fields {
        data.push_str(name);
        data.push_str(value);
    }
    let tag = secret::hmac_sha1(token.as_bytes(), data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> PhoneRepliesConfig {
        crate::config::Config::default().phone_replies
    }

    #[test]
    fn codes_are_one_or_two_with_an_optional_escalation() {
        assert_eq!(parse_code(" 1 "), Some((ReplyAction::Acknowledge, None)));
        assert_eq!(
            parse_code("2 #42"),
            Some((ReplyAction::Resolve, Some(EscalationId(42))))
        );
        assert_eq!(parse_code("12"), None);
        assert_eq!(parse_code("1 x"), None);
        assert_eq!(parse_code("ok"), None);
    }

    #[test]
    fn twilio_signature_matches_twilios_documented_example() {
        // https://www.twilio.com/docs/usage/security#validating-requests
        let fields: BTreeMap<String, String> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(
            twilio_signature("12345", url, &fields),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
    }

    #[test]
    fn a_twilio_sms_with_a_bad_signature_is_refused() {
        let v = Verifier::Twilio {
            token: "tok".into(),
        };
        let body = b"From=%2B8613900000011&Body=1&MessageSid=SM1";
        let url = "https://bot.example/phone/sms";
        let forged = v.read(&cfg(), Channel::Sms, url, |_| Some("AAAA".into()), body);
        assert_eq!(forged, Err(Refused::Forged));
        let fields = form(body);
        let good = twilio_signature("tok", url, &fields);
        let read = v
            .read(&cfg(), Channel::Sms, url, |_| Some(good.clone()), body)
            .unwrap();
        assert_eq!(
            (
                read.phone.as_str(),
                read.text.as_str(),
                read.provider_id.as_str()
            ),
            ("+8613900000011", "1", "SM1")
        );
    }

    #[test]
    fn the_generic_provider_reads_its_configured_fields_with_its_secret() {
        let v = Verifier::Secret {
            header: "X-Hotline-Secret".into(),
            secret: "s3".into(),
        };
        let body = br#"{"from": "+86 139 0000 0011", "text": "2", "id": 77}"#;
        let url = "https://bot.example/phone/sms";
        let read = v
            .read(&cfg(), Channel::Sms, url, |_| Some("s3".into()), body)
            .unwrap();
        assert_eq!(read.phone, "+8613900000011");
        assert_eq!(read.provider_id, "sms:77");
        let wrong = v.read(&cfg(), Channel::Sms, url, |_| Some("s4".into()), body);
        assert_eq!(wrong, Err(Refused::Forged));
    }
}
