//! A refused reload is loud: besides the log line, the heartbeat and
//! `/metrics`, everyone in a director's rotation gets a message through the
//! outbox (durable, so an outage only delays it).

use crate::config::Config;
use crate::domain::{Lane, OutMessage, PersonId, Role};
use crate::store::Store;

/// Enqueues the refusal for the directors of the running `config`.
pub async fn reload_refused(
    store: &Store,
    config: &Config,
    error: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    let ids: Vec<&PersonId> = (config.rotations.iter())
        .filter(|r| r.role == Role::Director)
        .flat_map(|r| r.people.iter())
        .collect();
    let people = (config.people.iter()).filter(|p| ids.contains(&&p.id) && p.telegram_id != 0);
    let mut tx = store.begin().await?;
    for person in people {
        let text = crate::texts::health::reload_refused(person.lang, error);
        let message = OutMessage::text(person.chat(), &text);
        tx.enqueue(Lane::Alert, &message, now_ms).await?;
    }
    tx.commit().await?;
    Ok(())
}
