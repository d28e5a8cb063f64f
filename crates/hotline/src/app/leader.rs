//! Jobs that run on one instance at a time — the escalation engine and
//! Telegram polling — each while this instance holds its leader lock, moved
//! to another instance within seconds when the holder dies.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::escalation::engine::Engine;
use crate::http::Status;
use crate::store::{LeaderRole, Leadership, Store};
use crate::telegram::Poller;

/// A follower tries to take a free leader lock this often, and a leader
/// checks this often that it still holds it: a dead leader is replaced within
/// a few seconds.
const LEADER_RETRY: Duration = Duration::from_secs(2);

/// Runs the escalation engine while this instance holds its leader lock.
pub(super) fn spawn_engine(
    mut make: impl FnMut() -> Engine + Send + 'static,
    store: &Store,
    status: Arc<Status>,
    stopped: watch::Receiver<bool>,
) -> JoinHandle<()> {
    let lock = store.leadership(LeaderRole::Engine);
    let start = move || Job::task(tokio::spawn(make().run()));
    tokio::spawn(async move { lead(lock, &status.engine_leader, stopped, start).await })
}

/// Polls Telegram while this instance holds the polling lock; a stopping
/// poller finishes the updates in hand and saves its offset.
pub(super) fn spawn_polling(
    poller: Poller,
    store: &Store,
    status: Arc<Status>,
    stopped: watch::Receiver<bool>,
) -> JoinHandle<()> {
    let lock = store.leadership(LeaderRole::Polling);
    let start = move || {
        let (stop, stopping) = watch::channel(false);
        Job {
            task: tokio::spawn(poller.clone().run(stopping)),
            stop: Some(stop),
        }
    };
    tokio::spawn(async move { lead(lock, &status.poll_leader, stopped, start).await })
}

/// How long a stopping job may take to finish what it has in hand (the
/// poller's own grace period is shorter, so it still saves its offset).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(15);

/// A leader's job: a task, stopped gracefully through `stop` when it has one.
struct Job {
    task: JoinHandle<()>,
    stop: Option<watch::Sender<bool>>,
}

impl Job {
    fn task(task: JoinHandle<()>) -> Job {
        Job { task, stop: None }
    }

    /// Lets a job with a stop signal finish (up to a grace period); anything
    /// else is aborted.
    async fn stop(mut self) {
        let graceful = self
            .stop
            .as_ref()
            .is_some_and(|stop| stop.send(true).is_ok());
        let finished = graceful
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut self.task)
                .await
                .is_ok();
        if !finished {
            self.task.abort();
            let _ = (&mut self.task).await;
        }
    }
}

/// A killed leader (its task aborted) must not leave its job running.
impl Drop for Job {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Runs a job while this instance holds `lock`'s role: tries to take it every
/// [`LEADER_RETRY`], then checks as often that it still holds it and stops the
/// job the moment it may not. Returns when `stop` fires, giving the role up.
async fn lead(
    mut lock: Leadership,
    leading: &AtomicBool,
    mut stop: watch::Receiver<bool>,
    mut start: impl FnMut() -> Job,
) {
    let role = lock.role();
    while !*stop.borrow() {
        match lock.try_acquire().await {
            Ok(true) => {
                tracing::info!(?role, "this instance leads");
                leading.store(true, Ordering::Relaxed);
                let job = start();
                let stopping = loop {
                    tokio::select! {
                        _ = stop.changed() => break true,
                        _ = tokio::time::sleep(LEADER_RETRY) => {
                            if let Err(error) = lock.check().await {
                                tracing::warn!(?role, error = format!("{error:#}"), "leadership lost");
                                break false;
                            }
                        }
                    }
                };
                leading.store(false, Ordering::Relaxed);
                job.stop().await;
                lock.release().await;
                if stopping {
                    return;
                }
            }
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(
                    ?role,
                    error = format!("{error:#}"),
                    "could not try the leader lock"
                )
            }
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(LEADER_RETRY) => {}
        }
    }
}
