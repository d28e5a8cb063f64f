//! Delivery to phones: the outbox survives crashes and Telegram trouble,
//! alerts jump the queue and bursts are bundled.

use std::time::Duration;

use hotline::domain::{Detail, EscalationId, PhoneWhy, Role, TimelineKind};
use hotline_standin::sms::{FakeGateway, FakeRequest};
use hotline_standin::{Faults, Resident};

use crate::driver::{WAIT, Wizard};
use crate::helpers::{STAFF, TestApp, alerts};

#[tokio::test]
async fn an_alert_survives_a_crash_between_commit_and_send_and_arrives_once() {
    let mut app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let r = app.resident(1100, "居民");
    r.to_confirm("漏水", "燕山小区 3号楼", "管道爆了").await;
    // Telegram answers slowly: the alert is on its way when the bot dies.
    app.standin.set_faults(Some(Faults {
        fail_share: 1.0,
        slow: Some(Duration::from_secs(3)),
        ..Faults::default()
    }));
    let (message_id, data) = r.find_button("确认提交").unwrap();
    app.standin.press_button(&r.user, message_id, &data);
    let deadline = std::time::Instant::now() + WAIT;
    while app.store().outbox_counts().await.unwrap().sending == 0 {
        assert!(std::time::Instant::now() < deadline, "the alert never left");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.crash_and_restart().await;
    app.standin.set_faults(None);
    assert!(
        alerts(&app.standin.shown(duty.telegram_id)).is_empty(),
        "not delivered before the crash"
    );
    // No lease to wait for: the new worker gives the dead one's row back at start.
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        alerts(&app.standin.shown(duty.telegram_id)).len(),
        1,
        "delivered once"
    );
    assert_eq!(app.reports().await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn with_thirty_percent_of_calls_failing_every_message_is_delivered() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let residents: Vec<Resident> = (0..12).map(|i| app.resident(1200 + i, "居民")).collect();
    residents[0]
        .to_confirm("漏水", "舜耕小区 2号楼", "管道爆了")
        .await;
    let faults = Faults {
        fail_share: 0.3,
        http_500: true,
        too_many: true,
        slow: Some(Duration::from_millis(800)),
        // Seeded: every run meets the same faults in the same order.
        seed: 30,
    };
    app.standin.set_faults(Some(faults));
    let (message_id, data) = residents[0].find_button("确认提交").unwrap();
    app.standin
        .press_button(&residents[0].user, message_id, &data);
    for r in &residents[1..] {
        app.standin.send_text(&r.user, "/start");
    }
    // Backoffs are measured on the bot's clock: move it along while waiting.
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    loop {
        let counts = app.store().outbox_counts().await.unwrap();
        if counts.pending == 0 && counts.sending == 0 {
            let greeted = residents[1..]
                .iter()
                .all(|r| r.shown().iter().any(|m| m.text.contains("您好")));
            if greeted {
                assert_eq!(counts.failed, 0, "nothing given up");
                break;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still undelivered: {counts:?}"
        );
        app.clock.advance(chrono::Duration::seconds(30));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(
        alerts(&app.standin.shown(duty.telegram_id)).len(),
        1,
        "the alert arrived, once"
    );
    let failures = app.standin.calls().iter().filter(|c| !c.ok).count();
    assert!(failures > 0, "faults were injected");
    app.stop().await;
}

#[tokio::test]
async fn a_managers_alert_does_not_wait_behind_a_backlog_of_resident_replies() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let r = app.resident(1300, "居民");
    r.to_confirm("漏水", "白马山小区 3号楼", "管道爆了").await;
    // 300 residents say hello at once: ten seconds of replies at 30/s.
    let mut last = 0;
    for i in 0..300 {
        last = app
            .standin
            .send_text(&hotline_standin::FakeUser::new(1400 + i, "邻居"), "/start");
    }
    while !app.store().update_handled(last).await.unwrap() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (message_id, data) = r.find_button("确认提交").unwrap();
    app.standin.press_button(&r.user, message_id, &data);
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let greeted = (0..300)
        .filter(|i| !app.standin.shown(1400 + i).is_empty())
        .count();
    assert!(
        greeted < 300,
        "the alert went out while replies were still queued ({greeted} greeted)"
    );
    assert_eq!(app.standin.count_429(), 0, "no 429 while pacing a backlog");
    app.stop().await;
}

fn json_of(requests: &[FakeRequest]) -> Vec<serde_json::Value> {
    requests.iter().map(|r| r.json().unwrap()).collect()
}

#[tokio::test]
async fn a_manager_who_blocked_the_bot_or_does_not_answer_is_reached_by_phone() {
    let gateway = FakeGateway::start().await.unwrap();
    let config = format!(
        "{STAFF}\n[gateway]\nkind = \"http\"\nurl = \"{}/sms\"\nafter = \"5m\"\n",
        gateway.url()
    );
    let app = TestApp::spawn_with(&config).await;
    let duty = app.on_call(Role::DutyManager);
    let director = app.on_call(Role::Director);
    app.standin.block_chat(duty.telegram_id);
    let r = app.resident(1600, "居民");
    r.to_confirm("漏水", "燕山小区 6号楼", "管道爆了").await;
    r.press("确认提交").await.unwrap();

    let sms = json_of(&app.gateway_requests(&gateway, 1).await);
    assert_eq!(
        sms[0]["to"],
        duty.phone.clone().unwrap().as_str(),
        "{sms:?}"
    );
    assert!(
        sms[0]["text"].as_str().unwrap().contains("升级 #1"),
        "{sms:?}"
    );
    let timeline = app.store().timeline(EscalationId(1)).await.unwrap();
    let call = timeline
        .iter()
        .find(|t| t.kind == TimelineKind::Phoned)
        .expect("on the timeline");
    assert!(
        call.target == duty.id.as_str()
            && matches!(
                Detail::from_code(&call.detail),
                Some(Detail::Phoned { after, .. }) if after == PhoneWhy::Refused.code()
            ),
        "{call:?}"
    );

    // The director is paged on Telegram at 10 minutes and does not answer for 5 more.
    app.clock.advance(chrono::Duration::minutes(11));
    app.tick();
    app.standin
        .wait_for_shown(director.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    // Once the alert is marked sent (its send time starts the five minutes).
    app.alerts_marked().await;
    app.clock.advance(chrono::Duration::minutes(6));
    let sms = json_of(&app.gateway_requests(&gateway, 2).await);
    assert_eq!(sms[1]["to"], director.phone.clone().unwrap().as_str());
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.tick();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        gateway.requests().len(),
        2,
        "each manager is phoned once per escalation"
    );
    app.stop().await;
}
