//! Unexpected input gets a short, friendly answer and the current step again.

use hotline_standin::texts;

use crate::helpers::TestApp;
use crate::intake::walk_to_step;
use hotline::domain::ChatId;

/// The notice shown for the latest button press.
async fn callback_answer(app: &TestApp) -> String {
    let id = app.standin.last_callback_id().unwrap();
    let answer = app
        .standin
        .wait_for_callback_answer(&id, std::time::Duration::from_secs(5))
        .await;
    answer.unwrap().unwrap_or_default()
}

#[tokio::test]
async fn stickers_voice_and_misplaced_photos_get_a_hint_and_the_step_again() {
    let app = TestApp::spawn().await;
    let r = app.resident(5001, "吴");
    walk_to_step(&r, 1).await;
    let sticker = r.send_sticker().await.unwrap();
    assert!(sticker[0].text.contains("看不懂"), "{:?}", texts(&sticker));
    assert!(
        sticker[1].text.starts_with("第 1/4 步"),
        "the step again: {:?}",
        texts(&sticker)
    );

    let typed = r.send("我家没水").await.unwrap();
    assert!(
        typed[0].text.contains("请点上面的按钮"),
        "text when a button is expected: {:?}",
        texts(&typed)
    );
    assert!(typed[1].text.starts_with("第 1/4 步"));

    r.press("停水").await.unwrap();
    let photo = r.send_photo("photo-1", None).await.unwrap();
    assert!(
        photo[0].text.contains("需要文字"),
        "photo when text is expected: {:?}",
        texts(&photo)
    );
    assert!(photo[1].text.starts_with("第 2/4 步"));

    let voice = r.send_voice().await.unwrap();
    assert!(voice[0].text.contains("看不懂") && voice[1].text.starts_with("第 2/4 步"));

    // Outside a report, a voice message gets the help text.
    let idle = app.resident(5002, "郑");
    let help = idle.send_voice().await.unwrap();
    assert!(help[0].text.contains("/report"), "{:?}", texts(&help));
    app.stop().await;
}

#[tokio::test]
async fn a_four_thousand_character_description_is_stored_truncated() {
    let app = TestApp::spawn().await;
    let r = app.resident(5003, "冯");
    walk_to_step(&r, 3).await;
    let essay: String = "水".repeat(4000);
    let reply = r.send(&essay).await.unwrap();
    assert!(
        reply[0].text.contains("已保存前 1000 个字"),
        "{:?}",
        texts(&reply)
    );
    assert!(reply[1].text.starts_with("第 4/4 步"));
    r.send("⏭ 跳过 Skip").await.unwrap();
    r.press("确认提交").await.unwrap();
    let row = &app.reports().await[0];
    assert_eq!(row.description.chars().count(), 1000);
    assert_eq!(row.description_truncated, 1);
    app.stop().await;
}

#[tokio::test]
async fn stale_and_forged_buttons_are_answered_and_change_nothing() {
    let app = TestApp::spawn().await;
    let r = app.resident(5004, "陈");
    walk_to_step(&r, 1).await;
    let (category_msg, outage) = r.find_button("停水").unwrap();
    r.press("停水").await.unwrap();

    // The same category button again, now stale.
    let stale = r.press_data(category_msg, &outage).await.unwrap();
    assert!(callback_answer(&app).await.contains("过期"));
    assert!(
        stale.last().unwrap().text.starts_with("第 2/4 步"),
        "still at step 2: {:?}",
        texts(&stale)
    );

    let forged = r.press_data(category_msg, "w:999:conf:ok").await.unwrap();
    assert!(callback_answer(&app).await.contains("过期"));
    assert!(forged.last().unwrap().text.starts_with("第 2/4 步"));

    let garbage = r.press_data(category_msg, "💣 not ours").await.unwrap();
    assert!(callback_answer(&app).await.contains("无法识别"));
    assert!(garbage.last().unwrap().text.starts_with("第 2/4 步"));
    assert!(
        app.reports().await.is_empty(),
        "no forged confirm went through"
    );

    // A button from a finished dialogue.
    let idle = app.resident(5005, "褚");
    let hint = idle.press_data(1, "w:1:cat:outage").await.unwrap();
    assert!(callback_answer(&app).await.contains("过期"));
    assert!(hint[0].text.contains("/report"));
    app.stop().await;
}

#[tokio::test]
async fn a_group_chat_is_asked_to_write_privately() {
    let app = TestApp::spawn().await;
    let r = app.resident(5006, "卫");
    app.standin.send_text_in_group(&r.user, -100_500, "/report");
    let shown = app
        .standin
        .wait_for_shown(-100_500, std::time::Duration::from_secs(10), |s| {
            !s.is_empty()
        })
        .await
        .unwrap();
    assert!(
        shown[0].text.contains("私聊") && shown[0].text.contains("@hotline_test_bot"),
        "{:?}",
        shown[0].text
    );
    assert!(
        app.store()
            .dialogue_state(ChatId(-100_500))
            .await
            .unwrap()
            .is_none(),
        "no dialogue in a group"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_resident_sending_too_fast_is_slowed_down_politely() {
    let app =
        TestApp::spawn_with("[limits]\nmessages_per_minute = 6\nreports_per_hour = 1\n").await;
    let r = app.resident(5007, "蒋");
    for _ in 0..6 {
        r.send("你好").await.unwrap();
    }
    let slow = r.send("你好").await.unwrap();
    assert!(slow[0].text.contains("太快"), "{:?}", texts(&slow));
    // One notice, not one per message: while over the limit the bot stays quiet.
    assert!(r.send("你好").await.unwrap().is_empty());
    assert!(r.send("/my").await.unwrap().is_empty());

    // A minute later they may go on; one report an hour is the limit here.
    app.clock.advance(chrono::Duration::minutes(2));
    walk_to_step(&r, 4).await;
    r.press("确认提交").await.unwrap();
    app.clock.advance(chrono::Duration::minutes(2));
    let refused = r.send("/report").await.unwrap();
    assert!(
        refused[0].text.contains("一小时内已提交 1 条"),
        "{:?}",
        texts(&refused)
    );
    app.stop().await;
}
