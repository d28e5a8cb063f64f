//! A compound's WeChat QR poster (issue 28), through the real HTTP server,
//! outbox and the WeChat stand-in: the `SCAN` of the poster's scene
//! `c:<compound>`, or following the account through it (`qrscene_…`),
//! starts the report with the compound filled in; an unknown scene gets the
//! ordinary greeting. And the custom menu's items are the residents'
//! commands (报修 starts the wizard, 我的报修 lists their reports).

use hotline_standin::wechat::WechatShown;

use crate::wechat_send::{turn, wechat_app};

fn texts(shown: &[WechatShown]) -> Vec<&str> {
    shown.iter().map(|s| s.text.as_str()).collect()
}

#[tokio::test]
async fn scanning_a_compounds_poster_starts_the_report_for_that_compound() {
    let (app, wechat, _) = wechat_app("").await;
    let hello = turn(&app, &wechat, "oScan", wechat.scan("oScan", "c:yanshan")).await;
    assert!(hello[0].text.contains("燕山小区"), "{:?}", texts(&hello));
    let step1 = hello.last().unwrap();
    assert!(step1.text.contains("1/4"), "{:?}", texts(&hello));
    assert_eq!(step1.kind, "msgmenu");

    let next = turn(
        &app,
        &wechat,
        "oScan",
        wechat.press_labelled("oScan", "停水"),
    )
    .await;
    let asked = next.last().unwrap();
    assert!(
        asked.text.contains("小区：燕山小区"),
        "straight to the building: {:?}",
        texts(&next)
    );
    app.stop().await;
}

#[tokio::test]
async fn following_through_a_poster_starts_the_report_for_that_compound() {
    let (app, wechat, _) = wechat_app("").await;
    let scanned = wechat.subscribe_scanned("oFollow", "c:yangguang");
    let hello = turn(&app, &wechat, "oFollow", scanned).await;
    assert!(hello[0].text.contains("阳光花园"), "{:?}", texts(&hello));
    assert!(
        hello.iter().any(|s| s.text.contains("1/4")),
        "{:?}",
        texts(&hello)
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_scene_gets_the_ordinary_greeting() {
    let (app, wechat, _) = wechat_app("").await;
    for (i, scene) in ["c:atlantis", "c:", "yanshan", "x:1"]
        .into_iter()
        .enumerate()
    {
        let openid = format!("oStranger{i}");
        let hello = turn(&app, &wechat, &openid, wechat.scan(&openid, scene)).await;
        assert_eq!(hello.len(), 1, "{scene}: {:?}", texts(&hello));
        assert!(
            hello[0].text.contains("24 小时供水服务热线"),
            "{scene}: {:?}",
            texts(&hello)
        );
    }
    let followed = turn(
        &app,
        &wechat,
        "oPlain",
        wechat.subscribe_scanned("oPlain", ""),
    )
    .await;
    assert!(followed[0].text.contains("24 小时供水服务热线"));
    app.stop().await;
}

#[tokio::test]
async fn the_custom_menus_items_are_the_residents_commands() {
    let (app, wechat, _) = wechat_app("").await;
    let [(report, report_key), (my, my_key), _] = hotline::texts::wechat::MENU;
    assert_eq!((report, my), ("报修", "我的报修"));
    let step1 = turn(&app, &wechat, "oMenu", wechat.click("oMenu", report_key)).await;
    assert!(
        step1.iter().any(|s| s.text.contains("1/4")),
        "{:?}",
        texts(&step1)
    );
    let mine = turn(&app, &wechat, "oMenu2", wechat.click("oMenu2", my_key)).await;
    assert!(
        mine.iter().any(|s| s.text.contains("您还没有提交过报修")),
        "{:?}",
        texts(&mine)
    );
    app.stop().await;
}
