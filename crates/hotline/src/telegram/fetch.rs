//! `getUpdates`, read update by update. teloxide parses an answer as one
//! array, so one update it cannot read (a lone UTF-16 surrogate `\ud800` in
//! a text, a shape it does not know) fails the whole call, again at every
//! poll, and stops the line for everyone. Here the answer is split into its
//! updates first (without reading their strings), then each is parsed on
//! its own: one that cannot be parsed comes back as [`Unreadable`] with its
//! `update_id`, for the poller to log, record and move past.

use std::time::Duration;

use serde::Deserialize;
use serde_json::value::RawValue;
use teloxide::prelude::*;
use teloxide::types::Update;

use crate::clock::to_millis;

/// Beyond the long poll's own `timeout`, how long an answer may take.
const ANSWER_MARGIN: Duration = Duration::from_secs(10);

/// One `getUpdates` answer, in order: each update read, or why it could not be.
pub(super) type Fetched = Vec<Result<Update, Unreadable>>;

/// An update that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unreadable {
    /// None when even the id could not be read (it is then skipped with the
    /// updates around it).
    pub update_id: Option<i64>,
    pub error: String,
}

/// Why a call brought nothing.
#[derive(Debug, thiserror::Error)]
pub(super) enum FetchError {
    /// The request did not get an answer (refused, reset, timed out).
    #[error("network: {0}")]
    Network(String),
    /// Telegram answered with an error (`ok: false`).
    #[error("Telegram: {description}")]
    Api { description: String },
    /// The answer was not a Bot API answer at all.
    #[error("unreadable answer: {0}")]
    Body(String),
}

/// Records in the heartbeat whether Telegram answered: any answer counts
/// (an error too), only a call that got none does not.
pub(super) fn observe<T>(liveness: &crate::health::Liveness, result: &Result<T, FetchError>) {
    match result {
        Err(FetchError::Network(_)) => liveness.telegram_unreachable(),
        _ => liveness.telegram_answered(),
    }
}

/// The envelope, with the updates left unparsed.
#[derive(Deserialize)]
struct Answer<'a> {
    ok: bool,
    #[serde(borrow, default)]
    result: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
struct IdOnly {
    update_id: i64,
}

/// Calls `getUpdates` with the bot's own client (and so its proxy).
pub(super) async fn get_updates(
    bot: &Bot,
    offset: Option<i64>,
    limit: u8,
    timeout: Duration,
) -> Result<Fetched, FetchError> {
    let mut url = bot.api_url();
    url.path_segments_mut()
        .map_err(|()| FetchError::Body("telegram.api_url cannot take a path".into()))?
        .pop_if_empty()
        .push(&format!("bot{}", bot.token()))
        .push("getUpdates");
    let mut body = serde_json::json!({"limit": limit, "timeout": timeout.as_secs()});
    if let Some(offset) = offset {
        body["offset"] = offset.into();
    }
    // `without_url`: the URL carries the token, which must never be logged.
    let network = |e: reqwest::Error| FetchError::Network(e.without_url().to_string());
    let answer = bot
        .client()
        .post(url)
        .json(&body)
        .timeout(timeout + ANSWER_MARGIN)
        .send()
        .await
        .map_err(network)?;
    let bytes = answer.bytes().await.map_err(network)?;
    read_answer(&bytes)
}

/// Splits an answer into updates, each parsed on its own.
pub(super) fn read_answer(body: &[u8]) -> Result<Fetched, FetchError> {
    let answer: Answer<'_> =
        serde_json::from_slice(body).map_err(|e| FetchError::Body(e.to_string()))?;
    if !answer.ok {
        let description = answer.description.unwrap_or_default();
        return Err(FetchError::Api { description });
    }
    let read = |raw: &RawValue| {
        serde_json::from_str::<Update>(raw.get()).map_err(|error| Unreadable {
            update_id: serde_json::from_str::<IdOnly>(raw.get())
                .ok()
                .map(|i| i.update_id),
            error: error.to_string(),
        })
    };
    Ok(answer
        .result
        .unwrap_or_default()
        .into_iter()
        .map(read)
        .collect())
}

impl super::Poller {
    /// Logs and records an update that could not be read, and moves the
    /// offset past it: it is never fetched again, the others go on.
    pub(super) async fn skip_unreadable(&self, shared: &super::workers::Shared, bad: Unreadable) {
        let Some(id) = bad.update_id else {
            tracing::error!(error = %bad.error, "skipped an update without a readable id");
            return;
        };
        if !shared.progress().accept(id) {
            return;
        }
        tracing::error!(update_id = id, error = %bad.error, "skipped an unreadable update");
        let now_ms = to_millis(self.clock.now());
        let recorded = self
            .store
            .record_unreadable_update(self.bot_id, id, &bad.error, now_ms)
            .await;
        if let Err(error) = recorded {
            tracing::warn!(
                update_id = id,
                error = format!("{error:#}"),
                "could not record an unreadable update"
            );
        }
        shared.finish(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(update_id: i64, text: &str) -> String {
        format!(
            r#"{{"update_id":{update_id},"message":{{"message_id":1,"date":0,
               "chat":{{"id":7,"type":"private","first_name":"A"}},
               "from":{{"id":7,"is_bot":false,"first_name":"A"}},"text":"{text}"}}}}"#
        )
    }

    #[test]
    fn a_lone_surrogate_spoils_only_its_own_update() {
        let body = format!(
            r#"{{"ok":true,"result":[{},{},{}]}}"#,
            message(10, "hello"),
            message(11, r"bad \ud800 text"),
            message(12, "world")
        );
        let fetched = read_answer(body.as_bytes()).unwrap();
        let ids: Vec<Result<u32, Option<i64>>> = fetched
            .into_iter()
            .map(|u| u.map(|u| u.id.0).map_err(|bad| bad.update_id))
            .collect();
        assert_eq!(ids, vec![Ok(10), Err(Some(11)), Ok(12)]);
    }

    #[test]
    fn an_update_without_a_readable_id_is_unreadable_without_one() {
        let body = format!(
            r#"{{"ok":true,"result":[{{"update_id":"five"}},{}]}}"#,
            message(6, "hi")
        );
        let fetched = read_answer(body.as_bytes()).unwrap();
        assert_eq!(fetched.len(), 2);
        assert_eq!(fetched[0].as_ref().unwrap_err().update_id, None);
        assert!(fetched[1].is_ok());
    }

    #[test]
    fn an_error_answer_and_garbage_are_errors() {
        let err = read_answer(br#"{"ok":false,"error_code":409,"description":"Conflict"}"#);
        assert!(matches!(err, Err(FetchError::Api { .. })), "{err:?}");
        assert!(matches!(read_answer(b"<html>"), Err(FetchError::Body(_))));
    }
}
