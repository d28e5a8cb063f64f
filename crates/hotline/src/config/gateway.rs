//! The `[gateway]` section. It lives next to the code that uses it (and is
//! re-exported from `crate::config`) so the phone fallback is one module.

use std::time::Duration;

use serde::Deserialize;

/// How alerts reach a phone when Telegram is not enough.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    pub kind: GatewayKind,
    /// http: the endpoint (placeholders allowed, URL-encoded); twilio: the
    /// API base, to which the Messages/Calls path is appended.
    pub url: String,
    /// http only.
    pub method: String,
    /// http only: name of the header that carries the secret.
    pub auth_header: String,
    /// Name of the environment variable holding the secret, so the secret
    /// is never in a file under version control nor in `check-config`.
    pub auth_env: String,
    /// http only; also decides how placeholders are escaped.
    pub content_type: String,
    /// http only: the request body with `{phone}`, `{text}`, `{escalation}`.
    pub body: String,
    /// twilio: the sending number.
    pub from: String,
    pub channel: GatewayChannel,
    /// Across all sends: a runaway escalation must not run up a bill.
    pub per_minute: u32,
    /// Page by phone when an alert is still unacknowledged this long.
    #[serde(with = "humantime_serde")]
    pub after: Duration,
    /// Per HTTP request, so a hung provider cannot stall the escalation.
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    /// aliyun, tencent: the variable holding the AccessKey ID / SecretId
    /// (the secret itself is in `auth_env`).
    pub key_id_env: String,
    /// aliyun, tencent: the approved SMS signature name (签名).
    pub sign_name: String,
    /// aliyun: the SMS template code (SMS_…); tencent: the TemplateId.
    pub template: String,
    /// aliyun: the voice (TTS) template code (TTS_…) for `voice` steps.
    pub voice_template: String,
    /// tencent: the SmsSdkAppId.
    pub app_id: String,
    /// tencent: the API region, e.g. `ap-guangzhou`.
    pub region: String,
    /// The WeCom group robot's webhook (`via = "wecom"`); `""`: none.
    #[serde(deserialize_with = "super::values::opt_url")]
    pub wecom_url: Option<super::HttpUrl>,
    /// The variable holding the robot's webhook key (appended as `?key=`).
    pub wecom_key_env: String,
    /// The DingTalk custom robot's webhook (`via = "dingtalk"`); `""`: none.
    #[serde(deserialize_with = "super::values::opt_url")]
    pub dingtalk_url: Option<super::HttpUrl>,
    /// The variable holding its `access_token`.
    pub dingtalk_key_env: String,
    /// The variable holding its signing secret ("加签", SEC…); unset: unsigned.
    pub dingtalk_secret_env: String,
    /// The Feishu custom bot's webhook base (`via = "feishu"`); `""`: none.
    #[serde(deserialize_with = "super::values::opt_url")]
    pub feishu_url: Option<super::HttpUrl>,
    /// The variable holding the hook id, appended to `feishu_url`'s path.
    pub feishu_key_env: String,
    /// The variable holding its signing secret; unset: unsigned.
    pub feishu_secret_env: String,
}

/// Which request format the gateway speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayKind {
    /// No phone fallback.
    #[default]
    None,
    /// Any provider: URL, header and body template from the config.
    Http,
    /// Twilio's REST API (Messages.json / Calls.json).
    Twilio,
    /// Alibaba Cloud SMS (SendSms) and voice notification (SingleCallByTts).
    Aliyun,
    /// Tencent Cloud SMS (SendSms, TC3-HMAC-SHA256).
    Tencent,
}

/// A text message or a phone call that reads the text aloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayChannel {
    #[default]
    Sms,
    Voice,
}

impl GatewayKind {
    pub fn code(self) -> &'static str {
        match self {
            GatewayKind::None => "none",
            GatewayKind::Http => "http",
            GatewayKind::Twilio => "twilio",
            GatewayKind::Aliyun => "aliyun",
            GatewayKind::Tencent => "tencent",
        }
    }
}

impl GatewayChannel {
    pub fn code(self) -> &'static str {
        match self {
            GatewayChannel::Sms => "sms",
            GatewayChannel::Voice => "voice",
        }
    }
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            kind: GatewayKind::None,
            url: String::new(),
            method: "POST".to_owned(),
            auth_header: "Authorization".to_owned(),
            auth_env: "HOTLINE_GATEWAY_AUTH".to_owned(),
            content_type: "application/json".to_owned(),
            body: r#"{"to": "{phone}", "text": "{text}"}"#.to_owned(),
            from: String::new(),
            channel: GatewayChannel::Sms,
            per_minute: 10,
            after: Duration::from_secs(300),
            timeout: Duration::from_secs(10),
            key_id_env: "HOTLINE_GATEWAY_KEY_ID".to_owned(),
            sign_name: String::new(),
            template: String::new(),
            voice_template: String::new(),
            app_id: String::new(),
            region: "ap-guangzhou".to_owned(),
            wecom_url: None,
            wecom_key_env: "HOTLINE_WECOM_KEY".to_owned(),
            dingtalk_url: None,
            dingtalk_key_env: "HOTLINE_DINGTALK_TOKEN".to_owned(),
            dingtalk_secret_env: "HOTLINE_DINGTALK_SECRET".to_owned(),
            feishu_url: None,
            feishu_key_env: "HOTLINE_FEISHU_HOOK".to_owned(),
            feishu_secret_env: "HOTLINE_FEISHU_SECRET".to_owned(),
        }
    }
}

/// Extra variables for [`Gateway::from_config`]; `Debug` shows names only.
#[derive(Clone, Default)]
pub struct GatewayEnv(pub Vec<(String, String)>);

impl GatewayEnv {
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

impl std::fmt::Debug for GatewayEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, _)| k))
            .finish()
    }
}
