//! Reads that keep the per-update cost of intake low: what is stored about a
//! resident, so an unchanged row is not written again on every message, and
//! their recent updates (the rate limit) in the same read.

use super::Tx;
use super::error::{Context, Result};
use crate::domain::{ChatId, Lang};

/// The stored row of a resident who has written before.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentSeen {
    /// None when the stored code is not a language we speak (any more).
    pub lang: Option<Lang>,
    pub chat_id: ChatId,
    pub first_name: String,
}

/// The resident's row (if any) and how many updates they sent since `$2`
/// (the rate limit's window): the two reads every update makes, in one.
/// (Scalar subqueries, so there is always exactly one row, all NULL but the
/// count for someone new, and each part is an index lookup.)
pub const RESIDENT_AND_RECENT: &str = "SELECT
        (SELECT lang FROM residents WHERE user_id = $1),
        (SELECT chat_id FROM residents WHERE user_id = $1),
        (SELECT first_name FROM residents WHERE user_id = $1),
        (SELECT COUNT(*) FROM processed_updates WHERE user_id = $1 AND processed_at >= $2)";

impl Tx {
    /// The resident's row, if they have written before, and how many
    /// updates they sent since `since_ms` (this one included once marked).
    /// In a batch that read ahead, both come from the read-ahead, whose
    /// window is the batch's (`since_ms` is then not used).
    pub async fn resident_seen(
        &mut self,
        user_id: i64,
        since_ms: i64,
    ) -> Result<(Option<ResidentSeen>, i64)> {
        if let Some(seen) = self.seen_ahead(user_id) {
            return Ok(seen);
        }
        type Row = (Option<String>, Option<ChatId>, Option<String>, i64);
        let (lang, chat_id, first_name, recent): Row = sqlx::query_as(RESIDENT_AND_RECENT)
            .bind(user_id)
            .bind(since_ms)
            .fetch_one(&mut *self.inner)
            .await
            .context("reading the resident")?;
        let seen = match (lang, chat_id, first_name) {
            (Some(lang), Some(chat_id), Some(first_name)) => Some(ResidentSeen {
                lang: Lang::parse(&lang),
                chat_id,
                first_name,
            }),
            _ => None,
        };
        Ok((seen, recent))
    }
}
