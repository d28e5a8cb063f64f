//! Wiring: the store, the update listener and the outbox worker, started
//! the same way by `hotline run`, the demo and the tests.
//!
//! Several instances may share one PostgreSQL database: every one runs an
//! outbox worker (rows are claimed with `SKIP LOCKED`) and, in webhook mode,
//! takes updates; polling and the escalation engine each run on one instance
//! at a time, the holder of a leader lock, and move to another when it dies.

mod leader;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::chat::{Chat, Wakes};
use crate::clock::Clock;
use crate::config::{Config, TelegramMode};
use crate::escalation::Escalator;
use crate::escalation::engine::Engine;
use crate::escalation::heartbeat::Heartbeat;
use crate::gateway::Gateway;
use crate::http::phone_replies::PhoneReplies;
use crate::http::{self, Status, Webhook, WebhookSecret};
use crate::open311::{self, Open311};
use crate::outbox::OutboxWorker;
use crate::outbox::worker::Pacing;
use crate::reach::Dispatch;
use crate::store::Store;
use crate::telegram::{Poller, Telegram};
use leader::{spawn_engine, spawn_polling};

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
    poller: Option<JoinHandle<()>>,
    worker: JoinHandle<()>,
    engine: JoinHandle<()>,
    /// Writes this instance's heartbeat (`crate::health::writer`).
    beat: JoinHandle<()>,
    http: Option<JoinHandle<()>>,
}

pub async fn start(
    config: Config,
    telegram: Telegram,
    clock: Arc<dyn Clock>,
    options: StartOptions,
) -> anyhow::Result<Running> {
    let store = Store::connect(&config.database.url, config.database.max_connections).await?;
    // Staff who linked their account through `hotline staff invite`.
    let config = Arc::new(crate::staff::invite::with_links(&store, config).await?);
    let me = telegram
        .identify()
        .await
        .context("asking Telegram who the bot is (getMe); is TELOXIDE_TOKEN right?")?;
    let bot_username = me.username.clone();
    if let Err(error) = telegram.set_commands().await {
        tracing::warn!(%error, "could not set the command menu");
    }
    telegram.set_staff_commands(&config.people).await;
    let oncall = Arc::new(
        config
            .oncall()
            .context("while checking the on-call rotations")?,
    );
    crate::doctor::log_at_start(&config, &store, clock.now()).await;
    let wakes = Wakes::default();
    let status = Arc::new(Status {
        liveness: telegram.liveness(),
        health: config.health.clone(),
        ..Status::default()
    });
    let (stop, stopped) = watch::channel(false);
    let escalator = Arc::new(Escalator::new(config.clone(), oncall.clone()));
    let ack_pages = crate::reach::page::router(crate::reach::AckPages {
        store: store.clone(),
        clock: clock.clone(),
        config: config.clone(),
        escalator: escalator.clone(),
        outbox: wakes.outbox.clone(),
    });
    let gateway = Gateway::from_config(&config.gateway, |key| {
        (options.gateway_env.get(key)).or_else(|| std::env::var(key).ok())
    })?;
    let (gateway, replies) = PhoneReplies::wire(
        &config,
        gateway,
        &escalator,
        &store,
        &clock,
        wakes.outbox.clone(),
    )?;
    // One outbox for everything: Telegram, and texts, calls and robots.
    let deliver = Dispatch::new(
        telegram.deliver(),
        gateway.clone(),
        store.clone(),
        clock.clone(),
    );
    let worker = OutboxWorker::new(
        store.clone(),
        deliver,
        clock.clone(),
        wakes.outbox.clone(),
        options.pacing,
    );
    let worker = tokio::spawn(worker.run());
    let switch = Heartbeat::from_config(&config.heartbeat)?.map(Arc::new);
    let make_engine = {
        let (store, clock, wakes) = (store.clone(), clock.clone(), wakes.clone());
        let heartbeat = status.engine_heartbeat.clone();
        let tick = config.escalation.tick;
        move || {
            Engine::new(
                store.clone(),
                escalator.clone(),
                clock.clone(),
                wakes.engine.clone(),
                wakes.outbox.clone(),
                tick,
            )
            .with_gateway(gateway.clone())
            .with_heartbeat(heartbeat.clone())
            .with_switch(switch.clone())
        }
    };
    let engine = spawn_engine(make_engine, &store, status.clone(), stopped.clone());
    let beat = crate::health::writer::spawn(
        store.clone(),
        telegram.liveness(),
        status.engine_heartbeat.clone(),
        stopped.clone(),
    )
    .await;
    if config.retention.daily {
        let retention = config.retention.clone();
        let args = (
            store.clone(),
            clock.clone(),
            status.clone(),
            stopped.clone(),
        );
        use crate::upkeep::purge::{FIRST, spawn_daily};
        spawn_daily(FIRST, args.0, retention, args.1, args.2, args.3);
    }
    let open311 = (config.open311.enabled).then(|| {
        let api = Open311::new(
            store.clone(),
            config.clone(),
            oncall.clone(),
            clock.clone(),
            wakes.clone(),
        );
        open311::router(Arc::new(api))
    });
    let intake = Arc::new(Chat::new(
        store.clone(),
        config.clone(),
        oncall,
        clock.clone(),
        wakes.clone(),
        bot_username.clone(),
    ));
    let t = &config.telegram;
    let mode = t.mode;
    if mode == TelegramMode::Webhook && options.webhook_secret.is_none() {
        anyhow::bail!("telegram.mode is \"webhook\" but HOTLINE_WEBHOOK_SECRET is not set");
    }
    if open311.is_some() && t.webhook_listen.is_empty() {
        anyhow::bail!(
            "open311.enabled needs telegram.webhook_listen (the HTTP server it is served by)"
        );
    }
    if replies.is_some() && t.webhook_listen.is_empty() {
        anyhow::bail!(
            "phone_replies.enabled needs telegram.webhook_listen (replies are served there)"
        );
    }
    let desk = if config.web.enabled {
        let desk = crate::web::Desk::new(
            store.clone(),
            config.clone(),
            clock.clone(),
            wakes.clone(),
            telegram.clone(),
        );
        Some(crate::web::router(desk.context("while starting the desk")?))
    } else {
        None
    };
    // Yesterday's digest to the director and duty managers (crate::web::digest).
    crate::web::digest::spawn(
        store.clone(),
        config.clone(),
        clock.clone(),
        wakes.outbox.clone(),
    );
    // The desk shares the webhook's server, or has its own address.
    let listen = match (t.webhook_listen.as_str(), &desk) {
        ("", Some(_)) => config.web.listen.as_str(),
        (listen, _) => listen,
    };
    // Without the desk and the webhook, `/healthz` gets a listener of its own.
    // It failing to bind is logged, never a reason not to page.
    let health_only = listen.is_empty();
    let (listen, ack_pages) = match listen {
        "" => (
            config.health.listen.as_str(),
            crate::health::metrics::router(store.clone(), clock.clone()),
        ),
        listen => (listen, ack_pages),
    };
    let (http_addr, http) = if listen.is_empty() {
        (None, None)
    } else {
        let webhook = options.webhook_secret.clone().map(|secret| Webhook {
            telegram: telegram.clone(),
            intake: intake.clone(),
            username: bot_username.clone(),
            secret,
            path: t.webhook_path.clone(),
        });
        let served = http::serve(
            listen,
            store.clone(),
            clock.clone(),
            status.clone(),
            webhook,
            {
                let mut routes = ack_pages;
                if let Some(open311) = open311 {
                    routes = routes.merge(open311);
                }
                if let Some(replies) = replies {
                    routes = routes.merge(http::phone_replies::router(replies));
                }
                if let Some(desk) = desk {
                    routes = routes.merge(desk);
                }
                routes
            },
        )
        .await;
        match served {
            Ok((addr, task)) => (Some(addr), Some(task)),
            Err(error) if health_only => {
                tracing::error!(error = format!("{error:#}"), "no /healthz (health.listen)");
                (None, None)
            }
            Err(error) => return Err(error),
        }
    };
    let poller = match mode {
        TelegramMode::Webhook => {
            if let (false, Some(secret)) = (t.webhook_url.is_empty(), &options.webhook_secret) {
                let url = url::Url::parse(&t.webhook_url).context("telegram.webhook_url")?;
                telegram
                    .set_webhook(url, secret.expose())
                    .await
                    .context("registering the webhook (setWebhook)")?;
            }
            None
        }
        TelegramMode::Polling => {
            let poller = Poller {
                telegram,
                intake,
                store: store.clone(),
                clock,
                timeout: t.poll_timeout,
                bot_id: me.id,
                bot_username: bot_username.clone(),
            };
            Some(spawn_polling(poller, &store, status.clone(), stopped))
        }
    };
    tracing::info!(bot = %bot_username, ?mode, "hotline is running");
    Ok(Running {
        store,
        bot_username,
        wakes,
        status,
        ctrlc: options.ctrlc,
        http_addr,
        stop,
        poller,
        worker,
        engine,
        beat,
        http,
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
        if let Some(poller) = self.poller {
            let _ = poller.await;
        }
        let _ = self.engine.await;
        // The last heartbeat says "stopped", so doctor knows it was on purpose.
        let _ = self.beat.await;
        self.worker.abort();
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
