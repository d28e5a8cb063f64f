//! The desk's banner while Telegram is unreachable (issue 27): read from
//! the heartbeats every instance writes (`crate::health`), judged as
//! `hotline doctor` and `/healthz` judge them, and shown on every signed-in
//! page as "Telegram 无法连接，自 03:12 起 / Telegram unreachable since 03:12"
//! (city-local time of the last answer). A failed read shows no banner:
//! the page matters more than the warning.

use super::Desk;
use crate::health::Verdict;

impl Desk {
    /// The banner's text, when Telegram is unreachable now.
    pub async fn banner(&self) -> Option<String> {
        let rows = self.store.liveness().await.ok()?;
        let now = chrono::Utc::now().timestamp_millis();
        let verdict = Verdict::judge(&rows, now, &self.config.health, false);
        let since = verdict.telegram_down_since()?;
        let at = chrono::DateTime::from_timestamp_millis(since)?;
        let local = at.with_timezone(&self.config.general.time_zone);
        Some(crate::texts::health::telegram_down_banner(
            &local.format("%H:%M").to_string(),
        ))
    }
}
