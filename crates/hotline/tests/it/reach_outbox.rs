//! Notifications beyond Telegram are outbox rows (issue 15): a robot's
//! steps that come due within `reach.robot_window` go out as one message
//! that @-mentions each person once; an acknowledgement drops what is
//! still unsent; Feishu @-mentions a person with an open_id.

use std::sync::Arc;
use std::time::Duration;

use hotline::domain::{Category, Detail, EscalationId, Role, TimelineKind};
use hotline::gateway::providers::{feishu, wecom};
use hotline_standin::sms::{FakeGateway, FakeRequest};

use crate::driver::WAIT;
use crate::helpers::{TestApp, alerts};
use crate::reach_providers::with_phone_rules;

/// Everyone with a phone: "Telegram at once, the WeCom group after 1
/// minute"; the robot's message waits `window` for others to join.
fn wecom_config(gateway: &FakeGateway, window: &str) -> String {
    let staff =
        with_phone_rules("notify = [{ via = \"telegram\" }, { via = \"wecom\", after = \"1m\" }]");
    format!(
        "{staff}\n[gateway]\nwecom_url = \"{}/cgi-bin/webhook/send\"\n[reach]\nrobot_window = \"{window}\"\n",
        gateway.url()
    )
}

fn wecom_fake(gateway: &FakeGateway) {
    gateway.set_responder(Arc::new(|r: &FakeRequest| {
        let key = url::form_urlencoded::parse(r.query.as_bytes())
            .find(|(k, _)| k == "key")
            .map(|(_, v)| v.into_owned());
        (
            200,
            wecom::fake_answer(key.as_deref(), "k1", &r.body, false),
        )
    }));
}

/// The bot with a WeCom robot (key `k1`) that answers as WeCom does, its
/// bundling window `window`; the gateway records what the robot received.
async fn wecom_app(window: &str) -> (FakeGateway, TestApp) {
    let gateway = FakeGateway::start().await.unwrap();
    wecom_fake(&gateway);
    let config = wecom_config(&gateway, window);
    let app = TestApp::spawn_with_env(&config, &[("HOTLINE_WECOM_KEY", "k1")]).await;
    (gateway, app)
}

/// An urgent escalation in `compound`; waits until its alerts are sent.
async fn urgent(app: &TestApp, user: i64, compound: &str, escalations: usize) {
    app.seed_reports(user, 1, Category::Leak, compound).await;
    app.tick();
    let duty = app.on_call(Role::DutyManager);
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() >= escalations)
        .await
        .unwrap();
    until(|| async {
        let counts = app.store().outbox_counts().await.unwrap();
        counts.pending == 0 && counts.sending == 0
    })
    .await;
}

async fn until<F, Fut>(mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + WAIT;
    while !done().await {
        assert!(std::time::Instant::now() < deadline, "timed out");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Ticks the engine until escalation `id` has a notification row.
async fn queued(app: &TestApp, id: EscalationId) -> Vec<(i64, String)> {
    until(|| async {
        app.tick();
        !app.store().reach_rows_of(id).await.unwrap().is_empty()
    })
    .await;
    app.store().reach_rows_of(id).await.unwrap()
}

#[tokio::test]
async fn several_escalations_within_the_robot_window_go_out_as_one_wecom_message() {
    let (gateway, app) = wecom_app("60s").await;
    let duty = app.on_call(Role::DutyManager);
    urgent(&app, 4100, "yangguang", 1).await;
    app.clock.advance(chrono::Duration::seconds(40));
    urgent(&app, 4101, "quancheng", 2).await;
    urgent(&app, 4102, "yanshan", 3).await;

    // #1's step is due: its message waits a minute for others.
    app.clock.advance(chrono::Duration::seconds(25));
    let first = queued(&app, EscalationId(1)).await;
    assert_eq!(first[0].1, "pending", "{first:?}");
    // #2 and #3 come due within that minute and join it.
    app.clock.advance(chrono::Duration::seconds(40));
    assert_eq!(queued(&app, EscalationId(2)).await, first);
    assert_eq!(queued(&app, EscalationId(3)).await, first);
    assert!(gateway.requests().is_empty(), "nothing sent yet");

    app.clock.advance(chrono::Duration::seconds(30));
    until(|| async {
        app.tick();
        !gateway.requests().is_empty()
    })
    .await;
    for _ in 0..5 {
        app.tick();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let got = gateway.requests();
    assert_eq!(got.len(), 1, "one robot message: {got:?}");
    let body = got[0].json().unwrap();
    let text = body["text"]["content"].as_str().unwrap();
    for id in 1..=3 {
        assert!(text.contains(&format!("升级 #{id}")), "{text}");
    }
    let mobile = duty.phone.clone().unwrap().replace("+86", "");
    let mentioned: Vec<&str> = body["text"]["mentioned_mobile_list"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert_eq!(
        mentioned.iter().filter(|m| **m == mobile).count(),
        1,
        "{mentioned:?}"
    );
    until(|| async { app.store().reach_rows_of(EscalationId(1)).await.unwrap()[0].1 == "sent" })
        .await;
    for id in 1..=3 {
        let timeline = app.store().timeline(EscalationId(id)).await.unwrap();
        assert!(
            timeline.iter().any(|t| t.kind == TimelineKind::Phoned
                && matches!(
                    Detail::from_code(&t.detail),
                    Some(Detail::Phoned { via, route, .. }) if via == "wecom" && route == "robot"
                )),
            "#{id}: {timeline:?}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn an_acknowledgement_drops_the_robot_message_still_waiting() {
    let (gateway, app) = wecom_app("5m").await;
    let duty = app.on_call(Role::DutyManager);
    urgent(&app, 4200, "yangguang", 1).await;
    app.clock.advance(chrono::Duration::seconds(61));
    let rows = queued(&app, EscalationId(1)).await;
    assert_eq!(rows[0].1, "pending", "{rows:?}");

    app.staff(&duty).press("确认").await.unwrap();
    // The press is answered once handled; the drop is in the same
    // transaction as the acknowledgement, but a loaded machine may show
    // the answer's edit before the test looks.
    until(|| async { app.store().reach_rows_of(EscalationId(1)).await.unwrap()[0].1 == "dropped" })
        .await;
    app.clock.advance(chrono::Duration::minutes(10));
    for _ in 0..5 {
        app.tick();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(gateway.requests().is_empty(), "{:?}", gateway.requests());
    app.stop().await;
}

#[tokio::test]
async fn a_feishu_message_at_mentions_a_person_by_open_id() {
    let gateway = FakeGateway::start().await.unwrap();
    gateway.set_responder(Arc::new(|r: &FakeRequest| {
        (200, feishu::fake_answer(&r.body, "fs-secret"))
    }));
    let staff = with_phone_rules(
        "notify = [{ via = \"feishu\", after = \"1m\" }]\nfeishu_open_id = \"ou_0123456789abcdef\"",
    );
    let config = format!(
        "{staff}\n[gateway]\nfeishu_url = \"{}/open-apis/bot/v2/hook\"\n[reach]\nrobot_window = \"0s\"\n",
        gateway.url()
    );
    let env = [
        ("HOTLINE_FEISHU_HOOK", "fs-hook"),
        ("HOTLINE_FEISHU_SECRET", "fs-secret"),
    ];
    let app = TestApp::spawn_with_env(&config, &env).await;
    let duty = app.on_call(Role::DutyManager);
    urgent(&app, 4300, "yangguang", 1).await;
    app.clock.advance(chrono::Duration::seconds(61));
    until(|| async {
        app.tick();
        !gateway.requests().is_empty()
    })
    .await;
    let body = gateway.requests()[0].json().unwrap();
    let text = body["content"]["text"].as_str().unwrap();
    let at = format!("<at user_id=\"ou_0123456789abcdef\">{}</at>", duty.name);
    assert!(text.contains(&at), "{text}");
    until(|| async {
        let timeline = app.store().timeline(EscalationId(1)).await.unwrap();
        timeline.iter().any(|t| t.kind == TimelineKind::Phoned)
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn a_notification_written_before_a_crash_is_sent_once_after_the_restart() {
    let (gateway, mut app) = wecom_app("60s").await;
    urgent(&app, 4400, "yangguang", 1).await;
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(queued(&app, EscalationId(1)).await[0].1, "pending");

    app.crash_and_restart().await;
    app.clock.advance(chrono::Duration::seconds(61));
    until(|| async {
        app.tick();
        !gateway.requests().is_empty()
    })
    .await;
    for _ in 0..5 {
        app.tick();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(gateway.requests().len(), 1, "{:?}", gateway.requests());
    app.stop().await;
}
