//! What tests look at: the call log, what each chat shows, callback answers, commands,
//! and waiting (in real time) for the bot to get there.

use std::time::{Duration, Instant};

use anyhow::bail;

use super::{Call, CommandList, Shown, StandIn};

/// How often the waits look again: short against the bot's reaction time.
const POLL_EVERY: Duration = Duration::from_millis(10);

impl StandIn {
    /// Every call so far, in the order they were answered.
    pub fn calls(&self) -> Vec<Call> {
        self.shared().lock().calls.clone()
    }

    /// Forgets the call log (long benchmark runs would otherwise keep every call).
    pub fn clear_calls(&self) {
        self.shared().lock().calls.clear();
    }

    /// Calls of one method (`"sendMessage"`, `"sendmessage"`: case does not matter).
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        let calls = &self.shared().lock().calls;
        calls
            .iter()
            .filter(|c| c.method.eq_ignore_ascii_case(method))
            .cloned()
            .collect()
    }

    /// How many calls were answered with 429 (by the limits or by injected faults).
    pub fn count_429(&self) -> usize {
        self.shared()
            .lock()
            .calls
            .iter()
            .filter(|c| c.status == 429)
            .count()
    }

    /// The bot's messages in the chat, oldest first, edits applied, deleted ones gone.
    pub fn shown(&self, chat_id: i64) -> Vec<Shown> {
        let state = self.shared().lock();
        let list = state
            .messages
            .get(&chat_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        list.iter().map(|m| m.shown.clone()).collect()
    }

    /// `answerCallbackQuery` calls: (callback query id, text shown to the resident).
    pub fn callback_answers(&self) -> Vec<(String, Option<String>)> {
        self.shared().lock().callback_answers.clone()
    }

    /// Current `setMyCommands` lists per language code (None = all languages), in the
    /// order they were first set. Lists for non-default scopes are included too.
    pub fn commands(&self) -> Vec<(Option<String>, CommandList)> {
        let state = self.shared().lock();
        state
            .commands
            .iter()
            .map(|c| (c.language_code.clone(), c.commands.clone()))
            .collect()
    }

    /// The command menu Telegram would show in the private chat `chat_id`:
    /// its own (per-chat scope) list if one is set, else the default
    /// scope's for `language` (the user's app language), else the default's.
    pub fn menu_in_chat(&self, chat_id: i64, language: &str) -> CommandList {
        let state = self.shared().lock();
        let find = |scope: &serde_json::Value, lang: Option<&str>| {
            state
                .commands
                .iter()
                .find(|c| &c.scope == scope && c.language_code.as_deref() == lang)
                .map(|c| c.commands.clone())
        };
        let chat = serde_json::json!({"type": "chat", "chat_id": chat_id});
        let default = serde_json::json!({"type": "default"});
        find(&chat, Some(language))
            .or_else(|| find(&chat, None))
            .or_else(|| find(&default, Some(language)))
            .or_else(|| find(&default, None))
            .unwrap_or_default()
    }

    /// Drops the per-chat menus of `chat_id`, as if they had never been set.
    pub fn forget_commands_of_chat(&self, chat_id: i64) {
        let chat = serde_json::json!({"type": "chat", "chat_id": chat_id});
        self.shared().lock().commands.retain(|c| c.scope != chat);
    }

    /// Waits until `pred` holds for the chat's shown messages; the error lists what
    /// was shown, so a failing test says what the resident saw instead.
    pub async fn wait_for_shown(
        &self,
        chat_id: i64,
        timeout: Duration,
        pred: impl Fn(&[Shown]) -> bool,
    ) -> anyhow::Result<Vec<Shown>> {
        let deadline = Instant::now() + timeout;
        loop {
            let shown = self.shown(chat_id);
            if pred(&shown) {
                return Ok(shown);
            }
            if Instant::now() >= deadline {
                bail!(
                    "chat {chat_id}: condition not met within {timeout:?}; shown:\n{}",
                    describe(&shown)
                );
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
    }

    /// Waits until at least `n` messages beyond the first `since` are shown in the chat
    /// and returns the messages after `since`.
    pub async fn wait_for_new(
        &self,
        chat_id: i64,
        since: usize,
        n: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<Shown>> {
        let shown = self
            .wait_for_shown(chat_id, timeout, |s| s.len() >= since + n)
            .await;
        let shown = shown
            .map_err(|e| e.context(format!("waiting for {n} new message(s) after {since}")))?;
        Ok(shown.get(since..).unwrap_or_default().to_vec())
    }

    /// Waits for the bot to answer callback query `callback_id`; returns the answer text.
    pub async fn wait_for_callback_answer(
        &self,
        callback_id: &str,
        timeout: Duration,
    ) -> anyhow::Result<Option<String>> {
        let deadline = Instant::now() + timeout;
        loop {
            let answers = self.callback_answers();
            if let Some((_, text)) = answers.into_iter().find(|(id, _)| id == callback_id) {
                return Ok(text);
            }
            if Instant::now() >= deadline {
                bail!("callback query {callback_id} not answered within {timeout:?}");
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
    }
}

/// One line per message: id, text and buttons.
pub(super) fn describe(shown: &[Shown]) -> String {
    if shown.is_empty() {
        return "  (nothing)".to_owned();
    }
    let line = |m: &Shown| {
        let buttons: Vec<&str> = m
            .inline
            .iter()
            .chain(&m.keyboard)
            .flatten()
            .map(|b| b.text.as_str())
            .collect();
        format!("  #{} {:?} buttons {:?}", m.message_id, m.text, buttons)
    };
    shown.iter().map(line).collect::<Vec<_>>().join("\n")
}
