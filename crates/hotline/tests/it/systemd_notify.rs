//! `hotline run` under systemd's `Type=notify` with `WatchdogSec`: a Unix
//! datagram socket as `$NOTIFY_SOCKET` hears READY=1 once the bot is up,
//! then WATCHDOG=1 while it is healthy.

use std::os::unix::net::UnixDatagram;
use std::process::Stdio;
use std::time::Instant;

use hotline_standin::{StandIn, StandInOptions};

use crate::driver::WAIT;

/// The next datagram, waiting in a blocking thread (the stand-in runs on
/// this test's runtime).
async fn next(socket: &UnixDatagram) -> Option<String> {
    let socket = socket.try_clone().unwrap();
    tokio::task::spawn_blocking(move || {
        let mut buf = [0u8; 256];
        let n = socket.recv(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf[..n]).into_owned())
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_bot_tells_systemd_it_is_ready_then_feeds_the_watchdog() {
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&path).unwrap();
    socket.set_read_timeout(Some(WAIT)).unwrap();
    let config = dir.path().join("hotline.toml");
    let toml = format!(
        "[database]\nurl = \"sqlite://{}\"\n[telegram]\napi_url = \"{}\"\n[health]\nlisten = \"127.0.0.1:0\"\n",
        dir.path().join("hotline.db").display(),
        standin.api_url()
    );
    std::fs::write(&config, toml).unwrap();
    let mut bot = tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("run")
        .arg("--config")
        .arg(&config)
        .env_remove("HOTLINE_CONFIG")
        .env_remove("WATCHDOG_PID")
        .env("TELOXIDE_TOKEN", standin.token())
        .env("NOTIFY_SOCKET", &path)
        // A watchdog of 1 s: fed every half second.
        .env("WATCHDOG_USEC", "1000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let first = next(&socket).await;
    assert_eq!(
        first.as_deref(),
        Some("READY=1"),
        "the first word is READY=1"
    );
    let mut fed = 0;
    while fed < 3 {
        let datagram = next(&socket).await;
        assert_eq!(datagram.as_deref(), Some("WATCHDOG=1"));
        fed += 1;
    }
    assert!(started.elapsed() < WAIT);
    bot.start_kill().unwrap();
    let _ = bot.wait().await;
}
