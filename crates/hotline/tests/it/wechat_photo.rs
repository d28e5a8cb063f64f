//! A WeChat resident's photo through the real HTTP server, the WeChat
//! stand-in's `media/get` and the desk (issue 28): the wizard's description
//! step takes it, the report keeps it, staff in Telegram are pointed to the
//! desk, and the desk's ticket page shows it to signed-in staff only — still after WeChat's 3 days, since the bot
//! fetched it once and keeps it.

use hotline_standin::wechat::{MEDIA_LIFETIME, PushAnswer, WechatStandIn};
use reqwest::StatusCode;

use crate::desk_client::{DeskClient, desk_link, manager};
use crate::helpers::TestApp;
use crate::wechat_send::{turn, wechat_app, wechat_submit, wechat_to_step3};

/// A JPEG's first bytes and then some: what the desk must pass on as is.
pub const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01 a burst pipe \xff\xd9";

/// The resident sends `bytes` as a photo.
async fn image(wechat: &WechatStandIn, openid: &str, bytes: &[u8]) -> anyhow::Result<PushAnswer> {
    wechat.image(openid, bytes).await.map(|(answer, _)| answer)
}

/// A WeChat resident files an outage for 阳光花园 with a photo and a
/// description; returns the ticket.
pub async fn wechat_outage_with_photo(
    app: &TestApp,
    wechat: &WechatStandIn,
    openid: &str,
) -> String {
    wechat_to_step3(app, wechat, openid).await;
    let saved = turn(app, wechat, openid, image(wechat, openid, JPEG)).await;
    assert!(saved[0].text.contains("照片已收到"), "{saved:#?}");
    let step4 = turn(app, wechat, openid, wechat.text(openid, "水管爆了")).await;
    assert!(step4.last().unwrap().text.contains("4/4"), "{step4:#?}");
    turn(app, wechat, openid, wechat.text(openid, "13800138000")).await;
    wechat_submit(app, wechat, openid).await
}

#[tokio::test]
async fn a_wechat_residents_photo_is_kept_and_shown_on_the_desk_to_staff_only() {
    let (app, wechat, desk) = wechat_app("").await;
    let ticket = wechat_outage_with_photo(&app, &wechat, "oZhao").await;
    let reports = app.reports().await;
    assert_eq!(reports[0].ticket, ticket);
    assert_eq!(reports[0].photos().len(), 1, "the report keeps the photo");
    assert_eq!(
        wechat.media_requests(),
        1,
        "fetched once, through media/get"
    );

    // In Telegram, staff are sent to the desk: Telegram cannot show it by id.
    let staff = app.staff(&manager(&app));
    let shown = staff.send(&format!("/ticket {ticket}")).await.unwrap();
    assert!(
        shown.iter().any(|s| s.text.contains("微信发来 1 张照片")),
        "{shown:#?}"
    );
    assert!(shown.iter().all(|s| s.photo.is_none()), "{shown:#?}");

    // Staff open the ticket after WeChat has let the media id lapse.
    app.clock
        .advance(chrono::Duration::from_std(MEDIA_LIFETIME).unwrap());
    app.clock.advance(chrono::Duration::days(1));
    let mut browser = DeskClient::new(&desk);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (status, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    assert_eq!(status, StatusCode::OK);
    let src = format!("/desk/ticket/{ticket}/photo/0");
    assert!(page.contains(&src), "{page}");
    let photo = browser.fetch(&src).await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    assert_eq!(photo.bytes().await.unwrap().as_ref(), JPEG);
    assert_eq!(wechat.media_requests(), 1, "served from the kept copy");

    let anonymous = reqwest::get(format!("{desk}{src}")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert!(!anonymous.bytes().await.unwrap().ends_with(b"\xff\xd9"));
    app.stop().await;
}

#[tokio::test]
async fn a_photo_wechat_does_not_give_fails_the_push_so_wechat_pushes_it_again() {
    let (app, wechat, _) = wechat_app("").await;
    turn(&app, &wechat, "oQian", wechat.subscribe("oQian")).await;
    turn(
        &app,
        &wechat,
        "oQian",
        wechat.press_labelled("oQian", "报修"),
    )
    .await;
    wechat.refuse_media(true);
    let before = wechat.shown("oQian").len();
    let (answer, _) = wechat.image("oQian", JPEG).await.unwrap();
    assert_eq!(answer.status, 500, "not `success`: WeChat retries");
    let pool = sqlx::AnyPool::connect(&app.config.database.url)
        .await
        .unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wechat_photos")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);
    pool.close().await;
    wechat.refuse_media(false);
    let saved = turn(&app, &wechat, "oQian", image(&wechat, "oQian", JPEG)).await;
    assert_eq!(
        wechat.shown("oQian").len(),
        before + saved.len(),
        "nothing for the failed push"
    );
    assert!(!saved.is_empty(), "the next photo is handled");
    app.stop().await;
}
