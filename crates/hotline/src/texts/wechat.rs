//! Words of the WeChat channel (issue 28).

/// The name a WeChat resident goes by: WeChat gives an account no
/// follower's name, only an openid. (Chinese; the resident's language is
/// Chinese until they choose with `/lang`.)
pub const RESIDENT_NAME: &str = "微信用户";
