//! What one process builds once from its settings and every entry shares:
//! the chat layer, the desk, Open311, the acknowledge pages and the engine
//! take their store, settings, rotations, places, escalator, clock and
//! wake-ups from one [`Shared`], so they can never disagree about who is on
//! call or which compound a name means (they once built four escalators).

use std::sync::Arc;

use anyhow::Context;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::Places;
use crate::escalation::Escalator;
use crate::oncall::OnCall;
use crate::store::Store;

/// The background workers a committed change may have given work to.
#[derive(Clone, Default)]
pub struct Wakes {
    pub outbox: Arc<Notify>,
    pub engine: Arc<Notify>,
}

/// Built once per process (and again on a reload, with the new settings).
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub config: Arc<Config>,
    pub oncall: Arc<OnCall>,
    /// The configured compounds, for matching what people type.
    pub places: Places,
    pub escalator: Arc<Escalator>,
    pub clock: Arc<dyn Clock>,
    pub wakes: Wakes,
}

impl Shared {
    /// Checks the rotations and builds the rest from `config`.
    pub fn new(
        store: Store,
        config: Arc<Config>,
        clock: Arc<dyn Clock>,
        wakes: Wakes,
    ) -> anyhow::Result<Shared> {
        let oncall = Arc::new(
            config
                .oncall()
                .context("while checking the on-call rotations")?,
        );
        let compounds = config.compounds.iter();
        let places =
            Places::new(compounds.map(|c| (c.id.as_str(), c.name.as_str(), &c.aliases[..])));
        let escalator = Arc::new(Escalator::new(config.clone(), oncall.clone()));
        Ok(Shared {
            store,
            config,
            oncall,
            places,
            escalator,
            clock,
            wakes,
        })
    }
}
