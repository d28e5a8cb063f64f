//! The background engine: one loop that runs its named parts at `now` — in
//! order, `zones` (expiry), `steps` (escalation steps whose wait ran out),
//! `phones` (the SMS/voice fallback), `overdue` (督办: the supervisor told of
//! newly overdue tickets, at most once a minute) — and sleeps until the next tick or until
//! a new report wakes it. A part that fails is logged with its name and the
//! others still run (as GoAlert's engine runs one updater per concern). When
//! all parts worked, the `heartbeat` URL is called if a beat is due.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use super::Escalator;
use super::heartbeat::Heartbeat;
use crate::clock::{Clock, to_millis};
use crate::config::Config;
use crate::gateway::Gateway;
use crate::oncall::OnCall;
use crate::store::Store;

pub struct Engine {
    store: Store,
    escalator: Arc<Escalator>,
    clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
    outbox_wake: Arc<Notify>,
    tick: std::time::Duration,
    gateway: Option<Gateway>,
    heartbeat: Option<Arc<AtomicI64>>,
    switch: Option<Arc<Heartbeat>>,
    /// Settings and rotations for the `overdue` part; None: it does nothing.
    supervision: Option<(Arc<Config>, Arc<OnCall>)>,
    /// When the `overdue` part last ran: it runs once a minute at most.
    overdue_at: Mutex<Option<DateTime<Utc>>>,
}

impl Engine {
    pub fn new(
        store: Store,
        escalator: Arc<Escalator>,
        clock: Arc<dyn Clock>,
        wake: Arc<Notify>,
        outbox_wake: Arc<Notify>,
        tick: std::time::Duration,
    ) -> Engine {
        Engine {
            store,
            escalator,
            clock,
            wake,
            outbox_wake,
            tick,
            gateway: None,
            heartbeat: None,
            switch: None,
            supervision: None,
            overdue_at: Mutex::new(None),
        }
    }

    /// Tells whoever holds the `supervisor` role in `oncall` of newly
    /// overdue tickets (`[supervision]`).
    pub fn with_supervision(mut self, config: Arc<Config>, oncall: Arc<OnCall>) -> Engine {
        self.supervision = Some((config, oncall));
        self
    }

    /// Calls the dead man's switch (`[heartbeat]`) while every part works.
    pub fn with_switch(mut self, switch: Option<Arc<Heartbeat>>) -> Engine {
        self.switch = switch;
        self
    }

    /// Takes unanswered or undeliverable alerts to phones through `gateway`,
    /// whose rate limit then counts in the engine's clock.
    pub fn with_gateway(mut self, gateway: Option<Gateway>) -> Engine {
        self.gateway = gateway.map(|g| g.with_clock(self.clock.clone()));
        self
    }

    /// Records the wall-clock time (epoch ms) of every finished pass, so
    /// `/healthz` can tell a load balancer whether the engine is ticking.
    pub fn with_heartbeat(mut self, heartbeat: Arc<AtomicI64>) -> Engine {
        self.heartbeat = Some(heartbeat);
        self
    }

    /// Runs until the task is dropped; a failed part is logged and the loop goes on.
    pub async fn run(self) {
        loop {
            // Each failed part has logged itself; the heartbeat stops while any fails.
            if self.update(self.clock.now()).await.is_ok()
                && let Some(heartbeat) = &self.heartbeat
            {
                heartbeat.store(chrono::Utc::now().timestamp_millis(), Ordering::Relaxed);
            }
            let _ = tokio::time::timeout(self.tick, self.wake.notified()).await;
        }
    }

    /// Does everything due at `now`: each part in turn; a failed part is
    /// logged and the next one runs. Errs if any part failed.
    pub async fn update(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        crate::obs::engine_tick(now);
        let mut failed = Vec::new();
        for part in [Part::Zones, Part::Steps, Part::Phones, Part::Overdue] {
            if let Err(error) = self.run_part(part, now).await {
                tracing::error!(
                    part = part.name(),
                    error = format!("{error:#}"),
                    "escalation engine part failed"
                );
                failed.push(part.name());
            }
        }
        anyhow::ensure!(failed.is_empty(), "engine parts failed: {failed:?}");
        if let Some(switch) = &self.switch
            && let Err(error) = switch.beat(now).await
        {
            tracing::warn!(error = format!("{error:#}"), "heartbeat not delivered");
        }
        Ok(())
    }

    async fn run_part(&self, part: Part, now: DateTime<Utc>) -> anyhow::Result<()> {
        match part {
            Part::Zones => self.expire_zones(now).await,
            Part::Steps => self.take_due_steps(now).await,
            Part::Phones => match &self.gateway {
                Some(gateway) => self
                    .escalator
                    .phone_fallback(&self.store, gateway, now)
                    .await
                    .map(|queued| {
                        if queued > 0 {
                            self.outbox_wake.notify_one();
                        }
                    }),
                None => Ok(()),
            },
            Part::Overdue => self.tell_overdue(now).await,
        }
    }

    /// Once a minute at most: one bundled message to the supervisor about
    /// the tickets that missed a promised time since the last one.
    async fn tell_overdue(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let Some((config, oncall)) = &self.supervision else {
            return Ok(());
        };
        {
            let mut at = self.overdue_at.lock().unwrap_or_else(|e| e.into_inner());
            if at.is_some_and(|at| now < at + chrono::Duration::minutes(1)) {
                return Ok(());
            }
            *at = Some(now);
        }
        if crate::supervision::notify_newly_overdue(&self.store, config, oncall, now).await? > 0 {
            self.outbox_wake.notify_one();
        }
        Ok(())
    }

    /// Priority zones whose time is up stop counting.
    async fn expire_zones(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let mut tx = self.store.begin().await?;
        let expired = tx.expire_zones(to_millis(now)).await?;
        tx.commit().await?;
        for zone in expired {
            tracing::info!(zone_id = zone, "priority zone expired");
        }
        Ok(())
    }

    /// Each escalation step is its own transaction: one failure does not
    /// hold back the others.
    async fn take_due_steps(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let mut stepped = false;
        for id in self.store.due_escalations(to_millis(now)).await? {
            let mut tx = self.store.begin().await?;
            match self.escalator.advance(&mut tx, id, now).await {
                Ok(()) => {
                    tx.commit().await?;
                    stepped = true;
                }
                Err(error) => tracing::error!(
                    escalation_id = id.0,
                    error = format!("{error:#}"),
                    "escalation step failed"
                ),
            }
        }
        if stepped {
            self.outbox_wake.notify_one();
        }
        Ok(())
    }
}

/// The engine's parts, in the order they run.
#[derive(Debug, Clone, Copy)]
enum Part {
    Zones,
    Steps,
    Phones,
    Overdue,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Zones => "zones",
            Part::Steps => "steps",
            Part::Phones => "phones",
            Part::Overdue => "overdue",
        }
    }
}
