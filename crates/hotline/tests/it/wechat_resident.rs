//! A WeChat resident is a resident like a Telegram one (issue 28), through
//! the real HTTP server and outbox against the WeChat stand-in: one who
//! names a compound with an open incident is offered to join it, joins by a
//! menu press and is counted on it; `/status` shows their own ticket and
//! nobody else's.

use hotline::domain::Category;

use crate::wechat_send::{turn, wechat_app, wechat_outage};

#[tokio::test]
async fn a_wechat_resident_joins_a_known_incident_by_a_menu_press() {
    let (app, wechat, _) = wechat_app("").await;
    app.seed_reports(5000, 5, Category::Outage, "yanshan").await;
    let before = app.store().all_escalations().await.unwrap();
    assert_eq!(before.len(), 1, "five households: one incident");

    turn(&app, &wechat, "oSun", wechat.subscribe("oSun")).await;
    let offer = turn(
        &app,
        &wechat,
        "oSun",
        wechat.text("oSun", "燕山小区8号楼停水了"),
    )
    .await;
    let last = offer.last().unwrap();
    assert!(last.text.contains("已知故障"), "{offer:#?}");
    assert_eq!(last.kind, "msgmenu", "the join is a menu item: {offer:#?}");
    let joined = turn(&app, &wechat, "oSun", wechat.press_labelled("oSun", "加入")).await;
    assert!(
        joined.iter().any(|s| s.text.contains("已加入")),
        "{joined:#?}"
    );
    let after = app.store().all_escalations().await.unwrap();
    assert_eq!(after.len(), 1, "no second incident");
    assert_eq!(after[0].report_count, 6, "counted on the incident");
    app.stop().await;
}

#[tokio::test]
async fn status_shows_a_wechat_resident_their_own_ticket_and_not_anothers() {
    let (app, wechat, _) = wechat_app("").await;
    let ticket = wechat_outage(&app, &wechat, "oZhao", "13700137000").await;

    let own = format!("/status {}", ticket.to_lowercase());
    let shown = turn(&app, &wechat, "oZhao", wechat.text("oZhao", &own)).await;
    assert!(
        shown
            .iter()
            .any(|s| s.text.contains(&ticket) && s.text.contains("已受理")),
        "{shown:#?}"
    );
    turn(&app, &wechat, "oQian", wechat.subscribe("oQian")).await;
    let other = format!("/status {ticket}");
    let shown = turn(&app, &wechat, "oQian", wechat.text("oQian", &other)).await;
    let text: String = shown.iter().map(|s| s.text.as_str()).collect();
    assert!(text.contains("没有找到"), "{shown:#?}");
    assert!(!text.contains("阳光花园"), "no details leak: {text}");
    app.stop().await;
}
