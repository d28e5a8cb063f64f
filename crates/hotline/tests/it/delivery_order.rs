//! The order replies leave in when there is a backlog: every chat's first
//! waiting message before any chat's second.

use std::time::Duration;

use hotline::chat::{From, Incoming, Input};
use hotline::clock::{Clock, to_millis};
use hotline::domain::ChatId;
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
            tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(chat), text), now)
                .await
                .unwrap();
        }
    }
    tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(3999), "welcome"), now)
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
    let first = OutMessage::text(ChatId(chat), "第 2/5 步：在哪里？");
    tx.enqueue_superseding(Lane::Reply, &first, "prompt", now)
        .await
        .unwrap();
    tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(chat), "好的"), now)
        .await
        .unwrap();
    let again = OutMessage::text(ChatId(chat), "第 2/5 步（再试一次）：在哪里？");
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
    // The stand-in shows a message before the worker has marked it sent.
    let mut counts = app.store().outbox_counts().await.unwrap();
    for _ in 0..300 {
        if counts.sent == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        counts = app.store().outbox_counts().await.unwrap();
    }
    assert_eq!((counts.sent, counts.dropped), (2, 1));
    app.stop().await;
}

#[tokio::test]
async fn a_question_asked_again_before_the_first_asking_left_replaces_it() {
    let mut app = TestApp::spawn().await;
    let resident = app.resident(3600, "王阿姨");
    resident.send("/report").await.unwrap();
    // The bot is down while the resident types twice where a button is
    // expected: each typing is answered "press a button" plus the question.
    app.halt().await;
    let chat = app.chat_layer();
    for (update_id, text) in [(900_001, "停水了"), (900_002, "没水")] {
        let typed = Incoming {
            update_id,
            user: Some(From {
                id: 3600,
                first_name: "王阿姨".into(),
                language_code: Some("zh-hans".into()),
            }),
            chat_id: ChatId(3600),
            private: true,
            input: Input::Text(text.into()),
        };
        chat.handle(typed).await.unwrap();
    }
    let counts = app.store().outbox_counts().await.unwrap();
    assert_eq!(
        counts.dropped, 2,
        "the first answer and its question are dropped"
    );
    app.resume().await;
    let shown = app
        .standin
        .wait_for_shown(3600, Duration::from_secs(30), |s| {
            s.iter()
                .filter(|m| m.text.contains("请点上面的按钮"))
                .count()
                >= 1
                && s.last().is_some_and(|m| m.text.contains("1/4"))
        })
        .await
        .unwrap();
    let notices = shown
        .iter()
        .filter(|m| m.text.contains("请点上面的按钮"))
        .count();
    assert_eq!(notices, 1, "{shown:#?}");
    app.stop().await;
}
