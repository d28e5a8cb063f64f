//! Paid broadcasts (`telegram.paid_broadcast`): incident updates reach
//! subscribers beyond Telegram's 30 messages/s, up to a daily cap.

use std::time::{Duration, Instant};

use hotline::domain::{Category, Role};
use hotline_standin::Call;

use crate::helpers::{STAFF, TestApp};

const UPDATE: &str = "/update 1 管道已修复，正在恢复供水 eta 01:30";

/// The demo staff, with paid broadcasts on under `cap`.
fn paid(cap: u32) -> String {
    format!("[telegram]\npaid_broadcast = true\npaid_broadcast_daily_cap = {cap}\n{STAFF}")
}

/// Seeds `n` subscribers of incident #1, sends the update and waits until
/// every one of them has it; returns the update's sendMessage calls.
async fn update_reaches_all(app: &TestApp, n: i64) -> Vec<Call> {
    app.seed_reports(6000, n, Category::Outage, "yanshan").await;
    let manager = app.staff(&app.on_call(Role::DutyManager));
    manager.send(UPDATE).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let updated = |i: i64| {
        app.standin
            .shown(6000 + i)
            .iter()
            .any(|m| m.text.contains("正在恢复供水"))
    };
    while !(0..n).all(updated) {
        assert!(
            Instant::now() < deadline,
            "not all subscribers got the update"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.standin
        .calls_to("sendMessage")
        .into_iter()
        .filter(|c| c.ok)
        .filter(|c| {
            c.body["text"]
                .as_str()
                .is_some_and(|t| t.contains("正在恢复供水"))
        })
        .collect()
}

fn is_paid(call: &Call) -> bool {
    call.body["allow_paid_broadcast"].as_bool() == Some(true)
}

#[tokio::test]
async fn with_paid_broadcasts_an_update_reaches_three_hundred_subscribers_at_once() {
    let app = TestApp::spawn_with(&paid(10_000)).await;
    let started = Instant::now();
    let calls = update_reaches_all(&app, 300).await;
    assert_eq!(calls.len(), 300);
    assert!(calls.iter().all(is_paid), "every copy is a paid broadcast");
    assert_eq!(app.standin.count_429(), 0, "no 429 during the broadcast");
    // At the free 30/s (24/s with headroom) 300 copies take 12.5 s at least.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "paid copies are not held to 30/s: {:?}",
        started.elapsed()
    );
    app.stop().await;
}

#[tokio::test]
async fn beyond_the_daily_cap_the_copies_go_as_ordinary_broadcasts() {
    let app = TestApp::spawn_with(&paid(100)).await;
    let calls = update_reaches_all(&app, 150).await;
    assert_eq!(calls.len(), 150);
    assert_eq!(calls.iter().filter(|c| is_paid(c)).count(), 100);
    assert_eq!(app.standin.count_429(), 0);

    // The cap is per day: a second update the same evening is all ordinary.
    let manager = app.staff(&app.on_call(Role::DutyManager));
    manager.send("/update 1 第二次通知").await.unwrap();
    let second = || -> Vec<Call> {
        let calls = app.standin.calls_to("sendMessage").into_iter();
        calls
            .filter(|c| {
                c.ok && c.body["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("第二次通知"))
            })
            .filter(|c| c.body["chat_id"].as_i64().is_some_and(|id| id >= 6000))
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    while second().len() < 150 {
        assert!(
            Instant::now() < deadline,
            "not all subscribers got the second update"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!second().iter().any(is_paid));
    app.stop().await;
}

#[tokio::test]
async fn paid_broadcasts_are_off_by_default() {
    let app = TestApp::spawn_with(STAFF).await;
    let calls = update_reaches_all(&app, 30).await;
    assert_eq!(calls.len(), 30);
    assert!(
        !app.standin.calls().iter().any(is_paid),
        "no call carries allow_paid_broadcast"
    );
    app.stop().await;
}
