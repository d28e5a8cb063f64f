//! The desk's On call and Zones forms over real HTTP: only a signed-in
//! member of staff with the session's CSRF token changes anything; covers,
//! away windows, zones and planned work are set through pickers and
//! date/time fields; refusals say why; empty lists say so.

use hotline::clock::Clock;
use reqwest::StatusCode;

use crate::desk_client::{DeskClient, csrf_in, desk_link, manager, spawn_desk};

const ZHAO: &str = "zhao";

#[tokio::test]
async fn the_schedule_forms_refuse_strangers_and_missing_csrf_and_change_nothing() {
    let (app, base) = spawn_desk().await;
    let cover = [
        ("action", "cover"),
        ("person", ZHAO),
        ("replaces", "wang"),
        ("from", "2026-02-09T23:00"),
        ("until", "2026-02-10T08:30"),
    ];
    let zone = [
        ("action", "zone_add"),
        ("compound", "yanshan"),
        ("kind", "hospital"),
    ];
    let mut stranger = DeskClient::new(&base);
    assert_eq!(
        stranger.post("/desk/oncall", &cover).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        stranger.post("/desk/zones", &zone).await.0,
        StatusCode::UNAUTHORIZED
    );
    // A made-up session cookie is no session.
    stranger.cookie = Some("desk_session=forged".into());
    assert_eq!(
        stranger.post("/desk/zones", &zone).await.0,
        StatusCode::UNAUTHORIZED
    );

    let mut staff = DeskClient::new(&base);
    staff.sign_in(&desk_link(&app, &manager(&app)).await).await;
    assert_eq!(
        staff.post("/desk/oncall", &cover).await.0,
        StatusCode::FORBIDDEN
    );
    let bad = "0".repeat(64);
    let wrong = [
        ("csrf", bad.as_str()),
        ("action", "zone_add"),
        ("compound", "yanshan"),
        ("kind", "hospital"),
    ];
    assert_eq!(
        staff.post("/desk/zones", &wrong).await.0,
        StatusCode::FORBIDDEN
    );

    let now = app.clock.now().timestamp_millis();
    assert!(app.store().current_overrides(now).await.unwrap().is_empty());
    let (_, page) = staff.get("/desk/zones").await;
    assert!(page.contains("目前没有重点区域"), "{page}");
    let trail = app.store().desk_audit_trail(5).await.unwrap();
    assert!(
        trail
            .iter()
            .all(|a| a.action != "cover" && a.action != "zone_add")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_cover_set_from_the_form_shows_in_the_schedule_and_a_backwards_one_is_refused() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let mut desk = DeskClient::new(&base);
    desk.sign_in(&desk_link(&app, &duty).await).await;
    let (status, page) = desk.get("/desk/oncall").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("未来 14 天的值班表"), "{page}");
    assert!(
        page.contains("href=\"tel:+8613900000099\""),
        "the director's phone: {page}"
    );
    assert!(
        page.contains("<label for=\"cover-person\""),
        "labelled pickers: {page}"
    );
    let csrf = csrf_in(&page);

    let backwards = [
        ("csrf", csrf.as_str()),
        ("action", "cover"),
        ("person", ZHAO),
        ("replaces", duty.id.as_str()),
        ("from", "2026-02-10T08:30"),
        ("until", "2026-02-10T06:00"),
    ];
    let (_, page) = desk.post("/desk/oncall", &backwards).await;
    assert!(page.contains("结束时间必须晚于开始时间"), "{page}");
    let now = app.clock.now().timestamp_millis();
    assert!(app.store().current_overrides(now).await.unwrap().is_empty());

    let cover = [
        ("csrf", csrf.as_str()),
        ("action", "cover"),
        ("person", ZHAO),
        ("replaces", duty.id.as_str()),
        ("from", "2026-02-09T23:00"),
        ("until", "2026-02-10T08:30"),
    ];
    let (status, page) = desk.post("/desk/oncall", &cover).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("已设置：赵科长 替"), "{page}");
    assert!(
        page.contains("替班，原排班："),
        "the schedule shows the cover: {page}"
    );
    let overrides = app.store().current_overrides(now).await.unwrap();
    assert_eq!(
        (overrides[0].person_id.as_str(), overrides.len()),
        (ZHAO, 1)
    );
    assert_eq!(
        app.store().desk_audit_trail(1).await.unwrap()[0].action,
        "cover"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_away_window_from_the_form_shows_and_back_ends_it() {
    let (app, base) = spawn_desk().await;
    let mut desk = DeskClient::new(&base);
    desk.sign_in(&desk_link(&app, &manager(&app)).await).await;
    let csrf = desk.csrf().await;
    let away = [
        ("csrf", csrf.as_str()),
        ("action", "away"),
        ("person", "director"),
        ("from", "2026-02-09T23:00"),
        ("until", "2026-02-08T06:00"),
    ];
    let (_, page) = desk.post("/desk/oncall", &away).await;
    assert!(page.contains("结束时间必须晚于开始时间"), "{page}");
    let mut away = away;
    away[4] = ("until", "2026-02-10T06:00");
    let (_, page) = desk.post("/desk/oncall", &away).await;
    assert!(
        page.contains("李主任：外出 2026-02-09 23:00 – 2026-02-10 06:00"),
        "{page}"
    );
    assert!(
        page.contains("class=\"away\""),
        "the schedule marks it: {page}"
    );
    let back = [
        ("csrf", csrf.as_str()),
        ("action", "back"),
        ("person", "director"),
    ];
    let (_, page) = desk.post("/desk/oncall", &back).await;
    assert!(page.contains("李主任 已回来"), "{page}");
    assert!(!page.contains("class=\"away\""), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn zones_and_planned_work_are_added_listed_by_id_and_removed_with_the_forms() {
    let (app, base) = spawn_desk().await;
    let mut desk = DeskClient::new(&base);
    desk.sign_in(&desk_link(&app, &manager(&app)).await).await;
    let (_, page) = desk.get("/desk/zones").await;
    assert!(
        page.contains("目前没有重点区域") && page.contains("目前没有计划停水"),
        "{page}"
    );
    assert!(!page.contains("用法"), "not the command's usage: {page}");
    let csrf = csrf_in(&page);

    let zone = [
        ("csrf", csrf.as_str()),
        ("action", "zone_add"),
        ("compound", "yanshan"),
        ("kind", "hospital"),
        ("address", "3号楼"),
        ("until", ""),
    ];
    let (_, page) = desk.post("/desk/zones", &zone).await;
    assert!(
        page.contains("data-zone=\"1\"") && page.contains("定点医院"),
        "{page}"
    );
    let planned = [
        ("csrf", csrf.as_str()),
        ("action", "planned_add"),
        ("compound", "yanshan"),
        ("from", "2026-02-10T09:00"),
        ("until", "2026-02-10T17:00"),
        ("note", "更换阀门"),
    ];
    let (_, page) = desk.post("/desk/zones", &planned).await;
    assert!(
        page.contains("data-planned=\"1\"") && page.contains("更换阀门"),
        "{page}"
    );

    let remove = [
        ("csrf", csrf.as_str()),
        ("action", "zone_remove"),
        ("id", "1"),
    ];
    let (_, page) = desk.post("/desk/zones", &remove).await;
    assert!(
        page.contains("已移除") && page.contains("目前没有重点区域"),
        "{page}"
    );
    let cancel = [
        ("csrf", csrf.as_str()),
        ("action", "planned_remove"),
        ("id", "1"),
    ];
    let (_, page) = desk.post("/desk/zones", &cancel).await;
    assert!(
        page.contains("已取消") && page.contains("目前没有计划停水"),
        "{page}"
    );
    app.stop().await;
}
