//! The background engine: one loop that evaluates due work at `now` —
//! expired zones, then timed escalation steps — and sleeps until the next
//! tick or until a new report wakes it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use super::Escalator;
use crate::clock::{Clock, to_millis};
use crate::gateway::Gateway;
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
        }
    }

    /// Takes unanswered or undeliverable alerts to phones through `gateway`.
    pub fn with_gateway(mut self, gateway: Option<Gateway>) -> Engine {
        self.gateway = gateway;
        self
    }

    /// Records the wall-clock time (epoch ms) of every finished pass, so
    /// `/healthz` can tell a load balancer whether the engine is ticking.
    pub fn with_heartbeat(mut self, heartbeat: Arc<AtomicI64>) -> Engine {
        self.heartbeat = Some(heartbeat);
        self
    }

    /// Runs until the task is dropped; a failed pass is logged and the loop goes on.
    pub async fn run(self) {
        loop {
            if let Err(error) = self.update(self.clock.now()).await {
                tracing::error!(
                    error = format!("{error:#}"),
                    "escalation engine pass failed"
                );
            } else if let Some(heartbeat) = &self.heartbeat {
                heartbeat.store(chrono::Utc::now().timestamp_millis(), Ordering::Relaxed);
            }
            let _ = tokio::time::timeout(self.tick, self.wake.notified()).await;
        }
    }

    /// Does everything due at `now`. Each escalation step is its own
    /// transaction: one failure does not hold back the others.
    pub async fn update(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let now_ms = to_millis(now);
        let mut tx = self.store.begin().await?;
        let expired = tx.expire_zones(now_ms).await?;
        tx.commit().await?;
        for zone in expired {
            tracing::info!(zone_id = zone, "priority zone expired");
        }
        let mut stepped = false;
        for id in self.store.due_escalations(now_ms).await? {
            let mut tx = self.store.begin().await?;
            match self.escalator.advance(&mut tx, id, now).await {
                Ok(()) => {
                    tx.commit().await?;
                    stepped = true;
                }
                Err(error) => tracing::error!(
                    escalation_id = id,
                    error = format!("{error:#}"),
                    "escalation step failed"
                ),
            }
        }
        if stepped {
            self.outbox_wake.notify_one();
        }
        if let Some(gateway) = &self.gateway {
            self.escalator
                .phone_fallback(&self.store, gateway, now)
                .await?;
        }
        Ok(())
    }
}
