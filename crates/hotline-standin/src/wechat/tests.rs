//! The stand-in's own rules: tokens, the quota per action, the window.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::WechatStandIn;

/// A server URL that answers every push `success`.
async fn bot() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(|| async { "success" });
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/wechat")
}

async fn call(url: &str, body: Option<Value>) -> Value {
    let client = reqwest::Client::new();
    let request = match body {
        Some(body) => client.post(url).json(&body),
        None => client.get(url),
    };
    request.send().await.unwrap().json().await.unwrap()
}

fn text(to: &str, content: &str) -> Value {
    json!({"touser": to, "msgtype": "text", "text": {"content": content}})
}

#[tokio::test]
async fn a_message_opens_five_sends_for_48_hours_and_stale_tokens_are_refused() {
    let wechat = WechatStandIn::start("wx1", "s3cret", "tok").await.unwrap();
    let now = Arc::new(Mutex::new(Utc::now()));
    let clock = now.clone();
    wechat.set_clock(Arc::new(move || *clock.lock().unwrap()));
    wechat.set_server_url(bot().await);
    let base = wechat.api_url();

    let bad = call(
        &format!("{base}/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=x"),
        None,
    )
    .await;
    assert_eq!(bad["errcode"], 40125);
    let url = format!("{base}/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=s3cret");
    let token = call(&url, None).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let send = format!("{base}/cgi-bin/message/custom/send?access_token={token}");

    assert_eq!(
        call(&send, Some(text("o1", "hi"))).await["errcode"],
        45015,
        "no action yet"
    );
    assert!(wechat.text("o1", "hello").await.unwrap().ok());
    for _ in 0..5 {
        assert_eq!(call(&send, Some(text("o1", "hi"))).await["errcode"], 0);
    }
    assert_eq!(
        call(&send, Some(text("o1", "hi"))).await["errcode"],
        45047,
        "sixth"
    );
    wechat.text("o1", "again").await.unwrap();
    assert_eq!(call(&send, Some(text("o1", "hi"))).await["errcode"], 0);
    let later: DateTime<Utc> = *now.lock().unwrap() + chrono::Duration::hours(49);
    *now.lock().unwrap() = later;
    assert_eq!(
        call(&send, Some(text("o1", "hi"))).await["errcode"],
        42001,
        "token expired too"
    );
    let fresh = call(&url, None).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let stale = call(&send, Some(text("o1", "hi"))).await;
    assert_eq!(stale["errcode"], 40001, "not the latest token");
    let send = format!("{base}/cgi-bin/message/custom/send?access_token={fresh}");
    assert_eq!(
        call(&send, Some(text("o1", "hi"))).await["errcode"],
        45015,
        "window closed"
    );
    assert_eq!(wechat.shown("o1").len(), 6);
    let refused: Vec<i64> = wechat.refusals().iter().map(|r| r.errcode).collect();
    assert_eq!(refused, [45015, 45047, 45015]);
    assert!(
        wechat
            .wait_shown("o1", 6, Duration::from_secs(1))
            .await
            .is_ok()
    );
}
