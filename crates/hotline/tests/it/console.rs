//! Working the queue from chat: the console, known incidents, broadcasts,
//! presence and planned work.

use std::time::Duration;

use hotline::domain::{Category, Role};
use hotline_standin::texts;

use crate::driver::{WAIT, Wizard};
use crate::helpers::{STAFF, TestApp, alerts};

#[tokio::test]
async fn the_console_is_for_staff_only() {
    let app = TestApp::spawn_with(STAFF).await;
    let outsider = app.resident(3000, "路人");
    for command in [
        "/open",
        "/ticket JN-260209-0001",
        "/note JN-260209-0001 hi",
        "/away",
        "/update 1 hi",
        "/planned list",
    ] {
        let refused = outsider.send(command).await.unwrap();
        assert!(
            refused[0].text.contains("仅限工作人员"),
            "{command}: {:?}",
            texts(&refused)
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn open_lists_two_hundred_reports_ten_to_a_page_most_urgent_first() {
    let app = TestApp::spawn_with(STAFF).await;
    app.seed_reports(10_000, 150, Category::LowPressure, "yanshan")
        .await;
    app.seed_reports(20_000, 45, Category::Meter, "shungeng")
        .await;
    app.seed_reports(30_000, 5, Category::Outage, "quancheng")
        .await; // crosses the threshold
    let manager = app.staff(&app.on_call(Role::DutyManager));

    let first = manager.send("/open").await.unwrap();
    let page = first
        .iter()
        .find(|m| m.text.starts_with("📋"))
        .expect("the queue");
    assert!(
        page.text.contains("200 条") && page.text.contains("第 1/20 页"),
        "{}",
        page.text
    );
    let lines: Vec<&str> = page.text.lines().skip(1).collect();
    assert_eq!(lines.len(), 10);
    assert!(
        lines
            .iter()
            .take(5)
            .all(|l| l.starts_with("🚨#1 ") && l.contains("泉城花园")),
        "escalated first: {lines:?}"
    );
    assert!(
        lines[5].contains("JN-260209-0195"),
        "then newest first: {lines:?}"
    );

    manager.press("下一页").await.unwrap();
    let second = manager
        .shown()
        .into_iter()
        .find(|m| m.message_id == page.message_id)
        .unwrap();
    assert!(
        second.edited && second.text.contains("第 2/20 页"),
        "{}",
        second.text
    );
    assert!(
        second.text.contains("JN-260209-0185") && !second.text.contains("JN-260209-0195"),
        "{}",
        second.text
    );
    manager.press("上一页").await.unwrap();
    let back = manager
        .shown()
        .into_iter()
        .find(|m| m.message_id == page.message_id)
        .unwrap();
    assert!(back.text.contains("第 1/20 页"));

    let filtered = manager.send("/open 舜耕小区 水表").await.unwrap();
    let filtered = filtered.last().unwrap();
    assert!(
        filtered.text.contains("45 条") && filtered.text.contains("第 1/5 页"),
        "{}",
        filtered.text
    );
    app.stop().await;
}

#[tokio::test]
async fn a_ticket_shows_its_timeline_and_staff_can_note_assign_and_resolve_it() {
    let app = TestApp::spawn_with(STAFF).await;
    app.seed_reports(4000, 1, Category::Leak, "yanshan").await;
    let duty = app.on_call(Role::DutyManager);
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let manager = app.staff(&duty);
    let desk = app.on_call(Role::Operator);

    manager
        .send("/note JN-260209-0001 物业说是主管道")
        .await
        .unwrap();
    let assigned = manager
        .send(&format!("/assign JN-260209-0001 {}", desk.id))
        .await
        .unwrap();
    assert!(
        assigned[0].text.contains(&desk.name),
        "{:?}",
        texts(&assigned)
    );
    app.standin
        .wait_for_shown(desk.telegram_id, WAIT, |s| {
            s.iter().any(|m| m.text.contains("指派给您"))
        })
        .await
        .unwrap();
    let ticket = manager.send("/ticket JN-260209-0001").await.unwrap();
    let text = &ticket[0].text;
    for part in [
        "提交报修 · 居民",
        "备注",
        "物业说是主管道",
        "指派给",
        "🚨#1 升级开启",
        "已通知",
        &duty.name,
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    manager.press("解决").await.unwrap();
    assert_eq!(app.reports().await[0].status.code(), "resolved");
    let resident = app.resident(4000, "居民");
    app.standin
        .wait_for_shown(resident.chat_id(), WAIT, |s| {
            s.iter().any(|m| m.text.contains("已解决"))
        })
        .await
        .unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_second_outage_report_in_a_compound_with_an_open_incident_joins_it() {
    let app = TestApp::spawn_with(STAFF).await;
    app.seed_reports(5000, 5, Category::Outage, "yangguang")
        .await;
    let manager = app.staff(&app.on_call(Role::DutyManager));
    manager
        .send("/update 1 抢修队已到达，正在更换阀门 eta 05:00")
        .await
        .unwrap();

    let r = app.resident(5100, "新居民");
    let known = r.start("停水", "阳光花园 9号楼").await;
    let told = known.last().unwrap();
    assert!(
        told.text.contains("已知故障")
            && told.text.contains("更换阀门")
            && told.text.contains("05:00"),
        "{}",
        told.text
    );
    let joined = r.press("加入").await.unwrap();
    assert!(
        joined.last().unwrap().text.contains("已加入，工单号"),
        "{:?}",
        texts(&joined)
    );
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.report_count, 6, "it counts on the incident");
    let mine = app
        .reports()
        .await
        .into_iter()
        .find(|x| x.resident_user_id == 5100)
        .unwrap();
    assert_eq!(
        (mine.compound_id.as_deref(), mine.address_detail.as_str()),
        (Some("yangguang"), "9号楼")
    );

    // A quality report in the same compound is a different matter: the wizard goes on.
    let other = app.resident(5101, "邻居");
    let next = other.start("水质", "阳光花园 2号楼").await;
    assert!(
        next.last().unwrap().text.starts_with("第 3/4 步"),
        "{:?}",
        texts(&next)
    );
    app.stop().await;
}

#[tokio::test]
async fn an_update_reaches_three_hundred_subscribers_without_a_429_and_alerts_still_go_first() {
    let app = TestApp::spawn_with(STAFF).await;
    app.seed_reports(6000, 300, Category::Outage, "yanshan")
        .await;
    app.seed_reports(6000, 1, Category::Outage, "yanshan").await; // resident 6000 has two reports
    let duty = app.on_call(Role::DutyManager);
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let manager = app.staff(&duty);

    let sent = manager
        .send("/update 1 管道已修复，正在恢复供水 eta 01:30")
        .await
        .unwrap();
    assert!(
        sent.iter().any(|m| m.text.contains("300 位")),
        "{:?}",
        texts(&sent)
    );
    // Meanwhile a pump fails in another compound.
    app.seed_reports(7000, 1, Category::SecondarySupply, "baimashan")
        .await;

    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let updated = |i: i64| {
        app.standin
            .shown(6000 + i)
            .iter()
            .any(|m| m.text.contains("正在恢复供水"))
    };
    while !(0..300).all(updated) {
        assert!(
            std::time::Instant::now() < deadline,
            "not all subscribers got the update"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let throttled: Vec<_> = app
        .standin
        .calls()
        .into_iter()
        .filter(|c| c.status == 429)
        .map(|c| c.body["chat_id"].clone())
        .collect();
    assert!(
        throttled.is_empty(),
        "no 429 during the broadcast; throttled chats: {throttled:?}"
    );
    let calls = app.standin.calls_to("sendMessage");
    let position =
        |pred: &dyn Fn(&serde_json::Value) -> bool| calls.iter().position(|c| pred(&c.body));
    let alert = position(&|b| b["text"].as_str().is_some_and(|t| t.contains("白马山小区")))
        .expect("alert sent");
    let last_update = calls.iter().rposition(|c| {
        c.body["text"]
            .as_str()
            .is_some_and(|t| t.contains("正在恢复供水"))
    });
    assert!(
        alert < last_update.unwrap(),
        "the other compound's alert went before the broadcast finished"
    );

    // Resolving the incident tells every subscriber, once.
    manager.send("/resolve 1 已恢复供水").await.unwrap();
    let resolved = |i: i64| {
        app.standin
            .shown(6000 + i)
            .iter()
            .filter(|m| m.text.contains("已解决"))
            .count()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !(0..300).all(|i| resolved(i) >= 1) {
        assert!(
            std::time::Instant::now() < deadline,
            "not all subscribers heard of the resolve"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        (0..300).all(|i| resolved(i) == 1),
        "exactly once each, even with two reports"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_operator_marked_away_receives_no_work_until_back() {
    let steps = "\n[[escalation.steps]]\nnotify = [\"operator\"]\nwait = \"5m\"\n\n[[escalation.steps]]\nnotify = [\"duty_manager\"]\nwait = \"10m\"\n\n[[escalation.steps]]\nnotify = [\"director\"]\nwait = \"15m\"\n";
    let app = TestApp::spawn_with(&format!("{STAFF}{steps}")).await;
    let desk = app.on_call(Role::Operator);
    let colleague = app
        .config
        .people
        .iter()
        .find(|p| p.id.as_str().starts_with("desk-") && p.id != desk.id)
        .unwrap()
        .clone();
    let me = app.staff(&desk);
    assert!(me.send("/away").await.unwrap()[0].text.contains("外出"));

    app.seed_reports(8000, 1, Category::Leak, "yanshan").await;
    app.standin
        .wait_for_shown(colleague.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let refused = app
        .staff(&colleague)
        .send(&format!("/assign JN-260209-0001 {}", desk.id))
        .await
        .unwrap();
    assert!(refused[0].text.contains("外出中"), "{:?}", texts(&refused));
    assert!(
        app.standin
            .shown(desk.telegram_id)
            .iter()
            .all(|m| !m.text.starts_with("🚨")),
        "no work while away"
    );

    assert!(me.send("/back").await.unwrap()[0].text.contains("欢迎回来"));
    app.seed_reports(8100, 1, Category::Leak, "shungeng").await;
    app.standin
        .wait_for_shown(desk.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_planned_outage_answers_reports_inside_its_window_and_not_outside() {
    let app = TestApp::spawn_with(STAFF).await;
    let manager = app.staff(&app.on_call(Role::DutyManager));
    let planned = manager
        .send("/planned 燕山小区 2026-02-09 22:00 2026-02-10 06:00 管网改造")
        .await
        .unwrap();
    assert!(
        planned[0].text.contains("计划停水 #1"),
        "{:?}",
        texts(&planned)
    );

    let inside = app.resident(9000, "居民");
    let told = inside.start("停水", "燕山小区 5号楼").await;
    let told = told.last().unwrap();
    assert!(
        told.text.contains("计划停水")
            && told.text.contains("06:00")
            && told.text.contains("管网改造"),
        "{}",
        told.text
    );
    inside.press("知道了").await.unwrap();
    assert!(app.reports().await.is_empty(), "nothing filed");

    // Low pressure in the same compound is not the planned outage.
    let pressure = app
        .resident(9001, "居民")
        .start("水压低", "燕山小区 5号楼")
        .await;
    assert!(pressure.last().unwrap().text.starts_with("第 3/4 步"));

    app.clock.advance(chrono::Duration::hours(8)); // 07:00, the work is over
    let after = app
        .resident(9002, "居民")
        .start("停水", "燕山小区 5号楼")
        .await;
    assert!(
        after.last().unwrap().text.starts_with("第 3/4 步"),
        "{:?}",
        texts(&after)
    );
    app.stop().await;
}
