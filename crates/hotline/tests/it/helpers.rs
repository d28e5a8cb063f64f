//! One hotline per test (`TestApp`): its own stand-in, its own database, a
//! movable clock; the demo's staff; and small readers of what was shown.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hotline::app::{self, Running, StartOptions};
use hotline::clock::Clock;
use hotline::clock::TestClock;
use hotline::config::{Config, HttpUrl, Person};
use hotline::domain::{Category, ChatId, Role};
use hotline::store::NewReport;
use hotline::store::{ReportRow, Store};
use hotline_standin::Resident;
use hotline_standin::{Shown, StandIn, StandInOptions};
use tempfile::TempDir;

use crate::driver::new_report;

/// The driver's answer to "has the bot finished with this update?": the
/// update is handled and the chat's outbox is empty, by the store.
struct Settled(Store);

impl hotline_standin::Settle for Settled {
    fn settled(
        &self,
        update_id: i64,
        chat_id: i64,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<bool>> + Send + '_>>
    {
        Box::pin(async move { Ok(self.0.update_settled(update_id, ChatId(chat_id)).await?) })
    }
}

/// A person in a chat with the bot behind `standin`, whose turns end when
/// `store` says the bot has answered.
pub fn resident(standin: &StandIn, store: &Store, id: i64, name: &str) -> Resident {
    Resident::new(standin, Arc::new(Settled(store.clone())), id, name)
}

/// The test clock as the fake gateway reads it.
pub fn clock_fn(clock: &TestClock) -> hotline_standin::sms::Clock {
    let clock = clock.clone();
    Arc::new(move || clock.now())
}

/// One hotline, its own stand-in, its own database (a SQLite file, or a fresh
/// PostgreSQL database when `HOTLINE_TEST_POSTGRES` is set), a movable clock.
pub struct TestApp {
    pub standin: StandIn,
    pub clock: TestClock,
    pub config: Config,
    running: Option<Running>,
    /// A second connection to the same file that outlives restarts, for
    /// assertions and for knowing when the bot has answered.
    observer: Store,
    /// Providers' fake keys, passed to the gateway instead of the environment.
    gateway_env: hotline::gateway::GatewayEnv,
    _dir: TempDir,
}

/// The demo's staff and rotations (config/demo.toml).
pub const STAFF: &str = include_str!("../../../../config/demo.toml");

/// 2026-02-09 23:00 in Jinan: the night of the story.
pub fn night() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-02-09T23:00:00+08:00")
        .unwrap()
        .to_utc()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with("").await
    }

    /// `overrides` is TOML layered over the built-in defaults.
    pub async fn spawn_with(overrides: &str) -> TestApp {
        TestApp::spawn_with_env(overrides, &[]).await
    }

    /// Like `spawn_with`, the gateway reading `env` before the environment.
    pub async fn spawn_with_env(overrides: &str, env: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::from_override_str(overrides, "test overrides").unwrap();
        config.database.url = match postgres() {
            Some(server) => fresh_postgres_database(&server).await,
            None => format!("sqlite://{}", dir.path().join("hotline.db").display()),
        };
        let standin = StandIn::start(StandInOptions::default()).await.unwrap();
        config.telegram.api_url = HttpUrl::parse(standin.api_url().as_str()).unwrap();
        // Tests run in parallel: each app's own `/healthz` on a free port.
        config.health.listen = Some("127.0.0.1:0".parse().unwrap());
        let clock = TestClock::starting_at(night());
        let observer = Store::connect(&config.database.url, 2).await.unwrap();
        let mut app = TestApp {
            standin,
            clock,
            config,
            running: None,
            observer,
            gateway_env: hotline::gateway::GatewayEnv(
                env.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            _dir: dir,
        };
        app.start().await;
        app
    }

    async fn start(&mut self) {
        let bot = hotline::telegram::connect(self.standin.token(), &self.config.telegram).unwrap();
        let running = app::start(
            self.config.clone(),
            bot,
            Arc::new(self.clock.clone()),
            StartOptions {
                gateway_env: self.gateway_env.clone(),
                ..StartOptions::default()
            },
        )
        .await
        .unwrap();
        self.running = Some(running);
    }

    /// Kills the bot as a crash would, and starts it again on the same database.
    pub async fn crash_and_restart(&mut self) {
        self.running.take().unwrap().crash().await;
        self.start().await;
    }

    /// Stops the bot (gracefully) without ending the test's stand-in and database.
    pub async fn halt(&mut self) {
        self.running.take().unwrap().stop().await;
    }

    /// Starts the bot again after [`TestApp::halt`].
    pub async fn resume(&mut self) {
        self.start().await;
    }

    /// The HTTP server's address (with `telegram.webhook_listen` set).
    pub fn http_addr(&self) -> std::net::SocketAddr {
        self.running.as_ref().unwrap().http_addr().unwrap()
    }

    /// The chat layer on this app's store, to hand it updates directly
    /// (not through polling), e.g. while the app is halted.
    pub fn chat_layer(&self) -> hotline::chat::Chat {
        let shared = hotline::shared::Shared::new(
            self.store().clone(),
            Arc::new(self.config.clone()),
            Arc::new(self.clock.clone()),
            hotline::chat::Wakes::default(),
        )
        .unwrap();
        hotline::chat::Chat::new(&shared, "hotline_bot".into())
    }

    pub fn store(&self) -> &Store {
        &self.observer
    }

    pub fn resident(&self, id: i64, name: &str) -> Resident {
        resident(&self.standin, &self.observer, id, name)
    }

    pub async fn reports(&self) -> Vec<ReportRow> {
        self.store().all_reports().await.unwrap()
    }

    /// Wakes the escalation engine now (after moving the clock).
    pub fn tick(&self) {
        self.running.as_ref().unwrap().wakes.engine.notify_one();
    }

    /// The person holding `role` now, by the configured rotations.
    pub fn on_call(&self, role: Role) -> Person {
        let oncall = self.config.oncall().unwrap();
        let holder = oncall
            .holder(role, self.clock.now(), &[])
            .expect("someone is on call");
        self.config
            .people
            .iter()
            .find(|p| p.id == holder.person_id)
            .unwrap()
            .clone()
    }

    /// Stores `n` outage-like reports from residents `first_user..` (see
    /// [`TestApp::store_reports`]) and wakes the sender.
    pub async fn seed_reports(
        &self,
        first_user: i64,
        n: i64,
        category: Category,
        compound_id: &str,
    ) {
        let compound = self.matched(compound_id);
        let reports: Vec<_> = (0..n)
            .map(|i| NewReport {
                address_detail: format!("{}号楼", i % 30 + 1),
                ..new_report(first_user + i, category, compound.clone(), "没水了")
            })
            .collect();
        self.store_reports(&reports).await;
        self.running.as_ref().unwrap().wakes.outbox.notify_one();
    }

    /// A member of staff as a chat participant.
    pub fn staff(&self, person: &Person) -> Resident {
        self.resident(person.telegram_id, &person.name)
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }
}

/// The ticket number in a "submitted" reply.
pub fn ticket_in(text: &str) -> String {
    text.split(['：', ':'])
        .map(str::trim)
        .flat_map(|part| part.split_whitespace())
        .find(|word| word.starts_with("JN-"))
        .unwrap_or_else(|| panic!("no ticket in {text:?}"))
        .to_string()
}

/// The PostgreSQL server the suite runs against, from `HOTLINE_TEST_POSTGRES`
/// (e.g. `postgres://postgres@127.0.0.1:5432/postgres`); None: SQLite.
pub fn postgres() -> Option<String> {
    std::env::var("HOTLINE_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Creates an empty database on `server` for one test, so tests stay
/// isolated and run in parallel; returns its URL.
pub async fn fresh_postgres_database(server: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("hotline_t_{:016x}", fastrand::u64(..));
    let mut admin = sqlx::AnyConnection::connect(server)
        .await
        .expect("connecting to HOTLINE_TEST_POSTGRES");
    let create = sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"));
    sqlx::query(create).execute(&mut admin).await.unwrap();
    let _ = admin.close().await;
    let mut url = url::Url::parse(server).expect("HOTLINE_TEST_POSTGRES is a URL");
    url.set_path(&name);
    url.to_string()
}

/// The escalation alerts among the messages a member of staff was shown.
pub fn alerts(shown: &[Shown]) -> Vec<&Shown> {
    shown.iter().filter(|m| m.text.starts_with("🚨")).collect()
}
