//! The WeChat account's setup commands through the real binary against the
//! WeChat stand-in (issue 28): `hotline wechat menu` sets the custom menu
//! (报修 / 我的报修 / 查询 as CLICK keys read as commands), `hotline qr
//! --wechat` creates each compound's permanent QR code with its scene and
//! prints the image's address; both use the token kept in the database.

use std::path::{Path, PathBuf};
use std::process::Command;

use hotline::config::Config;
use hotline::wechat::setup::show_url;
use hotline_standin::wechat::WechatStandIn;

use crate::wechat_send::{APP_ID, SECRET, TOKEN};

/// A config in `dir`: its own SQLite database, the account on `api_url`.
fn config(dir: &Path, api_url: &str) -> PathBuf {
    let file = dir.join("hotline.toml");
    let db = format!("sqlite://{}", dir.join("hotline.db").display());
    let toml = format!(
        "[database]\nurl = \"{db}\"\n[telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [wechat]\nenabled = true\napp_id = \"{APP_ID}\"\napi_url = \"{api_url}\"\n"
    );
    std::fs::write(&file, toml).unwrap();
    file
}

/// Runs `hotline --config CONFIG ARGS…` with the AppSecret: (exit 0, output).
async fn hotline(config: &Path, args: &[&str]) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hotline"));
    command
        .env_remove("HOTLINE_CONFIG")
        .env("HOTLINE_WECHAT_SECRET", SECRET)
        .arg("--config")
        .arg(config)
        .args(args);
    tokio::task::spawn_blocking(move || {
        let out = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        (out.status.success(), format!("{stdout}{stderr}"))
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn hotline_wechat_menu_sets_the_three_items_with_the_shared_token() {
    let wechat = WechatStandIn::start(APP_ID, SECRET, TOKEN).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = config(dir.path(), &wechat.api_url());
    let (ok, out) = hotline(&file, &["wechat", "menu"]).await;
    assert!(ok, "{out}");
    assert!(out.contains("报修: /report"), "{out}");
    let menu = wechat.menu().expect("a menu was set");
    let items: Vec<(&str, &str, &str)> = menu["button"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap_or_default();
            (s("type"), s("name"), s("key"))
        })
        .collect();
    assert_eq!(
        items,
        [
            ("click", "报修", "/report"),
            ("click", "我的报修", "/my"),
            ("click", "查询", "/status")
        ]
    );
    // Run again: the token kept in the database is used, not fetched anew
    // (which would make the running bot's token stale).
    let (ok, out) = hotline(&file, &["wechat", "menu"]).await;
    assert!(ok, "{out}");
    assert_eq!(wechat.token_requests(), 1);
}

#[tokio::test]
async fn hotline_qr_wechat_creates_each_compounds_poster() {
    let wechat = WechatStandIn::start(APP_ID, SECRET, TOKEN).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = config(dir.path(), &wechat.api_url());
    let (ok, out) = hotline(&file, &["qr", "--wechat"]).await;
    assert!(ok, "{out}");
    let compounds = Config::load(Some(&file)).unwrap().compounds;
    let created = wechat.qr_codes();
    let scenes: Vec<String> = created.iter().map(|(s, _)| s.clone()).collect();
    let wanted: Vec<String> = compounds.iter().map(|c| format!("c:{}", c.id)).collect();
    assert_eq!(scenes, wanted);
    for ((scene, ticket), c) in created.iter().zip(&compounds) {
        let line = format!("{} ({}): scene {scene}: {}", c.name, c.id, show_url(ticket));
        assert!(out.contains(&line), "{line} in {out}");
    }

    let (ok, out) = hotline(&file, &["qr", "--wechat", "--compound", "yanshan"]).await;
    assert!(ok, "{out}");
    assert_eq!(wechat.qr_codes().len(), created.len() + 1);
    assert_eq!(wechat.qr_codes().last().unwrap().0, "c:yanshan");
}

#[tokio::test]
async fn hotline_qr_wechat_without_the_api_prints_the_scenes_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let unreachable = format!("http://127.0.0.1:{}", crate::desk_client::free_port());
    let file = config(dir.path(), &unreachable);
    let (ok, out) = hotline(&file, &["qr", "--wechat", "--compound", "yanshan"]).await;
    assert!(!ok, "{out}");
    assert!(out.contains("scene c:yanshan: not created"), "{out}");
}
