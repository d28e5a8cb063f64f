//! Reaching each manager the way they answer (issue 15): a person's
//! notification rules page by Telegram at once, then SMS, then a call, each
//! after its delay on the test clock, and stop at the acknowledgement.

use std::time::Duration;

use hotline::domain::Role;
use hotline_standin::sms::{FakeGateway, FakeRequest};

use crate::helpers::TestApp;

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

/// Ticks a few times and returns what the gateway has then.
async fn settle(app: &TestApp, gateway: &FakeGateway) -> Vec<FakeRequest> {
    for _ in 0..3 {
        app.tick();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    gateway.requests()
}

#[tokio::test]
async fn a_persons_rules_page_by_telegram_then_sms_then_voice_and_stop_at_the_ack() {
    let gateway = FakeGateway::start().await.unwrap();
    let app = TestApp::spawn_with(&staff_with_rules(&gateway)).await;
    let duty = app.on_call(Role::DutyManager);
    app.leak_paged(1700).await;
    assert!(settle(&app, &gateway).await.is_empty(), "Telegram first");

    app.clock.advance(chrono::Duration::seconds(61));
    let got = app.gateway_requests(&gateway, 1).await;
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
    let got = app.gateway_requests(&gateway, 2).await;
    assert_eq!(got[1].path, "/voice", "{got:?}");
    // The timeline row is written once the provider has answered.
    let kinds = app.phoned_at_least(2).await;
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
    app.leak_paged(1701).await;
    app.clock.advance(chrono::Duration::seconds(61));
    app.gateway_requests(&gateway, 1).await;

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
