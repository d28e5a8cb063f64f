//! One-tap acknowledge links (issue 15): a text beyond Telegram carries a
//! one-time link; GET shows a page and changes nothing, POST acknowledges
//! (on the timeline, every Telegram copy edited), a second use and an expired
//! link are refused.

use hotline_standin::sms::FakeGateway;

use crate::driver::{WAIT, get, post_form};
use crate::helpers::{STAFF, TestApp, alerts};
use hotline::domain::{Detail, PersonId, Role, TimelineKind};

/// Demo staff, an SMS gateway after 5 minutes, links under a public URL.
async fn spawn(gateway: &FakeGateway) -> TestApp {
    let config = format!(
        "{STAFF}\n[gateway]\nkind = \"http\"\nurl = \"{}/sms\"\nafter = \"5m\"\n\
         [telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [reach]\npublic_url = \"https://hotline.example.cn/\"\nlink_ttl = \"2h\"\n",
        gateway.url()
    );
    TestApp::spawn_with(&config).await
}

/// A leak report; the duty manager's alert goes unanswered for 6 minutes and
/// the SMS arrives: returns its link, turned to this test's server.
async fn post(link: &str, action: &str) -> (u16, String) {
    post_form(link, &[], &[("action", action)]).await
}

async fn link_by_sms(app: &TestApp, gateway: &FakeGateway, user: i64) -> String {
    app.leak_paged(user).await;
    app.clock.advance(chrono::Duration::minutes(6));
    let sms = app.gateway_requests(gateway, 1).await[0].json().unwrap();
    let text = sms["text"].as_str().unwrap().to_owned();
    let start = text.find("https://hotline.example.cn/a/").expect("a link");
    let link = text[start..].trim();
    assert!(
        text.chars().count() <= hotline::gateway::MAX_TEXT_CHARS,
        "{text}"
    );
    let local = format!("http://{}", app.http_addr());
    link.replace("https://hotline.example.cn", &local)
}

#[tokio::test]
async fn an_acknowledge_link_works_once_and_a_get_alone_changes_nothing() {
    let gateway = FakeGateway::start().await.unwrap();
    let app = spawn(&gateway).await;
    let duty = app.on_call(Role::DutyManager);
    let link = link_by_sms(&app, &gateway, 1800).await;

    let (status, page) = get(&link).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("确认接手") && page.contains("method=\"post\""),
        "{page}"
    );
    // The desk's security headers: never framed, no token in a Referer.
    let headers = reqwest::get(&link).await.unwrap().headers().clone();
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        e.status.code(),
        "open",
        "a GET (a link preview) acknowledges nothing"
    );

    let (status, page) = post(&link, "ack").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("已确认"), "{page}");
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        (
            e.status.code(),
            e.acknowledged_by.as_ref().map(PersonId::as_str)
        ),
        ("acknowledged", Some(duty.id.as_str()))
    );
    let timeline = app.store().timeline(e.id).await.unwrap();
    assert!(
        timeline.iter().any(|t| t.kind == TimelineKind::LinkUsed
            && t.target == duty.id.as_str()
            && Detail::from_code(&t.detail)
                == Some(Detail::Link {
                    action: "ack".into()
                })),
        "{timeline:?}"
    );
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            alerts(s)
                .iter()
                .any(|m| m.edited && m.text.contains("确认"))
        })
        .await
        .expect("the Telegram alert is edited like after a button press");

    let (status, page) = post(&link, "resolve").await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("已使用"), "{page}");
    assert_eq!(get(&link).await.0, 410);
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        e.status.code(),
        "acknowledged",
        "the second use changed nothing"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_expired_or_unknown_link_is_refused_and_changes_nothing() {
    let gateway = FakeGateway::start().await.unwrap();
    let app = spawn(&gateway).await;
    let link = link_by_sms(&app, &gateway, 1801).await;
    app.clock.advance(chrono::Duration::hours(3));

    let (status, page) = get(&link).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("已过期"), "{page}");
    let (status, _) = post(&link, "ack").await;
    assert_eq!(status, 410);
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.status.code(), "open");

    let forged = format!("{}x", link);
    assert_eq!(post(&forged, "ack").await.0, 404);
    app.stop().await;
}
