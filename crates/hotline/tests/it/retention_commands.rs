//! Retention and backups as the operator runs them: `hotline purge`,
//! `hotline backup`, `hotline open311 key add`, and the daily purge, which
//! only the instance leading the escalation engine runs.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::{TimeDelta, Utc};
use hotline::store::Store;

use crate::helpers::{TestApp, night};
use crate::retention::file;

/// The binary against a SQLite file in `dir`.
fn hotline(db: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.env_remove("HOTLINE_CONFIG").env(
        "HOTLINE__DATABASE__URL",
        format!("sqlite://{}", db.display()),
    );
    cmd
}

#[tokio::test]
async fn the_operators_commands_purge_back_up_and_add_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hotline.db");
    let store = Store::connect(&format!("sqlite://{}", db.display()), 1)
        .await
        .unwrap();
    let long_ago = Utc::now() - TimeDelta::days(400);
    file(&store, 9301, long_ago, Some(long_ago)).await;

    let dry = hotline(&db).args(["purge", "--dry-run"]).output().unwrap();
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{said}");
    assert!(
        said.contains("would erase the phone and photos of 1 resolved reports"),
        "{said}"
    );
    assert_eq!(
        store.all_reports().await.unwrap()[0].phone.as_deref(),
        Some("13800000000")
    );
    let done = hotline(&db).arg("purge").output().unwrap();
    assert!(String::from_utf8_lossy(&done.stdout).contains("erased the phone and photos of 1"));
    assert_eq!(store.all_reports().await.unwrap()[0].phone, None);

    let key = hotline(&db)
        .args(["open311", "key", "add", "city"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&key.stdout);
    let printed = said
        .split_whitespace()
        .find(|w| w.len() == 64)
        .expect("a key");
    let hash = hotline::secret::digest(printed);
    assert_eq!(
        store.open311_client(&hash).await.unwrap().as_deref(),
        Some("city")
    );
    for path in [db.clone(), dir.path().join("hotline.db-wal")] {
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(
            !bytes.windows(64).any(|w| w == printed.as_bytes()),
            "the key itself is never stored"
        );
    }

    let copy = dir.path().join("copy.db");
    let backup = hotline(&db).arg("backup").arg(&copy).output().unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let restored = Store::connect(&format!("sqlite://{}", copy.display()), 1)
        .await
        .unwrap();
    assert_eq!(restored.all_reports().await.unwrap().len(), 1);
    restored.close().await;
    store.close().await;
}

#[tokio::test]
async fn the_daily_purge_runs_only_on_the_instance_leading_the_engine() {
    use hotline::clock::TestClock;
    use hotline::http::Status;
    let app = TestApp::spawn().await;
    let store = app.store().clone();
    let old = night() - TimeDelta::days(200);
    file(&store, 9401, old, Some(old)).await;
    let phone = || async { app.reports().await[0].phone.clone() };
    let clock = Arc::new(TestClock::starting_at(night()));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let follower = Arc::new(Status::default());
    let first = std::time::Duration::from_millis(20);
    let retention = app.config.retention.clone();
    hotline::upkeep::purge::spawn_daily(
        first,
        store.clone(),
        retention.clone(),
        clock.clone(),
        follower,
        stopped.clone(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(phone().await.is_some(), "a follower does not purge");

    let leader = Arc::new(Status::default());
    leader.engine_leader.store(true, Ordering::Relaxed);
    hotline::upkeep::purge::spawn_daily(first, store.clone(), retention, clock, leader, stopped);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while phone().await.is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "the leader purged within 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    app.stop().await;
}
