//! WeChat residents through the real HTTP server, outbox and client against
//! the WeChat stand-in (issue 28): the wizard with menu messages to a ticket,
//! news after the 48-hour window as a template message (or, without one,
//! failed and shown on the desk's ticket page), and a Telegram and a WeChat
//! resident in one compound as two households.

use std::time::Duration;

use hotline::domain::ChatId;
use hotline::wechat::ids;
use hotline_standin::wechat::{WechatShown, WechatStandIn};

use crate::desk_client::{DeskClient, desk_link, free_port, manager};
use crate::helpers::{STAFF, TestApp, clock_fn, ticket_in};
use crate::households::{chat_outage, directors_alert};

pub const TOKEN: &str = "hotlinetoken";
pub const APP_ID: &str = "wx0123456789abcdef";
pub const SECRET: &str = "appsecret0123456789";
const WAIT: Duration = Duration::from_secs(20);

/// A hotline with the demo's staff, its WeChat account on the stand-in,
/// the server URL and the desk on one free port; `extra` is more TOML.
pub async fn wechat_app(extra: &str) -> (TestApp, WechatStandIn, String) {
    let wechat = WechatStandIn::start(APP_ID, SECRET, TOKEN).await.unwrap();
    let port = free_port();
    let config = format!(
        "{STAFF}\n[telegram]\nwebhook_listen = \"127.0.0.1:{port}\"\n\
         [web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n\
         [wechat]\nenabled = true\napp_id = \"{APP_ID}\"\napi_url = \"{}\"\n{extra}",
        wechat.api_url()
    );
    let env = [
        ("HOTLINE_WECHAT_TOKEN", TOKEN),
        ("HOTLINE_WECHAT_SECRET", SECRET),
    ];
    let app = TestApp::spawn_with_env(&config, &env).await;
    wechat.set_clock(clock_fn(&app.clock));
    let base = format!("http://127.0.0.1:{port}");
    wechat.set_server_url(format!("{base}/wechat"));
    (app, wechat, base)
}

/// The chat id the hotline gave `openid`.
pub async fn chat_of(app: &TestApp, openid: &str) -> ChatId {
    let number = app.store().wechat_number("openid", openid, 0);
    ChatId(ids::resident(number.await.unwrap()))
}

/// One turn: `push` made, answered, and what it caused sent (or failed);
/// returns what `openid` was shown meanwhile.
pub async fn turn<F>(
    app: &TestApp,
    wechat: &WechatStandIn,
    openid: &str,
    push: F,
) -> Vec<WechatShown>
where
    F: std::future::Future<Output = anyhow::Result<hotline_standin::wechat::PushAnswer>>,
{
    let before = wechat.shown(openid).len();
    let answer = push.await.unwrap();
    assert!(answer.ok(), "{answer:?}");
    let chat = chat_of(app, openid).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.store().outbox_unsent(chat).await.unwrap() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "replies unsent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    wechat.shown(openid)[before..].to_vec()
}

fn texts(shown: &[WechatShown]) -> Vec<String> {
    shown.iter().map(|s| s.text.clone()).collect()
}

/// A WeChat resident follows the account and walks the wizard by menu
/// messages to step 3/4 of an outage in 阳光花园 (the address typed).
pub async fn wechat_to_step3(app: &TestApp, wechat: &WechatStandIn, openid: &str) {
    let hello = turn(app, wechat, openid, wechat.subscribe(openid)).await;
    assert!(hello.iter().any(|s| s.text.contains("您好")), "{hello:#?}");
    let step1 = turn(app, wechat, openid, wechat.press_labelled(openid, "报修")).await;
    assert!(step1[0].text.contains("1/4"), "{step1:#?}");
    assert_eq!(step1[0].kind, "msgmenu");
    let step2 = turn(app, wechat, openid, wechat.press_labelled(openid, "停水")).await;
    assert!(step2[0].text.contains("2/4"), "{step2:#?}");
    let mut next = turn(
        app,
        wechat,
        openid,
        wechat.text(openid, "阳光花园 3号楼2单元"),
    )
    .await;
    if next.last().unwrap().text.contains("楼号") {
        next = turn(app, wechat, openid, wechat.text(openid, "3号楼")).await;
    }
    assert!(next[0].text.contains("3/4"), "{next:#?}");
}

/// The resident presses 确认提交 on the summary; the ticket they are given.
pub async fn wechat_submit(app: &TestApp, wechat: &WechatStandIn, openid: &str) -> String {
    let done = turn(
        app,
        wechat,
        openid,
        wechat.press_labelled(openid, "确认提交"),
    )
    .await;
    ticket_in(&texts(&done).join("\n"))
}

/// A WeChat resident files an outage for 阳光花园 through menu messages,
/// typing the address, description and phone; returns the ticket.
pub async fn wechat_outage(
    app: &TestApp,
    wechat: &WechatStandIn,
    openid: &str,
    phone: &str,
) -> String {
    wechat_to_step3(app, wechat, openid).await;
    let step4 = turn(app, wechat, openid, wechat.text(openid, "家里没水了")).await;
    assert!(step4.last().unwrap().text.contains("4/4"), "{step4:#?}");
    let summary = turn(app, wechat, openid, wechat.text(openid, phone)).await;
    let last = summary.last().unwrap();
    assert!(last.text.contains(phone), "{summary:#?}");
    wechat_submit(app, wechat, openid).await
}

#[tokio::test]
async fn a_wechat_resident_reports_through_menu_messages_and_gets_the_ticket() {
    let (app, wechat, _) = wechat_app("").await;
    let ticket = wechat_outage(&app, &wechat, "oWang", "13800138000").await;
    let reports = app.reports().await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].ticket, ticket);
    assert_eq!(reports[0].phone.as_deref(), Some("13800138000"));
    assert_eq!(reports[0].resident_chat_id, chat_of(&app, "oWang").await);
    assert!(wechat.refusals().is_empty(), "{:?}", wechat.refusals());
    let shown = wechat.shown("oWang");
    assert!(shown.iter().all(|s| s.passive), "{shown:#?}");
    assert_eq!(
        wechat.token_requests(),
        0,
        "every answer was the passive reply: no customer-service message"
    );
    assert!(
        app.standin.shown(reports[0].resident_chat_id.0).is_empty(),
        "nothing went to Telegram"
    );
    app.stop().await;
}

/// Staff resolve `ticket` from Telegram, two days after it was filed.
async fn resolved_two_days_later(app: &TestApp, ticket: &str) {
    app.clock.advance(chrono::Duration::hours(49));
    let manager = app.staff(&manager(app));
    manager
        .send(&format!("/resolve {ticket} 管道已修复"))
        .await
        .unwrap();
}

#[tokio::test]
async fn resolved_after_the_48_hour_window_the_resident_gets_a_template_message() {
    let templates = "[wechat.templates]\nresolved = \"tmpl-resolved\"\n";
    let (app, wechat, _) = wechat_app(templates).await;
    let ticket = wechat_outage(&app, &wechat, "oWang", "13800138000").await;
    resolved_two_days_later(&app, &ticket).await;

    let is_template = |s: &WechatShown| s.template_id.as_deref() == Some("tmpl-resolved");
    wechat
        .wait_until(WAIT, || wechat.shown("oWang").iter().any(is_template))
        .await
        .unwrap_or_else(|_| panic!("no template: {:#?}", wechat.shown("oWang")));
    let shown = wechat.shown("oWang");
    let template = shown.iter().find(|s| is_template(s)).unwrap();
    assert_eq!(template.data["keyword1"]["value"], ticket.as_str());
    assert!(template.text.contains("已解决"), "{}", template.text);
    assert!(template.text.contains("管道已修复"), "{}", template.text);
    let refused: Vec<i64> = wechat.refusals().iter().map(|r| r.errcode).collect();
    assert_eq!(
        refused,
        [45015],
        "the window was closed; the template was not"
    );
    let chat = chat_of(&app, "oWang").await;
    assert!(app.store().failed_sends(chat, 0).await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn without_a_template_the_desk_shows_the_resident_could_not_be_reached() {
    let (app, wechat, desk) = wechat_app("").await;
    let ticket = wechat_outage(&app, &wechat, "oLi", "13900139000").await;
    resolved_two_days_later(&app, &ticket).await;
    wechat
        .wait_until(WAIT, || !wechat.refusals().is_empty())
        .await
        .unwrap();
    let chat = chat_of(&app, "oLi").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.store().failed_sends(chat, 0).await.unwrap().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "not marked failed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !wechat
            .shown("oLi")
            .iter()
            .any(|s| s.text.contains("已解决"))
    );

    let mut browser = DeskClient::new(&desk);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    assert!(
        page.contains("未能通过微信通知居民：48小时窗口已关闭")
            || page.contains("could not reach the resident on WeChat: window closed"),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once_for_two_instances() {
    // Every reply a customer-service message, none the passive reply.
    let (app, wechat, base) = wechat_app("passive_reply = false\n").await;
    // A second instance on the same database, with its own server URL.
    let mut config = app.config.clone();
    config.telegram.webhook_listen = Some("127.0.0.1:0".parse().unwrap());
    config.web.enabled = false;
    let bot = hotline::telegram::connect(app.standin.token(), &config.telegram).unwrap();
    let env = [
        ("HOTLINE_WECHAT_TOKEN", TOKEN),
        ("HOTLINE_WECHAT_SECRET", SECRET),
    ];
    let options = hotline::app::StartOptions {
        gateway_env: hotline::gateway::GatewayEnv(
            env.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        ..Default::default()
    };
    let clock = std::sync::Arc::new(app.clock.clone());
    let second = hotline::app::start(config, bot, clock, options)
        .await
        .unwrap();
    let urls = [
        format!("{base}/wechat"),
        format!("http://{}/wechat", second.http_addr().unwrap()),
    ];

    let hello = turn(&app, &wechat, "oFirst", wechat.text("oFirst", "/start")).await;
    assert_eq!(hello.len(), 1, "{hello:#?}");
    assert_eq!(wechat.token_requests(), 1);

    wechat.expire_tokens();
    // A slow token endpoint: both instances meet the expired token while
    // one of them is fetching the new one.
    wechat.set_token_delay(Duration::from_millis(800));
    // Six residents write at once, through either instance; both outboxes send.
    let openids: Vec<String> = (0..6).map(|n| format!("oResident{n}")).collect();
    for (n, openid) in openids.iter().enumerate() {
        wechat.set_server_url(urls[n % 2].clone());
        assert!(wechat.text(openid, "/start").await.unwrap().ok());
    }
    for openid in &openids {
        wechat.wait_shown(openid, 1, WAIT).await.unwrap();
    }
    assert_eq!(wechat.token_requests(), 2, "refreshed once, for both");
    assert!(wechat.refusals().is_empty(), "{:?}", wechat.refusals());
    second.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_telegram_and_a_wechat_resident_in_one_compound_are_two_households() {
    let (app, wechat, _) = wechat_app("").await;
    for id in 2401..2405 {
        chat_outage(&app.resident(id, "居民"), None).await;
    }
    assert!(app.store().all_escalations().await.unwrap().is_empty());
    wechat_outage(&app, &wechat, "oZhao", "13700137000").await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(
        escalations.len(),
        1,
        "4 on Telegram + 1 on WeChat = 5 households"
    );
    assert_eq!(escalations[0].reason.code(), "threshold");
    let alert = directors_alert(&app).await;
    assert!(alert.contains("5 户 / 5 条"), "{alert}");
    app.stop().await;
}
