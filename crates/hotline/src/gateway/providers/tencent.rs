//! Tencent Cloud SMS (`SendSms`, API 2021-01-11), signed with
//! TC3-HMAC-SHA256: a canonical request over the method, path, query, the
//! `content-type` and `host` headers and the payload's SHA-256, then a key
//! derived from the secret, the UTC date, the service and `tc3_request`.
//! The alert fills the template's two parameters: escalation number, text.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{refused, throttled};
use crate::domain::EscalationId;
use crate::gateway::GatewayError;
use crate::secret::{hmac_sha256, sha256_hex};

pub const ENDPOINT: &str = "https://sms.tencentcloudapi.com/";
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

fn hmac256(key: &[u8], data: &str) -> [u8; 32] {
    hmac_sha256(key, data.as_bytes())
}

/// Step 1: the canonical request of a POST to `/` with no query.
pub fn canonical_request(host: &str, payload: &str) -> String {
    format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\n\ncontent-type;host\n{}",
        sha256_hex(payload.as_bytes())
    )
}

/// Steps 2–3: the string to sign and the hex signature.
pub fn signature(secret_key: &str, service: &str, timestamp: i64, canonical: &str) -> String {
    let date = DateTime::<Utc>::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
    let scope = format!("{date}/{service}/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let k_date = hmac256(format!("TC3{secret_key}").as_bytes(), &date);
    let k_service = hmac256(&k_date, service);
    let k_signing = hmac256(&k_service, "tc3_request");
    hex::encode(hmac256(&k_signing, &to_sign))
}

/// Step 4: the `Authorization` header.
pub fn authorization(
    secret_id: &str,
    secret_key: &str,
    host: &str,
    timestamp: i64,
    payload: &str,
) -> String {
    let service = host.split('.').next().unwrap_or("sms");
    let date = DateTime::<Utc>::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d");
    let sig = signature(
        secret_key,
        service,
        timestamp,
        &canonical_request(host, payload),
    );
    format!(
        "TC3-HMAC-SHA256 Credential={secret_id}/{date}/{service}/tc3_request, \
         SignedHeaders=content-type;host, Signature={sig}"
    )
}

/// The JSON body of one SendSms.
pub fn payload(
    app_id: &str,
    sign_name: &str,
    template_id: &str,
    phone: &str,
    escalation_id: EscalationId,
    text: &str,
) -> String {
    let phone = if phone.starts_with('+') {
        phone.to_owned()
    } else {
        format!("+86{phone}")
    };
    json!({
        "PhoneNumberSet": [phone],
        "SmsSdkAppId": app_id,
        "SignName": sign_name,
        "TemplateId": template_id,
        "TemplateParamSet": [escalation_id.to_string(), text],
    })
    .to_string()
}

/// Reads Tencent's answer: an `Error` (request level) or the number's
/// `SendStatusSet` code; limits are retried later.
pub fn outcome(body: &str) -> Result<Option<String>, GatewayError> {
    let json: Value = serde_json::from_str(body).map_err(|_| refused(body))?;
    let response = &json["Response"];
    let code = response["Error"]["Code"]
        .as_str()
        .or(response["SendStatusSet"][0]["Code"].as_str())
        .unwrap_or("");
    match code {
        "Ok" => Ok(response["SendStatusSet"][0]["SerialNo"]
            .as_str()
            .map(str::to_owned)),
        c if c.starts_with("RequestLimitExceeded") || c.starts_with("LimitExceeded") => {
            Err(throttled(body))
        }
        _ => Err(refused(body)),
    }
}

/// The test server's answer: checks the `Authorization` header against
/// `secret_key` and answers as Tencent does (always HTTP 200).
pub fn fake_answer(
    authorization: &str,
    timestamp: i64,
    host: &str,
    body: &str,
    secret_key: &str,
    throttle: bool,
) -> Value {
    let id = authorization
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').next())
        .unwrap_or("");
    if authorization != self::authorization(id, secret_key, host, timestamp, body) {
        let msg = "The provided credentials could not be validated.";
        return json!({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": msg}, "RequestId": "fake"}});
    }
    if throttle {
        return json!({"Response": {"SendStatusSet": [{"Code": "LimitExceeded.PhoneNumberThirtySecondLimit", "Message": "30秒内限流"}], "RequestId": "fake"}});
    }
    json!({"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "2028:f825e6b16e23f73f4123", "Message": "send success"}], "RequestId": "fake"}})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of Tencent Cloud's "Signature v3" page (cvm
    /// DescribeInstances at 1551113065, the secret key as printed there).
    const DOC_PAYLOAD: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    #[test]
    fn tc3_matches_the_documented_example() {
        let canonical = canonical_request("cvm.tencentcloudapi.com", DOC_PAYLOAD);
        assert!(
            canonical.ends_with("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")
        );
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signature(
                "Gu5t9xGARNpq86cd98joQYCN3*******",
                "cvm",
                1551113065,
                &canonical
            ),
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
    }

    #[test]
    fn answers_are_read_as_tencent_means_them() {
        let ok = r#"{"Response":{"SendStatusSet":[{"Code":"Ok","SerialNo":"s1"}]}}"#;
        assert_eq!(outcome(ok).unwrap(), Some("s1".to_owned()));
        let limited = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded"}}}"#;
        assert!(outcome(limited).unwrap_err().is_retryable());
        let bad = r#"{"Response":{"SendStatusSet":[{"Code":"InvalidParameterValue.IncorrectPhoneNumber"}]}}"#;
        assert!(!outcome(bad).unwrap_err().is_retryable());
    }

    #[test]
    fn the_fake_accepts_our_signature_and_refuses_a_forged_one() {
        let body = payload(
            "1400000000",
            "济南水务",
            "100",
            "+8613900000011",
            EscalationId(1),
            "停水",
        );
        let auth = authorization(
            "AKIDtest",
            "key",
            "sms.tencentcloudapi.com",
            1_700_000_000,
            &body,
        );
        let ok = fake_answer(
            &auth,
            1_700_000_000,
            "sms.tencentcloudapi.com",
            &body,
            "key",
            false,
        );
        assert_eq!(
            outcome(&ok.to_string()).unwrap(),
            Some("2028:f825e6b16e23f73f4123".into())
        );
        let forged = fake_answer(
            &auth,
            1_700_000_000,
            "sms.tencentcloudapi.com",
            &body,
            "other",
            false,
        );
        assert!(outcome(&forged.to_string()).is_err());
    }
}
