//! Reaching each manager the way they answer (issue 15): a person's
//! notification rules page by Telegram at once, then SMS, then a call, each
//! after its delay on the test clock, and stop at the acknowledgement.

use hotline::domain::TimelineKind;
use std::time::Duration;

use hotline::domain::Role;
use hotline_standin::sms::{FakeGateway, FakeRequest};

use crate::helpers::{TestApp, alerts};

const WAIT: Duration = Duration::from_secs(30);

/// The demo staff, each with "Telegram at once, SMS after 1 minute, a call
/// after 3 minutes", and a generic gateway that says which channel in its path.
fn staff_with_rules(gateway: &FakeGateway) -> String {
    let rules = "notify = [{ via = \"telegram\" }, { via = \"sms\", after = \"1m\" }, \
                 { via = \"voice\", after = \"3m\" }]";
    let staff = crate::reach_providers::with_phone_rules(rules);
    format!(
        "{staff}\n[gateway]\nkind = \"http\"\nurl = \"{}/{{channel}}\"\nafter = \"5m\"\n",
        gateway.url()
    )
}

/// A leak report from a resident: urgent, so the duty manager is paged at once.
async fn leak(app: &TestApp, user: i64) {
    let r = app.resident(user, "居民");
    r.send("/report").await.unwrap();
    r.press("漏水").await.unwrap();
    let next = r.send("燕山小区 6号楼").await.unwrap();
    if next.last().unwrap().text.contains("楼号") {
        r.send("1号楼").await.unwrap();
    }
    r.send("管道爆了").await.unwrap();
    r.send("⏭ 跳过 Skip").await.unwrap();
    r.press("确认提交").await.unwrap();
}

/// Ticks the engine until the fake gateway has `n` requests.
async fn requests(app: &TestApp, gateway: &FakeGateway, n: usize) -> Vec<FakeRequest> {
    let deadline = std::time::Instant::now() + WAIT;
    while gateway.requests().len() < n {
        assert!(
            std::time::Instant::now() < deadline,
            "gateway got {:?}",
            gateway.requests()
        );
        app.tick();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    gateway.requests()
}

/// Ticks a few times and returns what the gateway has then.
async fn settle(app: &TestApp, gateway: &FakeGateway) -> Vec<FakeRequest> {
    for _ in 0..3 {
        app.tick();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    gateway.requests()
}

/// Waits until no outbox row is being sent (the alert's send time is stored).
async fn alerts_marked(app: &TestApp) {
    while app.store().outbox_counts().await.unwrap().sending > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_persons_rules_page_by_telegram_then_sms_then_voice_and_stop_at_the_ack() {
    let gateway = FakeGateway::start().await.unwrap();
    let app = TestApp::spawn_with(&staff_with_rules(&gateway)).await;
    let duty = app.on_call(Role::DutyManager);
    leak(&app, 1700).await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    alerts_marked(&app).await;
    assert!(settle(&app, &gateway).await.is_empty(), "Telegram first");

    app.clock.advance(chrono::Duration::seconds(61));
    let got = requests(&app, &gateway, 1).await;
    assert_eq!(got[0].path, "/sms", "{got:?}");
    assert_eq!(
        got[0].json().unwrap()["to"],
        duty.phone.clone().unwrap().as_str()
    );
    assert_eq!(
        settle(&app, &gateway).await.len(),
        1,
        "one SMS, not one a tick"
    );

    app.clock.advance(chrono::Duration::minutes(2));
    let got = requests(&app, &gateway, 2).await;
    assert_eq!(got[1].path, "/voice", "{got:?}");
    // The timeline row is written once the provider has answered.
    let deadline = std::time::Instant::now() + WAIT;
    let kinds = loop {
        let kinds: Vec<String> = app
            .store()
            .timeline(1)
            .await
            .unwrap()
            .into_iter()
            .filter(|t| t.kind == TimelineKind::Phoned)
            .map(|t| t.detail)
            .collect();
        if kinds.len() >= 2 || std::time::Instant::now() > deadline {
            break kinds;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        kinds.len() == 2 && kinds[0].starts_with("sms") && kinds[1].starts_with("voice"),
        "{kinds:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_acknowledgement_stops_the_rest_of_the_rules() {
    let gateway = FakeGateway::start().await.unwrap();
    let app = TestApp::spawn_with(&staff_with_rules(&gateway)).await;
    let duty = app.on_call(Role::DutyManager);
    leak(&app, 1701).await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    alerts_marked(&app).await;
    app.clock.advance(chrono::Duration::seconds(61));
    requests(&app, &gateway, 1).await;

    app.staff(&duty).press("确认").await.unwrap();
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.status.code(), "acknowledged");
    app.clock.advance(chrono::Duration::minutes(30));
    assert_eq!(
        settle(&app, &gateway).await.len(),
        1,
        "no call after the acknowledgement"
    );
    app.stop().await;
}
