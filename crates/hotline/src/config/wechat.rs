//! The `[wechat]` section (issue 28), beside its rules: the WeChat Official
//! Account's server URL on the instance's HTTP server. The token and the
//! EncodingAESKey are secrets, so the section names the environment
//! variables that hold them, never the values.

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
}

impl Default for WechatConfig {
    fn default() -> Self {
        WechatConfig {
            enabled: false,
            path: "/wechat".to_owned(),
            app_id: String::new(),
            token_env: "HOTLINE_WECHAT_TOKEN".to_owned(),
            aes_key_env: "HOTLINE_WECHAT_AES_KEY".to_owned(),
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
