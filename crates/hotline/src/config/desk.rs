//! The `[desk]` section: how calls taken at the desk are handled.

use serde::Deserialize;

use super::validate::Problems;
use super::{GatewayConfig, GatewayKind};

/// Calls taken at the desk (`/desk/call`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeskConfig {
    /// The caller gets an SMS receipt with the ticket number, and an SMS
    /// when the ticket is resolved (through `[gateway]`).
    pub sms_receipts: bool,
}

/// `desk.sms_receipts` needs a gateway to send through.
pub(super) fn validate(p: &mut Problems, desk: &DeskConfig, gateway: &GatewayConfig) {
    p.ensure(
        !desk.sms_receipts || gateway.kind != GatewayKind::None,
        "desk.sms_receipts",
        || "needs a [gateway] (kind other than \"none\") to text callers through".to_owned(),
    );
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn sms_receipts_without_a_gateway_are_refused_and_with_one_accepted() {
        let alone = "[desk]\nsms_receipts = true\n";
        let refused = Config::from_override_str(alone, "site.toml").unwrap_err();
        assert_eq!(refused.key, "desk.sms_receipts", "{refused}");
        let with_gateway =
            format!("{alone}[gateway]\nkind = \"http\"\nurl = \"https://sms.example.cn/send\"\n");
        let config = Config::from_override_str(&with_gateway, "site.toml").unwrap();
        assert!(config.desk.sms_receipts);
        assert!(!Config::default().desk.sms_receipts, "off by default");
    }
}
