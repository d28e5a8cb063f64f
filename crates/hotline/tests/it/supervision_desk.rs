//! 督办 at the desk: in a browser, moving the clock past a promise marks a
//! ticket overdue and tells the supervisor once; a cover for the
//! `supervisor` role set from the On call form moves the next message to
//! the covering person; the queue's overdue filter lists what `/overdue`
//! lists in chat (the desk has no chat-command box).

use hotline::clock::Clock;
use hotline::domain::{Category, Role};

use crate::desk_client::{DeskClient, csrf_in, desk_link, file_report, manager};
use crate::driver::WAIT;
use crate::helpers::TestApp;
use crate::supervision::{
    CHEN, minutes, spawn_supervised, told, told_to, wait_until_told, wait_until_told_to,
};

#[tokio::test]
async fn in_a_browser_the_queue_marks_an_overdue_ticket_and_filters_to_it() {
    let (app, _base) = spawn_supervised().await;
    let first = file_report(&app, 731, Category::Meter, "yanshan", "水表不走").await;
    app.clock.advance(minutes(20));
    let second = file_report(&app, 732, Category::Meter, "shungeng", "水表漏水").await;
    let Some(browser) = crate::desk_browser::signed_in_browser(&app).await else {
        return;
    };
    let mark = format!("tr[data-ticket=\"{first}\"] span.badge.overdue");
    assert!(browser.find(&mark).await.is_none(), "not yet overdue");

    // The live queue redraws as the clock passes the promise: no reload.
    app.clock.advance(minutes(11));
    assert!(
        browser.wait_for(&mark, WAIT).await.is_some(),
        "never marked"
    );
    assert_eq!(browser.text(&mark).await, "⏰ 超时未受理");
    let later = format!("tr[data-ticket=\"{second}\"]");
    assert!(browser.find(&later).await.is_some());
    app.tick();
    let messages = wait_until_told(&app, 1).await;
    assert!(
        messages[0].contains(&first) && !messages[0].contains(&second),
        "{messages:?}"
    );

    browser
        .click("select[name=overdue] option[value=\"1\"]")
        .await;
    browser.click("form.filters button[type=submit]").await;
    let start = std::time::Instant::now();
    while !browser.url().await.contains("overdue=1") {
        assert!(start.elapsed() < WAIT, "the filter was not applied");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(browser.wait_for(&mark, WAIT).await.is_some());
    assert!(
        browser.find(&later).await.is_none(),
        "{second} is not overdue"
    );
    browser.quit().await;
    // Two more minutes, two more passes: the first ticket is not told again.
    for _ in 0..2 {
        app.clock.advance(minutes(1));
        app.tick();
    }
    app.staff(&manager(&app)).send("/oncall").await.unwrap();
    assert_eq!(told(&app).len(), 1, "{:?}", told(&app));
    app.stop().await;
}

/// `at` as the desk's `datetime-local` value, in the city's zone.
fn local_input(app: &TestApp, at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&app.config.general.time_zone);
    local.format("%Y-%m-%dT%H:%M").to_string()
}

#[tokio::test]
async fn a_cover_for_the_supervisor_set_at_the_desk_moves_the_next_message_to_the_covering_person()
{
    let (app, base) = spawn_supervised().await;
    let late = file_report(&app, 741, Category::Meter, "yanshan", "水表不走").await;
    let mut desk = DeskClient::new(&base);
    desk.sign_in(&desk_link(&app, &manager(&app)).await).await;
    let (_, page) = desk.get("/desk/oncall").await;
    assert!(
        page.contains("data-role=\"supervisor\"") && page.contains("督办员"),
        "the schedule has the supervisor's 14 days: {page}"
    );
    assert!(page.contains("周科长 (督办科)"), "{page}");

    let now = app.clock.now();
    let (from, until) = (
        local_input(&app, now),
        local_input(&app, now + chrono::Duration::days(1)),
    );
    let cover = [
        ("csrf", csrf_in(&page)),
        ("action", "cover".into()),
        ("person", "desk-chen".into()),
        ("replaces", "supervisor-zhou".into()),
        ("from", from),
        ("until", until),
    ];
    let cover: Vec<(&str, &str)> = cover.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, page) = desk.post("/desk/oncall", &cover).await;
    assert!(page.contains("已设置：陈静 (desk) 替"), "{page}");
    // The clock flows: ask after the cover took effect.
    let now = app.clock.now();
    let overrides = app
        .store()
        .current_overrides(now.timestamp_millis())
        .await
        .unwrap();
    let oncall = app.config.oncall().unwrap();
    let holder = oncall.holder(Role::Supervisor, now, &overrides).unwrap();
    assert_eq!(holder.person_id.as_str(), "desk-chen");

    app.clock.advance(minutes(31));
    app.tick();
    let messages = wait_until_told_to(&app, CHEN, 1).await;
    assert!(
        messages[0].starts_with("⏰ 督办：1 张工单新超时") && messages[0].contains(&late),
        "{messages:?}"
    );
    app.clock.advance(minutes(1));
    app.tick();
    app.staff(&manager(&app)).send("/oncall").await.unwrap();
    assert!(told(&app).is_empty(), "周科长 is covered: {:?}", told(&app));
    assert_eq!(told_to(&app, CHEN).len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn at_the_desk_the_queues_overdue_filter_lists_what_overdue_lists_in_chat() {
    let (app, base) = spawn_supervised().await;
    let late = file_report(&app, 751, Category::Meter, "yanshan", "水表坏了").await;
    app.clock.advance(minutes(20));
    let fresh = file_report(&app, 752, Category::Meter, "shungeng", "水表不转").await;
    app.clock.advance(minutes(15));

    let mut desk = DeskClient::new(&base);
    desk.sign_in(&desk_link(&app, &manager(&app)).await).await;
    let (_, queue) = desk.get("/desk").await;
    assert!(
        queue.contains("select name=\"overdue\"") && queue.contains("option value=\"1\""),
        "the queue offers the overdue filter: {queue}"
    );
    let (_, page) = desk.get("/desk?overdue=1").await;
    assert!(
        page.contains(&late) && page.contains("⏰ 超时未受理"),
        "{page}"
    );
    assert!(!page.contains(&fresh), "{page}");
    let (_, reports) = desk.get("/desk/reports").await;
    assert!(reports.contains("href=\"/desk?overdue=1\""), "{reports}");

    let chat = app.staff(&manager(&app)).send("/overdue").await.unwrap();
    assert!(
        chat[0].text.contains(&late) && !chat[0].text.contains(&fresh),
        "{}",
        chat[0].text
    );
    app.stop().await;
}
