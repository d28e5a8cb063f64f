//! The WeChat account's server URL through the real HTTP server (issue 28):
//! the settings page's verification, a forged signature refused, a retried
//! push handled once, and a resident's text reaching the wizard, in plain
//! and encrypted mode.

use hotline::domain::ChatId;
use hotline::wechat::crypt::{Crypt, signature};
use hotline::wechat::ids;
use hotline_standin::wechat::WechatStandIn;
use reqwest::StatusCode;

use crate::helpers::TestApp;

const TOKEN: &str = "hotlinetoken";
/// WeChat's sample EncodingAESKey.
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID: &str = "wx0123456789abcdef";
const SECRET: &str = "appsecret0123456789";

/// The hotline, and the WeChat stand-in its replies go to (kept alive
/// while the test runs).
async fn app() -> (TestApp, WechatStandIn) {
    let wechat = WechatStandIn::start(APP_ID, SECRET, TOKEN).await.unwrap();
    let config = format!(
        "[telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [wechat]\nenabled = true\napp_id = \"{APP_ID}\"\napi_url = \"{}\"\n",
        wechat.api_url()
    );
    let env = [
        ("HOTLINE_WECHAT_TOKEN", TOKEN),
        ("HOTLINE_WECHAT_AES_KEY", AES_KEY),
        ("HOTLINE_WECHAT_SECRET", SECRET),
    ];
    (TestApp::spawn_with_env(&config, &env).await, wechat)
}

/// The query WeChat signs a request with, signed with `token`.
fn signed(token: &str, timestamp: &str, nonce: &str) -> String {
    let signature = signature(&[token, timestamp, nonce]);
    format!("signature={signature}&timestamp={timestamp}&nonce={nonce}")
}

fn text_push(openid: &str, msg_id: u64, content: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName>\
         <FromUserName><![CDATA[{openid}]]></FromUserName>\
         <CreateTime>1765000000</CreateTime><MsgType><![CDATA[text]]></MsgType>\
         <Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )
}

async fn post(app: &TestApp, query: &str, body: String) -> (StatusCode, String) {
    let url = format!("http://{}/wechat?{query}", app.http_addr());
    let response = reqwest::Client::new()
        .post(url)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// What the hotline wrote for the resident `openid` to be sent.
async fn answers(app: &TestApp, openid: &str) -> Vec<String> {
    let number = app
        .store()
        .wechat_number("openid", openid, 0)
        .await
        .unwrap();
    let chat = ChatId(ids::resident(number));
    app.store().outbox_payloads(chat).await.unwrap()
}

#[tokio::test]
async fn the_settings_page_check_is_echoed_and_a_forged_one_refused() {
    let (app, _wechat) = app().await;
    let base = format!("http://{}/wechat", app.http_addr());
    let good = format!(
        "{base}?{}&echostr=8812345",
        signed(TOKEN, "1765000000", "n1")
    );
    let answer = reqwest::get(good).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.unwrap(), "8812345");

    let forged = format!(
        "{base}?{}&echostr=8812345",
        signed("guess", "1765000000", "n1")
    );
    let answer = reqwest::get(forged).await.unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(!answer.text().await.unwrap().contains("8812345"));
    app.stop().await;
}

#[tokio::test]
async fn a_forged_push_is_refused_and_reaches_no_one() {
    let (app, _wechat) = app().await;
    let forged = signed("guess", "1765000000", "n2");
    let (status, _) = post(&app, &forged, text_push("oForger", 1, "/start")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(answers(&app, "oForger").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_residents_text_reaches_the_wizard_and_a_retried_push_is_handled_once() {
    let (app, _wechat) = app().await;
    let query = signed(TOKEN, "1765000000", "n3");
    let (status, body) = post(&app, &query, text_push("oWang", 7001, "/start")).await;
    assert_eq!(status, StatusCode::OK);
    // The greeting is the passive reply, in the answer to the push.
    assert!(body.starts_with("<xml>") && body.contains("您好"), "{body}");
    assert!(body.contains("<ToUserName><![CDATA[oWang]]></ToUserName>"));
    let first = answers(&app, "oWang").await;
    assert!(!first.is_empty(), "the wizard answered");
    assert!(first[0].contains("您好"), "{first:?}");
    assert!(
        first[0].contains("报修"),
        "the big Report button: {first:?}"
    );

    // WeChat pushes again when it thinks the answer was slow.
    let (status, again) = post(&app, &query, text_push("oWang", 7001, "/start")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answers(&app, "oWang").await, first, "handled once");
    let content = |xml: &str| xml[xml.find("<Content>").unwrap()..].to_owned();
    assert_eq!(content(&again), content(&body), "the same answer again");

    // A new message is a new push.
    post(&app, &query, text_push("oWang", 7002, "/start")).await;
    assert!(answers(&app, "oWang").await.len() > first.len());
    app.stop().await;
}

#[tokio::test]
async fn an_encrypted_push_is_checked_and_opened() {
    let (app, _wechat) = app().await;
    let crypt = Crypt::new(AES_KEY, APP_ID).unwrap();
    let encrypt = crypt.encrypt(&text_push("oLi", 8001, "/start"));
    let body = format!(
        "<xml><ToUserName>gh_hotline</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    );
    let (ts, nonce) = ("1765000001", "n4");
    let msg_signature = signature(&[TOKEN, ts, nonce, &encrypt]);
    let query = format!("{}&encrypt_type=aes", signed(TOKEN, ts, nonce));

    let forged = format!(
        "{query}&msg_signature={}",
        signature(&["guess", ts, nonce, &encrypt])
    );
    let (status, _) = post(&app, &forged, body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(answers(&app, "oLi").await.is_empty());

    let good = format!("{query}&msg_signature={msg_signature}");
    let (status, reply) = post(&app, &good, body).await;
    assert_eq!(status, StatusCode::OK);
    // The passive reply, encrypted and signed as WeChat expects.
    let field = |name: &str| {
        let open = format!("<{name}><![CDATA[");
        let from = reply.find(&open).unwrap() + open.len();
        reply[from..from + reply[from..].find("]]>").unwrap()].to_owned()
    };
    let (encrypted, ts, nonce) = (field("Encrypt"), field("TimeStamp"), field("Nonce"));
    let expected = signature(&[TOKEN, &ts, &nonce, &encrypted]);
    assert_eq!(field("MsgSignature"), expected);
    let opened = crypt.decrypt(&encrypted).unwrap();
    assert!(
        opened.contains("您好") && opened.contains("oLi"),
        "{opened}"
    );
    let answers = answers(&app, "oLi").await;
    assert!(
        answers.first().is_some_and(|a| a.contains("您好")),
        "{answers:?}"
    );
    app.stop().await;
}
