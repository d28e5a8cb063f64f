//! The story's rules to the letter: a threshold pages the director at once,
//! and it counts households, not messages.

use std::time::Duration;

use hotline::domain::Role;
use hotline_standin::{Resident, texts};

use crate::helpers::{STAFF, TestApp, alerts};

const WAIT: Duration = Duration::from_secs(20);

/// A resident files a whole outage report: category, place, description, no phone.
async fn outage(r: &Resident, place: &str) {
    r.send("/report").await.unwrap();
    r.press("停水").await.unwrap();
    let next = r.send(place).await.unwrap();
    if next.last().unwrap().text.contains("楼号") {
        r.send("1号楼").await.unwrap();
    }
    r.send("没水了").await.unwrap();
    r.send("⏭ 跳过 Skip").await.unwrap();
    let done = r.press("确认提交").await.unwrap();
    assert!(done[0].text.contains("工单号"), "{:?}", texts(&done));
}

#[tokio::test]
async fn five_outages_by_five_households_page_the_director_and_duty_manager_at_once() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let director = app.on_call(Role::Director);
    for id in 700..705 {
        outage(&app.resident(id, "居民"), "阳光花园 3号楼").await;
    }
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1);
    assert_eq!(escalations[0].reason.code(), "threshold");
    // No clock moved: both are paged at once.
    for person in [&director, &duty] {
        let shown = app
            .standin
            .wait_for_shown(person.telegram_id, WAIT, |s| !alerts(s).is_empty())
            .await
            .unwrap();
        assert!(
            alerts(&shown)[0].text.contains("阳光花园小区"),
            "{}",
            alerts(&shown)[0].text
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn five_outages_by_one_resident_do_not_cross_the_threshold() {
    // Five whole reports in a couple of minutes take more than 20 messages.
    let site = format!("{STAFF}\n[limits]\nmessages_per_minute = 60\n");
    let app = TestApp::spawn_with(&site).await;
    let director = app.on_call(Role::Director);
    let worried = app.resident(800, "着急的居民");
    for _ in 0..5 {
        outage(&worried, "阳光花园 3号楼").await;
    }
    let reports = app.reports().await;
    assert_eq!(reports.len(), 5, "every report is stored");
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "one household is not five"
    );
    // Four more households make five: now it escalates, with all nine reports.
    for id in 801..805 {
        outage(&app.resident(id, "居民"), "阳光花园 3号楼").await;
    }
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1);
    assert_eq!(
        escalations[0].report_count, 9,
        "the alert still shows every report"
    );
    app.standin
        .wait_for_shown(director.telegram_id, WAIT, |s| !alerts(s).is_empty())
        .await
        .unwrap();
    app.stop().await;
}
