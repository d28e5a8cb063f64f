//! Edits to a WeChat chat (issue 28), through the real outbox and client
//! against the stand-in: WeChat cannot edit a message, so an edit that only
//! records a press is not sent, and one with something new goes as a new
//! message; both are recorded sent.

use hotline::clock::{Clock, to_millis};
use hotline::domain::Keyboard;
use hotline::outbox::{Lane, OutMessage};

use crate::wechat_send::{chat_of, turn, wechat_app};

#[tokio::test]
async fn a_press_only_edit_is_not_sent_and_a_changed_text_goes_as_a_new_message() {
    let (app, wechat, _) = wechat_app("").await;
    let o = "oZhou";
    turn(&app, &wechat, o, wechat.text(o, "/start")).await;
    let chat = chat_of(&app, o).await;
    let edit = |text: String| OutMessage::Edit {
        chat_id: chat,
        message_id: 1,
        text,
        keyboard: Keyboard::Keep,
    };
    let pressed = edit(hotline::texts::answered(
        "第 1/4 步：请选择故障类型。",
        "停水",
    ));
    let receipt = edit("✅ 已提交，工单号 JN-20260209-0001".to_owned());
    let now_ms = to_millis(app.clock.now());
    let mut tx = app.store().begin().await.unwrap();
    for message in [&pressed, &receipt] {
        tx.enqueue(Lane::Reply, message, now_ms).await.unwrap();
    }
    tx.commit().await.unwrap();

    let shown = wechat
        .wait_shown(o, 2, std::time::Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(shown[1].text, "✅ 已提交，工单号 JN-20260209-0001");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.store().outbox_unsent(chat).await.unwrap() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "not recorded");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(app.store().failed_sends(chat, 0).await.unwrap().is_empty());
    let shown = wechat.shown(o);
    assert_eq!(
        shown.len(),
        2,
        "the press-only edit showed nothing: {shown:#?}"
    );
    assert!(!shown.iter().any(|s| s.text.contains("👉")));
    app.stop().await;
}
