//! The `[wechat]` section (issue 28), beside its rules: the WeChat Official
//! Account's server URL on the instance's HTTP server. The token and the
//! EncodingAESKey are secrets, so the section names the environment
//! variables that hold them, never the values; the same for the AppSecret
//! that fetches the `access_token` for sending.

use serde::Deserialize;

use super::validate::Problems;

/// A WeChat Official Account (服务号) as a second chat channel for residents.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WechatConfig {
    pub enabled: bool,
    /// The server URL's path on `telegram.webhook_listen`'s server, as
    /// entered in the account's settings (服务器地址).
    pub path: String,
    /// The account's AppID (`wx…`); the encrypted mode checks it.
    pub app_id: String,
    /// The variable holding the Token (令牌) entered in the account's settings.
    pub token_env: String,
    /// The variable holding the 43-character EncodingAESKey; unset or empty:
    /// plain mode only (an encrypted push is then refused).
    pub aes_key_env: String,
    /// WeChat's API, where replies are sent (`https://api.weixin.qq.com`;
    /// the stand-in's address in tests).
    pub api_url: String,
    /// The variable holding the account's AppSecret, which fetches the
    /// `access_token`.
    pub secret_env: String,
    /// Template messages for news that comes after the resident's window
    /// has closed; none configured: such news is marked failed, with why.
    pub templates: WechatTemplates,
    /// Answer a push with the replies it caused as the passive reply (in
    /// the HTTP response, outside WeChat's quota of customer-service
    /// messages) when they fit one; false: every reply is a
    /// customer-service message.
    pub passive_reply: bool,
}

/// The template ids (模板ID) chosen in the account's template library, one
/// per kind of news. Each is sent with the data keys `first` (the
/// headline), `keyword1` (the ticket or the compound), `keyword2` (the
/// status) and `remark` (the message itself, cut to fit).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WechatTemplates {
    /// A member of staff took the resident's report on.
    pub acknowledged: Option<String>,
    /// The resident's report is resolved.
    pub resolved: Option<String>,
    /// Staff posted an update on the incident the resident reported (`/update`).
    pub incident: Option<String>,
}

impl Default for WechatConfig {
    fn default() -> Self {
        WechatConfig {
            enabled: false,
            path: "/wechat".to_owned(),
            app_id: String::new(),
            token_env: "HOTLINE_WECHAT_TOKEN".to_owned(),
            aes_key_env: "HOTLINE_WECHAT_AES_KEY".to_owned(),
            api_url: "https://api.weixin.qq.com".to_owned(),
            secret_env: "HOTLINE_WECHAT_SECRET".to_owned(),
            templates: WechatTemplates::default(),
            passive_reply: true,
        }
    }
}

/// What `check-config` says of `[wechat]` when it is enabled.
pub(super) fn validate(p: &mut Problems, w: &WechatConfig, has_listener: bool) {
    if !w.enabled {
        return;
    }
    p.ensure(has_listener, "wechat.enabled", || {
        "needs telegram.webhook_listen: the server URL is served there".to_owned()
    });
    p.ensure(
        w.path.starts_with('/') && w.path.len() > 1 && !w.path.contains(char::is_whitespace),
        "wechat.path",
        || "must be a path such as \"/wechat\"".to_owned(),
    );
    p.ensure(
        w.app_id.starts_with("wx") && w.app_id.len() > 2,
        "wechat.app_id",
        || "must be the account's AppID (wx…)".to_owned(),
    );
    p.ensure(!w.token_env.trim().is_empty(), "wechat.token_env", || {
        "must name the variable holding the account's Token".to_owned()
    });
    p.ensure(
        url::Url::parse(&w.api_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")),
        "wechat.api_url",
        || "must be an http(s) URL such as \"https://api.weixin.qq.com\"".to_owned(),
    );
    p.ensure(!w.secret_env.trim().is_empty(), "wechat.secret_env", || {
        "must name the variable holding the account's AppSecret".to_owned()
    });
    let t = &w.templates;
    for (key, id) in [
        ("wechat.templates.acknowledged", &t.acknowledged),
        ("wechat.templates.resolved", &t.resolved),
        ("wechat.templates.incident", &t.incident),
    ] {
        p.ensure(
            id.as_ref().is_none_or(|id| !id.trim().is_empty()),
            key,
            || "must be a template id, or left out".to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn an_enabled_account_needs_a_listener_and_an_app_id() {
        let listen = "[telegram]\nwebhook_listen = \"127.0.0.1:0\"\n";
        let cases = [
            (
                "[wechat]\nenabled = true\napp_id = \"wx1\"\n",
                "wechat.enabled",
            ),
            (
                &format!("{listen}[wechat]\nenabled = true\napp_id = \"wx1\"\npath = \"x\"\n")[..],
                "wechat.path",
            ),
            (
                &format!("{listen}[wechat]\nenabled = true\n")[..],
                "wechat.app_id",
            ),
        ];
        for (bad, key) in cases {
            let error = Config::from_override_str(bad, "site.toml")
                .unwrap_err()
                .to_string();
            assert!(error.contains(key), "{key}: {error}");
        }
        let good = "[telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
                    [wechat]\nenabled = true\napp_id = \"wx0123\"\n";
        let config = Config::from_override_str(good, "site.toml").unwrap();
        assert_eq!(config.wechat.path, "/wechat");
    }
}
