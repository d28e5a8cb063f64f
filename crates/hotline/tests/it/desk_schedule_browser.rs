//! The On call and Zones pages in a real browser (headless Chromium): a
//! cover set with the form's pickers pages the covering person; planned
//! work that already ended is refused with the reason; at a phone's 360 px
//! neither page is wider than the screen, in either language; the English
//! pages carry no Chinese besides people's and places' names.

use crate::desk_client::{desk_link, manager, spawn_desk};
use crate::desk_webdriver::{Browser, browser};
use crate::driver::{WAIT, Wizard};
use crate::helpers::{TestApp, alerts};

async fn signed_in(app: &TestApp) -> Option<Browser> {
    let browser = browser().await?;
    browser.goto(&desk_link(app, &manager(app)).await).await;
    browser.click("#sign-in").await;
    assert!(
        browser.wait_for("#queue", WAIT).await.is_some(),
        "the queue after sign-in"
    );
    Some(browser)
}

/// Sets a form control's value as a person's picking would.
async fn pick(browser: &Browser, id: &str, value: &str) {
    let script = format!("document.getElementById('{id}').value = '{value}';");
    browser.script(&script).await;
}

#[tokio::test]
async fn in_a_browser_a_cover_set_with_the_form_pages_the_covering_person() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let other = if duty.id.as_str() == "zhao" {
        "wang"
    } else {
        "zhao"
    };
    let cover = app.config.people.iter().find(|p| p.id.as_str() == other);
    let cover = cover.unwrap().clone();
    assert_ne!(cover.id, duty.id);
    let Some(browser) = signed_in(&app).await else {
        return;
    };
    browser.goto(&format!("{base}/desk/oncall")).await;
    browser.wait_for("#set-cover", WAIT).await.unwrap();
    pick(&browser, "cover-person", cover.id.as_str()).await;
    pick(&browser, "cover-replaces", duty.id.as_str()).await;
    pick(&browser, "cover-until", "2026-02-10T08:30").await;
    browser.click("#set-cover").await;
    assert!(browser.wait_for(".flash", WAIT).await.is_some());
    let flash = browser.text(".flash").await;
    assert!(flash.contains(&cover.name), "{flash}");
    browser.screenshot("desk-oncall.png").await;

    let resident = app.resident(811, "居民");
    resident
        .report("二次供水设备", "燕山小区", "水泵坏了")
        .await;
    let paged = app
        .standin
        .wait_for_shown(cover.telegram_id, WAIT, |s| !alerts(s).is_empty())
        .await;
    assert!(
        paged.is_ok(),
        "{} is paged in {}'s place",
        cover.name,
        duty.name
    );
    browser.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn in_a_browser_planned_work_that_already_ended_is_refused_with_the_reason() {
    let (app, base) = spawn_desk().await;
    let Some(browser) = signed_in(&app).await else {
        return;
    };
    browser.goto(&format!("{base}/desk/zones")).await;
    browser.wait_for("#no-planned", WAIT).await.unwrap();
    pick(&browser, "planned-compound", "yanshan").await;
    pick(&browser, "planned-from", "2026-02-08T09:00").await;
    pick(&browser, "planned-until", "2026-02-08T17:00").await;
    pick(&browser, "planned-note", "更换阀门").await;
    browser.click("#add-planned button").await;
    assert!(browser.wait_for(".flash", WAIT).await.is_some());
    let flash = browser.text(".flash").await;
    assert!(
        flash.contains("02-08 17:00") && flash.contains("已经过去"),
        "{flash}"
    );
    assert!(
        browser.find("#no-planned").await.is_some(),
        "nothing was added"
    );
    browser.screenshot("desk-zones.png").await;
    browser.quit().await;
    app.stop().await;
}

/// The page's text with people's and places' names (`.data`), the
/// signed-in name and the other language's own name taken out.
const OWN_TEXT: &str = "const body = document.body.cloneNode(true);
    body.querySelectorAll('.data, .who, a[href^=\"/desk/lang\"]').forEach(e => e.remove());
    return body.innerText;";

#[tokio::test]
async fn in_a_browser_on_call_and_zones_fit_a_phone_in_both_languages() {
    let (app, base) = spawn_desk().await;
    let Some(browser) = signed_in(&app).await else {
        return;
    };
    browser.set_viewport_width(360).await;
    assert_eq!(browser.script("return window.innerWidth;").await, 360);
    for lang in ["zh", "en"] {
        browser.goto(&format!("{base}/desk/lang?to={lang}")).await;
        for page in ["/desk/oncall", "/desk/zones"] {
            browser.goto(&format!("{base}{page}")).await;
            browser.wait_for("main h1", WAIT).await.unwrap();
            let width = browser
                .script("return document.documentElement.scrollWidth;")
                .await;
            assert!(
                width.as_i64().unwrap() <= 360,
                "{page} in {lang} is {width} px wide"
            );
            let unlabelled = browser
                .script(
                    "return [...document.querySelectorAll('main select, main input:not([type=hidden])')]
                     .filter(e => !e.labels || e.labels.length === 0).map(e => e.name);",
                )
                .await;
            assert_eq!(
                unlabelled,
                serde_json::json!([]),
                "{page}: every control labelled"
            );
            if lang == "en" {
                let text = browser.script(OWN_TEXT).await;
                let text = text.as_str().unwrap();
                let chinese: String = text
                    .chars()
                    .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                    .collect();
                assert!(
                    chinese.is_empty(),
                    "{page} in English shows {chinese}: {text}"
                );
            }
        }
    }
    browser.quit().await;
    app.stop().await;
}
