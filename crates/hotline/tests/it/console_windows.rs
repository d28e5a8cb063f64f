//! The chat's side of the windows the desk's forms set (one logic for
//! both): planned work or a zone that has already ended is refused with
//! the reason, not accepted nor answered with the usage.

use hotline::domain::Role;
use hotline_standin::texts;

use crate::helpers::{STAFF, TestApp};

#[tokio::test]
async fn planned_work_and_zones_that_already_ended_are_refused_in_chat_with_the_reason() {
    let app = TestApp::spawn_with(STAFF).await;
    let manager = app.staff(&app.on_call(Role::DutyManager));
    // The night of 2026-02-09 23:00: yesterday's work is over.
    let planned = manager
        .send("/planned 燕山小区 2026-02-08 09:00 17:00 更换阀门")
        .await
        .unwrap();
    let said = &planned[0].text;
    assert!(
        said.contains("02-08 17:00") && said.contains("已经过去"),
        "{said}"
    );
    let listed = manager.send("/planned list").await.unwrap();
    assert!(
        !texts(&listed).concat().contains("更换阀门"),
        "nothing was added"
    );

    let zone = manager
        .send("/zone add 燕山小区 hospital until 2026-02-08")
        .await
        .unwrap();
    assert!(zone[0].text.contains("已经过去"), "{:?}", texts(&zone));
    let zones = manager.send("/zone list").await.unwrap();
    assert!(
        zones[0].text.contains("目前没有重点区域"),
        "{:?}",
        texts(&zones)
    );
    app.stop().await;
}
