//! Updates real Telegram should never send, for tests that one bad update
//! does not stop the line: a text carrying a lone UTF-16 surrogate
//! (`\ud800`, invalid JSON text for a strict reader). A `serde_json::Value`
//! cannot hold one, so the update carries a marker that the answer's
//! serialisation turns into the raw escape.

use super::{FakeUser, StandIn};

/// Stands for `\ud800` inside a stored update (private-use characters that
/// no test text contains).
const LONE_SURROGATE_MARK: &str = "\u{F8FF}lone-surrogate\u{F8FF}";

impl StandIn {
    /// A text message whose text contains a lone surrogate (`\ud800`) in
    /// the JSON of `getUpdates`; returns its update id.
    pub fn send_text_with_lone_surrogate(&self, from: &FakeUser, text: &str) -> i64 {
        self.send_text(from, &format!("{text}{LONE_SURROGATE_MARK}"))
    }
}

/// The JSON text of an answer, with each marker turned into `\ud800`.
pub(super) fn to_json_text(body: &serde_json::Value) -> String {
    let text = body.to_string();
    match text.contains(LONE_SURROGATE_MARK) {
        true => text.replace(LONE_SURROGATE_MARK, r"\ud800"),
        false => text,
    }
}
