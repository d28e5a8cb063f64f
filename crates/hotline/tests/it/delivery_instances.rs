//! Several instances on one PostgreSQL database send through one bot token,
//! which has one global limit: together they stay under it. Skipped without
//! PostgreSQL (`HOTLINE_TEST_POSTGRES`).

use std::sync::Arc;
use std::time::Duration;

use hotline::app::{self, StartOptions};
use hotline::clock::{Clock, TestClock, to_millis};
use hotline::config::Config;
use hotline::domain::ChatId;
use hotline::outbox::{Lane, OutMessage};
use hotline::store::Store;
use hotline_standin::{StandIn, StandInOptions};

use crate::helpers::{fresh_postgres_database, night, postgres};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_together_stay_under_telegrams_global_limit() {
    let Some(server) = postgres() else {
        eprintln!("skipped: set HOTLINE_TEST_POSTGRES to run the shared-budget test");
        return;
    };
    let mut config = Config::from_override_str("", "test overrides").unwrap();
    config.database.url = fresh_postgres_database(&server).await;
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    config.telegram.api_url = hotline::config::HttpUrl::parse(standin.api_url().as_str()).unwrap();
    let clock = TestClock::starting_at(night());
    let mut instances = Vec::new();
    for _ in 0..2 {
        let bot = hotline::telegram::bot(standin.token(), standin.api_url().as_str()).unwrap();
        let running = app::start(
            config.clone(),
            bot,
            Arc::new(clock.clone()),
            StartOptions::default(),
        )
        .await
        .unwrap();
        instances.push(running);
    }
    // Each worker counts the live ones every 2 s of its own timer.
    tokio::time::sleep(Duration::from_millis(2500)).await;

    let store = Store::connect(&config.database.url, 2).await.unwrap();
    let now = to_millis(clock.now());
    let mut tx = store.begin().await.unwrap();
    for chat in 8000..8120 {
        let message = OutMessage::text(ChatId(chat), format!("hello {chat}"));
        tx.enqueue(Lane::Reply, &message, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while store.outbox_counts().await.unwrap().sent < 120 {
        assert!(std::time::Instant::now() < deadline, "not all sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(standin.count_429(), 0, "two instances kept to one budget");
    for running in instances {
        running.stop().await;
    }
    store.close().await;
}
