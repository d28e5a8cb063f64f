//! How the chat driver knows the bot has finished answering: it asks the
//! bot's store (the update is handled and the chat's outbox is empty).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use hotline::domain::ChatId;
use hotline::store::Store;
use hotline_standin::{Resident, Settle, StandIn};

struct FromStore(Store);

impl Settle for FromStore {
    fn settled(
        &self,
        update_id: i64,
        chat_id: i64,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<bool>> + Send + '_>> {
        Box::pin(async move { Ok(self.0.update_settled(update_id, ChatId(chat_id)).await?) })
    }
}

/// A resident of the stand-in whose turns end when the bot's store says so.
pub fn resident(standin: &StandIn, store: &Store, id: i64, first_name: &str) -> Resident {
    Resident::new(standin, Arc::new(FromStore(store.clone())), id, first_name)
}
