//! WeChat's passive reply through the real HTTP server and the stand-in
//! (issue 28): each push is answered, in the HTTP response, with the
//! replies it caused, recorded sent once in the outbox; none of them uses
//! the quota of customer-service messages the resident's action opened.

use crate::desk_client::{DeskClient, desk_link, manager};
use crate::helpers::ticket_in;
use crate::wechat_send::{chat_of, turn, wechat_app};

#[tokio::test]
async fn a_quick_wizard_by_menu_presses_is_answered_passively_with_no_quota_used() {
    let (app, wechat, desk) = wechat_app("").await;
    let o = "oQian";
    // A poster's scan, then the wizard as fast as the resident can press.
    let hello = turn(&app, &wechat, o, wechat.scan(o, "c:yangguang")).await;
    assert_eq!(hello.len(), 1, "greeting and first step as one: {hello:#?}");
    assert!(hello[0].text.contains("阳光花园小区") && hello[0].text.contains("1/4"));
    let steps = [
        (wechat.press_labelled(o, "停水").await, "2/4"),
        (wechat.text(o, "3号楼2单元").await, "3/4"),
        (wechat.text(o, "家里没水了").await, "4/4"),
    ];
    for (answer, _) in &steps {
        assert!(answer.as_ref().unwrap().ok());
    }
    let shown = wechat.shown(o);
    for (n, (_, step)) in steps.iter().enumerate() {
        assert!(shown[n + 1].text.contains(step), "{step}: {shown:#?}");
    }
    let done = turn(&app, &wechat, o, wechat.press_labelled(o, "确认提交")).await;
    let ticket = ticket_in(&done[0].text);

    let shown = wechat.shown(o);
    assert_eq!(shown.len(), 5, "one answer a push: {shown:#?}");
    assert!(shown.iter().all(|s| s.passive), "{shown:#?}");
    assert!(wechat.refusals().is_empty(), "{:?}", wechat.refusals());
    assert_eq!(wechat.token_requests(), 0, "no customer-service message");
    let chat = chat_of(&app, o).await;
    assert!(app.store().failed_sends(chat, 0).await.unwrap().is_empty());
    assert_eq!(app.store().outbox_unsent(chat).await.unwrap(), 0);

    let mut browser = DeskClient::new(&desk);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    assert!(page.contains(&ticket), "{page}");
    assert!(!page.contains("未能通过微信") && !page.contains("could not reach"));
    app.stop().await;
}

#[tokio::test]
async fn an_answer_the_response_could_not_carry_goes_back_to_the_worker_once() {
    use hotline::clock::{Clock, to_millis};
    use hotline::outbox::{Lane, OutMessage};

    let (app, wechat, _) = wechat_app("").await;
    let o = "oSun";
    turn(&app, &wechat, o, wechat.text(o, "/start")).await;
    let chat = chat_of(&app, o).await;
    // Taken for a push's answer (marked sent, linked) …
    let now_ms = to_millis(app.clock.now());
    let update = 9_000_000_001;
    let mut tx = app.store().begin().await.unwrap();
    let late = OutMessage::text(chat, "迟到的回复");
    let id = tx.enqueue(Lane::Reply, &late, now_ms).await.unwrap();
    tx.outbox_answered(update, chat, &[id], now_ms)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.store().outbox_unsent(chat).await.unwrap(), 0);
    let mut tx = app.store().begin().await.unwrap();
    assert_eq!(tx.outbox_answer_of(update).await.unwrap(), [late]);
    drop(tx);
    // … but the response went without it: the worker sends it, once.
    app.store().outbox_unanswer(update, chat).await.unwrap();
    let shown = wechat
        .wait_shown(o, 2, std::time::Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(shown[1].text, "迟到的回复");
    assert!(!shown[1].passive, "a customer-service message");
    let mut tx = app.store().begin().await.unwrap();
    assert!(tx.outbox_answer_of(update).await.unwrap().is_empty());
    drop(tx);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.store().outbox_unsent(chat).await.unwrap() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "not recorded sent");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(wechat.shown(o).len(), 2, "sent once");
    app.stop().await;
}
