//! Residents (their language) and their wizard dialogues, stored as JSON so
//! a conversation survives a restart. In a batch's transaction these read
//! from, and save into, its read-ahead (see `read_ahead`).

use super::Tx;
use super::error::{Context, Result};
use super::intake_load::ResidentSeen;
use crate::domain::{ChatId, Lang};

impl Tx {
    /// The resident's language, if they have talked to the bot before.
    pub async fn resident_lang(&mut self, user_id: i64) -> Result<Option<Lang>> {
        let code: Option<String> =
            sqlx::query_scalar("SELECT lang FROM residents WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&mut *self.inner)
                .await
                .context("reading the resident's language")?;
        Ok(code.as_deref().and_then(Lang::parse))
    }

    pub async fn upsert_resident(
        &mut self,
        user_id: i64,
        chat_id: ChatId,
        first_name: &str,
        lang: Lang,
        now_ms: i64,
    ) -> Result<()> {
        let seen = ResidentSeen {
            lang: Some(lang),
            chat_id,
            first_name: first_name.to_string(),
        };
        self.resident_written(user_id, seen);
        sqlx::query(
            "INSERT INTO residents (user_id, chat_id, first_name, lang, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (user_id) DO UPDATE
             SET chat_id = excluded.chat_id, first_name = excluded.first_name,
                 lang = excluded.lang, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(chat_id)
        .bind(first_name)
        .bind(lang.code())
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("saving the resident")?;
        Ok(())
    }

    /// The dialogue state of a chat as stored JSON; the intake module owns its shape.
    pub async fn load_dialogue(&mut self, chat_id: ChatId) -> Result<Option<String>> {
        if let Some(state) = self.dialogue_ahead(chat_id) {
            return Ok(state);
        }
        let state = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = $1")
            .bind(chat_id)
            .fetch_optional(&mut *self.inner)
            .await
            .context("reading the dialogue")?;
        Ok(state)
    }

    pub async fn save_dialogue(
        &mut self,
        chat_id: ChatId,
        user_id: i64,
        state: &str,
        now_ms: i64,
    ) -> Result<()> {
        if self.save_behind(chat_id, user_id, state, now_ms) {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO dialogues (chat_id, user_id, state, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(chat_id)
        .bind(user_id)
        .bind(state)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("saving the dialogue")?;
        Ok(())
    }
}
