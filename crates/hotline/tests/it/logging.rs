//! The binary's log: the bot token never in it, as text or (with
//! `log.format = "json"`) as JSON lines for a log collector; a format it
//! does not know is refused by name.

use std::process::Stdio;
use std::time::{Duration, Instant};

use hotline_standin::{FakeUser, StandIn, StandInOptions};

/// Runs `hotline run` with `extra` config until a resident who blocked
/// the bot has been answered (the failed send is logged); returns the
/// stand-in and everything the binary printed.
async fn log_of_a_blocked_send(extra: &str) -> (StandIn, String) {
    log_of_a_blocked_send_in(|db, api_url| {
        format!("[database]\nurl = \"{db}\"\n[telegram]\napi_url = \"{api_url}\"\n{extra}")
    })
    .await
}

/// The same with a whole config file, given the database and Bot API URLs.
async fn log_of_a_blocked_send_in(toml: impl FnOnce(&str, &str) -> String) -> (StandIn, String) {
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hotline.toml");
    let db = format!("sqlite://{}", dir.path().join("hotline.db").display());
    std::fs::write(&config, toml(&db, standin.api_url().as_str())).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("run")
        .arg("--config")
        .arg(&config)
        .env_remove("HOTLINE_CONFIG")
        .env("TELOXIDE_TOKEN", standin.token())
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // Read the log while the bot runs: a full pipe would stall it.
    let drain = |pipe: Option<Box<dyn tokio::io::AsyncRead + Send + Unpin>>| {
        tokio::spawn(async move {
            let mut out = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = tokio::io::AsyncReadExt::read_to_end(&mut pipe, &mut out).await;
            }
            out
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    // A resident who blocked the bot: the failed send is logged, with its error.
    let resident = FakeUser::new(BLOCKED, "Blocked");
    standin.block_chat(resident.id);
    standin.send_text(&resident, "/start");
    let deadline = Instant::now() + Duration::from_secs(30);
    while standin.calls_to("sendMessage").is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A graceful stop, so the last lines ("polling stopped") are logged too.
    let pid = child.id().unwrap().to_string();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    assert!(term.unwrap().success());
    if tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .is_err()
    {
        child.start_kill().unwrap();
        child.wait().await.unwrap();
    }
    let (stdout, stderr) = (stdout.await.unwrap(), stderr.await.unwrap());
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (standin, log)
}

const BLOCKED: i64 = 7001;

fn assert_no_token(standin: &StandIn, log: &str) {
    let secret = standin.token().split(':').nth(1).unwrap();
    assert!(!log.contains(secret), "token leaked into the log");
}

#[tokio::test]
async fn the_bot_token_never_reaches_the_log() {
    let (standin, log) = log_of_a_blocked_send("").await;
    assert!(
        !log.contains('\u{1b}'),
        "no colour codes when the log is not a terminal"
    );
    assert!(
        log.contains("hotline is running"),
        "the log was captured: {log}"
    );
    assert!(
        log.contains("blocked"),
        "the failed send is in the log: {log}"
    );
    assert_no_token(&standin, &log);
}

#[tokio::test]
async fn with_log_format_json_every_log_line_is_a_json_object_without_the_token() {
    let (standin, log) = log_of_a_blocked_send("[log]\nformat = \"json\"\n").await;
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let running = lines.iter().find(|l| l["message"] == "hotline is running");
    let running = running.unwrap_or_else(|| panic!("no start line in {log}"));
    assert_eq!(running["level"], "INFO", "{running}");
    assert!(running["timestamp"].is_string(), "{running}");
    let failed = lines
        .iter()
        .find(|l| l["message"] == "message could not be delivered");
    let failed = failed.unwrap_or_else(|| panic!("no failed send in {log}"));
    assert_eq!(
        failed["chat_id"], BLOCKED,
        "fields are JSON fields: {failed}"
    );
    let stopped = lines.iter().find(|l| l["message"] == "polling stopped");
    let stopped = stopped.unwrap_or_else(|| panic!("no stop line in {log}"));
    assert!(
        stopped["offset"].is_i64(),
        "an offset is a number, not \"Some(…)\": {stopped}"
    );
    assert_no_token(&standin, &log);
}

#[tokio::test]
async fn the_starter_files_placeholder_staff_are_a_warning_at_start() {
    let (_standin, log) = log_of_a_blocked_send_in(|db, api_url| {
        let starter = hotline::init::render(&hotline::init::Answers::default());
        let starter = starter.replace("sqlite:///var/lib/hotline/hotline.db", db);
        format!("{starter}\n[telegram]\napi_url = \"{api_url}\"\n")
    })
    .await;
    let warned = log
        .lines()
        .find(|l| l.contains("WARN") && l.contains("REPLACE desk operator 1"));
    assert!(
        warned.is_some_and(|l| l.contains("placeholder")),
        "a WARN line names the placeholder: {log}"
    );
}

#[test]
fn a_log_format_it_does_not_know_is_refused_by_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(&file, "[log]\nformat = \"xml\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["--config", file.to_str().unwrap(), "check-config"])
        .env_remove("HOTLINE_CONFIG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("log.format") && stderr.contains("xml"),
        "{stderr}"
    );
}
