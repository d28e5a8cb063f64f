//! The managers' duty group: alerts go there too, with the same buttons; a
//! press counts only from configured staff; residents in it are ignored.

use hotline::domain::TimelineKind;
use std::time::Duration;

use hotline::domain::{Category, PersonId, Role};
use hotline_standin::FakeUser;

use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp, alerts};

const GROUP: i64 = -1001234567890;

#[tokio::test]
async fn a_duty_group_gets_alerts_and_only_a_staff_press_counts() {
    let app = TestApp::spawn_with(&format!("{STAFF}\n[duty_group]\nchat_id = {GROUP}\n")).await;
    let duty = app.on_call(Role::DutyManager);
    app.seed_reports(9300, 1, Category::Leak, "yanshan").await;
    // The person and the group both get the alert.
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let shown = app
        .standin
        .wait_for_shown(GROUP, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let alert = alerts(&shown)[0].clone();
    let ack = alert
        .inline
        .iter()
        .flatten()
        .find(|b| b.text.contains("确认"))
        .and_then(|b| b.data.clone())
        .expect("the same Acknowledge button");

    // A resident in the group writes and presses: ignored, then "staff only".
    let resident = FakeUser::new(4242, "居民");
    app.standin
        .send_text_in_group(&resident, GROUP, "什么时候来水？");
    let update = app
        .standin
        .press_button_in(&resident, GROUP, alert.message_id, &ack);
    let id = hotline_standin::StandIn::callback_id(update);
    let answer = app
        .standin
        .wait_for_callback_answer(&id, WAIT)
        .await
        .unwrap();
    assert!(
        answer.unwrap_or_default().contains("仅限工作人员"),
        "a non-staff press is answered staff only"
    );
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.status.code(), "open", "and changes nothing");
    let in_group = app.standin.shown(GROUP);
    assert_eq!(
        in_group.len(),
        1,
        "the resident's message is not answered: {in_group:?}"
    );

    // The duty manager presses in the group: acknowledged by them.
    let manager = FakeUser::new(duty.telegram_id, &duty.name);
    app.standin
        .press_button_in(&manager, GROUP, alert.message_id, &ack);
    let shown = app
        .standin
        .wait_for_shown(GROUP, WAIT, |s| alerts(s).iter().any(|m| m.edited))
        .await
        .unwrap();
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        (
            e.status.code(),
            e.acknowledged_by.as_ref().map(PersonId::as_str)
        ),
        ("acknowledged", Some(duty.id.as_str()))
    );
    assert!(
        alerts(&shown)
            .iter()
            .any(|m| m.edited && m.text.contains(&duty.name)),
        "the group's copy shows who acknowledged"
    );
    app.stop().await;
}

#[tokio::test]
async fn with_mode_instead_only_the_group_is_paged_and_the_timeline_names_the_manager() {
    let site = format!("{STAFF}\n[duty_group]\nchat_id = {GROUP}\nmode = \"instead\"\n");
    let app = TestApp::spawn_with(&site).await;
    let duty = app.on_call(Role::DutyManager);
    app.seed_reports(9400, 1, Category::Leak, "yanshan").await;
    app.standin
        .wait_for_shown(GROUP, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    // Written in the same transaction: had the manager been paged, it would be queued too.
    while app.store().outbox_counts().await.unwrap().sending > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(alerts(&app.standin.shown(duty.telegram_id)).is_empty());
    let e = &app.store().all_escalations().await.unwrap()[0];
    let timeline = app.store().timeline(e.id).await.unwrap();
    assert!(
        timeline
            .iter()
            .any(|t| t.kind == TimelineKind::Notified && t.target == duty.id.as_str()),
        "{timeline:?}"
    );
    app.stop().await;
}
