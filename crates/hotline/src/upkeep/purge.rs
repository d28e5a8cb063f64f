//! The retention purge: residents' contact details of long-resolved reports
//! and old delivery records (`[retention]`). `hotline purge [--dry-run]` runs
//! it once; `hotline run` runs it daily on the escalation engine's instance.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::clock::{Clock, to_millis};
use crate::config::RetentionConfig;
use crate::http::Status;
use crate::store::{Purged, Store};

/// Purges (or, `dry`, counts) what `retention` says is too old at `now`.
pub async fn purge(
    store: &Store,
    retention: &RetentionConfig,
    now: DateTime<Utc>,
    dry: bool,
) -> anyhow::Result<Purged> {
    let now_ms = to_millis(now);
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let contact = now_ms.saturating_sub(ms(retention.contact_after));
    let delivery = now_ms.saturating_sub(ms(retention.delivery_after));
    let mut tx = store.begin().await?;
    let purged = tx.purge(contact, delivery, dry).await?;
    if dry {
        drop(tx);
    } else {
        tx.commit().await?;
    }
    Ok(purged)
}

/// What `hotline purge` prints.
pub fn describe(p: &Purged, dry: bool) -> String {
    let verb = if dry { "would erase" } else { "erased" };
    let del = if dry { "would delete" } else { "deleted" };
    format!(
        "{verb} the phone and photos of {} resolved reports and the names of {} residents;\n\
         {del} {} sent outbox rows and {} recorded update ids;\n\
         {del} {} kept WeChat photos and {} WeChat ids (push keys, forgotten openids)",
        p.report_contacts,
        p.resident_names,
        p.outbox_rows,
        p.update_ids,
        p.wechat_photos,
        p.wechat_ids
    )
}

/// First purge this long after start (`hotline run`), then once a day.
pub const FIRST: Duration = Duration::from_secs(60);
const EVERY: Duration = Duration::from_secs(24 * 3600);

/// Runs the purge daily while this instance leads the engine (so one
/// instance does it), the first time `first` after start, until `stopped`.
pub fn spawn_daily(
    first: Duration,
    store: Store,
    retention: RetentionConfig,
    clock: Arc<dyn Clock>,
    status: Arc<Status>,
    mut stopped: watch::Receiver<bool>,
) {
    tokio::spawn(async move {
        let mut wait = first;
        loop {
            tokio::select! {
                _ = stopped.changed() => return,
                _ = tokio::time::sleep(wait) => {}
            }
            if !status.engine_leader.load(Ordering::Relaxed) {
                wait = first;
                continue;
            }
            wait = EVERY;
            match purge(&store, &retention, clock.now(), false).await {
                Ok(p) => tracing::info!(?p, "retention purge done"),
                Err(error) => {
                    tracing::warn!(error = format!("{error:#}"), "retention purge failed")
                }
            }
        }
    });
}
