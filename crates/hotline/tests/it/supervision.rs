//! 督办 (promised times): moving the clock past a promise marks a ticket
//! overdue in the desk's queue and tells whoever holds the `supervisor`
//! role once; `/overdue` for staff only; the digest's and the reports
//! page's counts; the old `supervisors` list refused by `check-config`.
//! At the desk (a browser, covers, the overdue filter): `supervision_desk.rs`.

use hotline::clock::Clock;
use hotline::domain::{Category, Role};

use crate::desk_client::{DeskClient, desk_link, file_report, free_port, manager};
use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp};

/// The demo's staff (周科长, supervisor-zhou, holds the `supervisor` role
/// through the demo's "supervision" rotation), a meter promised within 30
/// minutes / 4 hours, and the desk on; returns the desk's base URL.
pub(crate) async fn spawn_supervised() -> (TestApp, String) {
    let port = free_port();
    let overrides = format!(
        "{STAFF}\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n\
         [supervision.promised]\nmeter = {{ acknowledge = \"30m\", resolve = \"4h\" }}\n"
    );
    let app = TestApp::spawn_with(&overrides).await;
    (app, format!("http://127.0.0.1:{port}"))
}

/// 周科长 (supervisor-zhou), who holds the `supervisor` role.
pub(crate) const SUPERVISOR: i64 = 900031;
/// 陈静 (desk-chen), who covers for him in one test.
pub(crate) const CHEN: i64 = 900002;

pub(crate) fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

/// The supervisor's overdue messages so far.
pub(crate) fn told(app: &TestApp) -> Vec<String> {
    told_to(app, SUPERVISOR)
}

pub(crate) fn told_to(app: &TestApp, chat: i64) -> Vec<String> {
    let shown = app.standin.shown(chat);
    let told = shown.into_iter().filter(|s| s.text.contains("新超时"));
    told.map(|s| s.text).collect()
}

pub(crate) async fn wait_until_told(app: &TestApp, n: usize) -> Vec<String> {
    wait_until_told_to(app, SUPERVISOR, n).await
}

pub(crate) async fn wait_until_told_to(app: &TestApp, chat: i64, n: usize) -> Vec<String> {
    app.standin
        .wait_for_shown(chat, WAIT, |shown| {
            shown.iter().filter(|s| s.text.contains("新超时")).count() >= n
        })
        .await
        .unwrap();
    told_to(app, chat)
}

#[tokio::test]
async fn a_ticket_past_its_promise_is_marked_in_the_queue_and_the_supervisor_is_told_once() {
    let (app, base) = spawn_supervised().await;
    let first = file_report(&app, 701, Category::Meter, "yanshan", "水表不走").await;
    app.clock.advance(minutes(20));
    let second = file_report(&app, 702, Category::Meter, "shungeng", "水表漏水").await;

    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, queue) = browser.get("/desk/rows").await;
    assert!(
        queue.contains(&first) && !queue.contains("超时未受理"),
        "{queue}"
    );

    app.clock.advance(minutes(11));
    app.tick();
    let messages = wait_until_told(&app, 1).await;
    assert!(
        messages[0].starts_with("⏰ 督办：1 张工单新超时"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains(&first) && messages[0].contains("超时未受理"));
    assert!(!messages[0].contains(&second), "{}", messages[0]);

    let (_, queue) = browser.get("/desk/rows").await;
    assert!(queue.contains("⏰ 超时未受理"), "{queue}");
    let (_, only) = browser.get("/desk/rows?overdue=1").await;
    assert!(only.contains(&first) && !only.contains(&second), "{only}");

    // A minute later nothing new is overdue; twenty more and the second is:
    // its message names it alone, the first never again.
    app.clock.advance(minutes(1));
    app.tick();
    app.clock.advance(minutes(20));
    app.tick();
    let messages = wait_until_told(&app, 2).await;
    assert!(
        messages[1].contains(&second) && !messages[1].contains(&first),
        "{}",
        messages[1]
    );
    app.clock.advance(minutes(1));
    app.tick();
    // Staff chat answers only after the engine's pass has had its chance.
    app.staff(&manager(&app)).send("/oncall").await.unwrap();
    assert_eq!(told(&app).len(), 2, "{:?}", told(&app));
    app.stop().await;
}

#[tokio::test]
async fn overdue_lists_the_late_tickets_for_staff_and_refuses_residents() {
    let (app, _base) = spawn_supervised().await;
    let late = file_report(&app, 711, Category::Meter, "yanshan", "水表坏了").await;
    let staff = app.staff(&manager(&app));
    let answer = staff.send("/overdue").await.unwrap();
    assert!(
        answer[0].text.contains("没有超时工单"),
        "{}",
        answer[0].text
    );

    app.clock.advance(minutes(45));
    let answer = staff.send("/overdue").await.unwrap();
    let text = &answer[0].text;
    assert!(
        text.starts_with("⏰ 超时工单：1 张") && text.contains(&late),
        "{text}"
    );
    assert!(
        text.contains("燕山小区") && text.contains("超时未受理"),
        "{text}"
    );

    // 冯干部 (cadre-d) reads English.
    let feng = app
        .config
        .people
        .iter()
        .find(|p| p.id.as_str() == "cadre-d")
        .unwrap();
    let answer = app.staff(feng).send("/overdue").await.unwrap();
    let text = &answer[0].text;
    assert!(
        text.starts_with("⏰ Overdue tickets: 1") && text.contains("Overdue: not acknowledged"),
        "{text}"
    );

    let resident = app.resident(3100, "路人");
    let answer = resident.send("/overdue").await.unwrap();
    assert!(
        answer[0].text.contains("仅限工作人员"),
        "{}",
        answer[0].text
    );
    assert!(!answer[0].text.contains(&late));
    app.stop().await;
}

#[tokio::test]
async fn the_digest_and_the_reports_page_count_overdue_tickets_per_category_and_compound() {
    let (app, base) = spawn_supervised().await;
    file_report(&app, 721, Category::Meter, "yanshan", "水表坏了").await;
    file_report(&app, 722, Category::Meter, "yanshan", "水表不转").await;
    file_report(&app, 723, Category::Outage, "shungeng", "停水了").await;
    let director = app.on_call(Role::Director);
    app.clock.advance(minutes(9 * 60 + 5));
    assert!(
        hotline::web::digest::send_due(app.store(), &app.config, app.clock.now())
            .await
            .unwrap()
    );
    app.staff(&director).send("/oncall").await.unwrap();
    let shown = app
        .standin
        .wait_for_shown(director.telegram_id, WAIT, |s| {
            s.iter().any(|m| m.text.contains("督办"))
        })
        .await
        .unwrap();
    // Meters were an hour past their 30 minutes when the day ended; the
    // outage (2 hours) was not yet late.
    let digest = shown.iter().find(|m| m.text.contains("督办")).unwrap();
    let text = &digest.text;
    assert!(text.contains("督办：现有超时工单 2 张"), "{text}");
    assert!(
        text.contains("按类别：水表 2") && text.contains("燕山小区 2"),
        "{text}"
    );

    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get("/desk/reports").await;
    // By now (08:05) the outage too is past its 2 hours.
    assert!(page.contains("督办：现有超时工单 3 张"), "{page}");
    assert!(page.contains("href=\"/desk?overdue=1\""), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn a_supervisor_away_hears_of_nothing_until_back_then_of_everything_missed() {
    let (app, _base) = spawn_supervised().await;
    let zhou = app.on_call(Role::Supervisor);
    assert_eq!(zhou.telegram_id, SUPERVISOR);
    let away = app.staff(&zhou).send("/away").await.unwrap();
    assert!(away[0].text.contains("外出"), "{}", away[0].text);
    let late = file_report(&app, 761, Category::Meter, "yanshan", "水表不走").await;
    app.clock.advance(minutes(31));
    app.tick();
    // Nobody else is in his rotation: nobody is told, and nothing recorded.
    app.staff(&manager(&app)).send("/oncall").await.unwrap();
    assert!(told(&app).is_empty(), "{:?}", told(&app));

    app.staff(&zhou).send("/back").await.unwrap();
    app.clock.advance(minutes(1));
    app.tick();
    let messages = wait_until_told(&app, 1).await;
    assert!(messages[0].contains(&late), "{messages:?}");
    app.stop().await;
}

#[test]
fn check_config_shows_the_promises_and_names_a_bad_one_by_file_and_key() {
    let hotline = || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"));
        cmd.env_remove("HOTLINE_CONFIG")
            .env_remove("TELOXIDE_TOKEN");
        cmd
    };
    let out = hotline().arg("check-config").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("[supervision]")
            && stdout.contains("acknowledge within 30m, resolve within 4h"),
        "{stdout}"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    let late = "[supervision.promised]\noutage = { acknowledge = \"3h\", resolve = \"1h\" }\n";
    std::fs::write(&file, late).unwrap();
    let out = hotline()
        .args(["check-config", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("site.toml") && stderr.contains("supervision.promised.outage.resolve"),
        "{stderr}"
    );

    // The old list of supervisors: refused, with the rotation to write.
    std::fs::write(&file, "[supervision]\nsupervisors = [\"desk-chen\"]\n").unwrap();
    let out = hotline()
        .args(["check-config", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("site.toml")
            && stderr.contains("supervision.supervisors")
            && stderr.contains("role = \"supervisor\""),
        "{stderr}"
    );
}
