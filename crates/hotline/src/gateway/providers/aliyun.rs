//! Alibaba Cloud SMS (`SendSms`, dysmsapi) and voice notification
//! (`SingleCallByTts`, dyvmsapi): RPC-style requests signed with HMAC-SHA1
//! over the canonicalised parameters ("signature version 1.0").
//! The alert goes into the template's parameters `id` (escalation) and `text`;
//! the SMS template and TTS template must have been approved with them.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{percent_encode, refused, throttled};
use crate::domain::EscalationId;
use crate::gateway::GatewayError;

pub const SMS_ENDPOINT: &str = "https://dysmsapi.aliyuncs.com/";
pub const VOICE_ENDPOINT: &str = "https://dyvmsapi.aliyuncs.com/";

/// The string to sign: `METHOD&%2F&` + the encoded, sorted, encoded query.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let query = sorted
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{method}&{}&{}",
        percent_encode("/"),
        percent_encode(&query)
    )
}

/// Base64(HMAC-SHA1(secret + "&", string to sign)).
pub fn signature(method: &str, params: &[(String, String)], secret: &str) -> String {
    let key = format!("{secret}&");
    let mac = crate::secret::hmac_sha1(key.as_bytes(), string_to_sign(method, params).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac)
}

/// What differs between a text and a call.
pub struct Send<'a> {
    pub voice: bool,
    pub phone: &'a str,
    pub template: &'a str,
    /// SMS: the signature name (签名); voice: the number shown (被叫显号).
    pub sign_name_or_show_number: &'a str,
    pub template_param: String,
}

/// The signed form parameters of one request (POST, form-encoded).
pub fn signed_params(
    key_id: &str,
    secret: &str,
    send: &Send<'_>,
    nonce: &str,
    now: DateTime<Utc>,
) -> Vec<(String, String)> {
    let phone = send.phone.trim_start_matches('+');
    // Mainland numbers without the country code, as the API expects them.
    let phone = phone
        .strip_prefix("86")
        .filter(|p| p.len() == 11)
        .unwrap_or(phone);
    let mut p: Vec<(String, String)> = vec![
        ("AccessKeyId", key_id),
        ("Format", "JSON"),
        ("RegionId", "cn-hangzhou"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", nonce),
        ("SignatureVersion", "1.0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let timestamp = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    p.push(("Timestamp".into(), timestamp));
    let specific: [(&str, &str); 5] = if send.voice {
        [
            ("Action", "SingleCallByTts"),
            ("Version", "2017-05-25"),
            ("CalledNumber", phone),
            ("CalledShowNumber", send.sign_name_or_show_number),
            ("TtsCode", send.template),
        ]
    } else {
        [
            ("Action", "SendSms"),
            ("Version", "2017-05-25"),
            ("PhoneNumbers", phone),
            ("SignName", send.sign_name_or_show_number),
            ("TemplateCode", send.template),
        ]
    };
    p.extend(specific.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let param_key = if send.voice {
        "TtsParam"
    } else {
        "TemplateParam"
    };
    p.push((param_key.into(), send.template_param.clone()));
    let sig = signature("POST", &p, secret);
    p.push(("Signature".into(), sig));
    p
}

/// The template parameters: the escalation number and the alert text.
pub fn template_param(escalation_id: EscalationId, text: &str) -> String {
    json!({"id": escalation_id.to_string(), "text": text}).to_string()
}

/// Reads Alibaba's answer: `Code` "OK" is accepted (its `BizId` or `CallId`
/// is the provider id); flow control and throttling codes are retried later.
pub fn outcome(body: &str) -> Result<Option<String>, GatewayError> {
    let json: Value = serde_json::from_str(body).map_err(|_| refused(body))?;
    let code = json["Code"].as_str().unwrap_or("");
    if code == "OK" {
        let id = json["BizId"].as_str().or(json["CallId"].as_str());
        return Ok(id.map(str::to_owned));
    }
    if code.contains("LIMIT_CONTROL") || code.starts_with("Throttling") {
        return Err(throttled(body));
    }
    Err(refused(body))
}

/// The test server's answer to `form`: it recomputes the signature with
/// `secret` and answers as Alibaba does (a bad one is 400
/// `SignatureDoesNotMatch`; `throttle` answers flow control, 200).
pub fn fake_answer(form: &[(String, String)], secret: &str, throttle: bool) -> (u16, Value) {
    let given = form
        .iter()
        .find(|(k, _)| k == "Signature")
        .map(|(_, v)| v.clone());
    let rest: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    if given.as_deref() != Some(signature("POST", &rest, secret).as_str()) {
        let msg = "Specified signature does not match our calculation.";
        return (
            400,
            json!({"Code": "SignatureDoesNotMatch", "Message": msg}),
        );
    }
    if throttle {
        let msg = "触发号码天级流控Permits:10";
        return (
            200,
            json!({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": msg}),
        );
    }
    let voice = form
        .iter()
        .any(|(k, v)| k == "Action" && v == "SingleCallByTts");
    match voice {
        true => (
            200,
            json!({"Code": "OK", "Message": "OK", "CallId": "116012354148^10281378"}),
        ),
        false => (
            200,
            json!({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"}),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of Alibaba Cloud SMS's "HTTP protocol and signature" page:
    /// AccessKeyId `testId`, secret `testSecret`.
    fn documented() -> Vec<(String, String)> {
        [
            ("AccessKeyId", "testId"),
            ("Action", "SendSms"),
            ("Format", "XML"),
            ("OutId", "123"),
            ("PhoneNumbers", "15300000001"),
            ("RegionId", "cn-hangzhou"),
            ("SignName", "阿里云短信测试专用"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", "SMS_71390007"),
            ("TemplateParam", "{\"customer\":\"test\"}"),
            ("Timestamp", "2017-07-12T02:42:19Z"),
            ("Version", "2017-05-25"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn the_rpc_signature_matches_the_documented_sms_example() {
        let p = documented();
        assert!(string_to_sign("GET", &p).starts_with(
            "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123"
        ));
        assert_eq!(
            signature("GET", &p, "testSecret"),
            "zJDF+Lrzhj/ThnlvIToysFRq6t4="
        );
    }

    #[test]
    fn percent_encoding_is_rfc_3986() {
        assert_eq!(percent_encode("a b*c~"), "a%20b%2Ac~");
        assert_eq!(percent_encode("阿"), "%E9%98%BF");
    }

    #[test]
    fn answers_are_read_as_alibaba_means_them() {
        assert_eq!(
            outcome(r#"{"Code":"OK","BizId":"9^0"}"#).unwrap(),
            Some("9^0".to_owned())
        );
        let limited = outcome(r#"{"Code":"isv.BUSINESS_LIMIT_CONTROL"}"#).unwrap_err();
        assert!(limited.is_retryable());
        let bad = outcome(r#"{"Code":"isv.MOBILE_NUMBER_ILLEGAL"}"#).unwrap_err();
        assert!(!bad.is_retryable());
    }

    #[test]
    fn the_fake_accepts_our_signature_and_refuses_a_forged_one() {
        let send = Send {
            voice: false,
            phone: "+8613900000011",
            template: "SMS_1",
            sign_name_or_show_number: "济南水务",
            template_param: template_param(EscalationId(1), "停水"),
        };
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut form = signed_params("id", "secret", &send, "n1", now);
        assert!(form.contains(&("PhoneNumbers".into(), "13900000011".into())));
        assert_eq!(fake_answer(&form, "secret", false).0, 200);
        form[0].1 = "other".into();
        assert_eq!(fake_answer(&form, "secret", false).0, 400);
    }
}
