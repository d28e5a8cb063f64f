//! The hall notices at once (issue 23), in a real browser: the tab title
//! counts the escalations nobody has acknowledged within 2 s of a new one
//! (on the queue and on every other signed-in page, `web/title.rs`),
//! the new urgent report is announced through the `aria-live` region, and
//! the sound toggle is remembered by the browser across a reload (a new
//! urgent report then beeps).

use std::time::{Duration, Instant};

use hotline::domain::Category;
use serde_json::Value;

use crate::desk_browser::signed_in_browser;
use crate::desk_client::{file_report, spawn_desk};
use crate::desk_webdriver::Browser;
use crate::driver::WAIT;

/// Polls `script` until it returns true; how long that took.
async fn until(browser: &Browser, script: &str) -> Duration {
    let start = Instant::now();
    while browser.script(script).await != Value::Bool(true) {
        assert!(start.elapsed() < WAIT, "never: {script}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    start.elapsed()
}

#[tokio::test]
async fn in_a_browser_the_tab_title_counts_a_new_escalation_within_two_seconds() {
    let (app, _base) = spawn_desk().await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    let title = browser.script("return document.title;").await;
    assert_eq!(title, "待处理队列 · 热线工作台");

    let ticket = file_report(&app, 951, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    let took = until(&browser, "return document.title.startsWith('(1) ');").await;
    assert!(took < Duration::from_secs(2), "{took:?}");
    let title = browser.script("return document.title;").await;
    assert_eq!(title, "(1) 待处理队列 · 热线工作台");
    let said = browser
        .script("return document.getElementById('announce').textContent;")
        .await;
    assert!(
        said.as_str().unwrap_or_default().contains(&ticket),
        "{said}"
    );
    assert_eq!(
        browser
            .script("return document.getElementById('announce').getAttribute('aria-live');")
            .await,
        "assertive"
    );
    browser.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn in_a_browser_the_sound_toggle_is_remembered_across_a_reload() {
    let (app, base) = spawn_desk().await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    let pressed = "return document.getElementById('sound-toggle').getAttribute('aria-pressed');";
    assert_eq!(
        browser.script(pressed).await,
        "false",
        "off until turned on"
    );
    browser.click("#sound-toggle").await;
    assert_eq!(browser.script(pressed).await, "true");
    assert!(browser.text("#sound-toggle").await.contains("提示音：开"));

    browser.goto(&format!("{base}/desk")).await;
    browser.wait_for("#queue", WAIT).await.unwrap();
    assert_eq!(browser.script(pressed).await, "true", "remembered");
    assert!(browser.text("#sound-toggle").await.contains("提示音：开"));

    file_report(&app, 952, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    until(&browser, "return (window.deskBeeps || 0) >= 1;").await;

    // The report is one search away, open or resolved.
    browser
        .goto(&format!("{base}/desk/search?q=%E7%87%95%E5%B1%B1"))
        .await;
    assert!(browser.wait_for("#results", WAIT).await.is_some());
    assert!(browser.text("#results").await.contains("水泵坏了"));
    browser.screenshot("desk-search.png").await;
    browser.quit().await;
    app.stop().await;
}

/// Not only the queue: a ticket page's title counts a new escalation within
/// 2 s too, and a page opened later (the call page) counts from the start.
#[tokio::test]
async fn in_a_browser_a_ticket_pages_title_counts_a_new_escalation_within_two_seconds() {
    let (app, base) = spawn_desk().await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    let ticket = file_report(&app, 953, Category::Meter, "shungeng", "水表不走").await;
    browser.goto(&format!("{base}/desk/ticket/{ticket}")).await;
    until(&browser, "return document.body.dataset.unacked === '0';").await;
    let title = browser.script("return document.title;").await;
    assert_eq!(title, format!("{ticket} · 热线工作台"));

    file_report(&app, 954, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    let took = until(&browser, "return document.title.startsWith('(1) ');").await;
    assert!(took < Duration::from_secs(2), "{took:?}");
    let title = browser.script("return document.title;").await;
    assert_eq!(title, format!("(1) {ticket} · 热线工作台"));

    browser.goto(&format!("{base}/desk/call")).await;
    until(&browser, "return document.title.startsWith('(1) ');").await;
    browser.quit().await;
    app.stop().await;
}

/// The count's stream (`/desk/events/unacked`) is for signed-in staff: the
/// count at once, then again when it changes; nothing for anyone else.
#[tokio::test]
async fn the_title_counts_stream_is_for_staff_and_says_the_count_at_once() {
    use crate::desk_client::{DeskClient, desk_link, manager};
    let (app, base) = spawn_desk().await;
    let stranger = DeskClient::new(&base).fetch("/desk/events/unacked").await;
    assert_ne!(stranger.status(), reqwest::StatusCode::OK);
    assert!(!stranger.text().await.unwrap().contains("event: unacked"));

    let mut desk = DeskClient::new(&base);
    desk.sign_in(&desk_link(&app, &manager(&app)).await).await;
    let mut events = desk.fetch("/desk/events/unacked").await;
    assert_eq!(events.status(), reqwest::StatusCode::OK);
    let mut seen = String::new();
    for (count, file) in [("data: 0", false), ("data: 1", true)] {
        if file {
            file_report(&app, 955, Category::SecondarySupply, "yanshan", "水泵坏了").await;
        }
        while !seen.contains(count) {
            let chunk = tokio::time::timeout(WAIT, events.chunk()).await.unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
        }
    }
    assert!(seen.contains("event: unacked"), "{seen}");
    app.stop().await;
}
