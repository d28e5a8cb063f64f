//! The demo's WeChat resident (issue 28): the bot's WeChat account on the
//! local WeChat stand-in, its server URL on the desk's port, and one
//! resident who follows the account, reports a cracked water meter with a photo
//! through menu messages and gets the ticket — the same wizard, store and
//! outbox as the Telegram residents.

use std::sync::Arc;
use std::time::Duration;

use hotline::app::Running;
use hotline::clock::{Clock, TestClock};
use hotline::config::Config;
use hotline::domain::ChatId;
use hotline::gateway::GatewayEnv;
use hotline_standin::wechat::{PushAnswer, WechatShown, WechatStandIn};

const APP_ID: &str = "wxdemo0123456789";
const SECRET: &str = "demo-app-secret";
const TOKEN: &str = "demotoken";
const OPENID: &str = "oDemoSun0001";
const NAME: &str = "孙女士 (WeChat)";
/// A JPEG's first and last bytes around a caption: the photo she sends.
const PHOTO: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01 a cracked meter \xff\xd9";

/// Starts the stand-in and turns the account on in `config`; returns the
/// stand-in and the account's secrets for the bot (as `gateway_env`).
pub(super) async fn enable(config: &mut Config) -> anyhow::Result<(WechatStandIn, GatewayEnv)> {
    let wechat = WechatStandIn::start(APP_ID, SECRET, TOKEN).await?;
    config.wechat.enabled = true;
    config.wechat.app_id = APP_ID.to_owned();
    config.wechat.api_url = wechat.api_url();
    let env = [
        (config.wechat.token_env.clone(), TOKEN.to_owned()),
        (config.wechat.secret_env.clone(), SECRET.to_owned()),
        (config.wechat.aes_key_env.clone(), String::new()),
    ];
    Ok((wechat, GatewayEnv(env.to_vec())))
}

/// Points the stand-in's pushes at the running bot and its clock at the demo's.
pub(super) fn connect(
    wechat: &WechatStandIn,
    running: &Running,
    config: &Config,
    clock: &TestClock,
) {
    let clock = clock.clone();
    wechat.set_clock(Arc::new(move || clock.now()));
    if let Some(addr) = running.http_addr() {
        wechat.set_server_url(format!("http://{addr}{}", config.wechat.path));
    }
}

/// One turn: the push made, then everything it caused sent; prints both.
async fn turn<F>(
    wechat: &WechatStandIn,
    running: &Running,
    action: &str,
    push: F,
) -> anyhow::Result<Vec<WechatShown>>
where
    F: std::future::Future<Output = anyhow::Result<PushAnswer>>,
{
    let before = wechat.shown(OPENID).len();
    let answer = push.await?;
    anyhow::ensure!(answer.ok(), "the bot refused a WeChat push: {answer:?}");
    let number = running.store.wechat_number("openid", OPENID, 0).await?;
    let chat = ChatId(hotline::wechat::ids::resident(number));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while running.store.outbox_unsent(chat).await? > 0 {
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "WeChat replies unsent"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let shown = wechat.shown(OPENID)[before..].to_vec();
    println!("👤 {NAME}: {action}");
    for reply in &shown {
        println!("🤖 {}", reply.text.replace('\n', "\n   "));
        let items: Vec<String> = reply.menu.iter().map(|(_, c)| format!("[{c}]")).collect();
        if !items.is_empty() {
            println!("   {}", items.join(" "));
        }
    }
    println!();
    Ok(shown)
}

/// 孙女士 reports a cracked water meter in 燕山小区 on WeChat, with a photo
/// (not an urgent category: the night's escalations stay the pump's).
pub(super) async fn script(wechat: &WechatStandIn, running: &Running) -> anyhow::Result<()> {
    if running.http_addr().is_none() {
        return Ok(());
    }
    println!("── 燕山小区: 孙女士 reports on the water company's WeChat account ──\n");
    let w = wechat;
    turn(w, running, "(follows the account)", w.subscribe(OPENID)).await?;
    turn(w, running, "[报修]", w.press_labelled(OPENID, "报修")).await?;
    turn(w, running, "[水表]", w.press_labelled(OPENID, "水表")).await?;
    let place = turn(
        w,
        running,
        "燕山小区 8号楼",
        w.text(OPENID, "燕山小区 8号楼"),
    )
    .await?;
    if place.last().is_some_and(|s| s.text.contains("楼号")) {
        turn(w, running, "8号楼", w.text(OPENID, "8号楼")).await?;
    }
    let photo = async { w.image(OPENID, PHOTO).await.map(|(answer, _)| answer) };
    turn(w, running, "(a photo of the meter)", photo).await?;
    let said = "水表玻璃裂了，表一直在滴水";
    turn(w, running, said, w.text(OPENID, said)).await?;
    turn(w, running, "13600136000", w.text(OPENID, "13600136000")).await?;
    turn(
        w,
        running,
        "[确认提交]",
        w.press_labelled(OPENID, "确认提交"),
    )
    .await?;
    Ok(())
}
