//! The whole desk in both languages, at a phone's width, with labels
//! (issue 24), in a real browser: every page the hall uses (sign-in, queue,
//! search, ticket with its timeline and a flash message, call, reports) is
//! no wider than 360 px in either language, English pages show no Chinese
//! outside user data (reports seeded with ASCII-only text; the configured
//! names of people and compounds are the only Chinese user data left and
//! are taken out before the check), every form control has a label, and
//! switching language keeps the page.

use std::time::Duration;

use hotline::domain::Category;
use serde_json::Value;

use crate::desk_browser::signed_in_browser;
use hotline::store::NewReport;

use crate::desk_client::{DeskClient, spawn_desk};
use crate::desk_webdriver::Browser;
use crate::driver::{WAIT, new_report};
use crate::helpers::TestApp;

/// The configured names a page may show as data (people, compounds and
/// their districts).
fn user_data(app: &TestApp) -> Vec<String> {
    let people = app.config.people.iter().map(|p| p.name.clone());
    let places = app.config.compounds.iter();
    let places = places.flat_map(|c| [c.name.clone(), c.district.clone()]);
    let mut names: Vec<String> = people.chain(places).filter(|n| !n.is_empty()).collect();
    // Longest first, so a name inside a longer one is not cut in half.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names
}

/// The page's visible text with CJK characters, user data taken out.
async fn chinese_in(browser: &Browser, names: &[String]) -> Vec<String> {
    // Text marked as another language (the switch's own label) is not body text.
    let script = "const other = [...document.querySelectorAll('body [lang]')];
        other.forEach(e => e.style.display = 'none');
        const text = document.body.innerText;
        other.forEach(e => e.style.display = '');
        return text;";
    let text = browser.script(script).await;
    let mut text = text.as_str().unwrap_or_default().to_string();
    for name in names {
        text = text.replace(name.as_str(), "");
    }
    let title = browser.script("return document.title;").await;
    let title = title.as_str().unwrap_or_default().to_string();
    [text, title]
        .iter()
        .flat_map(|t| t.lines())
        .filter(|line| line.chars().any(is_cjk))
        .map(str::to_string)
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

const UNLABELLED: &str = "return [...document.querySelectorAll('input, select, textarea')]
    .filter(e => e.type !== 'hidden')
    .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')
        && !e.getAttribute('aria-labelledby'))
    .map(e => e.outerHTML);";

/// The innermost elements reaching past 360 px (to say what to fix).
const TOO_WIDE: &str = "return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > 360 || e.scrollWidth > e.clientWidth + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > 360))
    .map(e => e.outerHTML.slice(0, 160) + ' ' + e.getBoundingClientRect().right + ' ' + e.scrollWidth);";

/// Loads `path` and checks width, labels and (in English) the language.
async fn check_page(browser: &Browser, base: &str, path: &str, english: bool, names: &[String]) {
    browser.goto(&format!("{base}{path}")).await;
    assert!(browser.wait_for("main", WAIT).await.is_some(), "{path}");
    // Let images (the chart) load before measuring.
    let loaded = "return document.readyState === 'complete';";
    while browser.script(loaded).await != Value::Bool(true) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let width = browser
        .script("return document.documentElement.scrollWidth;")
        .await;
    let width = width.as_i64().unwrap();
    if width > 360 {
        let wide = browser.script(TOO_WIDE).await;
        panic!("{path} (en: {english}) is {width} px wide: {wide}");
    }
    let unlabelled = browser.script(UNLABELLED).await;
    assert_eq!(
        unlabelled,
        Value::Array(vec![]),
        "{path}: unlabelled controls"
    );
    if english {
        let chinese = chinese_in(browser, names).await;
        assert!(chinese.is_empty(), "{path} in English shows {chinese:?}");
    }
}

async fn set_lang(browser: &Browser, base: &str, to: &str) {
    browser.goto(&format!("{base}/desk/lang?to={to}")).await;
    let lang = if to == "en" { "en" } else { "zh-CN" };
    let script = format!("return document.documentElement.lang === '{lang}';");
    assert_eq!(browser.script(&script).await, Value::Bool(true));
}

#[tokio::test]
async fn in_a_browser_every_desk_page_fits_a_phone_in_both_languages() {
    let (app, base) = spawn_desk().await;
    let ticket = ascii_report(&app, 901, Category::SecondarySupply).await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    let rect = serde_json::json!({"width": 360, "height": 900});
    browser.set_window(rect).await;
    let inner = browser.script("return window.innerWidth;").await;
    assert!(inner.as_i64().unwrap() <= 360, "viewport {inner}");
    // A note leaves a line in the timeline and a flash message.
    let names = user_data(&app);
    let pages = [
        "/desk".to_string(),
        "/desk/signin?t=not-a-real-link".to_string(),
        "/desk/signin/sms".to_string(),
        "/desk/search?q=Pump".to_string(),
        "/desk/search?q=nothing-like-this".to_string(),
        "/desk/ticket/JN-00000-404".to_string(),
        format!("/desk/ticket/{ticket}"),
        "/desk/call".to_string(),
        "/desk/reports?from=2026-02-09&to=2026-02-10".to_string(),
    ];
    for (lang, english) in [("zh", false), ("en", true)] {
        set_lang(&browser, &base, lang).await;
        for path in &pages {
            check_page(&browser, &base, path, english, &names).await;
        }
        browser
            .screenshot(&format!("desk-reports-360-{lang}.png"))
            .await;
    }
    browser.quit().await;
    app.stop().await;
}

/// Files a report whose resident-typed text is ASCII; returns its ticket.
async fn ascii_report(app: &TestApp, user: i64, category: Category) -> String {
    let report = NewReport {
        address_detail: "Building 3".into(),
        ..new_report(user, category, app.matched("yanshan"), "Pump broken")
    };
    let id = app.store_reports(&[report]).await[0];
    let reports = app.reports().await;
    reports.iter().find(|r| r.id == id).unwrap().ticket.clone()
}

#[tokio::test]
async fn in_a_browser_every_action_on_a_ticket_answers_in_english() {
    let (app, base) = spawn_desk().await;
    let ticket = ascii_report(&app, 902, Category::SecondarySupply).await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    browser
        .set_window(serde_json::json!({"width": 360, "height": 900}))
        .await;
    set_lang(&browser, &base, "en").await;
    let names = user_data(&app);
    let page = format!("/desk/ticket/{ticket}");
    // In the order a shift would: each leaves a flash and a timeline line.
    let mut ran = vec![];
    let acts = [
        "note",
        "ack",
        "assign",
        "message",
        "update",
        "escalate",
        "resolve_ticket",
        "resolve",
    ];
    for act in acts {
        browser.goto(&format!("{base}{page}")).await;
        let form = format!("form#act-{act}");
        assert!(browser.wait_for("main", WAIT).await.is_some());
        if browser.find(&form).await.is_none() {
            continue;
        }
        if browser.find(&format!("{form} textarea")).await.is_some() {
            browser
                .type_into(&format!("{form} textarea"), &format!("Done {act}"))
                .await;
        }
        if browser
            .find(&format!("{form} input[name=confirm]"))
            .await
            .is_some()
        {
            browser.click(&format!("{form} input[name=confirm]")).await;
        }
        browser.click(&format!("{form} button")).await;
        assert!(
            browser.wait_for(".flash", WAIT).await.is_some(),
            "{act}: no flash"
        );
        let chinese = chinese_in(&browser, &names).await;
        assert!(chinese.is_empty(), "after {act} the page shows {chinese:?}");
        let width = browser
            .script("return document.documentElement.scrollWidth;")
            .await;
        assert!(width.as_i64().unwrap() <= 360, "after {act}: {width} px");
        ran.push(act);
    }
    // The call form's refusal is English too.
    browser.goto(&format!("{base}/desk/call")).await;
    browser.click("#file").await;
    assert!(
        browser.wait_for(".problem", WAIT).await.is_some(),
        "no problem line"
    );
    let chinese = chinese_in(&browser, &names).await;
    assert!(chinese.is_empty(), "the refused call shows {chinese:?}");
    // The escalation's actions were offered, not skipped.
    for act in ["note", "ack", "assign", "message", "update", "resolve"] {
        assert!(ran.contains(&act), "{act} never ran: {ran:?}");
    }
    browser.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn in_a_browser_switching_language_keeps_the_page() {
    let (app, base) = spawn_desk().await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    let reports = format!("{base}/desk/reports?from=2026-02-09&to=2026-02-10");
    browser.goto(&reports).await;
    browser.wait_for("#chart", WAIT).await.unwrap();
    browser.click("a#switch-lang").await;
    let english = "return document.documentElement.lang === 'en';";
    let start = std::time::Instant::now();
    while browser.script(english).await != Value::Bool(true) {
        assert!(start.elapsed() < WAIT, "never switched to English");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(browser.url().await, reports);
    browser.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn the_language_switch_returns_only_to_desk_pages_of_this_site() {
    let (app, base) = spawn_desk().await;
    let client = DeskClient::new(&base);
    let cases = [
        ("/desk/search?q=a%26b", "/desk/search?q=a%26b"),
        ("/desk/ticket/JN-1", "/desk/ticket/JN-1"),
        ("//evil.example/desk", "/desk"),
        ("/desk/../../etc", "/desk"),
        ("https://evil.example/desk", "/desk"),
        ("/\\evil.example", "/desk"),
        ("/deskevil", "/desk"),
        ("/desk/lang?to=en", "/desk"),
    ];
    for (back, expected) in cases {
        let back = urlencode(back);
        let response = client.fetch(&format!("/desk/lang?to=en&back={back}")).await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, expected, "back={back}");
    }
    app.stop().await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
