//! Signing in to the desk without Telegram (issue 27): `hotline desk link
//! <person>` prints a one-time link for a configured member of staff.

use std::process::Command;

use reqwest::StatusCode;

use crate::desk_client::{DeskClient, link_in, manager, spawn_desk};
use crate::helpers::{STAFF, TestApp};

/// Runs `hotline desk link <person>` on the app's database and desk.
fn desk_link_cli(app: &TestApp, base: &str, person: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    let listen = base.trim_start_matches("http://");
    let config = format!(
        "{STAFF}\n[database]\nurl = \"{}\"\n[web]\nenabled = true\nlisten = \"{listen}\"\n",
        app.config.database.url
    );
    std::fs::write(&file, config).unwrap();
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_remove("HOTLINE_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .args(["desk", "link", person, "-c"])
        .arg(&file)
        .output()
        .unwrap()
}

#[tokio::test]
async fn hotline_desk_link_prints_a_link_that_signs_the_person_in_once() {
    let (app, base) = spawn_desk().await;
    let person = manager(&app);
    let out = desk_link_cli(&app, &base, person.id.as_str());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = link_in(&printed).unwrap_or_else(|| panic!("no link in {printed}"));
    assert!(
        link.starts_with(&format!("{base}/desk/signin?t=")),
        "{link}"
    );

    let mut browser = DeskClient::new(&base);
    assert_eq!(browser.sign_in(&link).await, StatusCode::SEE_OTHER);
    let (status, page) = browser.get("/desk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&person.name), "{page}");

    let mut second = DeskClient::new(&base);
    assert_eq!(second.sign_in(&link).await, StatusCode::FORBIDDEN, "once");
    app.stop().await;
}

#[tokio::test]
async fn hotline_desk_link_for_someone_not_configured_prints_no_link_and_fails() {
    let (app, base) = spawn_desk().await;
    let out = desk_link_cli(&app, &base, "nobody");
    assert!(!out.status.success());
    assert!(link_in(&String::from_utf8_lossy(&out.stdout)).is_none());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nobody"), "{stderr}");
    app.stop().await;
}
