//! An HTTP side that cannot be held open, through the real binary: with
//! 1,000 silent sockets connected, `/healthz` and the Telegram webhook still
//! answer within a second, and the silent sockets are closed once the
//! header timeout passes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use hotline_standin::{StandIn, StandInOptions};

fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

/// One HTTP/1.1 request on a new connection; the status line's code.
fn request(port: u16, head: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let text = format!(
        "{head}\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_and_the_webhook_answer_within_a_second_while_1000_sockets_sit_idle() {
    hotline::http::bounded::raise_fd_limit();
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hotline.toml");
    let port = free_port();
    let site = format!(
        "[database]\nurl = \"sqlite://{}\"\n[telegram]\napi_url = \"{}\"\nmode = \"webhook\"\n\
         webhook_listen = \"127.0.0.1:{port}\"\n",
        dir.path().join("hotline.db").display(),
        standin.api_url()
    );
    std::fs::write(&config, &site).unwrap();
    let mut bot = tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("run")
        .arg("--config")
        .arg(&config)
        .env_remove("HOTLINE_CONFIG")
        .env("TELOXIDE_TOKEN", standin.token())
        .env("HOTLINE_WEBHOOK_SECRET", "s3cret")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let outcome = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the bot never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        let idle: Vec<TcpStream> = (0..1000)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        // A slow client too: half a request line, then silence.
        let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
        half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .unwrap();

        let started = Instant::now();
        let health = request(port, "GET /healthz HTTP/1.1", "");
        let health_took = started.elapsed();
        let update = r#"{"update_id": 1, "edited_message": {"message_id": 1, "date": 1,
            "edit_date": 2, "chat": {"id": 5, "type": "private"}, "text": "x"}}"#;
        let started = Instant::now();
        let webhook = request(
            port,
            "POST /telegram/webhook HTTP/1.1\r\nContent-Type: application/json\r\n\
             X-Telegram-Bot-Api-Secret-Token: s3cret",
            update,
        );
        let webhook_took = started.elapsed();

        // The silent ones are closed after the header timeout (10 s).
        std::thread::sleep(Duration::from_secs(12));
        let mut first = &idle[0];
        first
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = [0u8; 16];
        let closed = matches!(first.read(&mut buf), Ok(0) | Err(_));
        half.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut rest = Vec::new();
        let _ = half.read_to_end(&mut rest);
        (health, health_took, webhook, webhook_took, closed)
    })
    .await
    .unwrap();
    let (health, health_took, webhook, webhook_took, closed) = outcome;
    assert!(health == 200 || health == 503, "/healthz answered {health}");
    assert!(
        health_took < Duration::from_secs(1),
        "/healthz took {health_took:?}"
    );
    assert_eq!(webhook, 200, "the webhook took the update");
    assert!(
        webhook_took < Duration::from_secs(1),
        "the webhook took {webhook_took:?}"
    );
    assert!(closed, "an idle socket is closed after the header timeout");
    bot.start_kill().unwrap();
    bot.wait().await.unwrap();
}
