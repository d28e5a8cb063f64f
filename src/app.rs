//! Wiring: the store, the intake dispatcher and the outbox worker, started
//! the same way by `hotline run`, the demo and the tests.

use std::sync::Arc;

use anyhow::Context;
use teloxide::dispatching::ShutdownToken;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::config::Config;
use crate::escalation::Escalator;
use crate::escalation::engine::Engine;
use crate::gateway::Gateway;
use crate::intake::{Intake, Wakes};
use crate::oncall::OnCall;
use crate::outbox::OutboxWorker;
use crate::outbox::worker::Pacing;
use crate::store::Store;
use crate::telegram::{self, TelegramDeliver};

#[derive(Debug, Clone, Copy, Default)]
pub struct StartOptions {
    /// Stop gracefully on Ctrl-C (the real bot).
    pub ctrlc: bool,
    pub pacing: Pacing,
}

/// A running hotline.
pub struct Running {
    pub store: Store,
    pub bot_username: String,
    /// Wake the engine or the outbox worker early (a test that moved the clock).
    pub wakes: Wakes,
    shutdown: ShutdownToken,
    dispatcher: JoinHandle<()>,
    worker: JoinHandle<()>,
    engine: JoinHandle<()>,
}

pub async fn start(
    config: Config,
    bot: Bot,
    clock: Arc<dyn Clock>,
    options: StartOptions,
) -> anyhow::Result<Running> {
    let config = Arc::new(config);
    let store = Store::connect(&config.database.url, config.database.max_connections).await?;
    let me = bot
        .get_me()
        .await
        .context("asking Telegram who the bot is (getMe); is TELOXIDE_TOKEN right?")?;
    let bot_username = me.username.clone().unwrap_or_default();
    if let Err(error) = telegram::set_commands(&bot).await {
        tracing::warn!(%error, "could not set the command menu");
    }
    let oncall = Arc::new(OnCall::from_config(&config)?);
    let wakes = Wakes::default();
    let deliver = TelegramDeliver::new(bot.clone());
    let worker = OutboxWorker::new(
        store.clone(),
        deliver,
        clock.clone(),
        wakes.outbox.clone(),
        options.pacing,
    );
    let worker = tokio::spawn(worker.run());
    let escalator = Arc::new(Escalator::new(config.clone(), oncall.clone()));
    let tick = config.escalation.tick;
    let engine = Engine::new(
        store.clone(),
        escalator,
        clock.clone(),
        wakes.engine.clone(),
        wakes.outbox.clone(),
        tick,
    )
    .with_gateway(Gateway::from_config(&config.gateway, |key| {
        std::env::var(key).ok()
    })?);
    let engine = tokio::spawn(engine.run());
    let intake = Arc::new(Intake::new(
        store.clone(),
        config.clone(),
        oncall,
        clock,
        wakes.clone(),
        bot_username.clone(),
    ));
    let listener = Polling::builder(bot.clone())
        .timeout(config.telegram.poll_timeout)
        .delete_webhook()
        .await
        .build();
    let mut dispatcher = telegram::dispatcher(bot, intake, &bot_username, options.ctrlc);
    let shutdown = dispatcher.shutdown_token();
    let errors = LoggingErrorHandler::with_custom_text("polling Telegram failed");
    let dispatcher =
        tokio::spawn(async move { dispatcher.dispatch_with_listener(listener, errors).await });
    tracing::info!(bot = %bot_username, "hotline is running");
    Ok(Running {
        store,
        bot_username,
        wakes,
        shutdown,
        dispatcher,
        worker,
        engine,
    })
}

impl Running {
    /// Stops polling, lets running handlers finish, then stops the worker.
    pub async fn stop(self) {
        if let Ok(done) = self.shutdown.shutdown() {
            done.await;
        }
        self.worker.abort();
        self.engine.abort();
        let _ = self.dispatcher.await;
        self.store.close().await;
    }

    /// Stops everything at once, as a crash would: whatever was not committed is lost.
    pub async fn crash(self) {
        self.dispatcher.abort();
        self.worker.abort();
        self.engine.abort();
        let _ = self.dispatcher.await;
        let _ = self.worker.await;
        let _ = self.engine.await;
        self.store.close().await;
    }

    /// Waits until the dispatcher stops (Ctrl-C for the real bot).
    pub async fn wait(self) {
        let _ = (&mut { self.dispatcher }).await;
        self.worker.abort();
        self.engine.abort();
    }
}
