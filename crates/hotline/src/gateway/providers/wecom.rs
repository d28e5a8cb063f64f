//! WeCom (企业微信) group robot: a text message to the managers' group that
//! @-mentions the person on call by mobile number, so their phone rings with
//! WeCom's mention sound. The webhook key comes from the environment.
//! The robot takes at most 20 messages a minute (WeCom's documented limit);
//! over it WeCom answers errcode 45009, which is retried later.

use serde_json::{Value, json};

use super::{refused, throttled};
use crate::gateway::GatewayError;

pub const ENDPOINT: &str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
/// WeCom's limit per robot.
pub const PER_MINUTE: u32 = 20;

/// The JSON of one message; everyone in `mobiles` is @-mentioned.
pub fn body(text: &str, mobiles: &[&str]) -> Value {
    let mentioned = mobiles;
    json!({
        "msgtype": "text",
        "text": {"content": text, "mentioned_mobile_list": mentioned},
    })
}

/// `errcode` 0 is accepted; 45009 (over the limit) is retried later.
pub fn outcome(body: &str) -> Result<Option<String>, GatewayError> {
    let json: Value = serde_json::from_str(body).map_err(|_| refused(body))?;
    match json["errcode"].as_i64() {
        Some(0) => Ok(None),
        Some(45009) => Err(throttled(body)),
        _ => Err(refused(body)),
    }
}

/// The test server's answer: the key must be `key`; `throttle` answers 45009.
pub fn fake_answer(query_key: Option<&str>, key: &str, body: &str, throttle: bool) -> Value {
    if query_key != Some(key) {
        return json!({"errcode": 93000, "errmsg": "invalid webhook url"});
    }
    let valid = serde_json::from_str::<Value>(body)
        .is_ok_and(|b| b["msgtype"] == "text" && b["text"]["content"].is_string());
    if !valid {
        return json!({"errcode": 40008, "errmsg": "invalid message type"});
    }
    if throttle {
        return json!({"errcode": 45009, "errmsg": "api freq out of limit"});
    }
    json!({"errcode": 0, "errmsg": "ok"})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_mentions_the_person_by_mobile() {
        let b = body("升级 #1", &["13900000011"]);
        assert_eq!(b["text"]["mentioned_mobile_list"][0], "13900000011");
        assert_eq!(b["msgtype"], "text");
    }

    #[test]
    fn answers_are_read_as_wecom_means_them() {
        assert!(outcome(r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert!(outcome(r#"{"errcode":45009}"#).unwrap_err().is_retryable());
        assert!(!outcome(r#"{"errcode":93000}"#).unwrap_err().is_retryable());
    }
}
