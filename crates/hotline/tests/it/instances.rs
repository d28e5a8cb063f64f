//! Two instances on one PostgreSQL database behind a "load balancer" (this
//! test, posting Telegram's webhook updates to either): one is killed while
//! a thousand residents report faults, and nothing is lost or doubled beyond
//! the at-least-once the outbox promises. Skipped without PostgreSQL
//! (`HOTLINE_TEST_POSTGRES`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hotline::app::{self, Running, StartOptions};
use hotline::clock::TestClock;
use hotline::config::Config;
use hotline::domain::{EscalationId, Role};
use hotline::http::{SECRET_HEADER, WebhookSecret};
use hotline::outbox::worker::Pacing;
use hotline::store::Store;
use hotline_standin::{FakeUser, StandIn, StandInOptions};
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::helpers::{STAFF, fresh_postgres_database, night, postgres};

const SECRET: &str = "test-webhook-secret_0123";
const REPORTS: i64 = 1000;
const FIRST_RESIDENT: i64 = 700_000;

/// Starts one instance on the shared database and stand-in.
async fn instance(config: &Config, standin: &StandIn, clock: &TestClock) -> Running {
    let bot = hotline::telegram::bot(standin.token(), standin.api_url().as_str()).unwrap();
    let options = StartOptions {
        webhook_secret: Some(WebhookSecret::new(SECRET.to_owned()).unwrap()),
        // Fast enough for thousands of messages in a test (the stand-in's
        // limits are off); the outbox's correctness does not depend on pace.
        pacing: Pacing {
            global_per_sec: 5000.0,
            chat_per_sec: 100.0,
            chat_burst: 20.0,
            max_in_flight: 32,
            ..Pacing::default()
        },
        ..StartOptions::default()
    };
    app::start(config.clone(), bot, Arc::new(clock.clone()), options)
        .await
        .unwrap()
}

/// The load balancer: posts `update` to the webhook of instance `first`, and
/// on a refused connection or a 5xx to the other one, until one takes it.
async fn deliver(client: &reqwest::Client, addrs: &[SocketAddr; 2], first: usize, update: &Value) {
    let deadline = Instant::now() + Duration::from_secs(60);
    for attempt in 0.. {
        let addr = addrs[(first + attempt) % 2];
        let sent = client
            .post(format!("http://{addr}/telegram/webhook"))
            .header(SECRET_HEADER, SECRET)
            .json(update)
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => return,
            Ok(response) => assert!(response.status().is_server_error(), "{}", response.status()),
            Err(_) => {}
        }
        assert!(
            Instant::now() < deadline,
            "no instance took update {update}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the bot has shown `chat` a button whose text contains `label`,
/// `after` messages in; returns (message id, callback data).
async fn button(standin: &StandIn, chat: i64, after: usize, label: &str) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let shown = standin.shown(chat);
        let found = shown.iter().skip(after).rev().find_map(|m| {
            m.inline
                .iter()
                .flatten()
                .find(|b| b.text.contains(label))
                .map(|b| (m.message_id, b.data.clone().unwrap_or_default()))
        });
        if let Some(found) = found {
            return found;
        }
        assert!(Instant::now() < deadline, "{chat} never saw {label:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One resident's whole report, every update through a webhook.
async fn report(
    client: reqwest::Client,
    standin: StandIn,
    addrs: [SocketAddr; 2],
    i: i64,
    place: String,
) {
    let user = FakeUser::new(FIRST_RESIDENT + i, "居民");
    let first = i as usize % 2;
    deliver(
        &client,
        &addrs,
        first,
        &standin.make_text_update(&user, "/report"),
    )
    .await;
    let (message_id, data) = button(&standin, user.id, 0, "漏水").await;
    let press = standin.make_button_update(&user, message_id, &data);
    deliver(&client, &addrs, first + 1, &press).await;
    let before = standin.shown(user.id).len();
    deliver(
        &client,
        &addrs,
        first,
        &standin.make_text_update(&user, &place),
    )
    .await;
    // A leak already known in the compound: the resident adds theirs to it.
    if let Some((message_id, data)) = known_or_next_step(&standin, user.id, before).await {
        let join = standin.make_button_update(&user, message_id, &data);
        deliver(&client, &addrs, first + 1, &join).await;
        return;
    }
    for (n, text) in [&format!("管道爆了 {i}"), "⏭ 跳过 Skip"]
        .into_iter()
        .enumerate()
    {
        deliver(
            &client,
            &addrs,
            first + 1 + n,
            &standin.make_text_update(&user, text),
        )
        .await;
    }
    let seen = standin.shown(user.id).len().saturating_sub(3);
    let (message_id, data) = button(&standin, user.id, seen, "确认提交").await;
    let confirm = standin.make_button_update(&user, message_id, &data);
    deliver(&client, &addrs, first + 1, &confirm).await;
}

/// After the place: the known-incident question (its "join" button), or None
/// when the wizard went on to step 3.
async fn known_or_next_step(standin: &StandIn, chat: i64, after: usize) -> Option<(i32, String)> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        for m in standin.shown(chat).iter().skip(after) {
            if m.text.starts_with("第 3/4 步") {
                return None;
            }
            if let Some(b) = m.inline.iter().flatten().find(|b| b.text.contains("加入")) {
                return Some((m.message_id, b.data.clone().unwrap_or_default()));
            }
        }
        assert!(Instant::now() < deadline, "{chat} never got past the place");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How many of `texts` mention escalation `#id`.
fn mentions(texts: &[String], id: EscalationId) -> usize {
    let tag = format!("#{id}");
    texts
        .iter()
        .filter(|t| {
            t.match_indices(&tag)
                .any(|(at, _)| !t[at + tag.len()..].starts_with(|c: char| c.is_ascii_digit()))
        })
        .count()
}

fn alerts_to(standin: &StandIn, chat: i64) -> Vec<String> {
    standin
        .shown(chat)
        .into_iter()
        .filter(|m| m.text.starts_with("🚨"))
        .map(|m| m.text)
        .collect()
}

/// Waits until `check` holds, polling; panics with `what` after `limit`.
async fn until<F: AsyncFn() -> bool>(limit: Duration, what: &str, check: F) -> Duration {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what} (after {limit:?})");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_the_work_and_one_survives_the_other() {
    let Some(server) = postgres() else {
        eprintln!("skipped: set HOTLINE_TEST_POSTGRES to run the multi-instance test");
        return;
    };
    let standin = StandIn::start(StandInOptions {
        enforce_limits: false,
        ..StandInOptions::default()
    })
    .await
    .unwrap();
    let mut config = Config::from_override_str(STAFF, "test overrides").unwrap();
    config.database.url = fresh_postgres_database(&server).await;
    config.database.max_connections = 8;
    config.telegram.api_url = hotline::config::HttpUrl::parse(standin.api_url().as_str()).unwrap();
    config.telegram.webhook_listen = Some("127.0.0.1:0".parse().unwrap());
    config.escalation.tick = Duration::from_secs(1);
    let clock = TestClock::starting_at(night());
    let observer = Store::connect(&config.database.url, 2).await.unwrap();
    let mut instances = [
        Some(instance(&config, &standin, &clock).await),
        Some(instance(&config, &standin, &clock).await),
    ];
    let addrs = [0, 1].map(|i| instances[i].as_ref().unwrap().http_addr().unwrap());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();

    // Without the secret, nothing gets in.
    let forged = client
        .post(format!("http://{}/telegram/webhook", addrs[0]))
        .json(&standin.make_text_update(&FakeUser::new(1, "x"), "/report"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);

    // One instance polls and one runs the engine: not both, not neither.
    let leaders = |i: &Option<Running>| {
        i.as_ref().map_or((false, false), |r| {
            let s = &r.status;
            (
                s.poll_leader.load(std::sync::atomic::Ordering::Relaxed),
                s.engine_leader.load(std::sync::atomic::Ordering::Relaxed),
            )
        })
    };
    until(Duration::from_secs(10), "leaders elected", async || {
        let (a, b) = (leaders(&instances[0]), leaders(&instances[1]));
        (a.0 ^ b.0) && (a.1 ^ b.1)
    })
    .await;
    let victim = if leaders(&instances[0]).1 { 0 } else { 1 };
    let survivor = 1 - victim;

    // A thousand residents, 64 at a time, alternating between instances.
    let places: Vec<String> = config
        .compounds
        .iter()
        .map(|c| format!("{} 3号楼", c.name))
        .collect();
    let gate = Arc::new(Semaphore::new(64));
    let mut load = tokio::task::JoinSet::new();
    for i in 0..REPORTS {
        let (client, standin, gate) = (client.clone(), standin.clone(), gate.clone());
        let place = places[i as usize % places.len()].clone();
        load.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            report(client, standin, addrs, i, place).await;
        });
    }

    // Midway, the instance running the engine dies.
    until(Duration::from_secs(120), "reports arriving", async || {
        observer.all_reports().await.unwrap().len() as i64 >= REPORTS * 2 / 5
    })
    .await;
    instances[victim].take().unwrap().crash().await;
    let took = until(
        Duration::from_secs(10),
        "the survivor takes over",
        async || leaders(&instances[survivor]) == (true, true),
    )
    .await;
    eprintln!("the survivor leads after {took:?}");
    // What the dead worker was sending is sent again once its lease runs out.
    clock.advance(chrono::Duration::minutes(2));
    // The survivor polls: an update through getUpdates is handled.
    let polled = standin.send_text(&FakeUser::new(FIRST_RESIDENT - 1, "居民"), "/start");
    until(
        Duration::from_secs(15),
        "a polled update handled",
        async || observer.update_handled(polled).await.unwrap(),
    )
    .await;

    while let Some(done) = load.join_next().await {
        done.unwrap();
    }

    // Every report stored once.
    let reports = observer.all_reports().await.unwrap();
    assert_eq!(reports.len() as i64, REPORTS);
    let mut residents: Vec<i64> = reports.iter().map(|r| r.resident_user_id).collect();
    residents.sort_unstable();
    residents.dedup();
    assert_eq!(residents.len() as i64, REPORTS, "one report per resident");

    // Every escalation reached the duty manager, none more than twice.
    let oncall = config.oncall().unwrap();
    let holder = |role| {
        let id = oncall.holder(role, night(), &[]).unwrap().person_id;
        config
            .people
            .iter()
            .find(|p| p.id == id)
            .unwrap()
            .telegram_id
    };
    let (duty, director) = (holder(Role::DutyManager), holder(Role::Director));
    let escalations = observer.all_escalations().await.unwrap();
    assert_eq!(escalations.len(), places.len(), "one per compound");
    // Alerts written within the bundle window wait for it on the domain clock.
    clock.advance(chrono::Duration::seconds(10));
    for running in instances.iter().flatten() {
        running.wakes.outbox.notify_one();
    }
    until(
        Duration::from_secs(60),
        "every escalation alerted",
        async || {
            let shown = alerts_to(&standin, duty);
            escalations.iter().all(|e| mentions(&shown, e.id) >= 1)
        },
    )
    .await;

    // The survivor's engine walks the chain: the director is paged at 10 minutes.
    clock.advance(chrono::Duration::minutes(11));
    let running = instances[survivor].as_ref().unwrap();
    running.wakes.engine.notify_one();
    until(Duration::from_secs(60), "the director paged", async || {
        let shown = alerts_to(&standin, director);
        escalations.iter().all(|e| mentions(&shown, e.id) >= 1)
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for chat in [duty, director] {
        let shown = alerts_to(&standin, chat);
        for e in &escalations {
            let n = mentions(&shown, e.id);
            assert!(n <= 2, "escalation #{} alerted {n} times to {chat}", e.id);
        }
    }

    let health: Value = client
        .get(format!("http://{}/healthz", addrs[survivor]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["db"], "ok", "{health}");
    assert_eq!(health["engine_leader"], true, "{health}");
    assert!(
        health["engine_last_tick_age_s"].as_f64().unwrap() < 5.0,
        "{health}"
    );

    instances[survivor].take().unwrap().stop().await;
}
