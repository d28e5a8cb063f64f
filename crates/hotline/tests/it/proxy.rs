//! Reaching Telegram through a proxy (issue 27): `telegram.proxy` is checked
//! at load, carries every Bot API call, and is shown by `doctor` without its
//! password. The proxy here is a few lines of tokio: an HTTP proxy for a
//! plain-http API URL just forwards the absolute-form requests it is sent.

use std::sync::{Arc, Mutex};

use hotline::clock::Clock;
use hotline_standin::texts;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::TestApp;

/// A forwarding HTTP proxy on a local port; `seen` holds every byte the
/// client sent through it.
struct Proxy {
    port: u16,
    seen: Arc<Mutex<Vec<u8>>>,
}

impl Proxy {
    async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(forward(client, log.clone()));
            }
        });
        Proxy { port, seen }
    }

    fn seen(&self) -> String {
        String::from_utf8_lossy(&self.seen.lock().unwrap()).into_owned()
    }
}

/// Connects to the host of the first request line (`POST http://host:port/…`)
/// and relays both ways, keeping a copy of what the client sent.
async fn forward(client: TcpStream, seen: Arc<Mutex<Vec<u8>>>) {
    let (mut from_client, mut to_client) = client.into_split();
    let mut buf = vec![0; 64 * 1024];
    let Ok(n) = from_client.read(&mut buf).await else {
        return;
    };
    let head = String::from_utf8_lossy(&buf[..n]).into_owned();
    let target = head.split(' ').nth(1).unwrap_or("");
    let Some(host) = target
        .strip_prefix("http://")
        .and_then(|t| t.split('/').next())
    else {
        return;
    };
    let Ok(upstream) = TcpStream::connect(host).await else {
        return;
    };
    let (mut from_upstream, mut to_upstream) = upstream.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_upstream, &mut to_client).await;
    });
    let mut n = n;
    while n > 0 {
        seen.lock().unwrap().extend_from_slice(&buf[..n]);
        if to_upstream.write_all(&buf[..n]).await.is_err() {
            return;
        }
        n = from_client.read(&mut buf).await.unwrap_or(0);
    }
}

#[tokio::test]
async fn the_bot_polls_and_answers_through_the_proxy_and_doctor_masks_its_password() {
    let proxy = Proxy::start().await;
    let url = format!("http://ops:hunter2@127.0.0.1:{}", proxy.port);
    let app = TestApp::spawn_with(&format!("[telegram]\nproxy = \"{url}\"\n")).await;

    let answer = app.resident(700_001, "Zhao").send("/start").await.unwrap();
    assert!(!answer.is_empty(), "{:?}", texts(&answer));
    // teloxide names methods in PascalCase (`/SendMessage`).
    let seen = proxy.seen().to_lowercase();
    assert!(seen.contains("/getupdates"), "polled through the proxy");
    assert!(seen.contains("/sendmessage"), "answered through the proxy");

    let report =
        hotline::doctor::run(&app.config, Some(app.standin.token()), app.clock.now()).await;
    let text = report.render();
    let masked = format!(
        "ok   proxy      http://ops:***@127.0.0.1:{}/ (telegram.proxy)",
        proxy.port
    );
    assert!(text.contains(&masked), "{text}");
    assert!(
        text.contains("ok   telegram"),
        "getMe through the proxy: {text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
    app.stop().await;
}

#[test]
fn a_proxy_with_an_unknown_scheme_is_a_config_error_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(
        &file,
        "[telegram]\nproxy = \"ftp://ops:hunter2@10.0.0.5:21\"\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_remove("HOTLINE_CONFIG")
        .args(["check-config", "-c"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("site.toml: key `telegram.proxy`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("socks5") && !stderr.contains("hunter2"),
        "{stderr}"
    );
}
