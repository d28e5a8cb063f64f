//! Who must be woken, and when: thresholds, urgent categories, priority
//! zones, the escalation chain, acknowledgement and on-call overrides.

use hotline::domain::TimelineKind;
use std::time::Duration;

use hotline::domain::{PersonId, Role};
use hotline_standin::texts;

use crate::driver::{WAIT, Wizard};
use crate::helpers::{STAFF, TestApp, alerts};

/// Several residents report at once, each in their own chat.
async fn reports(
    app: &TestApp,
    first_id: i64,
    n: i64,
    category: &'static str,
    place: &'static str,
) {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let r = app.resident(first_id + i, "居民");
            tokio::spawn(async move { r.report(category, place, "没水了").await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

/// The notice shown for the latest button press, once the bot answered it.
async fn last_answer(app: &TestApp) -> String {
    let id = app.standin.last_callback_id().unwrap();
    let answer = app
        .standin
        .wait_for_callback_answer(&id, WAIT)
        .await
        .unwrap();
    answer.unwrap_or_default()
}

#[tokio::test]
async fn five_outages_in_one_compound_open_exactly_one_escalation_on_the_fifth() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    reports(&app, 100, 4, "停水", "阳光花园 3号楼").await;
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "four reports do not escalate"
    );
    assert!(alerts(&app.standin.shown(duty.telegram_id)).is_empty());

    reports(&app, 110, 1, "停水", "阳光花园小区 5号楼").await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1);
    let e = &escalations[0];
    assert_eq!(
        (e.reason.code(), e.category.code(), e.report_count),
        ("threshold", "outage", 5)
    );
    let shown = app
        .standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| !alerts(s).is_empty())
        .await
        .unwrap();
    let alert = alerts(&shown)[0];
    assert!(
        alert.text.contains("阳光花园小区") && alert.text.contains("5 条"),
        "{}",
        alert.text
    );
    assert!(
        alert
            .inline
            .iter()
            .flatten()
            .any(|b| b.text.contains("确认")),
        "an Acknowledge button"
    );
    // Quality reports elsewhere and outages in another compound do not join it.
    reports(&app, 120, 2, "停水", "燕山小区 2号楼").await;
    assert_eq!(app.store().all_escalations().await.unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn three_quality_reports_open_one_escalation_and_a_fourth_joins_it() {
    let app = TestApp::spawn_with(STAFF).await;
    reports(&app, 200, 2, "水质", "燕山小区 7号楼").await;
    assert!(app.store().all_escalations().await.unwrap().is_empty());
    reports(&app, 210, 1, "水质", "燕山小区 8号楼").await;
    // The fourth resident is told the fault is known and adds their report to it.
    let fourth = app.resident(220, "居民");
    let told = fourth.start("水质", "燕山小区 9号楼").await;
    assert!(
        told.last().unwrap().text.contains("已知故障"),
        "{:?}",
        texts(&told)
    );
    fourth.press("加入").await.unwrap();
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(
        escalations.len(),
        1,
        "one escalation for the compound and category"
    );
    assert_eq!(escalations[0].report_count, 4, "the fourth joined it");
    let timeline = app.store().timeline(escalations[0].id).await.unwrap();
    assert!(
        timeline.iter().any(|t| t.kind == TimelineKind::Joined),
        "{timeline:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_single_report_from_a_quarantine_site_goes_straight_to_the_director() {
    let app = TestApp::spawn_with(STAFF).await;
    let director = app.on_call(Role::Director);
    let duty = app.on_call(Role::DutyManager);
    let manager = app.staff(&duty);
    let added = manager.send("/zone add 舜耕小区 quarantine").await.unwrap();
    assert!(
        added[0].text.contains("已添加重点区域"),
        "{:?}",
        texts(&added)
    );

    reports(&app, 300, 1, "水压低", "舜耕小区 1号楼").await;
    let shown = app
        .standin
        .wait_for_shown(director.telegram_id, WAIT, |s| !alerts(s).is_empty())
        .await
        .unwrap();
    assert!(
        alerts(&shown)[0].text.contains("集中隔离点"),
        "{}",
        alerts(&shown)[0].text
    );
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| !alerts(s).is_empty())
        .await
        .unwrap();
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        (e.reason.code(), e.zone_kind.map(|k| k.code()), e.step),
        ("zone", Some("quarantine"), 1)
    );
    app.stop().await;
}

#[tokio::test]
async fn an_alert_about_a_confirmed_case_compound_says_no_entry() {
    let app = TestApp::spawn_with(STAFF).await;
    let director = app.on_call(Role::Director);
    let manager = app.staff(&director);
    manager
        .send("/zone add 白马山 confirmed_case until 2026-03-01")
        .await
        .unwrap();
    let list = manager.send("/zone list").await.unwrap();
    assert!(
        list[0].text.contains("白马山小区") && list[0].text.contains("李主任"),
        "who set it: {:?}",
        list[0].text
    );

    reports(&app, 400, 1, "停水", "白马山小区 4号楼").await;
    let shown = app
        .standin
        .wait_for_shown(director.telegram_id, WAIT, |s| !alerts(s).is_empty())
        .await
        .unwrap();
    assert!(
        alerts(&shown)[0].text.contains("禁止入内"),
        "{}",
        alerts(&shown)[0].text
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unacknowledged_escalation_reaches_the_director_and_repeats_until_acknowledged() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let director = app.on_call(Role::Director);
    reports(&app, 500, 1, "漏水", "泉城花园 6号楼").await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    assert!(
        alerts(&app.standin.shown(director.telegram_id)).is_empty(),
        "the director sleeps for now"
    );

    app.clock.advance(chrono::Duration::minutes(9));
    app.tick();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        alerts(&app.standin.shown(director.telegram_id)).is_empty(),
        "not before 10 minutes"
    );

    app.clock.advance(chrono::Duration::minutes(2));
    app.tick();
    app.standin
        .wait_for_shown(director.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    app.clock.advance(chrono::Duration::minutes(16));
    app.tick();
    app.standin
        .wait_for_shown(director.telegram_id, WAIT, |s| alerts(s).len() == 2)
        .await
        .unwrap();

    // The director acknowledges with one tap: the walk stops.
    let boss = app.staff(&director);
    boss.press("确认").await.unwrap();
    let answer = last_answer(&app).await;
    assert!(answer.contains("已于"), "ack confirmed to the presser");
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        (
            e.status.code(),
            e.acknowledged_by.as_ref().map(PersonId::as_str)
        ),
        ("acknowledged", Some("director"))
    );
    app.clock.advance(chrono::Duration::minutes(60));
    app.tick();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        alerts(&app.standin.shown(director.telegram_id)).len(),
        2,
        "no more pages after the ack"
    );
    // Every alert now says who acknowledged.
    let duty_alert = app
        .standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            alerts(s)
                .iter()
                .any(|m| m.text.contains("确认") && m.edited)
        })
        .await
        .unwrap();
    assert!(
        alerts(&duty_alert)[0].text.contains("李主任"),
        "{}",
        alerts(&duty_alert)[0].text
    );

    let kinds: Vec<String> = app
        .store()
        .timeline(e.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.kind.code().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "opened",
            "notified",
            "escalated",
            "notified",
            "repeated",
            "notified",
            "acknowledged"
        ],
        "every step is on the timeline"
    );
    app.stop().await;
}

#[tokio::test]
async fn resolve_closes_the_escalation_and_its_reports() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    reports(&app, 600, 1, "二次供水设备", "燕山小区 3号楼").await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let manager = app.staff(&duty);
    let done = manager.send("/resolve 1 水泵已更换").await.unwrap();
    assert!(
        done[0].text.contains("已于") && done[0].text.contains("水泵已更换"),
        "{:?}",
        texts(&done)
    );
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.status.code(), "resolved");
    let report = &app.reports().await[0];
    assert_eq!(report.status.code(), "resolved");
    let events = app.store().report_events(report.id).await.unwrap();
    assert_eq!(
        events[1],
        (
            "resolved".into(),
            format!("staff:{}", duty.id),
            "水泵已更换".into()
        )
    );
    app.stop().await;
}

#[tokio::test]
async fn residents_cannot_use_manager_actions() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let outsider = app.resident(700, "路人");
    for command in [
        "/zone add 燕山小区 hospital",
        "/oncall",
        "/cover @wang_duty until 08:00",
        "/ack 1",
    ] {
        let refused = outsider.send(command).await.unwrap();
        assert!(
            refused[0].text.contains("仅限工作人员"),
            "{command}: {:?}",
            texts(&refused)
        );
    }
    reports(&app, 710, 1, "漏水", "燕山小区 1号楼").await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    // A forged Acknowledge from a resident is refused and changes nothing.
    outsider
        .press_data(1, "esc:1:ack")
        .await
        .unwrap_or_default();
    assert!(last_answer(&app).await.contains("仅限工作人员"));
    assert_eq!(
        app.store().all_escalations().await.unwrap()[0]
            .status
            .code(),
        "open"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_cover_override_beats_the_rotation_and_is_listed_with_who_set_it() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let stand_in = app
        .config
        .people
        .iter()
        .find(|p| p.id.as_str() == "cadre-b")
        .unwrap()
        .clone();
    let manager = app.staff(&duty);
    let set = manager
        .send("/cover @wu_cadre until 2026-02-10 08:30")
        .await
        .unwrap();
    assert!(
        set[0].text.contains("吴干部") && set[0].text.contains(&duty.name),
        "{:?}",
        texts(&set)
    );
    let oncall = manager.send("/oncall").await.unwrap();
    assert!(oncall[0].text.contains("吴干部"), "{:?}", oncall[0].text);

    reports(&app, 800, 1, "漏水", "泉城花园 2号楼").await;
    app.standin
        .wait_for_shown(stand_in.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    assert!(
        alerts(&app.standin.shown(duty.telegram_id)).is_empty(),
        "the covered manager sleeps"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_expired_zone_no_longer_escalates_a_single_report() {
    let app = TestApp::spawn_with(STAFF).await;
    let director = app.on_call(Role::Director);
    let manager = app.staff(&director);
    manager
        .send("/zone add 燕山小区 hospital until 2026-02-10")
        .await
        .unwrap();
    // Two days later the zone has expired; the engine records it.
    app.clock.advance(chrono::Duration::days(2));
    app.tick();
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let zones = app.store().zones_with_removed().await.unwrap();
        if zones[0].2.as_deref() == Some("expired") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "zone not expired: {zones:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    reports(&app, 900, 1, "水压低", "燕山小区 1号楼").await;
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "low pressure alone does not page"
    );
    app.stop().await;
}

#[tokio::test]
async fn escalate_now_and_details_from_the_alert_and_residents_hear_of_progress() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let director = app.on_call(Role::Director);
    reports(&app, 1000, 1, "漏水", "舜耕小区 9号楼").await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let manager = app.staff(&duty);

    let details = manager.press("详情").await.unwrap();
    assert!(
        details[0].text.contains("9号楼") && details[0].text.contains("已通知"),
        "{:?}",
        texts(&details)
    );

    manager.press("立即上报").await.unwrap();
    app.standin
        .wait_for_shown(director.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let e = &app.store().all_escalations().await.unwrap()[0];
    let timeline = app.store().timeline(e.id).await.unwrap();
    assert!(
        timeline
            .iter()
            .any(|t| t.kind == TimelineKind::Escalated && t.target == duty.id.as_str()),
        "{timeline:?}"
    );

    manager.press("确认").await.unwrap();
    let progress = manager.send("/progress 1 抢修队已出发").await.unwrap();
    assert!(
        progress[0].text.contains("处理中"),
        "{:?}",
        texts(&progress)
    );
    let resident = app.resident(1000, "居民");
    let told = app
        .standin
        .wait_for_shown(resident.chat_id(), WAIT, |s| {
            s.iter().any(|m| m.text.contains("正在处理中"))
        })
        .await
        .unwrap();
    assert!(
        told.iter().any(|m| m.text.contains("已由值班人员确认")),
        "acknowledged first"
    );
    assert!(
        told.iter().any(|m| m.text.contains("抢修队已出发")),
        "with the note"
    );
    assert_eq!(app.reports().await[0].status.code(), "in_progress");
    app.stop().await;
}
