//! `hotline run` stopped with SIGTERM (what systemd and Docker send) while a
//! reply is on its way to Telegram: the send in flight finishes and is
//! recorded, so after a restart the resident has the message exactly once.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use hotline::store::Store;
use hotline_standin::{FakeUser, Faults, StandIn, StandInOptions};

use crate::driver::WAIT;

const WELCOME: &str = "24 小时供水服务热线";

fn start_bot(config: &Path, standin: &StandIn) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("run")
        .arg("--config")
        .arg(config)
        .env_remove("HOTLINE_CONFIG")
        .env("TELOXIDE_TOKEN", standin.token())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sigterm_finishes_the_send_in_flight_and_a_restart_does_not_repeat_it() {
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    // Like Telegram: a call the bot gives up on still reaches the chat.
    standin.set_finish_abandoned(true);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let db = format!("sqlite://{}", dir.join("hotline.db").display());
    let config = dir.join("hotline.toml");
    let toml = format!(
        "[database]\nurl = \"{db}\"\n[telegram]\napi_url = \"{}\"\n[health]\nlisten = \"127.0.0.1:0\"\n",
        standin.api_url()
    );
    std::fs::write(&config, toml).unwrap();
    let mut bot = start_bot(&config, &standin);
    // Once the bot polls, it has created and migrated its database.
    until("the bot polls", async || {
        !standin.calls_to("getUpdates").is_empty()
    })
    .await;
    let observer = Store::connect(&db, 1).await.unwrap();

    // Telegram answers slowly: the welcome is on its way at the SIGTERM.
    standin.set_faults(Some(Faults {
        fail_share: 1.0,
        slow: Some(Duration::from_secs(3)),
        ..Faults::default()
    }));
    let resident = FakeUser::new(7301, "居民");
    standin.send_text(&resident, "/start");
    until("the welcome is in flight", async || {
        observer.outbox_counts().await.is_ok_and(|c| c.sending > 0)
    })
    .await;
    let pid = bot.id().unwrap().to_string();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    assert!(term.unwrap().success());
    let status = tokio::time::timeout(WAIT, bot.wait()).await;
    assert!(
        status.unwrap().unwrap().success(),
        "a graceful stop exits 0"
    );
    let welcomes = |s: &StandIn| {
        let shown = s.shown(resident.id);
        shown.iter().filter(|m| m.text.contains(WELCOME)).count()
    };
    assert_eq!(welcomes(&standin), 1, "the send in flight finished");

    standin.set_faults(None);
    let mut again = start_bot(&config, &standin);
    until("the restarted bot has nothing left to send", async || {
        let counts = observer.outbox_counts().await.unwrap();
        counts.pending == 0 && counts.sending == 0 && counts.sent >= 1
    })
    .await;
    // Time for a wrongly repeated send to arrive, had there been one.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(welcomes(&standin), 1, "the resident has it exactly once");
    again.start_kill().unwrap();
    let _ = again.wait().await;
    observer.close().await;
}
