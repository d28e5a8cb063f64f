//! The steps of [`super::start`], one part of the hotline each: what it
//! needs from the steps before it goes in, the running part comes out.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::StartOptions;
use super::leader::{spawn_engine, spawn_polling};
use crate::chat::Chat;
use crate::config::{Config, TelegramMode};
use crate::escalation::engine::Engine;
use crate::escalation::heartbeat::Heartbeat;
use crate::gateway::Gateway;
use crate::http::phone_replies::PhoneReplies;
use crate::http::{self, Status, Webhook};
use crate::open311::{self, Open311};
use crate::outbox::Dispatch;
use crate::outbox::OutboxWorker;
use crate::shared::Shared;
use crate::telegram::{BotIdentity, Poller, Telegram};

/// Who the bot is (`getMe`), and its command menus set.
pub(super) async fn greet_telegram(
    telegram: &Telegram,
    config: &Config,
) -> anyhow::Result<BotIdentity> {
    let me = telegram
        .identify()
        .await
        .context("asking Telegram who the bot is (getMe); is TELOXIDE_TOKEN right?")?;
    if let Err(error) = telegram.set_commands().await {
        tracing::warn!(%error, "could not set the command menu");
    }
    telegram.set_staff_commands(&config.people).await;
    Ok(me)
}

/// The SMS/voice gateway, and the phone replies it may carry back.
pub(super) fn gateway(
    shared: &Shared,
    options: &StartOptions,
) -> anyhow::Result<(Option<Gateway>, Option<Arc<PhoneReplies>>)> {
    let gateway = Gateway::from_config(&shared.config.gateway, |key| {
        (options.gateway_env.get(key)).or_else(|| std::env::var(key).ok())
    })?;
    PhoneReplies::wire(
        &shared.config,
        gateway,
        &shared.escalator,
        &shared.store,
        &shared.clock,
        shared.wakes.outbox.clone(),
    )
}

/// One outbox for everything: Telegram, WeChat, and texts, calls and robots.
pub(super) fn outbox(
    shared: &Shared,
    telegram: &Telegram,
    gateway: Option<Gateway>,
    options: &StartOptions,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<JoinHandle<()>> {
    let env = |key: &str| (options.gateway_env.get(key)).or_else(|| std::env::var(key).ok());
    let (store, clock) = (shared.store.clone(), shared.clock.clone());
    let wechat = crate::wechat::deliver(&shared.config.wechat, env, store, clock)?;
    let deliver = Dispatch::new(
        telegram.deliver(),
        gateway,
        shared.store.clone(),
        shared.clock.clone(),
    )
    .with_wechat(wechat);
    let worker = OutboxWorker::new(
        shared.store.clone(),
        deliver,
        shared.clock.clone(),
        shared.wakes.outbox.clone(),
        options.pacing,
    );
    Ok(tokio::spawn(worker.run_until(stop)))
}

/// The escalation engine, on whichever instance holds its leader lock.
pub(super) fn engine(
    shared: &Shared,
    gateway: Option<Gateway>,
    status: &Arc<Status>,
    stopped: &watch::Receiver<bool>,
) -> anyhow::Result<JoinHandle<()>> {
    let switch = Heartbeat::from_config(&shared.config.heartbeat)?.map(Arc::new);
    let heartbeat = status.engine_heartbeat.clone();
    let s = shared.clone();
    let make_engine = move || {
        Engine::new(
            s.store.clone(),
            s.escalator.clone(),
            s.clock.clone(),
            s.wakes.engine.clone(),
            s.wakes.outbox.clone(),
            s.config.escalation.tick,
        )
        .with_gateway(gateway.clone())
        .with_heartbeat(heartbeat.clone())
        .with_switch(switch.clone())
        .with_supervision(s.config.clone(), s.oncall.clone())
    };
    Ok(spawn_engine(
        make_engine,
        &shared.store,
        status.clone(),
        stopped.clone(),
    ))
}

/// This instance's heartbeat in the database (`crate::health::writer`).
pub(super) async fn heartbeat(
    shared: &Shared,
    telegram: &Telegram,
    status: &Arc<Status>,
    stopped: &watch::Receiver<bool>,
) -> JoinHandle<()> {
    crate::health::writer::spawn(
        shared.store.clone(),
        telegram.liveness(),
        status.engine_heartbeat.clone(),
        stopped.clone(),
    )
    .await
}

/// The daily purge (`[retention] daily`) and yesterday's digest.
pub(super) fn daily_jobs(shared: &Shared, status: &Arc<Status>, stopped: &watch::Receiver<bool>) {
    if shared.config.retention.daily {
        use crate::upkeep::purge::{FIRST, spawn_daily};
        spawn_daily(
            FIRST,
            shared.store.clone(),
            shared.config.retention.clone(),
            shared.clock.clone(),
            status.clone(),
            stopped.clone(),
        );
    }
    crate::web::digest::spawn(
        shared.store.clone(),
        shared.config.clone(),
        shared.clock.clone(),
        shared.wakes.outbox.clone(),
    );
}

/// Where updates come in: Telegram's client and the chat layer.
#[derive(Clone, Copy)]
pub(super) struct Entry<'a> {
    pub telegram: &'a Telegram,
    pub chat: &'a Arc<Chat>,
    pub bot_username: &'a str,
}

/// The HTTP server, when anything is to be served: the webhook, the
/// acknowledge pages, Open311, phone replies and the desk on one router.
pub(super) async fn http(
    shared: &Shared,
    entry: Entry<'_>,
    replies: Option<Arc<PhoneReplies>>,
    options: &StartOptions,
    status: &Arc<Status>,
) -> anyhow::Result<(Option<SocketAddr>, Option<JoinHandle<()>>)> {
    let t = &shared.config.telegram;
    let desk = match shared.config.web.enabled {
        true => Some(crate::web::Desk::new(shared, entry.telegram.clone()))
            .transpose()
            .context("while starting the desk")?,
        false => None,
    };
    // The desk shares the webhook's server, or has its own address.
    let listen = match (t.webhook_listen, &desk) {
        (None, Some(_)) => shared.config.web.listen,
        (Some(listen), _) => listen,
        (None, None) => return health_only(shared, status).await,
    };
    if desk.is_some() {
        warn_if_desk_over_http(&shared.config);
    }
    let mut routes = http::ack_page::router(http::ack_page::AckPages::new(shared));
    if shared.config.open311.enabled {
        routes = routes.merge(open311::router(Arc::new(Open311::new(shared))));
    }
    if let Some(replies) = replies {
        routes = routes.merge(http::phone_replies::router(replies));
    }
    if let Some(desk) = desk {
        routes = routes.merge(crate::web::router(desk));
    }
    if shared.config.wechat.enabled {
        routes = routes.merge(wechat_routes(shared, entry.chat.clone(), options)?);
    }
    let webhook = options.webhook_secret.clone().map(|secret| Webhook {
        telegram: entry.telegram.clone(),
        intake: entry.chat.clone(),
        username: entry.bot_username.to_owned(),
        secret,
        path: t.webhook_path.clone(),
    });
    let (addr, task) = serve(shared, listen, status, webhook, routes).await?;
    Ok((Some(addr), Some(task)))
}

/// The WeChat account's server URL (issue 28), its secrets read like the
/// gateway's.
fn wechat_routes(
    shared: &Shared,
    chat: Arc<crate::chat::Chat>,
    options: &StartOptions,
) -> anyhow::Result<Router> {
    let env = |key: &str| (options.gateway_env.get(key)).or_else(|| std::env::var(key).ok());
    let (store, clock) = (shared.store.clone(), shared.clock.clone());
    let account =
        crate::wechat::server::Account::new(&shared.config.wechat, env, chat, store, clock)?;
    Ok(crate::wechat::server::router(Arc::new(account)))
}

/// Without the desk and the webhook, `/healthz` (and `/metrics`) get a
/// listener of their own at `health.listen`. Failing to bind it is logged,
/// never a reason not to page.
async fn health_only(
    shared: &Shared,
    status: &Arc<Status>,
) -> anyhow::Result<(Option<SocketAddr>, Option<JoinHandle<()>>)> {
    let Some(listen) = shared.config.health.listen else {
        return Ok((None, None));
    };
    let routes = crate::health::metrics::router(shared.store.clone(), shared.clock.clone());
    match serve(shared, listen, status, None, routes).await {
        Ok((addr, task)) => Ok((Some(addr), Some(task))),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "no /healthz (health.listen)");
            Ok((None, None))
        }
    }
}

/// Sign-in links and session cookies readable on the office network: the
/// operator may mean it (a closed LAN), but should know.
fn warn_if_desk_over_http(config: &crate::config::Config) {
    if config.desk_over_plain_http() {
        let desk = config.desk_url();
        tracing::warn!(%desk, "{}", crate::config::DESK_OVER_PLAIN_HTTP);
    }
}

async fn serve(
    shared: &Shared,
    listen: SocketAddr,
    status: &Arc<Status>,
    webhook: Option<Webhook>,
    routes: Router,
) -> anyhow::Result<(SocketAddr, JoinHandle<()>)> {
    let (store, clock) = (shared.store.clone(), shared.clock.clone());
    http::serve(listen, store, clock, status.clone(), webhook, routes).await
}

/// Updates from Telegram: the webhook registered, or our poller started on
/// whichever instance holds the polling lock.
pub(super) async fn updates(
    shared: &Shared,
    entry: Entry<'_>,
    bot_id: i64,
    options: &StartOptions,
    status: &Arc<Status>,
    stopped: watch::Receiver<bool>,
) -> anyhow::Result<Option<JoinHandle<()>>> {
    let t = &shared.config.telegram;
    match t.mode {
        TelegramMode::Webhook => {
            if let (Some(url), Some(secret)) = (&t.webhook_url, &options.webhook_secret) {
                let url = url.url().clone();
                entry
                    .telegram
                    .set_webhook(url, secret.expose())
                    .await
                    .context("registering the webhook (setWebhook)")?;
            }
            Ok(None)
        }
        TelegramMode::Polling => {
            let poller = Poller {
                telegram: entry.telegram.clone(),
                intake: entry.chat.clone(),
                store: shared.store.clone(),
                clock: shared.clock.clone(),
                timeout: t.poll_timeout,
                bot_id,
                bot_username: entry.bot_username.to_owned(),
            };
            let (store, status) = (&shared.store, status.clone());
            Ok(Some(spawn_polling(poller, store, status, stopped)))
        }
    }
}

/// Tells systemd start-up is done (READY=1) and feeds its watchdog from
/// `/healthz`'s own checks until `stop`; nothing without
/// [`StartOptions::systemd`]. A failed send is logged, never fatal.
/// Telegram being unreachable turns `/healthz` 503 but does not starve the
/// watchdog: a restart cannot reach Telegram either, and the outbox already
/// waits and sends alerts first when it answers again. A stuck engine or a
/// database that does not answer does: those a restart may cure.
pub(super) fn systemd_ready(
    shared: &Shared,
    status: &Arc<Status>,
    options: &StartOptions,
    stop: &watch::Sender<bool>,
) -> Option<JoinHandle<()>> {
    let notify = options.systemd.as_ref()?;
    if let Err(error) = notify.send("READY=1") {
        tracing::warn!(%error, socket = %notify.socket, "could not tell systemd we are ready");
    }
    let (store, clock, status) = (shared.store.clone(), shared.clock.clone(), status.clone());
    let healthy = move || {
        let (store, clock, status) = (store.clone(), clock.clone(), status.clone());
        async move {
            let now_ms = crate::clock::to_millis(clock.now());
            let (_, body) = http::health_of(&store, now_ms, &status).await;
            body["db"] == "ok" && body["engine_stuck"] == false
        }
    };
    notify.feed(healthy, stop.subscribe())
}
