//! Staff onboarding without looking up ids: `hotline staff invite` prints a
//! one-time deep link; opening it links the account, once; an expired link
//! is refused. The running bot reloads through the database, and the newly
//! linked member of staff can use staff commands and is paged.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hotline::app::StartOptions;
use hotline::clock::{Clock, TestClock};
use hotline::config::Config;
use hotline::domain::PersonId;
use hotline::reload::{Control, supervise};
use hotline::store::Store;
use hotline_standin::{Resident, texts};
use hotline_standin::{StandIn, StandInOptions};
use tokio::sync::mpsc;

use crate::driver::{WAIT, Wizard};
use crate::helpers::{STAFF, TestApp, alerts, fresh_postgres_database, night, postgres};

/// The demo's staff with the director not linked yet (no `telegram_id`).
fn director_unlinked() -> String {
    let staff = STAFF.replace("telegram_id = 900099\n", "");
    assert_ne!(staff, STAFF);
    staff
}

/// Runs the `hotline` binary with `args` and the stand-in's token; stdout.
async fn hotline(args: Vec<String>, token: &str) -> (bool, String) {
    let token = token.to_owned();
    tokio::task::spawn_blocking(move || {
        let out = Command::new(env!("CARGO_BIN_EXE_hotline"))
            .env_remove("HOTLINE_CONFIG")
            .env_remove("HOTLINE_BOT_USERNAME")
            .env("TELOXIDE_TOKEN", token)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.success(), format!("{stdout}{stderr}"))
    })
    .await
    .unwrap()
}

/// Sends `text` until the answer contains `wanted` (the bot reloads meanwhile).
async fn until_answered(who: &Resident, text: &str, wanted: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let answer = texts(&who.send(text).await.unwrap()).join("\n");
        if answer.contains(wanted) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "never answered {wanted}: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn an_invite_links_the_account_once_and_the_person_then_is_staff_and_is_paged() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let url = match postgres() {
        Some(server) => fresh_postgres_database(&server).await,
        None => format!("sqlite://{}", dir.path().join("hotline.db").display()),
    };
    let path = dir.path().join("site.toml");
    let site = format!(
        "[database]\nurl = \"{url}\"\n[telegram]\napi_url = \"{}\"\n{}",
        standin.api_url(),
        director_unlinked()
    );
    std::fs::write(&path, site).unwrap();
    let file = path.display().to_string();

    let (ok, checked) = hotline(vec!["check-config".into(), "-c".into(), file.clone()], "").await;
    assert!(ok, "a person without telegram_id is valid: {checked}");
    assert!(
        checked.contains("WARNING") && checked.contains("李主任 (director) has no Telegram id"),
        "{checked}"
    );

    let config = Config::load_with_env(Some(&path), &[]).unwrap();
    let load = {
        let path = path.clone();
        move || Config::load_with_env(Some(&path), &[])
    };
    let bot = hotline::telegram::bot(standin.token(), config.telegram.api_url.as_str()).unwrap();
    let clock = Arc::new(TestClock::starting_at(night()));
    let (control, rx) = mpsc::channel(4);
    let options = StartOptions::default();
    let app = tokio::spawn(supervise(config.clone(), load, bot, clock, options, rx));
    let deadline = Instant::now() + WAIT;
    while standin.calls_to("getUpdates").is_empty() {
        assert!(!app.is_finished(), "the bot stopped");
        assert!(Instant::now() < deadline, "the bot never polled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let observer = Store::connect(&url, 2).await.unwrap();
    hotline::reload::watch_database(
        observer.clone(),
        Duration::from_millis(100),
        control.clone(),
    )
    .await;

    // The bot's username comes from Telegram (getMe with TELOXIDE_TOKEN).
    let args = ["staff", "invite", "director", "-c", &file].map(str::to_owned);
    let (ok, printed) = hotline(args.to_vec(), standin.token()).await;
    assert!(ok, "{printed}");
    let link = printed
        .split_whitespace()
        .find(|w| w.starts_with("https://t.me/"))
        .unwrap_or_else(|| panic!("no link in {printed}"));
    let (_, start) = link.split_once("?start=").unwrap();
    assert!(start.starts_with("s-") && start.len() > 20, "{link}");

    let li = crate::helpers::resident(&standin, &observer, 700_099, "李主任");
    let refused = li.send("/zone add 舜耕小区 quarantine").await.unwrap();
    assert!(
        refused[0].text.contains("仅限工作人员"),
        "{:?}",
        texts(&refused)
    );

    let linked = li.send(&format!("/start {start}")).await.unwrap();
    assert!(
        linked[0]
            .text
            .contains("已将您的 Telegram 账号登记为工作人员「李主任」"),
        "{:?}",
        texts(&linked)
    );
    let impostor = crate::helpers::resident(&standin, &observer, 700_100, "冒名者");
    let again = impostor.send(&format!("/start {start}")).await.unwrap();
    assert!(
        again[0].text.contains("已使用或已过期"),
        "{:?}",
        texts(&again)
    );
    assert_eq!(
        observer.staff_links().await.unwrap(),
        [(PersonId::from("director"), 700_099)]
    );

    // Within seconds every instance has reloaded with the link.
    until_answered(&li, "/zone add 舜耕小区 quarantine", "已添加重点区域").await;
    let who = li.send("/whoami").await.unwrap();
    assert!(who[0].text.contains("director"), "{:?}", texts(&who));

    let resident = crate::helpers::resident(&standin, &observer, 700_300, "居民");
    resident
        .report("水压低", "舜耕小区 1号楼", "水压很低")
        .await;
    let shown = standin
        .wait_for_shown(700_099, WAIT, |s| !alerts(s).is_empty())
        .await
        .unwrap();
    assert!(
        alerts(&shown)[0].text.contains("集中隔离点"),
        "{}",
        alerts(&shown)[0].text
    );

    control.send(Control::Stop).await.unwrap();
    app.await.unwrap().unwrap();
}

#[tokio::test]
async fn an_expired_invite_is_refused() {
    let app = TestApp::spawn_with(&director_unlinked()).await;
    let now = app.clock.now();
    let hour = Duration::from_secs(3600);
    let (director, nobody) = (PersonId::from("director"), PersonId::from("nobody"));
    let link =
        hotline::staff::invite::invite(&app.config, app.store(), &director, "hl_bot", hour, now)
            .await
            .unwrap();
    assert!(link.starts_with("https://t.me/hl_bot?start=s-"), "{link}");
    let (_, start) = link.split_once("?start=").unwrap();
    app.clock.advance(chrono::Duration::hours(2));
    let li = app.resident(700_099, "李主任");
    let refused = li.send(&format!("/start {start}")).await.unwrap();
    assert!(
        refused[0].text.contains("已使用或已过期"),
        "{:?}",
        texts(&refused)
    );
    assert!(app.store().staff_links().await.unwrap().is_empty());
    let unknown =
        hotline::staff::invite::invite(&app.config, app.store(), &nobody, "b", hour, now).await;
    assert!(unknown.unwrap_err().to_string().contains("nobody"));
    app.stop().await;
}

#[tokio::test]
async fn doctor_names_a_paged_person_not_linked_yet() {
    let app = TestApp::spawn_with(&director_unlinked()).await;
    let report = hotline::doctor::run(&app.config, None, app.clock.now()).await;
    let text = report.render();
    assert!(
        text.contains("FAIL people")
            && text.contains("李主任 (director) is not linked yet")
            && text.contains("hotline staff invite director"),
        "{text}"
    );
    app.stop().await;
}
