//! Retention and backups: the purge and `/forget` remove exactly what they
//! say (reports on both sides of the cut-off), and a backup taken during a
//! flood of reports is a sound database holding every committed report.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use hotline::clock::to_millis;
use hotline::domain::{Category, CompoundRef, Lang};
use hotline::store::{NewReport, Purged, Store};
use hotline::upkeep::purge::purge;
use sqlx::Row;

use crate::helpers::{TestApp, night};

fn report(user: i64, phone: &str) -> NewReport {
    NewReport {
        resident_user_id: user,
        resident_chat_id: user,
        resident_lang: Lang::Zh,
        category: Category::Outage,
        compound: CompoundRef::Matched {
            id: "yanshan".into(),
            name: "燕山小区".into(),
        },
        address_detail: "1号楼".into(),
        location: Some((36.65, 117.12)),
        description: "没水了".into(),
        description_truncated: false,
        photo_file_ids: vec!["photo-file-id".into()],
        phone: Some(phone.into()),
    }
}

/// Files a report for `user` at `at`, resolved at `resolved` if given.
async fn file(store: &Store, user: i64, at: DateTime<Utc>, resolved: Option<DateTime<Utc>>) -> i64 {
    let mut tx = store.begin().await.unwrap();
    tx.upsert_resident(user, user, "王阿姨", Lang::Zh, to_millis(at))
        .await
        .unwrap();
    let (id, _) = tx
        .create_report(
            &report(user, "13800000000"),
            at,
            chrono_tz::Asia::Shanghai,
            "JN",
        )
        .await
        .unwrap();
    if let Some(done) = resolved {
        tx.resolve_report(id, to_millis(done)).await.unwrap();
    }
    tx.commit().await.unwrap();
    id
}

async fn raw(app: &TestApp) -> sqlx::AnyPool {
    sqlx::AnyPool::connect(&app.config.database.url)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_purge_erases_contacts_and_old_records_only_past_the_cut_off() {
    let app = TestApp::spawn().await;
    let (store, now) = (app.store(), night());
    let days = |n: i64| now - TimeDelta::days(n);
    let old = file(store, 9001, days(200), Some(days(181))).await;
    let recent = file(store, 9002, days(200), Some(days(179))).await;
    let open = file(store, 9003, days(200), None).await;
    let pool = raw(&app).await;
    for (id, sent) in [(1_i64, days(15)), (2, days(13))] {
        sqlx::query(
            "INSERT INTO outbox (id, lane, chat_id, payload, status, next_attempt_at, created_at, sent_at)
             VALUES ($1, 1, 9001, '{}', 'sent', $2, $2, $2)",
        )
        .bind(1_000_000 + id)
        .bind(to_millis(sent))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO processed_updates (update_id, user_id, processed_at) VALUES ($1, 9001, $2)")
            .bind(1_000_000 + id)
            .bind(to_millis(sent))
            .execute(&pool)
            .await
            .unwrap();
    }
    let retention = &app.config.retention;
    let expected = Purged {
        report_contacts: 1,
        resident_names: 1,
        outbox_rows: 1,
        update_ids: 1,
    };
    assert_eq!(purge(store, retention, now, true).await.unwrap(), expected);
    assert_eq!(
        purge(store, retention, now, true).await.unwrap(),
        expected,
        "a dry run removes nothing"
    );
    assert_eq!(purge(store, retention, now, false).await.unwrap(), expected);
    assert_eq!(
        purge(store, retention, now, false).await.unwrap(),
        Purged::default()
    );

    let reports = app.reports().await;
    let by_id = |id| reports.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        (by_id(old).phone.as_deref(), by_id(old).photos().len()),
        (None, 0)
    );
    assert_eq!(by_id(old).description, "没水了", "the facts stay");
    assert_eq!(by_id(old).latitude, Some(36.65));
    for kept in [recent, open] {
        assert_eq!(by_id(kept).phone.as_deref(), Some("13800000000"));
        assert_eq!(by_id(kept).photos().len(), 1);
    }
    let names: Vec<(i64, String)> =
        sqlx::query("SELECT user_id, first_name FROM residents ORDER BY user_id")
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    assert_eq!(
        names,
        [
            (9001, String::new()),
            (9002, "王阿姨".into()),
            (9003, "王阿姨".into())
        ]
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE id > 1000000")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 1, "the row sent 13 days ago stays");
    pool.close().await;
    app.stop().await;
}

#[tokio::test]
async fn forgetting_erases_a_residents_contact_and_notes_it_on_open_reports() {
    let app = TestApp::spawn().await;
    let (store, now) = (app.store(), night());
    let resolved = file(store, 9101, now - TimeDelta::days(3), Some(now)).await;
    let open = file(store, 9101, now, None).await;
    let other = file(store, 9102, now, None).await;
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.forget_resident(9101, to_millis(now)).await.unwrap(), 2);
    tx.commit().await.unwrap();
    let reports = app.reports().await;
    let phone = |id| reports.iter().find(|r| r.id == id).unwrap().phone.clone();
    assert_eq!((phone(resolved), phone(open)), (None, None));
    assert_eq!(phone(other).as_deref(), Some("13800000000"));
    let kinds =
        |events: Vec<(String, String, String)>| events.into_iter().map(|e| e.0).collect::<Vec<_>>();
    assert!(kinds(store.report_events(open).await.unwrap()).contains(&"forgotten".to_string()));
    assert!(
        !kinds(store.report_events(resolved).await.unwrap()).contains(&"forgotten".to_string())
    );
    app.stop().await;
}

#[tokio::test]
async fn a_backup_taken_during_a_flood_is_sound_and_holds_every_committed_report() {
    if crate::helpers::postgres().is_some() {
        return; // VACUUM INTO is SQLite's; PostgreSQL has pg_dump.
    }
    let app = TestApp::spawn().await;
    let store = app.store().clone();
    let committed = Arc::new(AtomicI64::new(0));
    let flood = {
        let (store, committed) = (store.clone(), committed.clone());
        tokio::spawn(async move {
            for user in 0..300 {
                file(&store, 20_000 + user, night(), None).await;
                committed.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while committed.load(Ordering::SeqCst) < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    let before = committed.load(Ordering::SeqCst);
    store.backup_into(&copy).await.unwrap();
    flood.await.unwrap();

    let restored = Store::connect(&format!("sqlite://{}", copy.display()), 1)
        .await
        .unwrap();
    let pool = sqlx::AnyPool::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let held = restored.all_reports().await.unwrap().len() as i64;
    assert!(
        held >= before && held <= 300,
        "{held} reports, {before} committed before the backup"
    );
    assert!(
        store.backup_into(&copy).await.is_err(),
        "an existing file is never overwritten"
    );
    pool.close().await;
    restored.close().await;
    app.stop().await;
}

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
    let hash = hotline::open311::keys::hash_key(printed);
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
