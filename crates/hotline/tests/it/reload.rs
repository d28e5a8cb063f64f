//! Settings change without a restart: a reload with a new director rotation
//! changes who is on call at once; a broken file is refused with
//! `check-config`'s message and the running settings stay; `hotline reload`
//! reaches the instance through the database.

use std::sync::Arc;
use std::time::Duration;

use hotline::app::StartOptions;
use hotline::clock::TestClock;
use hotline::config::{Config, ConfigError};
use hotline::reload::{Control, supervise};
use hotline::store::Store;
use hotline_standin::{Resident, texts};
use hotline_standin::{StandIn, StandInOptions};
use tokio::sync::{mpsc, oneshot};

use crate::helpers::{STAFF, night};

/// The demo's staff with a deputy director who holds the director's role.
fn with_deputy() -> String {
    let rota = STAFF.replace("people = [\"director\"]", "people = [\"deputy\"]");
    format!("{rota}\n[[people]]\nid = \"deputy\"\nname = \"钱副主任\"\ntelegram_id = 900098\n")
}

async fn reload(control: &mpsc::Sender<Control>) -> Result<(), ConfigError> {
    let (tx, rx) = oneshot::channel();
    control.send(Control::Reload(Some(tx))).await.unwrap();
    tokio::time::timeout(Duration::from_secs(60), rx)
        .await
        .unwrap()
        .unwrap()
}

async fn oncall(director: &Resident) -> String {
    let answer = director.send("/oncall").await.unwrap();
    texts(&answer).join("\n")
}

#[tokio::test]
async fn a_reload_changes_who_is_on_call_and_a_broken_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let path = dir.path().join("site.toml");
    let site = |staff: &str| {
        format!(
            "[database]\nurl = \"sqlite://{}\"\n[telegram]\napi_url = \"{}\"\n{staff}",
            dir.path().join("hotline.db").display(),
            standin.api_url()
        )
    };
    std::fs::write(&path, site(STAFF)).unwrap();
    let config = Config::load_with_env(Some(&path), &[]).unwrap();
    let load = {
        let path = path.clone();
        move || Config::load_with_env(Some(&path), &[])
    };
    let bot = hotline::telegram::bot(standin.token(), config.telegram.api_url.as_str()).unwrap();
    let clock = Arc::new(TestClock::starting_at(night()));
    let (control, rx) = mpsc::channel(4);
    let app = tokio::spawn(supervise(
        config.clone(),
        load,
        bot,
        clock,
        StartOptions::default(),
        rx,
    ));
    // The bot has migrated the database and polls before anyone writes.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while standin.calls_to("getUpdates").is_empty() {
        assert!(!app.is_finished(), "the bot stopped");
        assert!(std::time::Instant::now() < deadline, "the bot never polled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let observer = Store::connect(&config.database.url, 2).await.unwrap();
    let director = crate::helpers::resident(&standin, &observer, 900099, "李主任");
    let before = oncall(&director).await;
    assert!(
        before.contains("李主任") && !before.contains("钱副主任"),
        "{before}"
    );

    std::fs::write(&path, site(&with_deputy())).unwrap();
    reload(&control).await.unwrap();
    let after = oncall(&director).await;
    assert!(
        after.contains("钱副主任"),
        "the deputy holds the role now: {after}"
    );

    std::fs::write(&path, site("[limits]\nreports_per_hour = \"many\"\n")).unwrap();
    let refused = reload(&control).await.unwrap_err();
    let check = Config::load_with_env(Some(&path), &[]).unwrap_err();
    assert_eq!(refused, check, "the same message as check-config");
    assert!(
        refused.to_string().contains("limits.reports_per_hour"),
        "{refused}"
    );
    let still = oncall(&director).await;
    assert!(
        still.contains("钱副主任"),
        "the running settings stay: {still}"
    );

    // `hotline reload` for several instances: through the database.
    hotline::reload::watch_database(
        observer.clone(),
        Duration::from_millis(100),
        control.clone(),
    )
    .await;
    std::fs::write(&path, site(STAFF)).unwrap();
    observer.request_reload(0).await.unwrap();
    let mut back = String::new();
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        back = oncall(&director).await;
        if !back.contains("钱副主任") {
            break;
        }
    }
    assert!(!back.contains("钱副主任"), "the director is back: {back}");

    control.send(Control::Stop).await.unwrap();
    app.await.unwrap().unwrap();
}

#[tokio::test]
async fn each_hotline_reload_moves_the_generation_instances_watch() {
    let app = crate::helpers::TestApp::spawn().await;
    let store = app.store();
    assert_eq!(store.reload_generation().await.unwrap(), 0);
    assert_eq!(store.request_reload(1).await.unwrap(), 1);
    assert_eq!(store.request_reload(2).await.unwrap(), 2);
    assert_eq!(store.reload_generation().await.unwrap(), 2);
    app.stop().await;
}
