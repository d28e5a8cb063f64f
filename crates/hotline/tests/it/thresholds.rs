//! The story's rules to the letter: a threshold pages the director at once,
//! and it counts households, not messages.

use hotline::domain::Role;

use crate::driver::{WAIT, Wizard};
use crate::helpers::{STAFF, TestApp, alerts};

#[tokio::test]
async fn five_outages_by_five_households_page_the_director_and_duty_manager_at_once() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let director = app.on_call(Role::Director);
    for id in 700..705 {
        app.resident(id, "居民")
            .report("停水", "阳光花园 3号楼", "没水了")
            .await;
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
        worried.report("停水", "阳光花园 3号楼", "没水了").await;
    }
    let reports = app.reports().await;
    assert_eq!(reports.len(), 5, "every report is stored");
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "one household is not five"
    );
    // Four more households make five: now it escalates, with all nine reports.
    for id in 801..805 {
        app.resident(id, "居民")
            .report("停水", "阳光花园 3号楼", "没水了")
            .await;
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
