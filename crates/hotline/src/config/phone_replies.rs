//! `[phone_replies]`: the settings of two-way acknowledgement by phone
//! (the replies themselves are `crate::gateway::inbound`).

use serde::Deserialize;

/// `[phone_replies]`: two-way acknowledgement by phone.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneRepliesConfig {
    /// Pages by phone end with "reply 1 to acknowledge, 2 to resolve" (calls
    /// gather a key) and the routes below are served.
    pub enabled: bool,
    /// The address the provider reaches this bot at, e.g.
    /// `https://hotline.example.org`: Twilio signs the full URL it called.
    /// `""`: none (then `enabled` is refused).
    #[serde(deserialize_with = "super::values::opt_url")]
    pub public_url: Option<super::HttpUrl>,
    /// Routes: `{path}/sms` and `{path}/voice`.
    pub path: String,
    /// Generic provider: the environment variable holding the shared secret.
    pub secret_env: String,
    /// Generic provider: the header that carries the secret.
    pub secret_header: String,
    /// Generic provider: the form or JSON fields of the sender's number, the
    /// reply's text and the provider's id of the message.
    pub from_field: String,
    pub text_field: String,
    pub id_field: String,
}
