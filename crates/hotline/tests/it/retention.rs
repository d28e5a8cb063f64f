//! Retention and backups: the purge and `/forget` remove exactly what they
//! say (reports on both sides of the cut-off), and a backup taken during a
//! flood of reports is a sound database holding every committed report.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use hotline::clock::to_millis;
use hotline::domain::{Category, ChatId, CompoundRef, Lang, ReportId};
use hotline::store::{NewReport, Purged, Store, StoreError};
use hotline::upkeep::purge::purge;
use sqlx::Row;

use crate::helpers::{TestApp, night};

fn report(user: i64, phone: &str) -> NewReport {
    NewReport {
        resident_user_id: user,
        resident_chat_id: ChatId(user),
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
        household: hotline::domain::Household::Chat(user),
    }
}

/// Files a report for `user` at `at`, resolved at `resolved` if given.
pub async fn file(
    store: &Store,
    user: i64,
    at: DateTime<Utc>,
    resolved: Option<DateTime<Utc>>,
) -> ReportId {
    let mut tx = store.begin().await.unwrap();
    tx.upsert_resident(user, ChatId(user), "王阿姨", Lang::Zh, to_millis(at))
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
        ..Purged::default()
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
    let refused = store.backup_into(&copy).await;
    assert!(
        matches!(&refused, Err(StoreError::Backup(why)) if why.contains("exists already")),
        "an existing file is never overwritten: {refused:?}"
    );
    pool.close().await;
    restored.close().await;
    app.stop().await;
}
