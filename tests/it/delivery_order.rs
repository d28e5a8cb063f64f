//! The order replies leave in when there is a backlog: every chat's first
//! waiting message before any chat's second.

use std::time::Duration;

use hotline::clock::{Clock, to_millis};
use hotline::outbox::{Lane, OutMessage};

use crate::helpers::TestApp;

#[tokio::test]
async fn a_first_time_residents_greeting_goes_before_a_backlog_of_follow_ups_to_others() {
    let app = TestApp::spawn().await;
    let now = to_millis(app.clock.now());
    let mut tx = app.store().begin().await.unwrap();
    // Forty busy chats with five replies each waiting: 200 messages, 8 s at 24/s.
    for n in 0..5 {
        for chat in 3000..3040 {
            let text = format!("follow-up {n} to {chat}");
            tx.enqueue(Lane::Reply, &OutMessage::text(chat, text), now)
                .await
                .unwrap();
        }
    }
    tx.enqueue(Lane::Reply, &OutMessage::text(3999, "welcome"), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.standin
        .wait_for_shown(3999, Duration::from_secs(30), |s| !s.is_empty())
        .await
        .unwrap();
    let sends = app.standin.calls_to("sendmessage");
    let position = sends
        .iter()
        .position(|c| c.body["text"] == "welcome")
        .unwrap();
    // After the forty first replies at most, not after all 200.
    assert!(position <= 45, "the greeting was send number {position}");
    app.stop().await;
}

#[tokio::test]
async fn a_prompt_made_obsolete_by_a_newer_one_is_not_sent() {
    let app = TestApp::spawn().await;
    let chat = 3500;
    let now = to_millis(app.clock.now());
    let mut tx = app.store().begin().await.unwrap();
    let first = OutMessage::text(chat, "第 2/5 步：在哪里？");
    tx.enqueue_superseding(Lane::Reply, &first, "prompt", now)
        .await
        .unwrap();
    tx.enqueue(Lane::Reply, &OutMessage::text(chat, "好的"), now)
        .await
        .unwrap();
    let again = OutMessage::text(chat, "第 2/5 步（再试一次）：在哪里？");
    let (_, dropped) = tx
        .enqueue_superseding(Lane::Reply, &again, "prompt", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(dropped, 1);
    let shown = app
        .standin
        .wait_for_shown(chat, Duration::from_secs(30), |s| s.len() == 2)
        .await
        .unwrap();
    let texts: Vec<&str> = shown.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["好的", "第 2/5 步（再试一次）：在哪里？"]);
    let counts = app.store().outbox_counts().await.unwrap();
    assert_eq!((counts.sent, counts.dropped), (2, 1));
    app.stop().await;
}
