//! A site's first week (issue 16): the starter file from `hotline init`
//! pages real people, staff see the photos and places residents sent, and
//! each person gets a command menu that fits them.

use std::time::Duration;

use hotline::domain::Role;
use hotline_standin::Shown;

use crate::driver::{WAIT, Wizard};
use crate::helpers::{STAFF, TestApp, alerts};

#[tokio::test]
async fn the_starter_config_from_init_pages_its_duty_manager_for_a_burst_pipe() {
    let starter = hotline::init::render(&hotline::init::Answers::default());
    let app = TestApp::spawn_with(&starter).await;
    let duty = app.on_call(Role::DutyManager);
    let id = duty.id.as_str();
    assert!(id.starts_with("duty-") || id.starts_with("weekend-"));

    app.resident(700, "居民")
        .report("漏水", "幸福小区 3号楼", "管道爆了")
        .await;

    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    app.stop().await;
}

fn photos(shown: &[Shown]) -> Vec<&str> {
    shown.iter().filter_map(|m| m.photo.as_deref()).collect()
}

fn pins(shown: &[Shown]) -> Vec<&Shown> {
    shown.iter().filter(|m| m.location.is_some()).collect()
}

#[tokio::test]
async fn a_report_with_two_photos_and_a_location_shows_both_to_the_duty_manager_after_details() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let r = app.resident(1500, "居民");
    r.send("/report").await.unwrap();
    r.press("漏水").await.unwrap();
    r.share_location(36.6512, 117.1201).await.unwrap();
    let next = r.send("舜耕小区 9号楼").await.unwrap();
    if next.last().unwrap().text.contains("楼号") {
        r.send("9号楼").await.unwrap();
    }
    r.send_photo("AgAD-pipe-1", None).await.unwrap();
    r.send_photo("AgAD-pipe-2", None).await.unwrap();
    r.send("楼道里水管爆了").await.unwrap();
    r.send("⏭ 跳过 Skip").await.unwrap();
    let done = r.press("确认提交").await.unwrap();
    let ticket = crate::helpers::ticket_in(&done[0].text);

    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let manager = app.staff(&duty);
    assert!(photos(&manager.shown()).is_empty(), "only after Details");
    manager.press("详情").await.unwrap();
    let shown = app
        .standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            photos(s).len() == 2 && pins(s).len() == 1
        })
        .await
        .unwrap();
    assert_eq!(photos(&shown), ["AgAD-pipe-1", "AgAD-pipe-2"]);
    let album = shown.iter().find(|m| m.photo.is_some()).unwrap();
    assert!(
        album.text.contains(&ticket),
        "caption names the ticket: {}",
        album.text
    );
    let pin = pins(&shown)[0];
    assert_eq!(pin.location, Some((36.6512, 117.1201)));
    assert!(
        pin.text.contains("舜耕") && pin.text.contains("9号楼"),
        "{}",
        pin.text
    );

    // `/ticket` shows them too; the resident never gets anyone's pictures back.
    manager.send(&format!("/ticket {ticket}")).await.unwrap();
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            photos(s).len() == 4 && pins(s).len() == 2
        })
        .await
        .unwrap();
    assert!(photos(&r.shown()).is_empty() && pins(&r.shown()).is_empty());
    app.stop().await;
}

/// Polls the stand-in until the chat's menu satisfies `pred` (the menu is
/// set by the outbox worker, a moment after the update is handled).
async fn menu_until(
    app: &TestApp,
    chat_id: i64,
    pred: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let menu = app.standin.menu_in_chat(chat_id, "zh");
        if pred(&menu) || tokio::time::Instant::now() > deadline {
            return menu;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn has(menu: &[(String, String)], command: &str, description: &str) -> bool {
    menu.iter().any(|(c, d)| c == command && d == description)
}

#[tokio::test]
async fn staff_get_a_staff_menu_and_lang_en_changes_a_residents_menu() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let staff_menu = menu_until(&app, duty.telegram_id, |m| has(m, "open", "未处理工单")).await;
    assert!(has(&staff_menu, "open", "未处理工单"), "{staff_menu:?}");
    assert!(has(&staff_menu, "oncall", "当前值班"), "{staff_menu:?}");

    let r = app.resident(1600, "李");
    let before = app.standin.menu_in_chat(r.chat_id(), "zh");
    assert!(has(&before, "report", "报修"), "{before:?}");
    assert!(
        !before.iter().any(|(c, _)| c == "open"),
        "residents see no console"
    );
    assert_ne!(before, staff_menu);

    r.send("/lang").await.unwrap();
    r.press("English").await.unwrap();
    let after = menu_until(&app, r.chat_id(), |m| has(m, "report", "Report a fault")).await;
    assert!(
        has(&after, "report", "Report a fault"),
        "the menu follows /lang, not the phone's Chinese: {after:?}"
    );
    // The staff member's own menu is untouched by a resident's choice.
    assert_eq!(app.standin.menu_in_chat(duty.telegram_id, "zh"), staff_menu);
    app.stop().await;
}

#[tokio::test]
async fn a_staff_member_who_starts_the_bot_later_gets_the_staff_menu_then() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    // As if Telegram had refused the menu at start (the person had never written).
    app.standin.forget_commands_of_chat(duty.telegram_id);
    app.staff(&duty).send("/start").await.unwrap();
    let menu = menu_until(&app, duty.telegram_id, |m| has(m, "open", "未处理工单")).await;
    assert!(has(&menu, "open", "未处理工单"), "{menu:?}");
    app.stop().await;
}

#[tokio::test]
async fn staff_are_greeted_as_staff_with_their_commands_residents_as_residents() {
    let app = TestApp::spawn_with(STAFF).await;
    let person = |id: &str| {
        app.config
            .people
            .iter()
            .find(|p| p.id.as_str() == id)
            .unwrap()
            .clone()
    };
    let hello = app.staff(&person("director")).send("/start").await.unwrap();
    let hello = hotline_standin::texts(&hello).join("\n");
    assert!(
        hello.contains("李主任您好") && hello.contains("值班命令"),
        "{hello}"
    );
    for line in [
        "/open — 未处理工单",
        "/ack — 确认告警",
        "/desk — 网页工作台登录链接",
    ] {
        assert!(hello.contains(line), "{line} in {hello}");
    }
    assert!(
        !hello.contains("24 小时供水服务热线"),
        "not the resident's: {hello}"
    );

    let english = app.staff(&person("cadre-d")).send("/start").await.unwrap();
    let english = hotline_standin::texts(&english).join("\n");
    assert!(
        english.contains("Staff commands") && english.contains("/oncall — Who is on call"),
        "in the person's language: {english}"
    );

    let resident = app.resident(701, "居民").send("/start").await.unwrap();
    let resident = hotline_standin::texts(&resident).join("\n");
    assert!(
        resident.contains("24 小时供水服务热线") && !resident.contains("值班命令"),
        "{resident}"
    );
    app.stop().await;
}
