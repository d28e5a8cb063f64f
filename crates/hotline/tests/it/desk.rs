//! The operator desk over plain HTTP: signing in with a `/desk` link, the
//! session cookie, CSRF, the queue and a ticket's actions.

use std::time::{Duration, Instant};

use hotline::domain::Category;
use reqwest::StatusCode;

use crate::desk_client::{DeskClient, desk_link, file_report, link_in, manager, spawn_desk};
use crate::driver::WAIT;
use crate::helpers::alerts;

#[tokio::test]
async fn a_desk_link_signs_a_manager_in_once() {
    let (app, base) = spawn_desk().await;
    let link = desk_link(&app, &manager(&app)).await;
    assert!(
        link.starts_with(&format!("{base}/desk/signin?t=")),
        "{link}"
    );

    let mut browser = DeskClient::new(&base);
    assert_eq!(browser.sign_in(&link).await, StatusCode::SEE_OTHER);
    let cookie = browser.set_cookie.clone().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "no Secure on localhost: {cookie}"
    );
    let (status, page) = browser.get("/desk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("待处理队列") && page.contains(&manager(&app).name),
        "{page}"
    );

    let mut second = DeskClient::new(&base);
    assert_eq!(
        second.sign_in(&link).await,
        StatusCode::FORBIDDEN,
        "a link works once"
    );
    assert_eq!(second.get("/desk").await.0, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    let (app, base) = spawn_desk().await;
    let link = desk_link(&app, &manager(&app)).await;
    app.clock.advance(chrono::Duration::minutes(11));
    let mut browser = DeskClient::new(&base);
    assert_eq!(browser.sign_in(&link).await, StatusCode::FORBIDDEN);
    let (_, page) = browser.get(&link).await;
    assert!(!page.contains("待处理队列"));
    app.stop().await;
}

#[tokio::test]
async fn someone_not_on_staff_gets_no_link() {
    let (app, _base) = spawn_desk().await;
    let outsider = app.resident(3000, "路人");
    let answer = outsider.send("/desk").await.unwrap();
    assert!(
        answer[0].text.contains("仅限工作人员"),
        "{}",
        answer[0].text
    );
    assert!(link_in(&answer[0].text).is_none());
    app.stop().await;
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused() {
    let (app, base) = spawn_desk().await;
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let csrf = browser.csrf().await;

    assert_eq!(
        browser.post("/desk/signout", &[]).await.0,
        StatusCode::FORBIDDEN
    );
    let wrong = "0".repeat(64);
    let refused = browser.post("/desk/signout", &[("csrf", &wrong)]).await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/desk").await.0,
        StatusCode::OK,
        "still signed in"
    );

    let out = browser.post("/desk/signout", &[("csrf", &csrf)]).await;
    assert_eq!(out.0, StatusCode::SEE_OTHER);
    assert!(browser.cookie.is_none(), "the cookie is cleared");
    let mut stolen = DeskClient::new(&base);
    stolen.cookie = Some(format!("desk_session={}", "f".repeat(64)));
    assert_eq!(stolen.get("/desk").await.0, StatusCode::UNAUTHORIZED);
    let trail = app.store().desk_audit_trail(10).await.unwrap();
    let actions: Vec<&str> = trail.iter().rev().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["link", "sign_in", "sign_out"]);
    app.stop().await;
}

#[tokio::test]
async fn the_queue_filters_and_shows_residents_text_as_text() {
    let (app, base) = spawn_desk().await;
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let meter = file_report(&app, 501, Category::Meter, "shungeng", evil).await;
    let pump = file_report(&app, 502, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;

    let (_, page) = browser.get("/desk").await;
    assert!(page.contains(&meter) && page.contains(&pump), "{page}");
    assert!(page.find(&pump) < page.find(&meter), "urgent first");
    assert!(
        !page.contains("<script>alert") && !page.contains("<img src=x"),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );

    let (_, meters) = browser.get("/desk?category=meter").await;
    assert!(meters.contains(&meter) && !meters.contains(&pump));
    let (_, district) = browser
        .get("/desk?district=%E5%8E%86%E4%B8%8B%E5%8C%BA")
        .await;
    assert!(
        district.contains(&pump) && !district.contains(&meter),
        "历下区"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_new_report_reaches_the_live_queue_within_two_seconds() {
    let (app, base) = spawn_desk().await;
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let mut events = browser.fetch("/desk/events").await;
    assert_eq!(events.status(), StatusCode::OK);
    let first = events.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: queue"));

    let ticket = file_report(&app, 503, Category::Leak, "yanshan", "漏水").await;
    let filed = Instant::now();
    let mut seen = String::new();
    while !seen.contains(&ticket) {
        let chunk = tokio::time::timeout(WAIT, events.chunk()).await.unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    assert!(
        filed.elapsed() < Duration::from_secs(2),
        "{:?}",
        filed.elapsed()
    );
    app.stop().await;
}

#[tokio::test]
async fn resolving_from_the_desk_edits_the_alert_and_tells_the_resident() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let ticket = file_report(&app, 504, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    app.tick();
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let mut browser = DeskClient::new(&base);
    browser.sign_in(&desk_link(&app, &duty).await).await;
    let (status, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = crate::desk_client::csrf_in(&page);

    let path = format!("/desk/ticket/{ticket}");
    let form = [
        ("csrf", csrf.as_str()),
        ("action", "resolve"),
        ("note", "水泵已更换"),
        ("confirm", "1"),
    ];
    let (status, page) = browser.post(&path, &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("水泵已更换") && page.contains("已解决"),
        "{page}"
    );

    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            alerts(s)
                .iter()
                .any(|m| m.edited && m.text.contains(&duty.name))
        })
        .await
        .unwrap();
    app.standin
        .wait_for_shown(504, WAIT, |s| {
            s.iter().any(|m| m.text.contains("水泵已更换"))
        })
        .await
        .unwrap();
    let trail = app.store().desk_audit_trail(1).await.unwrap();
    assert_eq!(
        (trail[0].action.as_str(), trail[0].person_id.as_str()),
        ("resolve", duty.id.as_str())
    );
    app.stop().await;
}

#[tokio::test]
async fn an_update_from_the_desk_reaches_the_residents() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let ticket = file_report(&app, 505, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    let mut browser = DeskClient::new(&base);
    browser.sign_in(&desk_link(&app, &duty).await).await;
    let path = format!("/desk/ticket/{ticket}");
    let csrf = crate::desk_client::csrf_in(&browser.get(&path).await.1);
    let form = [
        ("csrf", csrf.as_str()),
        ("action", "update"),
        ("note", "抢修队已到场"),
    ];
    assert_eq!(browser.post(&path, &form).await.0, StatusCode::OK);
    app.standin
        .wait_for_shown(505, WAIT, |s| {
            s.iter().any(|m| m.text.contains("抢修队已到场"))
        })
        .await
        .unwrap();
    app.stop().await;
}

#[tokio::test]
async fn an_idle_session_ends_and_english_is_one_switch_away() {
    let (app, base) = spawn_desk().await;
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (status, switched) = browser.get("/desk/lang?to=en").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{switched}");
    let session = browser.cookie.clone().unwrap();
    browser.cookie = Some(format!("{session}; desk_lang=en"));
    let (_, page) = browser.get("/desk").await;
    assert!(
        page.contains("Open queue") && page.contains("中文"),
        "{page}"
    );

    app.clock.advance(chrono::Duration::hours(9));
    let (status, page) = browser.get("/desk").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "idle for longer than web.session_idle"
    );
    assert!(page.contains("/desk"), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn a_residents_photo_is_proxied_without_the_bot_token() {
    let (app, base) = spawn_desk().await;
    let photos = vec!["AgACAgPhoto1".to_string()];
    let ticket = crate::desk_client::file_report_with_photos(
        &app,
        506,
        Category::Leak,
        "yanshan",
        "漏水",
        photos,
    )
    .await;
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    let src = format!("/desk/ticket/{ticket}/photo/0");
    assert!(page.contains(&src), "{page}");
    assert!(
        !page.contains(app.standin.token()),
        "the token never reaches the page"
    );

    let photo = browser.fetch(&src).await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert!(photo.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let anonymous = reqwest::get(format!("{base}{src}")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}
