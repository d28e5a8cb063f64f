//! Stand-ins for what the hotline talks to, for its tests, the demo and the
//! benchmarks: a local Telegram Bot API server ([`telegram`]), a fake SMS/voice
//! provider ([`sms`]), WeChat's API and pushes for an Official Account
//! ([`wechat`]), and the driver that plays a person in a chat ([`resident`]).
//!
//! Nothing here depends on the bot: the bot is tested through its real
//! transports (teloxide's HTTP client, the gateway's HTTP calls) against these
//! servers, as it runs in production against Telegram and a provider.

pub mod resident;
pub mod sms;
pub mod telegram;
pub mod wechat;

pub use resident::{Resident, Settle, texts};
pub use sms::{FakeGateway, FakeRequest};
pub use telegram::*;
