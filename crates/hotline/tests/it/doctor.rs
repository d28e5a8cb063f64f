//! `hotline doctor` finds what would leave a page unanswered: a stretch of
//! the rotations with nobody on call, and a manager who never started the bot.

use hotline::clock::Clock;
use hotline_standin::texts;

use crate::helpers::{STAFF, TestApp};

#[tokio::test]
async fn doctor_names_a_rotation_gap_and_a_person_who_never_started_the_bot() {
    // The director's rotation begins only on Thursday morning.
    let site = STAFF.replace(
        "start = \"2026-01-01 00:00\"",
        "start = \"2026-02-12 08:00\"",
    );
    let app = TestApp::spawn_with(&site).await;
    let director = app
        .config
        .people
        .iter()
        .find(|p| p.id.as_str() == "director")
        .unwrap()
        .clone();
    let hello = app.staff(&director).send("/start").await.unwrap();
    assert!(!hello.is_empty(), "{:?}", texts(&hello));

    let report =
        hotline::doctor::run(&app.config, Some(app.standin.token()), app.clock.now()).await;
    let text = report.render();
    assert!(!report.healthy(), "{text}");
    assert!(text.contains("ok   telegram"), "the token is valid: {text}");
    assert!(text.contains("ok   database"), "{text}");
    assert!(
        text.contains(
            "director (客服中心主任 Director) has nobody from 2026-02-09 23:00 to 2026-02-12 08:00"
        ),
        "{text}"
    );
    assert!(
        text.contains("王科长 (wang) never started the bot"),
        "{text}"
    );
    assert!(!text.contains("李主任 (director) never"), "{text}");
    app.stop().await;
}

#[test]
fn doctor_exits_non_zero_on_a_problem_so_cron_can_tell() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("doctor.db").display());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("doctor")
        .env_remove("HOTLINE_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .env("HOTLINE__DATABASE__URL", &db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL telegram") && stdout.contains("TELOXIDE_TOKEN"),
        "{stdout}"
    );
    assert!(stdout.contains("ok   database"), "{stdout}");
}

#[tokio::test]
async fn whoami_tells_a_new_member_of_staff_their_telegram_id() {
    let app = TestApp::spawn_with(STAFF).await;
    let newcomer = app.resident(555_123, "新同事");
    let answer = newcomer.send("/whoami").await.unwrap();
    assert!(
        answer[0].text.contains("555123") && answer[0].text.contains("telegram_id"),
        "{:?}",
        texts(&answer)
    );
    app.stop().await;
}

/// `hotline doctor` with `env` on a fresh database: (exit code, stdout).
async fn doctor_with(env: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("doctor.db").display());
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("doctor")
        .env_remove("HOTLINE_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .env("HOTLINE__DATABASE__URL", &db)
        .envs(env.iter().copied())
        .output()
        .await
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn an_empty_token_is_not_set_a_dns_failure_is_not_the_tokens_fault() {
    let (code, stdout) = doctor_with(&[("TELOXIDE_TOKEN", "")]).await;
    assert_eq!(code, Some(1), "{stdout}");
    let line = stdout.lines().find(|l| l.starts_with("FAIL telegram"));
    assert!(
        line.is_some_and(|l| l.contains("TELOXIDE_TOKEN is not set")),
        "an empty token counts as unset: {stdout}"
    );

    let nowhere = [
        ("TELOXIDE_TOKEN", "123456:an-unchecked-token"),
        ("HOTLINE__TELEGRAM__API_URL", "http://telegram.invalid/"),
    ];
    let (code, stdout) = doctor_with(&nowhere).await;
    assert_eq!(code, Some(1), "{stdout}");
    let line = stdout.lines().find(|l| l.starts_with("FAIL telegram"));
    let line = line.unwrap_or_else(|| panic!("a telegram line: {stdout}"));
    assert!(
        line.contains("cannot reach Telegram") && line.contains("DNS") && line.contains("proxy"),
        "{line}"
    );
    assert!(
        !line.contains("rejected"),
        "not blamed on the token: {line}"
    );
}

#[tokio::test]
async fn a_token_telegram_refuses_is_named_as_the_token() {
    let standin = hotline_standin::StandIn::start(Default::default())
        .await
        .unwrap();
    let api_url = standin.api_url().to_string();
    let wrong = [
        ("TELOXIDE_TOKEN", "123456:not-the-bots-token"),
        ("HOTLINE__TELEGRAM__API_URL", api_url.as_str()),
    ];
    let (code, stdout) = doctor_with(&wrong).await;
    assert_eq!(code, Some(1), "{stdout}");
    let line = stdout.lines().find(|l| l.starts_with("FAIL telegram"));
    let line = line.unwrap_or_else(|| panic!("a telegram line: {stdout}"));
    assert!(
        line.contains("rejected the token") && line.contains("@BotFather"),
        "{line}"
    );
    assert!(!line.contains("cannot reach"), "{line}");
}
