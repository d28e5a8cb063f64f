//! The desk on an office network (issue 25): links lead where the desk is
//! served, a desk on every interface without `base_url` is refused by name,
//! and the session cookie is `Secure` exactly when the desk's URL is https
//! (a browser drops a Secure cookie that came over plain http).

use std::process::{Command, Stdio};

use hotline_standin::{StandIn, StandInOptions};
use reqwest::StatusCode;
use tokio::io::AsyncBufReadExt;

use crate::desk_client::{DeskClient, desk_link, free_port, manager};
use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp};

/// Runs the real binary with `toml` as its config file.
fn hotline_with(toml: &str, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("office.toml");
    std::fs::write(&file, toml).unwrap();
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_remove("HOTLINE_CONFIG")
        .env("TELOXIDE_TOKEN", "1:not-used")
        .args(args)
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap()
}

#[test]
fn a_desk_on_every_interface_without_base_url_is_refused_and_told_to_set_it() {
    let db = tempfile::tempdir().unwrap();
    let toml = format!(
        "[database]\nurl = \"sqlite://{}\"\n[web]\nenabled = true\nlisten = \"0.0.0.0:8090\"\n",
        db.path().join("hotline.db").display()
    );
    for command in ["check-config", "run"] {
        let out = hotline_with(&toml, &[command]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains("office.toml")
                && stderr.contains("key `web.listen`")
                && stderr.contains("[web] base_url")
                && stderr.contains("0.0.0.0:8090"),
            "{command}: {stderr}"
        );
    }
    let fixed = format!("{toml}base_url = \"http://192.168.1.20:8090\"\n");
    let out = hotline_with(&fixed, &["check-config"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("http://192.168.1.20:8090"), "{stdout}");
    assert!(
        stdout.contains("WARNING: key `web.base_url`") && stdout.contains("plain http"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_desk_over_plain_http_on_the_lan_is_warned_about_at_start() {
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (file, port) = (dir.path().join("office.toml"), free_port());
    let toml = format!(
        "{STAFF}\n[database]\nurl = \"sqlite://{}\"\n[telegram]\napi_url = \"{}\"\n\
         [web]\nenabled = true\nlisten = \"0.0.0.0:{port}\"\n\
         base_url = \"http://192.168.1.20:{port}\"\n",
        dir.path().join("hotline.db").display(),
        standin.api_url()
    );
    std::fs::write(&file, toml).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("run")
        .arg("--config")
        .arg(&file)
        .env_remove("HOTLINE_CONFIG")
        .env("TELOXIDE_TOKEN", standin.token())
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut log = String::new();
    let read = async {
        while let Ok(Some(line)) = lines.next_line().await {
            log.push_str(&line);
            log.push('\n');
            if line.contains("hotline is running") {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(WAIT, read).await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    assert!(log.contains("hotline is running"), "started: {log}");
    let warned = log
        .lines()
        .find(|l| l.contains("plain http"))
        .unwrap_or_else(|| panic!("no warning in {log}"));
    assert!(
        warned.contains("WARN") && warned.contains("http://192.168.1.20"),
        "{warned}"
    );
}

#[tokio::test]
async fn with_an_http_base_url_the_cookie_is_not_secure_and_sign_in_works_over_http() {
    // 0.0.0.0 answers on every address; 127.0.0.2 stands in for the LAN
    // address staff type (not "localhost", which browsers treat as secure).
    let port = free_port();
    let base = format!("http://127.0.0.2:{port}");
    let app = TestApp::spawn_with(&format!(
        "{STAFF}\n[web]\nenabled = true\nlisten = \"0.0.0.0:{port}\"\nbase_url = \"{base}/\"\n"
    ))
    .await;
    let person = manager(&app);
    let link = desk_link(&app, &person).await;
    assert!(
        link.starts_with(&format!("{base}/desk/signin?t=")),
        "{link}"
    );

    let mut browser = DeskClient::new(&base);
    assert_eq!(browser.sign_in(&link).await, StatusCode::SEE_OTHER);
    let set_cookie = browser.set_cookie.clone().unwrap();
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    let (status, page) = browser.get("/desk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&person.name), "signed in: {page}");
    app.stop().await;
}

#[tokio::test]
async fn with_an_https_base_url_the_session_cookie_is_secure() {
    let port = free_port();
    let app = TestApp::spawn_with(&format!(
        "{STAFF}\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n\
         base_url = \"https://desk.example.org\"\n"
    ))
    .await;
    let person = manager(&app);
    let link = desk_link(&app, &person).await;
    let public = "https://desk.example.org/desk/signin?t=";
    assert!(link.starts_with(public), "{link}");

    // The TLS proxy in front forwards to the desk's own address.
    let local = format!("http://127.0.0.1:{port}");
    let mut browser = DeskClient::new(&local);
    let forwarded = link.replace("https://desk.example.org", &local);
    assert_eq!(browser.sign_in(&forwarded).await, StatusCode::SEE_OTHER);
    let set_cookie = browser.set_cookie.clone().unwrap();
    assert!(set_cookie.contains("; Secure"), "{set_cookie}");
    app.stop().await;
}

#[tokio::test]
async fn a_desk_served_on_the_webhook_listener_links_there() {
    let port = free_port();
    let app = TestApp::spawn_with(&format!(
        "{STAFF}\n[web]\nenabled = true\n[telegram]\nwebhook_listen = \"127.0.0.1:{port}\"\n"
    ))
    .await;
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(app.http_addr().port(), port);
    let person = manager(&app);
    let link = desk_link(&app, &person).await;
    assert!(
        link.starts_with(&format!("{base}/desk/signin?t=")),
        "{link}"
    );

    let mut browser = DeskClient::new(&base);
    assert_eq!(browser.sign_in(&link).await, StatusCode::SEE_OTHER);
    let (status, page) = browser.get("/desk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&person.name), "signed in: {page}");
    app.stop().await;
}
