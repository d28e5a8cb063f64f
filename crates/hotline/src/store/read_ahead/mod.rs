//! A batch of updates read ahead and written behind. Every update makes the
//! same few reads and writes — record its id, read the resident and their
//! recent updates, read the dialogue, save the dialogue — and on SQLite each
//! statement is a round trip to the connection's own thread: under a flood
//! those hand-overs, not the SQL, were most of intake's cost. So a batch's
//! transaction does them for all its updates at once: one statement records
//! every id (and says which are new), one counts recent updates per resident,
//! one reads the residents, one the dialogues; the dialogues the batch saves
//! are written together just before the commit. Each update then reads and
//! writes these through [`Tx`]'s usual methods, which answer from here.
//!
//! An update's view is exactly what it was one statement at a time: its
//! resident's count includes the updates before it in the batch (as each
//! is marked), a dialogue saved by an earlier update of the batch is the
//! one a later update reads, and the resident row it sees includes an
//! earlier update's write (written through, as before). Nothing is written
//! behind if the transaction is dropped (rolled back).
//!
//! Lists of ids are padded (by repeating one) to a few fixed lengths, so the
//! prepared-statement cache holds four shapes of each query rather than one
//! per batch size; the dialogue write is split into chunks of powers of two
//! (an upsert may not touch a row twice). The SQL is built here from
//! placeholders only (`AssertSqlSafe`): every value is bound.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::AssertSqlSafe;

use super::error::{Context, Result};
use super::intake_load::ResidentSeen;
use super::{Backend, Tx};
use crate::domain::{ChatId, Lang};
use sql::{
    dialogues_sql, mark_sql, pad, padded, recent_counts_sql, residents_sql, write_dialogues_sql,
};

pub(super) mod sql;

/// One update of a batch, as the read-ahead needs it.
#[derive(Debug, Clone, Copy)]
pub struct AheadUpdate {
    pub update_id: i64,
    pub user_id: Option<i64>,
    pub chat_id: ChatId,
}

/// Most ids in one statement; longer batches are read in several.
const CHUNK: usize = 64;

/// What a batch read ahead, and the dialogues it will write behind.
#[derive(Debug, Default)]
pub(super) struct Ahead {
    /// Ids read ahead and not yet marked by their update.
    planned: HashSet<i64>,
    /// Of those, the ids not handled before (the others are redeliveries).
    fresh: HashSet<i64>,
    /// Per resident: their stored row and their updates counted so far
    /// (those before the batch in the rate window, plus the batch's marked).
    residents: HashMap<i64, (Option<ResidentSeen>, i64)>,
    /// Per chat: the stored dialogue, or the one saved by the batch.
    dialogues: HashMap<ChatId, Option<String>>,
    /// Chats whose dialogue the batch saved: (user id, updated_at); the
    /// state to write is the one in `dialogues`.
    behind: BTreeMap<ChatId, (i64, i64)>,
}

impl Tx {
    /// Reads ahead for `updates` (handled next, in this transaction): records
    /// their ids, reads their residents (with updates since `since_ms`) and
    /// dialogues. On PostgreSQL it first takes each resident's lock (see
    /// [`Tx::mark_update`]), in id order.
    pub async fn read_ahead(
        &mut self,
        updates: &[AheadUpdate],
        since_ms: i64,
        now_ms: i64,
    ) -> Result<()> {
        let mut users: Vec<i64> = updates.iter().filter_map(|u| u.user_id).collect();
        users.sort_unstable();
        users.dedup();
        let mut chats: Vec<ChatId> = updates.iter().map(|u| u.chat_id).collect();
        chats.sort_unstable();
        chats.dedup();
        if self.backend == Backend::Postgres {
            for user in &users {
                self.lock_resident(*user).await?;
            }
        }
        let mut ahead = Ahead::default();
        for part in users.chunks(CHUNK) {
            let sql = recent_counts_sql(padded(part.len()));
            let what = "counting residents' recent updates";
            let counts: Vec<(i64, i64)> = self.fetch_list(sql, Some(since_ms), part, what).await?;
            let sql = residents_sql(padded(part.len()));
            let rows: Vec<(i64, String, ChatId, String)> = self
                .fetch_list(sql, None, part, "reading residents")
                .await?;
            for user in part {
                ahead.residents.insert(*user, (None, 0));
            }
            for (user, count) in counts {
                ahead.residents.entry(user).or_default().1 = count;
            }
            for (user, lang, chat_id, first_name) in rows {
                ahead.residents.entry(user).or_default().0 = Some(ResidentSeen {
                    lang: Lang::parse(&lang),
                    chat_id,
                    first_name,
                });
            }
        }
        for part in updates.chunks(CHUNK) {
            let sql = mark_sql(padded(part.len()));
            let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql));
            for update in pad(part) {
                query = query
                    .bind(update.update_id)
                    .bind(update.user_id)
                    .bind(now_ms);
            }
            let fresh = query
                .fetch_all(&mut *self.inner)
                .await
                .context("recording the update ids")?;
            ahead.fresh.extend(fresh);
            ahead.planned.extend(part.iter().map(|u| u.update_id));
        }
        for part in chats.chunks(CHUNK) {
            let sql = dialogues_sql(padded(part.len()));
            let ids: Vec<i64> = part.iter().map(|c| c.0).collect();
            let rows: Vec<(ChatId, String)> = self
                .fetch_list(sql, None, &ids, "reading the dialogues")
                .await?;
            for chat in part {
                ahead.dialogues.insert(*chat, None);
            }
            for (chat, state) in rows {
                ahead.dialogues.insert(chat, Some(state));
            }
        }
        self.ahead = Some(Box::new(ahead));
        Ok(())
    }

    /// The rows of `sql` for the padded list `ids`, bound after `first` ($1).
    async fn fetch_list<O>(
        &mut self,
        sql: String,
        first: Option<i64>,
        ids: &[i64],
        what: &'static str,
    ) -> Result<Vec<O>>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let mut query = sqlx::query_as::<_, O>(AssertSqlSafe(sql));
        if let Some(first) = first {
            query = query.bind(first);
        }
        for id in pad(ids) {
            query = query.bind(id);
        }
        query.fetch_all(&mut *self.inner).await.context(what)
    }

    /// Writes the dialogues the batch saved (before the commit).
    pub(super) async fn write_behind(&mut self) -> Result<()> {
        let Some(ahead) = self.ahead.as_mut() else {
            return Ok(());
        };
        let rows: Vec<(ChatId, i64, String, i64)> = std::mem::take(&mut ahead.behind)
            .into_iter()
            // Every chat saved is in `dialogues` (set together in `save_behind`).
            .filter_map(|(chat, (user, at))| {
                let state = ahead.dialogues.get(&chat).cloned().flatten()?;
                Some((chat, user, state, at))
            })
            .collect();
        let mut rest = &rows[..];
        while !rest.is_empty() {
            // The largest power of two that fits: a few statement shapes.
            let n = 1 << rest.len().min(CHUNK).ilog2();
            let (part, after) = rest.split_at(n);
            let sql = write_dialogues_sql(n);
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (chat, user, state, at) in part {
                query = query.bind(*chat).bind(*user).bind(state.as_str()).bind(*at);
            }
            query
                .execute(&mut *self.inner)
                .await
                .context("saving the dialogues")?;
            rest = after;
        }
        Ok(())
    }

    /// Marks `update_id` from the read-ahead: None when it was not read ahead.
    pub(super) fn mark_ahead(&mut self, update_id: i64, user_id: Option<i64>) -> Option<bool> {
        let ahead = self.ahead.as_mut()?;
        if !ahead.planned.remove(&update_id) {
            return None;
        }
        let fresh = ahead.fresh.remove(&update_id);
        if let (true, Some(user)) = (fresh, user_id)
            && let Some(seen) = ahead.residents.get_mut(&user)
        {
            seen.1 += 1;
        }
        Some(fresh)
    }

    /// The resident's row and recent count from the read-ahead, if read.
    pub(super) fn seen_ahead(&self, user_id: i64) -> Option<(Option<ResidentSeen>, i64)> {
        self.ahead.as_ref()?.residents.get(&user_id).cloned()
    }

    /// Keeps the read-ahead's resident row in step with a write.
    pub(super) fn resident_written(&mut self, user_id: i64, seen: ResidentSeen) {
        if let Some(entry) = self
            .ahead
            .as_mut()
            .and_then(|a| a.residents.get_mut(&user_id))
        {
            entry.0 = Some(seen);
        }
    }

    /// The chat's dialogue from the read-ahead (or as the batch saved it).
    pub(super) fn dialogue_ahead(&self, chat_id: ChatId) -> Option<Option<String>> {
        self.ahead.as_ref()?.dialogues.get(&chat_id).cloned()
    }

    /// Holds a saved dialogue for the write behind; false when this
    /// transaction reads no batch ahead (the caller writes it now).
    pub(super) fn save_behind(
        &mut self,
        chat_id: ChatId,
        user_id: i64,
        state: &str,
        at: i64,
    ) -> bool {
        let Some(ahead) = self.ahead.as_mut() else {
            return false;
        };
        ahead.dialogues.insert(chat_id, Some(state.to_string()));
        ahead.behind.insert(chat_id, (user_id, at));
        true
    }
}
