//! The worker against a real SQLite file and a scripted [`Deliver`]: what
//! one failing message does to the rest of its chat.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use super::{Deliver, DeliveryError, Lane, OutMessage, OutboxWorker, pacing::Pacing};
use crate::clock::{Clock, TestClock, to_millis};
use crate::store::Store;

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
        tx.enqueue(Lane::Reply, &OutMessage::text(42, text), now)
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
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.sent, counts.pending), (1, 1), "still retried");
    task.abort();
}
