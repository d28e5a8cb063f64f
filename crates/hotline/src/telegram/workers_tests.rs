//! The worker queues with a scripted handler: order per chat, retries,
//! poison updates, stopping.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::{BATCH, Handle, Outcome, QUEUES, Queues, Retry, Shared, queue_of};
use crate::domain::{ChatId, Incoming, Input};
use crate::telegram::progress::Progress;

/// A handler that fails each update as often as `failures` says, and logs
/// every attempt as (update id, chat id, committed).
struct Script {
    failures: Mutex<HashMap<i64, u32>>,
    log: Mutex<Vec<(i64, i64, bool)>>,
    /// The size of every batch handed over.
    batches: Mutex<Vec<usize>>,
}

impl Script {
    fn new(failures: &[(i64, u32)]) -> Arc<Script> {
        Arc::new(Script {
            failures: Mutex::new(failures.iter().copied().collect()),
            log: Mutex::new(Vec::new()),
            batches: Mutex::new(Vec::new()),
        })
    }

    /// Handles a batch in order as the chat layer does: stops at the first
    /// failing update, the ones before it committed.
    fn handle(self: &Arc<Script>) -> Handle {
        let script = self.clone();
        Arc::new(move |updates: Vec<Incoming>| {
            let script = script.clone();
            Box::pin(async move {
                script.batches.lock().unwrap().push(updates.len());
                for (i, incoming) in updates.iter().enumerate() {
                    let id = incoming.update_id;
                    let fail = {
                        let mut failures = script.failures.lock().unwrap();
                        let left = failures.entry(id).or_default();
                        let fail = *left > 0;
                        *left = left.saturating_sub(1);
                        fail
                    };
                    script
                        .log
                        .lock()
                        .unwrap()
                        .push((id, incoming.chat_id.0, !fail));
                    if fail {
                        return Outcome {
                            committed: i,
                            failed: Some(anyhow::anyhow!("database is locked")),
                        };
                    }
                }
                Outcome {
                    committed: updates.len(),
                    failed: None,
                }
            })
        })
    }

    fn committed(&self) -> Vec<(i64, i64)> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|e| e.2).map(|e| (e.0, e.1)).collect()
    }

    fn attempts(&self, id: i64) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.0 == id)
            .count()
    }
}

fn update(id: i64, chat_id: crate::domain::ChatId) -> Incoming {
    Incoming {
        update_id: id,
        user: None,
        chat_id,
        private: true,
        input: Input::Text("hi".into()),
    }
}

const QUICK: Retry = Retry {
    attempts: 4,
    first_backoff: Duration::from_millis(5),
    max_backoff: Duration::from_millis(20),
};

fn shared(script: &Arc<Script>, stopping: watch::Receiver<bool>) -> Arc<Shared> {
    Arc::new(Shared {
        handle: script.handle(),
        retry: QUICK,
        batch: BATCH,
        turns: None,
        progress: Mutex::new(Progress::starting_at(None)),
        finished: Notify::new(),
        stopping,
    })
}

/// Takes `updates` in hand and queues them, as the poller does.
fn push_all(shared: &Shared, queues: &Queues, updates: &[(i64, i64)]) {
    for &(id, chat) in updates {
        assert!(shared.progress().accept(id));
        queues.push(update(id, ChatId(chat)));
    }
}

async fn drain(queues: Queues, tasks: &mut JoinSet<()>) {
    drop(queues);
    let all = async { while tasks.join_next().await.is_some() {} };
    tokio::time::timeout(Duration::from_secs(10), all)
        .await
        .expect("the workers drain their queues");
}

#[tokio::test]
async fn a_failed_update_is_retried_and_its_chat_waits_behind_it() {
    let script = Script::new(&[(1, 2)]);
    let (_stop, stopping) = watch::channel(false);
    let shared = shared(&script, stopping);
    let mut tasks = JoinSet::new();
    let queues = Queues::start(&shared, QUEUES, &mut tasks);
    // Chat 7's updates 1 and 3; chat 8's update 2 (another queue).
    push_all(&shared, &queues, &[(1, 7), (2, 8), (3, 7)]);
    drain(queues, &mut tasks).await;

    assert_eq!(script.attempts(1), 3, "two failures, then committed");
    let committed = script.committed();
    let chat7: Vec<i64> = committed.iter().filter(|c| c.1 == 7).map(|c| c.0).collect();
    assert_eq!(chat7, vec![1, 3], "update 3 waited behind the failing 1");
    assert_eq!(shared.progress().offset(), Some(4));
}

#[tokio::test]
async fn a_poison_update_is_given_up_after_the_last_attempt_and_the_chat_goes_on() {
    let script = Script::new(&[(1, u32::MAX)]);
    let (_stop, stopping) = watch::channel(false);
    let shared = shared(&script, stopping);
    let mut tasks = JoinSet::new();
    let queues = Queues::start(&shared, QUEUES, &mut tasks);
    push_all(&shared, &queues, &[(1, 7), (2, 7)]);
    drain(queues, &mut tasks).await;

    assert_eq!(script.attempts(1), QUICK.attempts as usize);
    assert_eq!(script.committed(), vec![(2, 7)]);
    assert_eq!(
        shared.progress().offset(),
        Some(3),
        "the offset moves past it"
    );
}

#[tokio::test]
async fn a_failed_update_is_left_unfinished_when_the_poller_stops() {
    let script = Script::new(&[(1, u32::MAX)]);
    let (stop, stopping) = watch::channel(false);
    let shared = shared(&script, stopping);
    let mut tasks = JoinSet::new();
    let queues = Queues::start(&shared, QUEUES, &mut tasks);
    stop.send(true).unwrap();
    push_all(&shared, &queues, &[(1, 7), (2, 8)]);
    drain(queues, &mut tasks).await;

    assert_eq!(script.attempts(1), 1, "no retries while stopping");
    assert_eq!(script.committed(), vec![(2, 8)]);
    assert_eq!(
        shared.progress().offset(),
        Some(1),
        "Telegram hands it out again after the restart"
    );
}

#[tokio::test]
async fn a_batch_with_one_poisoned_update_still_commits_the_others_in_order() {
    // Chats 7, 23 and 39 share a queue: their updates come as one batch.
    let script = Script::new(&[(2, u32::MAX)]);
    let (_stop, stopping) = watch::channel(false);
    let shared = shared(&script, stopping);
    let mut tasks = JoinSet::new();
    let queues = Queues::start(&shared, QUEUES, &mut tasks);
    push_all(
        &shared,
        &queues,
        &[(1, 7), (2, 23), (3, 39), (4, 7), (5, 23)],
    );
    drain(queues, &mut tasks).await;

    assert_eq!(script.batches.lock().unwrap()[0], 5, "one batch at first");
    assert_eq!(script.attempts(2), QUICK.attempts as usize);
    assert_eq!(
        script.committed(),
        vec![(1, 7), (3, 39), (4, 7), (5, 23)],
        "the others committed, each chat in order, chat 23's later update after the poisoned one"
    );
    assert_eq!(shared.progress().offset(), Some(6));
}

#[tokio::test]
async fn a_batch_never_holds_more_than_the_configured_number_of_updates() {
    let script = Script::new(&[]);
    let (_stop, stopping) = watch::channel(false);
    let shared = Arc::new(Shared {
        batch: 3,
        ..Arc::into_inner(shared(&script, stopping)).unwrap()
    });
    let mut tasks = JoinSet::new();
    let queues = Queues::start(&shared, QUEUES, &mut tasks);
    let updates: Vec<(i64, i64)> = (1..=7).map(|id| (id, 7)).collect();
    push_all(&shared, &queues, &updates);
    drain(queues, &mut tasks).await;

    assert_eq!(*script.batches.lock().unwrap(), vec![3, 3, 1]);
    assert_eq!(script.committed(), updates);
}

#[test]
fn a_chat_always_lands_in_the_same_queue_and_every_queue_is_in_range() {
    for chat in [-1_001_234_567_890_i64, -1, 0, 1, 7001, i64::MAX, i64::MIN] {
        assert!(queue_of(ChatId(chat), QUEUES) < QUEUES);
        assert_eq!(
            queue_of(ChatId(chat), QUEUES),
            queue_of(ChatId(chat), QUEUES)
        );
    }
    assert_ne!(queue_of(ChatId(1), QUEUES), queue_of(ChatId(2), QUEUES));
}
