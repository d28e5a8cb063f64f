//! A resident (or any user) driving a conversation through the local stand-in:
//! used by the demo script and by the bot's integration tests.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::telegram::{FakeUser, Shown, StandIn};

/// What the driver asks the bot under test: has it handled `update_id` and
/// sent everything it had to say in `chat_id`? (The bot's tests answer from
/// its store; this crate knows nothing of the bot.)
pub trait Settle: Send + Sync {
    fn settled(
        &self,
        update_id: i64,
        chat_id: i64,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<bool>> + Send + '_>>;
}

/// How long the bot may take to handle an update and send every reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(20);

/// A person in a chat with the bot. Knows when the bot has finished answering
/// by asking the bot ([`Settle`]): the update is handled and the chat's outbox is empty.
#[derive(Clone)]
pub struct Resident {
    pub user: FakeUser,
    standin: StandIn,
    bot: Arc<dyn Settle>,
}

impl Resident {
    pub fn new(standin: &StandIn, bot: Arc<dyn Settle>, id: i64, first_name: &str) -> Resident {
        Resident {
            user: FakeUser::new(id, first_name),
            standin: standin.clone(),
            bot,
        }
    }

    /// The same person with their Telegram app set to `code` (e.g. "en-GB").
    pub fn with_client_lang(mut self, code: &str) -> Resident {
        self.user = self.user.with_lang(code);
        self
    }

    pub fn chat_id(&self) -> i64 {
        self.user.id
    }

    pub fn name(&self) -> &str {
        &self.user.first_name
    }

    /// Everything the bot has shown this resident, edits applied.
    pub fn shown(&self) -> Vec<Shown> {
        self.standin.shown(self.chat_id())
    }

    pub fn last(&self) -> Shown {
        self.shown()
            .last()
            .cloned()
            .unwrap_or_else(|| panic!("{} has been shown nothing", self.name()))
    }

    /// Types a message; returns the new messages the bot answered with.
    pub async fn send(&self, text: &str) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.send_text(&self.user, text)).await
    }

    pub async fn share_contact(&self, phone: &str) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.send_contact(&self.user, phone)).await
    }

    /// Shares a contact card that is not their own (a relative's).
    pub async fn share_contact_card(
        &self,
        phone: &str,
        name: &str,
        user_id: Option<i64>,
    ) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.send_contact_card(&self.user, phone, name, user_id))
            .await
    }

    pub async fn share_location(&self, lat: f64, lon: f64) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.send_location(&self.user, lat, lon)).await
    }

    pub async fn send_photo(
        &self,
        file_id: &str,
        caption: Option<&str>,
    ) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.send_photo(&self.user, file_id, caption))
            .await
    }

    pub async fn send_sticker(&self) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.send_sticker(&self.user)).await
    }

    pub async fn send_voice(&self) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.send_voice(&self.user)).await
    }

    /// Presses the newest inline button whose text contains `label`.
    pub async fn press(&self, label: &str) -> anyhow::Result<Vec<Shown>> {
        let (message_id, data) = self.find_button(label)?;
        self.press_data(message_id, &data).await
    }

    /// Presses a button with exactly this data under `message_id` (stale and forged presses).
    pub async fn press_data(&self, message_id: i32, data: &str) -> anyhow::Result<Vec<Shown>> {
        self.act(|s| s.press_button(&self.user, message_id, data))
            .await
    }

    pub fn find_button(&self, label: &str) -> anyhow::Result<(i32, String)> {
        let shown = self.shown();
        shown
            .iter()
            .rev()
            .find_map(|m| {
                m.inline
                    .iter()
                    .flatten()
                    .find(|b| b.text.contains(label))
                    .map(|b| (m.message_id, b.data.clone()))
            })
            .and_then(|(id, data)| data.map(|d| (id, d)))
            .with_context(|| format!("no button {label:?} shown to {}", self.name()))
    }

    /// Injects an update, waits until the bot has answered in full, and
    /// returns the new messages, then the earlier ones it rewrote in their
    /// place (a pressed prompt that became the next one, a summary that
    /// became the receipt); possibly none.
    async fn act(&self, inject: impl FnOnce(&StandIn) -> i64) -> anyhow::Result<Vec<Shown>> {
        let before = self.shown();
        let update_id = inject(&self.standin);
        self.settled(update_id, self.chat_id()).await?;
        let mut after = self.shown();
        let rewritten: Vec<Shown> = after
            .iter()
            .filter(|m| {
                before.iter().any(|b| {
                    b.message_id == m.message_id
                        && (b.text != m.text
                            || format!("{:?}", b.inline) != format!("{:?}", m.inline))
                })
            })
            .cloned()
            .collect();
        let mut answer = after.split_off(before.len().min(after.len()));
        answer.extend(rewritten);
        Ok(answer)
    }

    /// Waits until `update_id` is handled and what it had to say in
    /// `chat_id` is sent.
    pub async fn settled(&self, update_id: i64, chat_id: i64) -> anyhow::Result<()> {
        let deadline = Instant::now() + REPLY_TIMEOUT;
        loop {
            if self.bot.settled(update_id, chat_id).await? {
                return Ok(());
            }
            if Instant::now() > deadline {
                anyhow::bail!(
                    "{}: the bot did not finish answering update {update_id} in time",
                    self.name()
                );
            }
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }
}

/// The messages' texts, for compact assertions.
pub fn texts(shown: &[Shown]) -> Vec<&str> {
    shown.iter().map(|m| m.text.as_str()).collect()
}
