//! Wiring: the store, the update listener and the outbox worker, started
//! the same way by `hotline run`, the demo and the tests.
//!
//! Several instances may share one PostgreSQL database: every one runs an
//! outbox worker (rows are claimed with `SKIP LOCKED`) and, in webhook mode,
//! takes updates; polling and the escalation engine each run on one instance
//! at a time, the holder of a leader lock, and move to another when it dies.

mod leader;
mod steps;
mod systemd;

pub use systemd::SystemdNotify;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::chat::Chat;
use crate::clock::Clock;
use crate::config::{Config, TelegramMode};
use crate::http::{Status, WebhookSecret};
use crate::outbox::worker::Pacing;
use crate::shared::{Shared, Wakes};
use crate::store::Store;
use crate::telegram::Telegram;

#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// [`Running::wait`] stops gracefully on Ctrl-C (the real bot).
    pub ctrlc: bool,
    pub pacing: Pacing,
    /// The webhook secret (`HOTLINE_WEBHOOK_SECRET`); with it, a configured
    /// `telegram.webhook_listen` also serves the webhook.
    pub webhook_secret: Option<WebhookSecret>,
    /// Variables the gateway reads before the process environment (tests
    /// pass providers' fake keys here instead of touching the environment).
    pub gateway_env: crate::gateway::GatewayEnv,
    /// systemd's notify socket and watchdog (`hotline run` under
    /// `Type=notify`): READY=1 after start-up, WATCHDOG=1 while healthy.
    pub systemd: Option<SystemdNotify>,
}

/// A running hotline.
pub struct Running {
    pub store: Store,
    pub bot_username: String,
    /// Wake the engine or the outbox worker early (a test that moved the clock).
    pub wakes: Wakes,
    /// Which roles this instance holds now (also on `/healthz`).
    pub status: Arc<Status>,
    ctrlc: bool,
    http_addr: Option<SocketAddr>,
    stop: watch::Sender<bool>,
    worker_stop: watch::Sender<bool>,
    poller: Option<JoinHandle<()>>,
    worker: JoinHandle<()>,
    engine: JoinHandle<()>,
    /// Writes this instance's heartbeat (`crate::health::writer`).
    beat: JoinHandle<()>,
    http: Option<JoinHandle<()>>,
    /// Feeds systemd's watchdog (with [`StartOptions::systemd`]).
    watchdog: Option<JoinHandle<()>>,
}

/// Starts a hotline: each step below is one part of it, in the order a
/// request would meet them (store, Telegram's greeting, what every entry
/// shares, the outbox, the engine, HTTP, then updates from Telegram).
pub async fn start(
    config: Config,
    telegram: Telegram,
    clock: Arc<dyn Clock>,
    options: StartOptions,
) -> anyhow::Result<Running> {
    if config.telegram.mode == TelegramMode::Webhook && options.webhook_secret.is_none() {
        anyhow::bail!("telegram.mode is \"webhook\" but HOTLINE_WEBHOOK_SECRET is not set");
    }
    let store = Store::connect(&config.database.url, config.database.max_connections).await?;
    // Staff who linked their account through `hotline staff invite`.
    let config = Arc::new(crate::staff::invite::with_links(&store, config).await?);
    let me = steps::greet_telegram(&telegram, &config).await?;
    let shared = Shared::new(store.clone(), config.clone(), clock, Wakes::default())?;
    crate::doctor::log_at_start(&config, &store, shared.clock.now()).await;
    let status = Arc::new(Status {
        liveness: telegram.liveness(),
        health: config.health.clone(),
        ..Status::default()
    });
    let (stop, stopped) = watch::channel(false);
    let (gateway, replies) = steps::gateway(&shared, &options)?;
    // The worker stops last, on a signal of its own: what the poller's last
    // handlers wrote still goes out, and the sends under way are recorded.
    let (worker_stop, worker_stopped) = watch::channel(false);
    let worker = steps::outbox(
        &shared,
        &telegram,
        gateway.clone(),
        &options,
        worker_stopped,
    )?;
    let engine = steps::engine(&shared, gateway, &status, &stopped)?;
    let beat = steps::heartbeat(&shared, &telegram, &status, &stopped).await;
    steps::daily_jobs(&shared, &status, &stopped);
    let chat = Arc::new(Chat::new(&shared, me.username.clone()));
    let entry = steps::Entry {
        telegram: &telegram,
        chat: &chat,
        bot_username: &me.username,
    };
    let (http_addr, http) = steps::http(&shared, entry, replies, &options, &status).await?;
    let poller = steps::updates(&shared, entry, me.id, &options, &status, stopped).await?;
    let watchdog = steps::systemd_ready(&shared, &status, &options, &stop);
    tracing::info!(bot = %me.username, mode = ?config.telegram.mode, "hotline is running");
    Ok(Running {
        store,
        bot_username: me.username,
        wakes: shared.wakes,
        status,
        ctrlc: options.ctrlc,
        http_addr,
        stop,
        worker_stop,
        poller,
        worker,
        engine,
        beat,
        http,
        watchdog,
    })
}

impl Running {
    /// The HTTP server's bound address (webhook, `/healthz`), if it runs.
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http_addr
    }

    /// Stops polling (letting running handlers finish) and the engine, giving
    /// up their leader locks at once, then the worker and the HTTP server.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Some(watchdog) = self.watchdog {
            watchdog.abort();
        }
        if let Some(poller) = self.poller {
            let _ = poller.await;
        }
        let _ = self.engine.await;
        // The last heartbeat says "stopped", so doctor knows it was on purpose.
        let _ = self.beat.await;
        // The sends under way finish and are recorded, so a restart does not
        // repeat them; a worker stuck past its grace is cut off.
        let _ = self.worker_stop.send(true);
        let mut worker = self.worker;
        let grace = crate::outbox::worker::STOP_GRACE + std::time::Duration::from_secs(5);
        if tokio::time::timeout(grace, &mut worker).await.is_err() {
            worker.abort();
        }
        if let Some(http) = self.http {
            // Awaited, so a restart can bind the same address again.
            http.abort();
            let _ = http.await;
        }
        self.store.close().await;
    }

    /// Stops everything at once, as a crash would: whatever was not committed
    /// is lost, and leader locks go with their connections.
    pub async fn crash(self) {
        let tasks = [
            Some(self.engine),
            Some(self.worker),
            Some(self.beat),
            self.poller,
            self.http,
            self.watchdog,
        ];
        for task in tasks.iter().flatten() {
            task.abort();
        }
        for task in tasks.into_iter().flatten() {
            let _ = task.await;
        }
        self.store.close().await;
    }

    /// Runs until Ctrl-C (with [`StartOptions::ctrlc`]), then stops gracefully.
    pub async fn wait(self) {
        if self.ctrlc {
            let _ = tokio::signal::ctrl_c().await;
        } else {
            std::future::pending::<()>().await;
        }
        tracing::info!("stopping");
        self.stop().await;
    }
}
