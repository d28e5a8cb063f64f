//! Delivery when things go wrong for one message or one process: a crash
//! does not freeze a chat, a message Telegram refuses does not hold the next
//! one, and a text longer than Telegram allows arrives whole, in parts.

use std::time::{Duration, Instant};

use hotline::clock::Clock;
use hotline::domain::{Category, ChatId, Role};
use hotline::outbox::limits::{MAX_TEXT_UNITS, units};
use hotline::outbox::{InlineButton, Keyboard, Lane, OutMessage};
use hotline_standin::Faults;

use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp, alerts};

#[tokio::test]
async fn after_a_crash_the_residents_next_answer_comes_without_waiting_for_the_lease() {
    let mut app = TestApp::spawn_with(STAFF).await;
    let r = app.resident(2100, "居民");
    r.send("/report").await.unwrap();
    r.press("漏水").await.unwrap();
    // Telegram answers slowly: the next prompt is on its way when the bot dies.
    app.standin.set_faults(Some(Faults {
        fail_share: 1.0,
        slow: Some(Duration::from_secs(3)),
        ..Faults::default()
    }));
    app.standin.send_text(&r.user, "燕山小区 3号楼");
    let deadline = Instant::now() + WAIT;
    while app.store().outbox_counts().await.unwrap().sending == 0 {
        assert!(Instant::now() < deadline, "the prompt never left");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The claim lease is 60 s of the bot's clock, which does not move here.
    app.crash_and_restart().await;
    app.standin.set_faults(None);
    let restarted = Instant::now();
    let before = r.shown().len();
    app.standin.send_text(&r.user, "管道爆了");
    app.standin
        .wait_for_shown(r.chat_id(), WAIT, |s| {
            s[before..].iter().any(|m| m.text.contains("请核对"))
        })
        .await
        .unwrap();
    let took = restarted.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "answered {took:?} after the restart"
    );
    let prompts = r
        .shown()
        .iter()
        .filter(|m| m.text.starts_with("第 3/4 步"))
        .count();
    assert!(prompts <= 2, "at most one duplicate: {prompts} prompts");
    app.stop().await;
}

/// A button whose callback data is longer than Telegram's 64 bytes.
fn oversized_button() -> Keyboard {
    Keyboard::inline(vec![vec![InlineButton {
        text: "?".into(),
        data: "x".repeat(65),
    }]])
}

#[tokio::test]
async fn a_message_telegram_refuses_does_not_delay_the_next_one_to_that_chat() {
    let app = TestApp::spawn().await;
    let chat = 2200;
    // The chat exists: a resident said hello.
    app.resident(chat, "居民").send("/start").await.unwrap();
    let mut tx = app.store().begin().await.unwrap();
    let now = hotline::clock::to_millis(app.clock.now());
    let refused = OutMessage::with_keyboard(ChatId(chat), "refused", oversized_button());
    tx.enqueue(Lane::Reply, &refused, now).await.unwrap();
    tx.enqueue(Lane::Reply, &OutMessage::text(ChatId(chat), "next"), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let enqueued = Instant::now();
    let shown = app
        .standin
        .wait_for_shown(chat, WAIT, |s| s.iter().any(|m| m.text == "next"))
        .await
        .unwrap();
    let took = enqueued.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "the next message took {took:?}"
    );
    assert!(
        shown.iter().all(|m| m.text != "refused"),
        "the refused one is not shown"
    );
    let tries = app
        .standin
        .calls_to("sendmessage")
        .iter()
        .filter(|c| c.body["text"] == "refused")
        .count();
    assert_eq!(tries, 1, "a 400 is not retried");
    let failed = failed_reasons(&app).await;
    assert_eq!(failed, vec!["Bad Request: BUTTON_DATA_INVALID".to_owned()]);
    app.stop().await;
}

/// The reasons recorded for messages given up, read straight from the table.
async fn failed_reasons(app: &TestApp) -> Vec<String> {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&app.config.database.url)
        .await
        .unwrap();
    let reasons = sqlx::query_scalar("SELECT last_error FROM outbox WHERE status = 'failed'")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let _ = conn.close().await;
    reasons
}

#[tokio::test]
async fn details_of_an_escalation_with_200_reports_arrive_complete() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    app.seed_reports(30_000, 200, Category::Outage, "yanshan")
        .await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let manager = app.staff(&duty);
    let details = manager.press("详情").await.unwrap();
    assert!(details.len() > 1, "one message cannot hold 200 reports");
    let text: String = details.iter().map(|m| m.text.as_str()).collect();
    for report in app.reports().await {
        assert!(text.contains(&report.ticket), "{} missing", report.ticket);
    }
    assert!(details.iter().all(|m| units(&m.text) <= MAX_TEXT_UNITS));
    assert_eq!(app.store().outbox_counts().await.unwrap().failed, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_hung_request_gives_way_and_the_alert_arrives_within_seconds() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    // Telegram takes the request and does not answer for 20 s.
    app.standin.set_faults(Some(Faults {
        fail_share: 1.0,
        slow: Some(Duration::from_secs(20)),
        ..Faults::default()
    }));
    let started = Instant::now();
    app.seed_reports(2300, 1, Category::Leak, "yanshan").await;
    while app.store().outbox_counts().await.unwrap().sending == 0 {
        assert!(started.elapsed() < WAIT, "the alert never left");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.standin.set_faults(None);
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "the alert took {took:?}");
    app.stop().await;
}
