//! Settings that change without a restart: on `SIGHUP` (or a [`Control::Reload`]
//! from a test) the configuration is read again and validated; a valid one
//! replaces the running app in-process (the same graceful stop as Ctrl-C,
//! then a start with the new people, rotations, compounds and steps); an
//! invalid one is refused with the messages of `check-config`, and the old
//! settings keep running. `SIGTERM` stops as gracefully as Ctrl-C.
//! `hotline reload` asks every instance at once through the database
//! ([`watch_database`]).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::app::{self, StartOptions};
use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::store::Store;
use crate::telegram::Telegram;

/// What the supervisor is asked to do.
#[derive(Debug)]
pub enum Control {
    /// Read the settings again; the answer says whether they were taken.
    Reload(Option<oneshot::Sender<Result<(), ConfigError>>>),
    Stop,
}

/// Runs the app until [`Control::Stop`] (or every sender is dropped),
/// restarting it with settings from `load` on each [`Control::Reload`].
pub async fn supervise(
    mut config: Config,
    load: impl Fn() -> Result<Config, ConfigError>,
    telegram: Telegram,
    clock: Arc<dyn Clock>,
    options: StartOptions,
    mut control: mpsc::Receiver<Control>,
) -> anyhow::Result<()> {
    let start = |config: &Config| {
        app::start(
            config.clone(),
            telegram.clone(),
            clock.clone(),
            options.clone(),
        )
    };
    let mut running = start(&config).await?;
    // Compared with links applied, so a newly linked staff account counts
    // as a change (crate::staff::invite).
    let links = |store: Store, config: Config| async move {
        crate::staff::invite::with_links(&store, config.clone())
            .await
            .unwrap_or(config)
    };
    config = links(running.store.clone(), config).await;
    loop {
        let reply = match control.recv().await {
            None | Some(Control::Stop) => {
                tracing::info!("stopping");
                running.stop().await;
                return Ok(());
            }
            Some(Control::Reload(reply)) => reply,
        };
        let loaded = match load() {
            Ok(new) => Ok(links(running.store.clone(), new).await),
            Err(error) => Err(error),
        };
        let mut refused = None;
        let outcome = match loaded {
            Err(error) => {
                tracing::error!(%error, "reload refused; the running settings stay");
                refused = Some(error.to_string());
                Err(error)
            }
            Ok(new) if new == config => {
                tracing::info!("reload: settings unchanged");
                Ok(())
            }
            Ok(new) => {
                tracing::info!("reload: restarting with the new settings");
                running.stop().await;
                running = match start(&new).await {
                    Ok(r) => {
                        config = new;
                        r
                    }
                    Err(error) => {
                        let error = format!("{error:#}");
                        tracing::error!(%error, "the new settings did not start; back to the old ones");
                        refused = Some(error);
                        start(&config).await?
                    }
                };
                Ok(())
            }
        };
        let now_ms = crate::clock::to_millis(clock.now());
        loud(&running, &config, &telegram, refused, now_ms).await;
        if let Some(reply) = reply {
            let _ = reply.send(outcome);
        }
    }
}

/// Records a reload's outcome in the heartbeat (doctor, `/healthz`,
/// `/metrics`, `hotline reload`) and, when refused, tells the directors.
async fn loud(
    running: &app::Running,
    config: &Config,
    telegram: &Telegram,
    refused: Option<String>,
    now_ms: i64,
) {
    telegram.liveness().reloaded(match &refused {
        None => Ok(()),
        Some(error) => Err(error.clone()),
    });
    let Some(error) = refused else { return };
    match crate::health::notify::reload_refused(&running.store, config, &error, now_ms).await {
        Ok(()) => running.wakes.outbox.notify_one(),
        Err(error) => tracing::warn!(error = format!("{error:#}"), "could not tell the director"),
    }
}

/// Sends [`Control::Reload`] whenever `hotline reload` moves the database's
/// reload generation (checked every `every`), so each of several instances
/// re-reads its own settings. Requests from before the call are not acted on.
pub async fn watch_database(
    store: Store,
    every: Duration,
    tx: mpsc::Sender<Control>,
) -> tokio::task::JoinHandle<()> {
    let mut seen = store.reload_generation().await.unwrap_or(0);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            match store.reload_generation().await {
                Ok(now) if now != seen => {
                    seen = now;
                    tracing::info!(generation = now, "reload requested through the database");
                    if tx.send(Control::Reload(None)).await.is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "could not read the reload generation"),
            }
        }
    })
}

/// Turns Ctrl-C and `SIGTERM` into [`Control::Stop`] and `SIGHUP` into
/// [`Control::Reload`] on `tx`, for the real bot.
pub fn signals(tx: mpsc::Sender<Control>) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        tokio::spawn(async move {
            loop {
                let control = tokio::select! {
                    _ = tokio::signal::ctrl_c() => Control::Stop,
                    _ = term.recv() => Control::Stop,
                    _ = hup.recv() => Control::Reload(None),
                };
                let stop = matches!(control, Control::Stop);
                if tx.send(control).await.is_err() || stop {
                    return;
                }
            }
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = tx.send(Control::Stop).await;
    });
    Ok(())
}
