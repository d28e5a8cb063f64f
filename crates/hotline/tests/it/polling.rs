//! Polling that loses nothing: the bot asks Telegram for updates past only
//! those whose effects are committed, so a crash (SIGKILL of the real binary)
//! or a failed handler never drops an update.

use std::collections::{HashMap, HashSet};
use std::fs::OpenOptions;
use std::process::Stdio;
use std::time::{Duration, Instant};

use hotline_standin::{FakeUser, StandIn, StandInOptions};
use sqlx::AnyPool;
use tokio::process::{Child, Command};

use crate::helpers::{TestApp, fresh_postgres_database, postgres};

const SEED: u64 = 0x5eed_0009;
const RESIDENTS: i64 = 60;
const FIRST_RESIDENT: i64 = 9_100_000;
const KILLS: usize = 8;

/// What the bot answers to `/help` (both languages name `/report`).
fn is_help(text: &str) -> bool {
    text.contains("/report")
}

async fn pool(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap()
}

/// The update ids with committed effects (empty while the schema is not there yet).
async fn handled(pool: &AnyPool, table: &'static str) -> HashSet<i64> {
    let query = match table {
        "processed_updates" => "SELECT update_id FROM processed_updates",
        _ => "SELECT update_id FROM processed_updates_away",
    };
    sqlx::query_scalar::<_, i64>(query)
        .fetch_all(pool)
        .await
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// Waits (in real time, generously: the machine may be loaded) until `done`.
async fn eventually<F: AsyncFnMut() -> bool>(what: &str, limit: Duration, mut done: F) {
    let deadline = Instant::now() + limit;
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `hotline run` against the stand-in, its log appended to `log`.
fn start_bot(config: &std::path::Path, log: &std::path::Path, token: &str) -> Child {
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("run")
        .arg("--config")
        .arg(config)
        .env_remove("HOTLINE_CONFIG")
        .env("TELOXIDE_TOKEN", token)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_bot_repeatedly_while_updates_arrive_handles_each_update_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = match postgres() {
        Some(server) => fresh_postgres_database(&server).await,
        None => format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("hotline.db").display()
        ),
    };
    let options = StandInOptions {
        seed: Some(SEED),
        ..StandInOptions::default()
    };
    let standin = StandIn::start(options).await.unwrap();
    let config = dir.path().join("hotline.toml");
    let log = dir.path().join("hotline.log");
    std::fs::write(
        &config,
        format!(
            "[database]\nurl = \"{url}\"\n[telegram]\napi_url = \"{}\"\n",
            standin.api_url()
        ),
    )
    .unwrap();
    let mut bot = start_bot(&config, &log, standin.token());

    // Residents write in bursts (several updates handed out in one batch);
    // the bot is killed at seeded-random moments 9-91 ms after a burst (while
    // that batch is being handled), and started again each time.
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut sent: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut burst = |rng: &mut fastrand::Rng, n: usize| {
        for _ in 0..n {
            let chat = FIRST_RESIDENT + rng.i64(0..RESIDENTS);
            let update_id = standin.send_text(&FakeUser::new(chat, "居民"), "/help");
            sent.entry(chat).or_default().push(update_id);
        }
    };
    for round in 0..=KILLS {
        let calm = Instant::now() + Duration::from_millis(rng.u64(400..1200));
        while Instant::now() < calm {
            let n = rng.usize(1..8);
            burst(&mut rng, n);
            tokio::time::sleep(Duration::from_millis(rng.u64(40..160))).await;
        }
        if round == KILLS {
            break;
        }
        burst(&mut rng, 12);
        tokio::time::sleep(Duration::from_millis(rng.u64(9..92))).await;
        bot.start_kill().unwrap();
        bot.wait().await.unwrap();
        bot = start_bot(&config, &log, standin.token());
    }
    let ids: HashSet<i64> = sent.values().flatten().copied().collect();
    let updates = ids.len();

    let db = pool(&url).await;
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let missing = ids
            .difference(&handled(&db, "processed_updates").await)
            .count();
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} of {updates} updates never handled (lost)"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Each update produced its reply (rows a crash left mid-send may wait for
    // their claim to lapse, hence the generous limit).
    let replies = |chat: i64| {
        standin
            .shown(chat)
            .iter()
            .filter(|m| is_help(&m.text))
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(150);
    for (chat, updates) in &sent {
        while replies(*chat) < updates.len() {
            assert!(
                Instant::now() < deadline,
                "chat {chat}: {} of {} replies; log:\n{}",
                replies(*chat),
                updates.len(),
                read_log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // Exactly once: an update handled twice would have answered twice; a
    // crash may re-send only what was in flight (at most 8 sends) at its kill.
    let total: usize = sent.keys().map(|chat| replies(*chat)).sum();
    assert!(
        total <= updates + KILLS * 8,
        "{total} replies to {updates} updates over {KILLS} kills"
    );
    assert!(read_log().contains("hotline is running"));
    bot.start_kill().unwrap();
    let _ = bot.wait().await;
}

/// Renames a table: with `processed_updates` gone, every handler fails at its
/// first write, as it would on a broken or full database.
async fn rename(pool: &AnyPool, from: &str, to: &str) {
    let sql = format!("ALTER TABLE {from} RENAME TO {to}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(pool)
        .await
        .unwrap();
}

/// `getUpdates` calls asking Telegram for updates from `offset` on.
fn polls_from(standin: &StandIn, offset: i64) -> usize {
    standin
        .calls_to("getUpdates")
        .iter()
        .filter(|c| c.body["offset"].as_i64() == Some(offset))
        .count()
}

#[tokio::test]
async fn a_failed_update_in_polling_mode_is_handled_on_a_later_attempt() {
    let app = TestApp::spawn().await;
    let db = pool(&app.config.database.url).await;
    let resident = app.resident(8_101, "王阿姨");
    // Warm up: the bot polls and answers.
    resident.send("/help").await.unwrap();

    rename(&db, "processed_updates", "processed_updates_away").await;
    let update_id = app.standin.send_text(&resident.user, "/help");
    // Fetched and failing: the bot keeps asking Telegram from this very
    // update, never past it, while it tries again (it asks every 250 ms while
    // the update is in hand; the attempts come after 0.25, 0.5, 1, 2, 4 s).
    eventually(
        "the failing update is asked for again",
        Duration::from_secs(30),
        async || polls_from(&app.standin, update_id) >= 4,
    )
    .await;
    assert!(
        !handled(&db, "processed_updates_away")
            .await
            .contains(&update_id)
    );
    assert!(
        app.standin
            .calls_to("getUpdates")
            .iter()
            .all(|c| c.body["offset"].as_i64().is_none_or(|o| o <= update_id)),
        "the failed update was confirmed to Telegram"
    );

    // The database recovers: a later attempt handles the update.
    rename(&db, "processed_updates_away", "processed_updates").await;
    resident
        .settled(update_id, resident.chat_id())
        .await
        .unwrap();
    let helps = resident.shown().iter().filter(|m| is_help(&m.text)).count();
    assert_eq!(helps, 2, "{:?}", resident.shown());
    eventually(
        "the offset moves past it",
        Duration::from_secs(30),
        async || polls_from(&app.standin, update_id + 1) > 0,
    )
    .await;
    app.stop().await;
    let stored: i64 = sqlx::query_scalar("SELECT next_offset FROM poll_offsets")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        stored,
        update_id + 1,
        "the committed offset is kept on stop"
    );
}
