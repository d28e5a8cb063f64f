//! A person's notification rules as configured (`notify = [...]` under
//! `[[people]]`): which contact method, how long after the first alert.
//! When a rule is due is `crate::oncall::notify`.

use std::time::Duration;

use serde::Deserialize;

/// A contact method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The alert itself; always sent at once by the chain (listed for clarity).
    Telegram,
    /// A text to the person's `phone` through the gateway.
    Sms,
    /// A call to the person's `phone` that reads the alert aloud.
    Voice,
    /// A message in the WeCom group that @-mentions the person's `phone`.
    Wecom,
    /// A message in the DingTalk group that @-mentions the person's `phone`.
    Dingtalk,
    /// A message in the Feishu group that names the person.
    Feishu,
}

impl Via {
    pub fn code(self) -> &'static str {
        match self {
            Via::Telegram => "telegram",
            Via::Sms => "sms",
            Via::Voice => "voice",
            Via::Wecom => "wecom",
            Via::Dingtalk => "dingtalk",
            Via::Feishu => "feishu",
        }
    }
}

/// One step: `via`, once the escalation has been unacknowledged for `after`
/// since the person's first alert.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyRule {
    pub via: Via,
    #[serde(default, with = "humantime_serde")]
    pub after: Duration,
}

impl NotifyRule {
    pub fn new(via: Via, after: Duration) -> NotifyRule {
        NotifyRule { via, after }
    }
}
