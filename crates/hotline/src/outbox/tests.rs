//! The worker against a real SQLite file and a scripted [`Deliver`]: what
//! one failing message does to the rest of its chat.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use super::{Deliver, DeliveryError, Keyboard, Lane, OutMessage, OutboxWorker, pacing::Pacing};
use crate::clock::{Clock, TestClock, to_millis};
use crate::domain::ChatId;
use crate::store::Store;

/// The due rows at `now_ms` in the worker's order (a page of 100).
async fn due_at(store: &Store, now_ms: i64) -> Vec<crate::store::DueRow> {
    store.outbox_due(now_ms, 100).await.unwrap()
}

/// Fails every send whose text starts with "broken" (as a 5xx would), and
/// records the texts of the others.
#[derive(Clone, Default)]
struct Scripted {
    /// Each text sent, with how many failed attempts had been made by then.
    sent: Arc<Mutex<Vec<(String, usize)>>>,
    failed: Arc<Mutex<usize>>,
}

impl Deliver for Scripted {
    async fn deliver(&self, message: &OutMessage) -> Result<Option<i32>, DeliveryError> {
        let OutMessage::Send { text, .. } = message else {
            return Ok(None);
        };
        let mut failed = self.failed.lock().unwrap();
        if text.starts_with("broken") {
            *failed += 1;
            return Err(DeliveryError::Transient("500 Internal Server Error".into()));
        }
        let mut sent = self.sent.lock().unwrap();
        sent.push((text.clone(), *failed));
        Ok(Some(sent.len() as i32))
    }
}

#[tokio::test]
async fn a_message_that_keeps_failing_stops_holding_its_chat_after_a_few_attempts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("outbox.db").display());
    let store = Store::connect(&url, 2).await.unwrap();
    let clock = TestClock::starting_at(chrono::Utc::now());
    let now = to_millis(clock.now());
    let mut tx = store.begin().await.unwrap();
    for text in ["broken", "after it"] {
        tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(42), text), now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let deliver = Scripted::default();
    let worker = OutboxWorker::new(
        store.clone(),
        deliver.clone(),
        Arc::new(clock.clone()),
        Arc::new(Notify::new()),
        Pacing::default(),
    );
    let task = tokio::spawn(worker.run());
    // Backoffs run on the bot's clock: move it along.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while deliver.sent.lock().unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the chat stayed held");
        clock.advance(chrono::Duration::milliseconds(500));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sent = deliver.sent.lock().unwrap().clone();
    assert_eq!(sent[0].0, "after it");
    assert!(sent[0].1 <= 3, "held for {} failed attempts", sent[0].1);
    // The send is recorded just after the call returns: wait for the mark.
    let mut counts = store.outbox_counts().await.unwrap();
    while counts.sent == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        counts = store.outbox_counts().await.unwrap();
    }
    assert_eq!((counts.sent, counts.pending), (1, 1), "still retried");
    task.abort();
}

async fn sqlite(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}", dir.path().join("outbox.db").display());
    Store::connect(&url, 2).await.unwrap()
}

#[tokio::test]
async fn only_the_head_of_each_chats_queue_is_due_in_send_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    let now = 1_000_000;
    let mut tx = store.begin().await.unwrap();
    for round in 0..3 {
        for chat in 1..=50 {
            let text = format!("{chat}/{round}");
            tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(chat), &text), now)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    let due = due_at(&store, now).await;
    let chats: Vec<i64> = due.iter().map(|r| r.chat_id.0).collect();
    assert_eq!(
        chats,
        (1..=50).collect::<Vec<_>>(),
        "one per chat, first round first"
    );
    assert_eq!(due[0].id, 1, "each chat's oldest row");
    // The head moves on when it is sent, and only then.
    let claimed = store.outbox_claim(&[due[0].id], 7, now).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let due = due_at(&store, now).await;
    assert!(
        due.iter().all(|r| r.chat_id != ChatId(1)),
        "chat 1 is sending"
    );
    sent(&store, 1, ChatId(1), now).await;
    let due = due_at(&store, now).await;
    let next_of_1 = due.iter().find(|r| r.chat_id == ChatId(1)).unwrap();
    assert_eq!(
        next_of_1.id, 51,
        "chat 1's second message, after every chat's first"
    );
    assert_eq!(due.last().unwrap().id, 51);
}

#[tokio::test]
async fn a_message_held_for_later_lets_its_chat_go_on_and_goes_first_once_due() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    let now = 1_000_000;
    let mut tx = store.begin().await.unwrap();
    let held = OutMessage::text(ChatId(5), "after quiet hours");
    tx.enqueue_at(Lane::Alert, &held, now, now + 60_000)
        .await
        .unwrap();
    for text in ["now 1", "now 2"] {
        tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(5), text), now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    store.outbox_tidy_heads(now).await.unwrap();
    let due = due_at(&store, now).await;
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), vec![2]);
    // The held row comes due while "now 2" still waits: it goes first.
    let later = now + 60_000;
    assert_eq!(store.outbox_tidy_heads(later).await.unwrap(), 1);
    let due = due_at(&store, later).await;
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1]);
}

#[tokio::test]
async fn a_dropped_head_hands_its_chat_to_the_next_message() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    let now = 1_000_000;
    let mut tx = store.begin().await.unwrap();
    tx.enqueue_keyed(
        Lane::Reply,
        &OutMessage::text(ChatId(9), "step 2?"),
        "prompt",
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // Another writer queues behind it, then the prompt is asked again.
    let mut tx = store.begin().await.unwrap();
    tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(9), "noted"), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.drop_superseded(ChatId(9), "prompt").await.unwrap(), 1);
    tx.enqueue_keyed(
        Lane::Reply,
        &OutMessage::text(ChatId(9), "step 2 again?"),
        "prompt",
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(due_at(&store, now).await.is_empty());
    store.outbox_tidy_heads(now).await.unwrap();
    let due = due_at(&store, now).await;
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), vec![2]);
    store.outbox_claim(&[2], 7, now).await.unwrap();
    sent(&store, 2, ChatId(9), now).await;
    let due = due_at(&store, now).await;
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), vec![3]);
}

#[tokio::test]
async fn a_first_answer_goes_first_then_a_receipt_then_further_questions() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    let start = 1_000_000;
    // Chats 1 and 2 were answered a minute ago; chat 3 writes for the first time.
    let mut tx = store.begin().await.unwrap();
    for chat in [1, 2] {
        let first = OutMessage::text(ChatId(chat), "welcome");
        tx.enqueue(Lane::Reply, &first, start).await.unwrap();
    }
    tx.commit().await.unwrap();
    for (id, chat) in [(1, 1), (2, 2)] {
        store.outbox_claim(&[id], 7, start).await.unwrap();
        sent(&store, id, ChatId(chat), start).await;
    }
    let now = start + 60_000;
    let mut tx = store.begin().await.unwrap();
    let button = crate::domain::InlineButton {
        text: "Cancel".into(),
        data: "c".into(),
    };
    let question = Keyboard::inline(vec![vec![button]]);
    let typed = OutMessage::with_keyboard(ChatId(1), "next step?", question);
    let pressed = OutMessage::Edit {
        chat_id: ChatId(2),
        message_id: 1,
        text: "ticket 42".into(),
        keyboard: Keyboard::Keep,
    };
    let first = OutMessage::text(ChatId(3), "welcome");
    for message in [&typed, &pressed, &first] {
        tx.enqueue(Lane::Reply, message, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    let due = due_at(&store, now).await;
    let chats: Vec<i64> = due.iter().map(|r| r.chat_id.0).collect();
    assert_eq!(chats, vec![3, 2, 1]);
    // Ten minutes of silence later, a chat's next message is a first answer again.
    let much_later = now + 11 * 60_000;
    let mut tx = store.begin().await.unwrap();
    let back = OutMessage::text(ChatId(1), "welcome back");
    let id = tx.enqueue(Lane::Reply, &back, much_later).await.unwrap();
    tx.commit().await.unwrap();
    let due = due_at(&store, much_later).await;
    assert_eq!(
        due.iter().map(|r| r.chat_id.0).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    assert_ne!(
        due[2].id, id,
        "chat 1's earlier message still goes first in its chat"
    );
}

/// WeChat cannot be reached; Telegram answers.
#[derive(Clone, Default)]
struct WechatDown {
    wechat_tries: Arc<Mutex<usize>>,
    telegram_sent: Arc<Mutex<Vec<String>>>,
}

impl Deliver for WechatDown {
    async fn deliver(&self, message: &OutMessage) -> Result<Option<i32>, DeliveryError> {
        if message.chat_id().is_wechat() {
            *self.wechat_tries.lock().unwrap() += 1;
            return Err(DeliveryError::Unreachable("connection refused".into()));
        }
        let text = message.text_shown().unwrap_or_default().to_owned();
        self.telegram_sent.lock().unwrap().push(text);
        Ok(Some(1))
    }
}

#[tokio::test]
async fn wechat_out_of_reach_does_not_hold_telegrams_messages() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    let clock = TestClock::starting_at(chrono::Utc::now());
    let now = to_millis(clock.now());
    let mut tx = store.begin().await.unwrap();
    for n in 1..=5 {
        let chat = ChatId(ChatId::WECHAT_BASE + n);
        tx.enqueue(Lane::Reply, &OutMessage::text(chat, "to wechat"), now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let deliver = WechatDown::default();
    let wake = Arc::new(Notify::new());
    let worker = OutboxWorker::new(
        store.clone(),
        deliver.clone(),
        Arc::new(clock.clone()),
        wake.clone(),
        Pacing::default(),
    );
    let task = tokio::spawn(worker.run());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while *deliver.wechat_tries.lock().unwrap() < 5 {
        assert!(std::time::Instant::now() < deadline, "WeChat not tried");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut tx = store.begin().await.unwrap();
    let alert = OutMessage::text(ChatId(42), "alert");
    tx.enqueue(Lane::Alert, &alert, now).await.unwrap();
    tx.commit().await.unwrap();
    let enqueued = std::time::Instant::now();
    wake.notify_one();
    while deliver.telegram_sent.lock().unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "never sent");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Had Telegram's breaker tripped on WeChat's failures, the alert would
    // wait for its probe, `PROBE_EVERY` (2 s) after them; woken, it goes in
    // milliseconds (the bound leaves a loaded machine a second).
    let waited = enqueued.elapsed();
    assert!(
        waited < Duration::from_secs(1),
        "held {waited:?} by WeChat's outage"
    );
    task.abort();
}

/// Records row `id` of `chat_id` sent at `now_ms`, as the worker does.
async fn sent(store: &Store, id: i64, chat_id: ChatId, now_ms: i64) {
    let mark = crate::store::Mark::Sent {
        id,
        chat_id,
        message_id: Some(1),
    };
    let marks = vec![(Lane::Reply, mark)];
    store.outbox_mark(now_ms, marks).await.unwrap();
}
