//! The desk in a real browser (headless Chromium through WebDriver), against
//! the real server and the Telegram stand-in: sign in with a `/desk` link, a
//! report filed in chat appears in the open queue without a reload, residents'
//! markup stays text, and resolving from a ticket's page edits the manager's
//! alert and tells the resident.

use std::time::{Duration, Instant};

use crate::desk_client::{desk_link, manager, spawn_desk};
use crate::desk_webdriver::browser;
use crate::driver::{WAIT, Wizard};
use crate::helpers::{TestApp, alerts};

pub(crate) async fn signed_in_browser(app: &TestApp) -> Option<crate::desk_webdriver::Browser> {
    let browser = browser().await?;
    browser.goto(&desk_link(app, &manager(app)).await).await;
    browser.click("#sign-in").await;
    assert!(
        browser.wait_for("#queue", WAIT).await.is_some(),
        "the queue after sign-in"
    );
    Some(browser)
}

#[tokio::test]
async fn in_a_browser_a_new_report_appears_in_the_queue_as_plain_text() {
    let (app, base) = spawn_desk().await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    assert!(browser.text("h1").await.contains("待处理队列"));
    browser.script("window.notReloaded = true;").await;

    let resident = app.resident(801, "居民");
    let evil = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    let ticket = resident.report("停水", "燕山小区", evil).await;
    let filed = Instant::now();
    let row = format!("tr[data-ticket=\"{ticket}\"]");
    assert!(
        browser.wait_for(&row, WAIT).await.is_some(),
        "{ticket} never appeared"
    );
    assert!(
        filed.elapsed() < Duration::from_secs(2),
        "{:?}",
        filed.elapsed()
    );
    assert_eq!(browser.script("return window.notReloaded;").await, true);
    assert!(browser.script("return window.pwned === undefined;").await == true);
    let shown = browser.text(&format!("{row} td.desc")).await;
    assert_eq!(shown, evil, "the description is shown as typed");
    browser.screenshot("desk-queue.png").await;

    // The Reports page draws its chart (an image the browser can decode).
    browser
        .goto(&format!(
            "{base}/desk/reports?from=2026-02-09&to=2026-02-09"
        ))
        .await;
    browser.wait_for("#chart", WAIT).await.unwrap();
    let drawn =
        "const c = document.getElementById('chart'); return c.complete && c.naturalWidth > 0;";
    let start = Instant::now();
    while browser.script(drawn).await != true {
        assert!(start.elapsed() < WAIT, "the chart never loaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Someone who was never signed in sees no queue.
    browser.script("document.cookie = '';").await;
    let other = crate::desk_webdriver::browser().await.unwrap();
    other.goto(&format!("{base}/desk")).await;
    assert!(other.find("#queue").await.is_none());
    other.quit().await;
    browser.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn in_a_browser_resolving_a_ticket_edits_the_alert_and_tells_the_resident() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let resident = app.resident(802, "居民");
    let ticket = resident
        .report("二次供水设备", "燕山小区", "水泵坏了")
        .await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    // The click navigates; wait for the ticket page before reading it.
    let link = format!("a[href=\"/desk/ticket/{ticket}\"]");
    assert!(browser.follow(&link, "#description", WAIT).await);
    let url = browser.url().await;
    assert!(url.starts_with(&format!("{base}/desk/ticket/")), "{url}");
    browser.screenshot("desk-ticket.png").await;
    let resolve = "form:has(input[value=\"resolve\"])";
    browser
        .type_into(&format!("{resolve} textarea"), "水泵已更换")
        .await;
    browser
        .click(&format!("{resolve} input[name=\"confirm\"]"))
        .await;
    browser.click(&format!("{resolve} button")).await;
    assert!(browser.wait_for(".flash", WAIT).await.is_some());
    assert!(browser.text(".flash").await.contains("水泵已更换"));

    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            alerts(s)
                .iter()
                .any(|m| m.edited && m.text.contains(&duty.name))
        })
        .await
        .unwrap();
    let told = app
        .standin
        .wait_for_shown(resident.chat_id(), WAIT, |s| {
            s.iter().any(|m| m.text.contains("水泵已更换"))
        })
        .await;
    assert!(told.is_ok(), "the resident hears the note");
    browser.quit().await;
    app.stop().await;
}
