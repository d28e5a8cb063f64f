//! When Telegram is down (issue 27): with the stand-in unreachable
//! (connections refused, open ones hanging), every escalation opened
//! meanwhile reaches its person's phone after `gateway.after`, once; when
//! Telegram answers again the backlog drains alerts first, with no
//! duplicate, and an alert about an escalation acknowledged meanwhile (by
//! the SMS's link) is not sent as new.

use std::time::{Duration, Instant};

use hotline::domain::{Category, EscalationId, Role};
use hotline_standin::sms::{FakeGateway, FakeRequest};

use crate::helpers::{STAFF, TestApp, alerts};

const WAIT: Duration = Duration::from_secs(60);

/// Demo staff, SMS through a generic gateway after 1 minute, links to
/// acknowledge from the phone.
async fn spawn(gateway: &FakeGateway) -> TestApp {
    let config = format!(
        "{STAFF}\n[gateway]\nkind = \"http\"\nurl = \"{}/sms\"\nafter = \"1m\"\n\
         [telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [reach]\npublic_url = \"https://hotline.example.cn/\"\n",
        gateway.url()
    );
    TestApp::spawn_with(&config).await
}

/// The text of an SMS.
fn text(request: &FakeRequest) -> String {
    request.json().unwrap()["text"].as_str().unwrap().to_owned()
}

/// The SMS about escalation `id`.
fn sms_about(requests: &[FakeRequest], id: EscalationId) -> Vec<String> {
    let tag = format!("#{id} ");
    requests
        .iter()
        .map(text)
        .filter(|t| t.contains(&tag))
        .collect()
}

/// Acknowledges through the one-time link an SMS carries.
async fn ack_by_link(app: &TestApp, sms: &str) {
    let start = sms.find("https://hotline.example.cn/a/").expect("a link");
    let local = format!("http://{}", app.http_addr());
    let link = sms[start..]
        .trim()
        .replace("https://hotline.example.cn", &local);
    let answer = reqwest::Client::new()
        .post(&link)
        .form(&[("action", "ack")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
}

#[tokio::test]
async fn with_telegram_unreachable_each_alert_reaches_a_phone_once_and_the_backlog_drains_alerts_first()
 {
    let gateway = FakeGateway::start().await.unwrap();
    let app = spawn(&gateway).await;
    let duty = app.on_call(Role::DutyManager);
    app.standin.set_unreachable(true);

    app.seed_reports(9_270_100, 1, Category::Leak, "yanshan")
        .await;
    app.seed_reports(9_270_200, 1, Category::Leak, "shungeng")
        .await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 2);
    let (first, second) = (escalations[0].id, escalations[1].id);
    tokio::time::sleep(Duration::from_secs(2)).await; // the alerts try, and fail
    assert!(gateway.requests().is_empty(), "not before gateway.after");

    app.clock.advance(chrono::Duration::seconds(61));
    let requests = app.gateway_requests(&gateway, 2).await;
    assert_eq!(sms_about(&requests, first).len(), 1, "{requests:?}");
    assert_eq!(sms_about(&requests, second).len(), 1, "{requests:?}");
    for request in &requests {
        assert_eq!(
            request.json().unwrap()["to"],
            duty.phone.clone().unwrap().as_str()
        );
    }
    assert!(app.standin.shown(duty.telegram_id).is_empty());

    // The duty manager acknowledges the first from the phone, still offline.
    ack_by_link(&app, &sms_about(&requests, first)[0]).await;

    app.standin.set_unreachable(false);
    let shown = drained(&app, duty.telegram_id).await;
    let sent_alerts: Vec<_> = app
        .standin
        .calls_to("sendmessage")
        .into_iter()
        .filter(|c| {
            c.ok && c.body["text"]
                .as_str()
                .unwrap_or_default()
                .starts_with("🚨")
        })
        .collect();
    assert_eq!(sent_alerts.len(), 1, "merged, once: {shown:?}");
    let alert = &alerts(&shown)[0].text;
    assert!(alert.contains(&format!("#{second} ")), "{alert}");
    let buttons: Vec<_> = alerts(&shown)[0].inline.iter().flatten().collect();
    let ack = |id: EscalationId| format!("esc:{id}:ack");
    assert!(
        buttons
            .iter()
            .any(|b| b.data.as_deref() == Some(ack(second).as_str()))
    );
    assert!(
        !buttons
            .iter()
            .any(|b| b.data.as_deref() == Some(ack(first).as_str())),
        "acknowledged meanwhile: shown as acknowledged, not as news: {alert}"
    );

    let sends = app.standin.calls_to("sendmessage");
    let first_sent = sends.iter().find(|c| c.ok).expect("something was sent");
    assert!(
        first_sent.body["text"].as_str().unwrap().starts_with("🚨"),
        "alerts first: {:?}",
        first_sent.body
    );
    assert_eq!(
        gateway.requests().len(),
        2,
        "nothing sent twice: {:?}",
        gateway.requests()
    );
    app.stop().await;
}

#[tokio::test]
async fn an_alert_acknowledged_by_phone_during_the_outage_is_not_sent_when_telegram_returns() {
    let gateway = FakeGateway::start().await.unwrap();
    let app = spawn(&gateway).await;
    let duty = app.on_call(Role::DutyManager);
    app.standin.set_unreachable(true);
    app.seed_reports(9_270_300, 1, Category::Leak, "yanshan")
        .await;
    app.clock.advance(chrono::Duration::seconds(61));
    let requests = app.gateway_requests(&gateway, 1).await;
    ack_by_link(&app, &text(&requests[0])).await;

    app.standin.set_unreachable(false);
    let shown = drained(&app, duty.telegram_id).await;
    assert!(alerts(&shown).is_empty(), "{shown:?}");
    assert!(app.store().outbox_counts().await.unwrap().dropped >= 1);
    assert_eq!(gateway.requests().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn with_telegram_unreachable_and_nobody_acknowledging_the_chain_walks_on_to_the_directors_phone()
 {
    let gateway = FakeGateway::start().await.unwrap();
    let app = spawn(&gateway).await;
    let (duty, director) = (app.on_call(Role::DutyManager), app.on_call(Role::Director));
    let phone = |p: &hotline::config::Person| p.phone.clone().unwrap();
    app.standin.set_unreachable(true);
    app.seed_reports(9_270_400, 1, Category::Leak, "yanshan")
        .await;
    app.clock.advance(chrono::Duration::seconds(61));
    let requests = app.gateway_requests(&gateway, 1).await;
    assert_eq!(requests[0].json().unwrap()["to"], phone(&duty).as_str());

    // Just before the director's step (10 minutes) nobody else is woken.
    app.clock.advance(chrono::Duration::seconds(9 * 60 - 5));
    settle(&app).await;
    assert_eq!(gateway.requests().len(), 1, "{:?}", gateway.requests());

    // The director step falls due; its alert cannot reach Telegram either,
    // so `gateway.after` later it reaches the director's phone.
    app.clock.advance(chrono::Duration::seconds(10));
    settle(&app).await;
    app.clock.advance(chrono::Duration::seconds(61));
    let requests = app.gateway_requests(&gateway, 2).await;
    assert_eq!(requests[1].json().unwrap()["to"], phone(&director).as_str());
    let id = app.store().all_escalations().await.unwrap()[0].id;
    assert_eq!(sms_about(&requests, id).len(), 2, "{requests:?}");

    app.standin.set_unreachable(false);
    drained(&app, director.telegram_id).await;
    for person in [&duty, &director] {
        let shown = app.standin.shown(person.telegram_id);
        assert_eq!(alerts(&shown).len(), 1, "once each: {shown:?}");
    }
    assert_eq!(gateway.requests().len(), 2, "{:?}", gateway.requests());
    app.stop().await;
}

/// Lets the engine and the outbox run a few rounds at the current time.
async fn settle(app: &TestApp) {
    for _ in 0..10 {
        app.tick();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Once Telegram answers again: moves the clock past the retry pauses until
/// nothing is left to send, and returns what `chat_id` was shown.
async fn drained(app: &TestApp, chat_id: i64) -> Vec<hotline_standin::Shown> {
    let deadline = Instant::now() + WAIT;
    loop {
        app.clock.advance(chrono::Duration::seconds(5));
        app.tick();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let counts = app.store().outbox_counts().await.unwrap();
        if counts.pending == 0 && counts.sending == 0 {
            return app.standin.shown(chat_id);
        }
        assert!(Instant::now() < deadline, "still sending: {counts:?}");
    }
}
