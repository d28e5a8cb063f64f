//! The worker while calls hang (issue 27, faster through faults): hung
//! calls do not hold every slot, and an alert whose call hangs gets its one
//! second attempt, so it leaves within the alert timeout; WeChat rows beside
//! Telegram's budget.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::{Deliver, DeliveryError, Lane, OutMessage, OutboxWorker, pacing::Pacing};
use crate::clock::{Clock, TestClock, to_millis};
use crate::domain::ChatId;
use crate::store::Store;

/// Never answers a text starting "hang"; the first call for a text starting
/// "slow alert" hangs too. Records each call and each answer.
#[derive(Clone, Default)]
struct Hanging {
    calls: Arc<Mutex<Vec<String>>>,
    answered: Arc<Mutex<Vec<(String, Instant)>>>,
}

impl Deliver for Hanging {
    async fn deliver(&self, message: &OutMessage) -> Result<Option<i32>, DeliveryError> {
        let text = message.text_shown().unwrap_or_default().to_owned();
        let first = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(text.clone());
            calls.iter().filter(|t| **t == text).count() == 1
        };
        if text.starts_with("hang") || (first && text.starts_with("slow alert")) {
            std::future::pending::<()>().await;
        }
        self.answered.lock().unwrap().push((text, Instant::now()));
        Ok(Some(1))
    }
}

/// A worker on a fresh SQLite file; the store and its wake-up.
async fn running(deliver: &Hanging, dir: &tempfile::TempDir) -> (Store, Arc<Notify>) {
    let url = format!("sqlite://{}", dir.path().join("outbox.db").display());
    let store = Store::connect(&url, 2).await.unwrap();
    let clock = TestClock::starting_at(chrono::Utc::now());
    let wake = Arc::new(Notify::new());
    let worker = OutboxWorker::new(
        store.clone(),
        deliver.clone(),
        Arc::new(clock),
        wake.clone(),
        Pacing::default(),
    );
    tokio::spawn(worker.run());
    (store, wake)
}

async fn enqueue(store: &Store, lane: Lane, chat_id: ChatId, text: &str) {
    let now = to_millis(TestClock::starting_at(chrono::Utc::now()).now());
    let mut tx = store.begin().await.unwrap();
    let message = OutMessage::text(chat_id, text);
    tx.enqueue(lane, &message, now).await.unwrap();
    tx.commit().await.unwrap();
}

/// Waits (up to 10 s) for `text` to be answered; how long that took.
async fn answered_within(deliver: &Hanging, text: &str, from: Instant) -> Duration {
    loop {
        let answered = deliver.answered.lock().unwrap().clone();
        if let Some((_, at)) = answered.iter().find(|(t, _)| t == text) {
            return *at - from;
        }
        assert!(
            from.elapsed() < Duration::from_secs(10),
            "{text} never left"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_alert_leaves_within_the_alert_timeout_while_every_slot_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let deliver = Hanging::default();
    let (store, wake) = running(&deliver, &dir).await;
    let pacing = Pacing::default();
    for chat in 1..=pacing.max_in_flight as i64 * 2 {
        enqueue(&store, Lane::Reply, ChatId(chat), &format!("hang {chat}")).await;
    }
    wake.notify_one();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(deliver.calls.lock().unwrap().len(), pacing.max_in_flight);

    let at = Instant::now();
    enqueue(&store, Lane::Alert, ChatId(500), "alert").await;
    wake.notify_one();
    let took = answered_within(&deliver, "alert", at).await;
    assert!(took < pacing.alert_timeout, "the alert took {took:?}");
    // Sixteen calls hang, none has reached its limit: still a reply leaves.
    let at = Instant::now();
    enqueue(&store, Lane::Reply, ChatId(501), "a reply").await;
    wake.notify_one();
    let took = answered_within(&deliver, "a reply", at).await;
    assert!(
        took < pacing.send_timeout,
        "hung calls freed their slots: {took:?}"
    );
}

#[tokio::test]
async fn an_alert_whose_call_hangs_goes_out_by_its_second_attempt_once() {
    let dir = tempfile::tempdir().unwrap();
    let deliver = Hanging::default();
    let (store, wake) = running(&deliver, &dir).await;
    let pacing = Pacing::default();
    let at = Instant::now();
    enqueue(&store, Lane::Alert, ChatId(500), "slow alert").await;
    wake.notify_one();
    let took = answered_within(&deliver, "slow alert", at).await;
    assert!(
        took >= pacing.alert_timeout && took < pacing.alert_timeout + Duration::from_secs(1),
        "{took:?}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let calls = deliver.calls.lock().unwrap().clone();
    assert_eq!(
        calls,
        vec!["slow alert", "slow alert"],
        "two calls, no third"
    );
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!(counts.sent, 1);
}

/// Sends `n` replies to chats from `first` on; how long from the first
/// answer to the last.
async fn span_of(n: i64, first: i64) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let deliver = Hanging::default();
    let (store, wake) = running(&deliver, &dir).await;
    for k in 0..n {
        enqueue(&store, Lane::Reply, ChatId(first + k), &format!("to {k}")).await;
    }
    wake.notify_one();
    let at = Instant::now();
    loop {
        let answered = deliver.answered.lock().unwrap().clone();
        if answered.len() == n as usize {
            let times = answered.iter().map(|(_, t)| *t);
            return times.clone().max().unwrap() - times.min().unwrap();
        }
        assert!(at.elapsed() < Duration::from_secs(20), "not all sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn wechat_residents_messages_use_none_of_telegrams_budget() {
    // Telegram's ~30 a second: 90 messages to 90 chats take over 2 s.
    let telegram = span_of(90, 1).await;
    assert!(telegram >= Duration::from_secs(2), "{telegram:?}");
    // The same to 90 WeChat residents: as fast as the worker goes.
    let wechat = span_of(90, ChatId::WECHAT_BASE).await;
    assert!(wechat < Duration::from_millis(1500), "{wechat:?}");
}
