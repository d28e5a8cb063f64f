//! A duty group per role (`[[duty_groups]]`): an alert for one role goes to
//! that role's group and not to another role's.

use hotline::domain::TimelineKind;
use std::time::Duration;

use hotline::domain::{Category, Role};

use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp, alerts};

const DUTY_GROUP: i64 = -1001000000001;
const DIRECTOR_GROUP: i64 = -1001000000002;

fn notified(timeline: &[hotline::store::TimelineRow], target: &str) -> bool {
    timeline
        .iter()
        .any(|t| t.kind == TimelineKind::Notified && t.target == target)
}

#[tokio::test]
async fn an_alert_for_one_role_goes_to_its_group_and_not_to_another_roles() {
    let app = TestApp::spawn_with(&format!(
        "{STAFF}\n\
         [[duty_groups]]\nchat_id = {DUTY_GROUP}\nroles = [\"duty_manager\"]\n\
         [[duty_groups]]\nchat_id = {DIRECTOR_GROUP}\nroles = [\"director\"]\nmode = \"instead\"\n"
    ))
    .await;
    let duty = app.on_call(Role::DutyManager);
    let director = app.on_call(Role::Director);
    // An urgent leak pages the duty manager first.
    app.seed_reports(9400, 1, Category::Leak, "yanshan").await;
    app.standin
        .wait_for_shown(DUTY_GROUP, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let e = &app.store().all_escalations().await.unwrap()[0];
    let timeline = app.store().timeline(e.id).await.unwrap();
    let duty_group = format!("duty_group{DUTY_GROUP}");
    let director_group = format!("duty_group{DIRECTOR_GROUP}");
    assert!(notified(&timeline, &duty_group), "{timeline:?}");
    assert!(!notified(&timeline, &director_group), "{timeline:?}");
    assert!(alerts(&app.standin.shown(DIRECTOR_GROUP)).is_empty());

    // Ten minutes unacknowledged: the director's step goes to the director's
    // group only ("instead"), not to the duty managers' group again.
    app.clock.advance(chrono::Duration::minutes(11));
    app.tick();
    app.standin
        .wait_for_shown(DIRECTOR_GROUP, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let timeline = app.store().timeline(e.id).await.unwrap();
    assert!(notified(&timeline, director.id.as_str()), "{timeline:?}");
    let to_duty_group = timeline
        .iter()
        .filter(|t| t.kind == TimelineKind::Notified && t.target == duty_group)
        .count();
    assert_eq!(to_duty_group, 1, "{timeline:?}");
    while app.store().outbox_counts().await.unwrap().sending > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        alerts(&app.standin.shown(director.telegram_id)).is_empty(),
        "instead: the director's alert went to their group only"
    );
    app.stop().await;
}
