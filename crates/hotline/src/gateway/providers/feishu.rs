//! Feishu/Lark (飞书) custom bot: a text to the group on the webhook, with
//! the "签名校验" security setting a `timestamp` (s) and `sign` =
//! Base64(HMAC-SHA256(key = "timestamp\nsecret", message = "")) in the body.
//! 100 messages a minute and 5 a second per bot; over it Feishu answers
//! code 9499 (too many requests) and the message is retried later. A
//! person with `feishu_open_id` set is @-mentioned (`<at user_id="ou_…">`,
//! Feishu's text-message mention; their phone rings); without it the text
//! names them.

use base64::Engine as _;
use serde_json::{Value, json};

use super::robot::Mention;
use super::{refused, throttled};
use crate::gateway::GatewayError;

pub const PER_MINUTE: u32 = 100;

pub fn sign(timestamp_s: i64, secret: &str) -> String {
    let key = format!("{timestamp_s}\n{secret}");
    let mac = crate::secret::hmac_sha256(key.as_bytes(), b"");
    base64::engine::general_purpose::STANDARD.encode(mac)
}

/// `text` followed by a mention of everyone in `to`: `<at user_id="…">name</at>`
/// for those with an open_id (or user_id), the plain name for the others.
pub fn with_mentions(text: &str, to: &[Mention<'_>]) -> String {
    if to.is_empty() {
        return text.to_owned();
    }
    let named: Vec<String> = to
        .iter()
        .map(|m| match m.feishu_id {
            Some(id) => format!("<at user_id=\"{}\">{}</at>", escape(id), escape(m.name)),
            None => format!("@{}", m.name),
        })
        .collect();
    format!("{text}\n{}", named.join(" "))
}

/// Feishu reads `<at>` tags in the text: a name or id must not open one.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn body(text: &str, signed: Option<(i64, String)>) -> Value {
    let mut body = json!({"msg_type": "text", "content": {"text": text}});
    if let Some((timestamp, sign)) = signed {
        body["timestamp"] = json!(timestamp.to_string());
        body["sign"] = json!(sign);
    }
    body
}

pub fn outcome(body: &str) -> Result<Option<String>, GatewayError> {
    let json: Value = serde_json::from_str(body).map_err(|_| refused(body))?;
    let code = json["code"].as_i64().or(json["StatusCode"].as_i64());
    match code {
        Some(0) => Ok(None),
        Some(9499) | Some(11232) => Err(throttled(body)),
        _ => Err(refused(body)),
    }
}

/// The test server's answer: checks the body's `timestamp` and `sign`.
pub fn fake_answer(body: &str, secret: &str) -> Value {
    let json: Value = serde_json::from_str(body).unwrap_or_default();
    let ts = json["timestamp"]
        .as_str()
        .and_then(|t| t.parse::<i64>().ok());
    match ts.is_some_and(|t| json["sign"] == sign(t, secret).as_str()) {
        true => json!({"code": 0, "msg": "success", "data": {}}),
        false => {
            json!({"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_is_hmac_sha256_keyed_by_timestamp_and_secret_over_nothing() {
        // Feishu's "自定义机器人使用指南" describes the algorithm (the string
        // "timestamp\nsecret" is the HMAC-SHA256 *key*, the message is
        // empty, the digest Base64) and prints sample code (Python, Go,
        // Java) but no fixed vector. These were computed independently
        // with Python's hmac/hashlib/base64 from the doc's Python sample.
        assert_eq!(
            sign(1599360473, "test"),
            "NVcdmaRhTlOqmXksontxmKEP4AYWAMD5VOczwSqarks="
        );
        assert_eq!(
            sign(1577808000, "SEC000000"),
            "0kTIAGIFU1UDYrAmBUURHNrZc46FeNYLxoHlBo6XjZU="
        );
        assert!(outcome(r#"{"code":9499}"#).unwrap_err().is_retryable());
        assert!(outcome(r#"{"code":0}"#).is_ok());
    }

    #[test]
    fn a_person_with_an_open_id_is_mentioned_and_one_without_is_named() {
        let to = [
            Mention {
                name: "王科长",
                mobile: Some("+8613900000011"),
                feishu_id: Some("ou_7d8a6e6df7621556ce0d21922b676706ccs"),
            },
            Mention {
                name: "李主任",
                mobile: None,
                feishu_id: None,
            },
        ];
        assert_eq!(
            with_mentions("升级 #1", &to),
            "升级 #1\n<at user_id=\"ou_7d8a6e6df7621556ce0d21922b676706ccs\">王科长</at> @李主任"
        );
        assert_eq!(with_mentions("升级 #1", &[]), "升级 #1");
    }
}
