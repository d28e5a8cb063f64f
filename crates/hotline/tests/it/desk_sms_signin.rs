//! Signing in to the desk by SMS when Telegram is down (issue 27): through
//! the real HTTP server and the fake SMS gateway, the person types their
//! number and gets a one-time link on the configured phone; an unknown
//! number gets the same page and no text; bursts are limited.

use std::time::Duration;

use hotline::config::Person;
use hotline_standin::sms::{FakeGateway, FakeRequest};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};

use crate::desk_client::{DeskClient, free_port, link_in, manager};
use crate::helpers::{STAFF, TestApp};

const WAIT: Duration = Duration::from_secs(60);

/// The demo's staff, the desk on its own port, SMS through `gateway`.
async fn spawn(gateway: &FakeGateway) -> (TestApp, String) {
    let port = free_port();
    let overrides = format!(
        "{STAFF}\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n\
         [gateway]\nkind = \"http\"\nurl = \"{}/sms\"\n",
        gateway.url()
    );
    let app = TestApp::spawn_with(&overrides).await;
    (app, format!("http://127.0.0.1:{port}"))
}

/// Opens the form and sends `phone` as a browser would (the form's cookie
/// and token), from the client `forwarded_for` names behind a local proxy.
async fn ask_for_link(base: &str, phone: &str, forwarded_for: &str) -> (StatusCode, String) {
    let http = reqwest::Client::new();
    let form = http
        .get(format!("{base}/desk/signin/sms"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let cookie = form.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let page = form.text().await.unwrap();
    let at = page.find("name=\"csrf\" value=\"").expect("a token") + 19;
    let token = &page[at..at + 64];
    let answer = http
        .post(format!("{base}/desk/signin/sms"))
        .header(COOKIE, cookie)
        .header("x-forwarded-for", forwarded_for)
        .form(&[("csrf", token), ("phone", phone)])
        .send()
        .await
        .unwrap();
    (answer.status(), answer.text().await.unwrap())
}

fn text(request: &FakeRequest) -> String {
    request.json().unwrap()["text"].as_str().unwrap().to_owned()
}

fn phone(person: &Person) -> String {
    person.phone.clone().unwrap()
}

/// Lets the outbox finish what it has (nothing pending nor sending).
async fn outbox_idle(app: &TestApp) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let counts = app.store().outbox_counts().await.unwrap();
        if counts.pending == 0 && counts.sending == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{counts:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_member_of_staff_without_telegram_gets_a_link_by_sms_that_signs_them_in() {
    let gateway = FakeGateway::start().await.unwrap();
    let (app, base) = spawn(&gateway).await;
    let person = manager(&app);
    app.standin.set_unreachable(true);

    let (status, page) = DeskClient::new(&base).get("/desk").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("href=\"/desk/signin/sms\""), "{page}");

    // Typed without the country code, with spaces.
    let typed = phone(&person).replace("+86", "").replace("139", "139 ");
    let (status, _) = ask_for_link(&base, &typed, "198.51.100.1").await;
    assert_eq!(status, StatusCode::OK);
    let sms = gateway.wait_for(1, WAIT).await.unwrap();
    assert_eq!(sms[0].json().unwrap()["to"], phone(&person).as_str());
    let link = link_in(&text(&sms[0])).expect("a link");
    assert!(
        link.starts_with(&format!("{base}/desk/signin?t=")),
        "{link}"
    );

    let mut browser = DeskClient::new(&base);
    assert_eq!(browser.sign_in(&link).await, StatusCode::SEE_OTHER);
    let (status, page) = browser.get("/desk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&person.name), "{page}");
    assert_eq!(
        DeskClient::new(&base).sign_in(&link).await,
        StatusCode::FORBIDDEN,
        "once"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_number_gets_the_same_page_and_no_sms() {
    let gateway = FakeGateway::start().await.unwrap();
    let (app, base) = spawn(&gateway).await;
    let person = manager(&app);

    let unknown = ask_for_link(&base, "+86 139 9999 9999", "198.51.100.2").await;
    let known = ask_for_link(&base, &phone(&person), "198.51.100.3").await;
    assert_eq!(unknown, known, "nothing tells a known number from another");
    assert_eq!(unknown.0, StatusCode::OK);

    gateway.wait_for(1, WAIT).await.unwrap();
    outbox_idle(&app).await;
    let sent = gateway.requests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].json().unwrap()["to"], phone(&person).as_str());
    app.stop().await;
}

#[tokio::test]
async fn a_burst_is_limited_per_client_and_per_person() {
    let gateway = FakeGateway::start().await.unwrap();
    let (app, base) = spawn(&gateway).await;
    let person = manager(&app);

    let mut statuses = vec![];
    for _ in 0..6 {
        statuses.push(ask_for_link(&base, &phone(&person), "198.51.100.4").await.0);
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(ok, 5, "{statuses:?}");
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");

    // Another client is still answered, but the person gets no more texts.
    let other = ask_for_link(&base, &phone(&person), "198.51.100.5").await;
    assert_eq!(other.0, StatusCode::OK);
    gateway.wait_for(3, WAIT).await.unwrap();
    outbox_idle(&app).await;
    assert_eq!(gateway.requests().len(), 3, "{:?}", gateway.requests());
    app.stop().await;
}

#[tokio::test]
async fn a_request_without_the_forms_token_is_refused_and_sends_nothing() {
    let gateway = FakeGateway::start().await.unwrap();
    let (app, base) = spawn(&gateway).await;
    let person = manager(&app);
    let answer = reqwest::Client::new()
        .post(format!("{base}/desk/signin/sms"))
        .form(&[("csrf", "x".repeat(64)), ("phone", phone(&person))])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    outbox_idle(&app).await;
    assert!(gateway.requests().is_empty());
    app.stop().await;
}
