//! Everything the stand-in remembers: pending updates, what each chat shows, the call log.

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use serde_json::{Value, json};

use super::{Call, Faults, Shown, StandInOptions, limits::Limits};

/// The first update id handed out. Not 1, so that code assuming small ids shows up.
const FIRST_UPDATE_ID: i64 = 100_001;

/// A bot message: what the resident sees, and the `Message` object Telegram keeps
/// (returned again on edits and embedded in callback queries).
pub(super) struct Stored {
    pub shown: Shown,
    pub json: Value,
}

/// Commands registered with `setMyCommands` for one language and scope.
pub(super) struct CommandSet {
    pub language_code: Option<String>,
    pub scope: Value,
    pub commands: Vec<(String, String)>,
}

/// A fault picked for one message call.
#[derive(Clone, Copy, Debug)]
pub(super) enum Injected {
    Http500,
    TooMany,
    Slow(Duration),
}

pub(super) struct State {
    pub limits: Limits,
    pub faults: Option<Faults>,
    /// Decides which calls fail; reseeded by every `set_faults`.
    pub fault_rng: fastrand::Rng,
    pub blocked: HashSet<i64>,
    /// Every call hangs unanswered while set (Telegram frozen or cut off).
    pub hang: bool,
    /// A message call whose client went away mid-call still takes effect.
    pub finish_abandoned: bool,
    pub updates: UpdateQueue,
    chats: HashMap<i64, Value>,
    next_message_id: HashMap<i64, i32>,
    pub messages: HashMap<i64, Vec<Stored>>,
    pub calls: Vec<Call>,
    pub callback_answers: Vec<(String, Option<String>)>,
    pub commands: Vec<CommandSet>,
    pub last_callback_id: Option<String>,
    file_seq: u64,
}

impl State {
    pub fn new(opts: &StandInOptions) -> Self {
        State {
            limits: Limits::new(opts),
            faults: None,
            fault_rng: fastrand::Rng::with_seed(0),
            blocked: HashSet::new(),
            hang: false,
            finish_abandoned: false,
            updates: UpdateQueue::new(),
            chats: HashMap::new(),
            next_message_id: HashMap::new(),
            messages: HashMap::new(),
            calls: Vec::new(),
            callback_answers: Vec::new(),
            commands: Vec::new(),
            last_callback_id: None,
            file_seq: 0,
        }
    }

    /// Message ids count per chat from 1, shared by the resident's and the bot's
    /// messages, as in Telegram's private chats.
    pub fn next_message_id(&mut self, chat_id: i64) -> i32 {
        let next = self.next_message_id.entry(chat_id).or_insert(1);
        let id = *next;
        *next += 1;
        id
    }

    /// Keeps the chat object of an injected update so that the bot's answers carry it.
    pub fn remember_chat(&mut self, chat: &Value) {
        if let Some(id) = chat["id"].as_i64() {
            self.chats.insert(id, chat.clone());
        }
    }

    /// The chat object for `chat_id`; a chat never seen gets a plausible minimal one.
    pub fn chat_json(&self, chat_id: i64) -> Value {
        if let Some(chat) = self.chats.get(&chat_id) {
            return chat.clone();
        }
        if chat_id < 0 {
            json!({"id": chat_id, "type": "group", "title": format!("Group {chat_id}")})
        } else {
            json!({"id": chat_id, "type": "private", "first_name": format!("User {chat_id}")})
        }
    }

    pub fn find_message(&mut self, chat_id: i64, message_id: i64) -> Option<&mut Stored> {
        let list = self.messages.get_mut(&chat_id)?;
        list.iter_mut()
            .find(|m| i64::from(m.shown.message_id) == message_id)
    }

    /// A fresh (file_id, file_unique_id) pair for files the bot uploaded.
    pub fn new_file_id(&mut self, prefix: &str) -> (String, String) {
        self.file_seq += 1;
        let n = self.file_seq;
        (format!("{prefix}-standin-{n:06}"), format!("AQAD{n:06}"))
    }

    /// Decides whether this message call fails, and how (see `Faults`).
    pub fn roll_fault(&mut self) -> Option<Injected> {
        let f = self.faults?;
        if f.fail_share <= 0.0 || self.fault_rng.f64() >= f.fail_share {
            return None;
        }
        let mut kinds = Vec::with_capacity(3);
        if f.http_500 {
            kinds.push(Injected::Http500);
        }
        if f.too_many {
            kinds.push(Injected::TooMany);
        }
        if let Some(d) = f.slow {
            kinds.push(Injected::Slow(d));
        }
        if kinds.is_empty() {
            return None;
        }
        Some(kinds[self.fault_rng.usize(..kinds.len())])
    }
}

struct Queued {
    id: i64,
    update: Value,
    /// Re-queued by `redeliver`: survives an offset that already confirmed it, until it
    /// has been delivered once more (what Telegram does after a bot crashed).
    sticky: bool,
}

/// Updates waiting for `getUpdates`, with Telegram's offset semantics.
pub(super) struct UpdateQueue {
    queue: Vec<Queued>,
    history: HashMap<i64, Value>,
    next_id: i64,
    /// Counts `getUpdates` calls; only the newest one may take updates.
    poll_generation: u64,
}

impl UpdateQueue {
    fn new() -> Self {
        UpdateQueue {
            queue: Vec::new(),
            history: HashMap::new(),
            next_id: FIRST_UPDATE_ID,
            poll_generation: 0,
        }
    }

    /// Builds `{"update_id": .., kind: payload}` with the next id, without
    /// queueing it (for a webhook, which the caller posts it to).
    pub fn mint(&mut self, kind: &str, payload: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut update = json!({"update_id": id});
        update[kind] = payload;
        self.history.insert(id, update.clone());
        update
    }

    /// Queues `{"update_id": .., kind: payload}` and returns its id.
    pub fn push(&mut self, kind: &str, payload: Value) -> i64 {
        let update = self.mint(kind, payload);
        let id = self.next_id - 1;
        self.queue.push(Queued {
            id,
            update,
            sticky: false,
        });
        id
    }

    /// Queues an earlier update again under its old id; false if the id is unknown.
    pub fn redeliver(&mut self, id: i64) -> bool {
        if let Some(q) = self.queue.iter_mut().find(|q| q.id == id) {
            q.sticky = true;
            return true;
        }
        let Some(update) = self.history.get(&id).cloned() else {
            return false;
        };
        self.queue.push(Queued {
            id,
            update,
            sticky: true,
        });
        true
    }

    /// Applies a `getUpdates` offset: ids below a positive offset are confirmed and
    /// forgotten; a negative offset keeps only that many of the newest updates.
    pub fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.queue.retain(|q| q.id >= offset || q.sticky);
        } else if offset < 0 {
            self.queue.sort_by_key(|q| q.id);
            let keep = offset.unsigned_abs() as usize;
            let drop = self.queue.len().saturating_sub(keep);
            self.queue.drain(..drop);
        }
    }

    /// Begins a `getUpdates` call: applies its offset and makes it the current poll.
    pub fn start_poll(&mut self, offset: i64) -> u64 {
        self.confirm(offset);
        self.poll_generation += 1;
        self.poll_generation
    }

    /// The pending updates for poll `generation`, or None if a newer poll superseded it.
    pub fn poll(&mut self, generation: u64, limit: usize) -> Option<Vec<Value>> {
        (generation == self.poll_generation).then(|| self.peek(limit))
    }

    /// Up to `limit` pending updates in id order; they stay pending until confirmed.
    fn peek(&mut self, limit: usize) -> Vec<Value> {
        self.queue.sort_by_key(|q| q.id);
        self.queue
            .iter_mut()
            .take(limit)
            .map(|q| {
                q.sticky = false;
                q.update.clone()
            })
            .collect()
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// The id of the newest injected update (one below the first id if none yet).
    pub fn last_id(&self) -> i64 {
        self.next_id - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_confirms_and_redeliver_survives_it() {
        let mut q = UpdateQueue::new();
        let a = q.push("message", json!({}));
        let b = q.push("message", json!({}));
        assert_eq!(q.peek(100).len(), 2);
        q.confirm(b + 1);
        assert!(q.peek(100).is_empty());
        assert!(q.redeliver(a));
        q.confirm(b + 1);
        let again = q.peek(100);
        assert_eq!(again[0]["update_id"], json!(a));
        q.confirm(b + 1);
        assert_eq!(q.pending(), 0);
    }

    #[test]
    fn negative_offset_keeps_newest() {
        let mut q = UpdateQueue::new();
        for _ in 0..3 {
            q.push("message", json!({}));
        }
        q.confirm(-1);
        assert_eq!(q.peek(100)[0]["update_id"], json!(q.last_id()));
    }
}
