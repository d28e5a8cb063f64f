//! Timelines and report histories are stored as codes and shown as words:
//! a row reads back as the kind it was written with, and the desk's ticket
//! page in Chinese names people and roles, never an id, a code or a Debug text.

use std::time::Duration;

use hotline::domain::{Category, TimelineKind};
use hotline::store::TimelineRow;
use reqwest::StatusCode;

use crate::desk_client::{DeskClient, desk_link, file_report, manager, spawn_desk};
use crate::helpers::alerts;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_timeline_row_reads_back_as_the_kind_it_was_written_with() {
    let (app, _) = spawn_desk().await;
    file_report(&app, 701, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    let e = &app.store().all_escalations().await.unwrap()[0];
    let mut tx = app.store().begin().await.unwrap();
    tx.add_timeline(e.id, TimelineKind::PhoneReply, "cadre-x", "sms reply 1", 42)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let timeline = app.store().timeline(e.id).await.unwrap();
    assert_eq!(
        (timeline[0].kind, timeline[0].detail.as_str()),
        (TimelineKind::Opened, "urgent"),
        "the reason is stored as its code, not a Debug text"
    );
    let written = TimelineRow {
        at: 42,
        kind: TimelineKind::PhoneReply,
        target: "cadre-x".into(),
        detail: "sms reply 1".into(),
    };
    assert_eq!(timeline.last(), Some(&written));
    app.stop().await;
}

#[tokio::test]
async fn the_desk_shows_a_chinese_timeline_with_names_and_no_codes() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let ticket = file_report(&app, 702, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    app.tick();
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let mut browser = DeskClient::new(&base);
    browser.sign_in(&desk_link(&app, &duty).await).await;
    let (status, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    assert_eq!(status, StatusCode::OK);
    let timeline = page.split("时间线").nth(1).expect("a timeline section");
    assert!(
        timeline.contains(&duty.name) && timeline.contains("值班干部"),
        "{timeline}"
    );
    for code in ["duty_manager", "Urgent", "resident:", "notified", "opened"] {
        assert!(!timeline.contains(code), "{code} in {timeline}");
    }
    app.stop().await;
}
