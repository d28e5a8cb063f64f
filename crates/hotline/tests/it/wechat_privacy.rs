//! `/forget` and the retention purge for WeChat residents, through the real
//! HTTP server and the WeChat stand-in (issue 28): what they remove for a
//! Telegram resident, and also the photos the bot keeps for WeChat
//! residents, the push keys that recognise WeChat's retries and, once a
//! resident is forgotten by retention, their openid.

use chrono::TimeDelta;
use hotline::clock::Clock as _;
use hotline::store::Purged;
use hotline::upkeep::purge::purge;
use sqlx::AnyPool;

use crate::desk_client::manager;
use crate::helpers::TestApp;
use crate::wechat_photo::{JPEG, wechat_outage_with_photo};
use crate::wechat_send::{chat_of, turn, wechat_app};

async fn raw(app: &TestApp) -> AnyPool {
    AnyPool::connect(&app.config.database.url).await.unwrap()
}

async fn count(pool: &AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn forget_from_wechat_erases_phones_unsent_photos_and_the_events_openid() {
    let (app, wechat, _) = wechat_app("").await;
    let ticket = wechat_outage_with_photo(&app, &wechat, "oZhao").await;
    // A second report, its photo sent but the report not.
    turn(
        &app,
        &wechat,
        "oZhao",
        wechat.press_labelled("oZhao", "报修"),
    )
    .await;
    turn(
        &app,
        &wechat,
        "oZhao",
        wechat.press_labelled("oZhao", "停水"),
    )
    .await;
    turn(
        &app,
        &wechat,
        "oZhao",
        wechat.text("oZhao", "阳光花园 5号楼"),
    )
    .await;
    turn(&app, &wechat, "oZhao", async {
        wechat.image("oZhao", JPEG).await.map(|(answer, _)| answer)
    })
    .await;
    let pool = raw(&app).await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM wechat_photos").await, 2);
    let events = "SELECT COUNT(*) FROM wechat_ids WHERE kind = 'push' AND key LIKE '%oZhao%'";
    assert!(count(&pool, events).await > 0, "following is an event");

    let said = turn(&app, &wechat, "oZhao", wechat.text("oZhao", "/forget")).await;
    assert!(said[0].text.contains("已删除"), "{said:#?}");
    assert!(!said[0].text.contains("Telegram"), "{said:#?}");
    let report = &app.reports().await[0];
    assert_eq!(
        (report.ticket.as_str(), report.phone.as_deref()),
        (ticket.as_str(), None)
    );
    assert_eq!(
        report.photos().len(),
        1,
        "staff still see the report's photo"
    );
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM wechat_photos").await,
        1,
        "the unsent report's photo is gone"
    );
    assert_eq!(count(&pool, events).await, 0, "no push key names them");
    let events = app.store().report_events(report.id).await.unwrap();
    assert!(events.iter().any(|e| e.0 == "forgotten"), "{events:?}");
    pool.close().await;
    app.stop().await;
}

#[tokio::test]
async fn the_purge_removes_old_wechat_photos_push_keys_and_quiet_residents_openids() {
    let (app, wechat, _) = wechat_app("").await;
    let ticket = wechat_outage_with_photo(&app, &wechat, "oZhao").await;
    let staff = app.staff(&manager(&app));
    staff
        .send(&format!("/resolve {ticket} 已修好"))
        .await
        .unwrap();
    // A photo sent outside any report.
    turn(&app, &wechat, "oQian", wechat.subscribe("oQian")).await;
    turn(&app, &wechat, "oQian", async {
        wechat.image("oQian", JPEG).await.map(|(answer, _)| answer)
    })
    .await;
    // Half a year on, another resident reports with a photo.
    app.clock.advance(TimeDelta::days(181));
    wechat_outage_with_photo(&app, &wechat, "oSun").await;
    let sun = chat_of(&app, "oSun").await;

    let (now, retention) = (app.clock.now(), &app.config.retention);
    let dry = purge(app.store(), retention, now, true).await.unwrap();
    assert_eq!(dry.wechat_photos, 2, "{dry:?}");
    assert_eq!(
        purge(app.store(), retention, now, false).await.unwrap(),
        dry
    );
    assert_eq!(
        purge(app.store(), retention, now, false).await.unwrap(),
        Purged::default()
    );

    let reports = app.reports().await;
    let zhao = reports.iter().find(|r| r.ticket == ticket).unwrap();
    assert_eq!((zhao.phone.as_deref(), zhao.photos().len()), (None, 0));
    let pool = raw(&app).await;
    let left: Vec<i64> = sqlx::query_scalar("SELECT resident FROM wechat_photos")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left, [sun.0], "only the open report's photo stays");
    let openids: Vec<String> =
        sqlx::query_scalar("SELECT key FROM wechat_ids WHERE kind = 'openid'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(openids, ["oSun"], "the quiet residents' openids are gone");
    let old_keys = format!(
        "SELECT COUNT(*) FROM wechat_ids WHERE kind = 'push' AND seen_at < {}",
        hotline::clock::to_millis(now) - 14 * 24 * 3600 * 1000
    );
    assert_eq!(count(&pool, &old_keys).await, 0);
    let recent = "SELECT COUNT(*) FROM wechat_ids WHERE kind = 'push'";
    assert!(
        count(&pool, recent).await > 0,
        "the recent pushes' keys stay"
    );
    pool.close().await;
    app.stop().await;
}
