//! Reads that keep the per-update cost of intake low: what is stored about a
//! resident, so an unchanged row is not written again on every message.

use super::Tx;
use super::error::{Context, Result};
use crate::domain::Lang;

/// The stored row of a resident who has written before.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentSeen {
    /// None when the stored code is not a language we speak (any more).
    pub lang: Option<Lang>,
    pub chat_id: i64,
    pub first_name: String,
}

impl Tx {
    /// The resident's row, if they have written before.
    pub async fn resident_seen(&mut self, user_id: i64) -> Result<Option<ResidentSeen>> {
        let row: Option<(String, i64, String)> =
            sqlx::query_as("SELECT lang, chat_id, first_name FROM residents WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&mut *self.inner)
                .await
                .context("reading the resident")?;
        Ok(row.map(|(lang, chat_id, first_name)| ResidentSeen {
            lang: Lang::parse(&lang),
            chat_id,
            first_name,
        }))
    }
}
