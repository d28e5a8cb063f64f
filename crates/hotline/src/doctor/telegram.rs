//! Telegram as `hotline doctor` sees it: the proxy in use, then `getMe`,
//! with "not reached" (DNS, network, proxy) told apart from "token
//! rejected", because the fixes differ.

use super::Report;
use crate::config::Config;
use crate::telegram::IdentifyError;

pub(super) async fn check(report: &mut Report, config: &Config, token: Option<&str>) {
    let through = super::proxy::describe(config, |name| std::env::var(name).ok());
    report.ok("proxy", through);
    let Some(token) = token else {
        report.fail("telegram", "TELOXIDE_TOKEN is not set");
        return;
    };
    let bot = match crate::telegram::connect(token, &config.telegram) {
        Ok(bot) => bot,
        Err(error) => return report.fail("telegram", format!("{error:#}")),
    };
    match bot.check_token().await {
        Ok(me) => report.ok("telegram", format!("token valid: @{}", me.username)),
        Err(IdentifyError::Unreachable(why)) => report.fail(
            "telegram",
            format!(
                "cannot reach Telegram at {} ({why}): check DNS, the network and the proxy \
                 (HTTPS_PROXY or telegram.proxy); the token could not be checked",
                config.telegram.api_url
            ),
        ),
        Err(IdentifyError::Rejected) => report.fail(
            "telegram",
            "Telegram rejected the token (Unauthorized): copy it again from @BotFather \
             into TELOXIDE_TOKEN",
        ),
        Err(IdentifyError::Other(why)) => report.fail("telegram", format!("getMe failed: {why}")),
    }
}
