//! The HTTP side: routing `/bot<TOKEN>/<Method>`, long polling, faults and limits in
//! front of the method handlers, and the call log.
//!
//! Nothing here logs a path: the path contains the token.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, Uri, header::CONTENT_TYPE},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::{Call, Shared, methods, payload, state::Injected};

/// Longest time a `getUpdates` call is held: well below teloxide's 17 s client timeout.
const MAX_POLL_HOLD: Duration = Duration::from_secs(10);

/// Telegram's text, which teloxide maps to `ApiError::TerminatedByOtherGetUpdates`.
const SUPERSEDED: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot \
                          instance is running";

/// A Telegram-shaped answer.
pub(super) struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn ok(result: Value) -> Reply {
        Reply {
            status: 200,
            body: json!({"ok": true, "result": result}),
        }
    }

    /// An error as Telegram sends it; teloxide maps `description` to `ApiError`.
    pub fn err(code: u16, description: impl Into<String>) -> Reply {
        let description = description.into();
        Reply {
            status: code,
            body: json!({"ok": false, "error_code": code, "description": description}),
        }
    }

    /// A flood-control answer; teloxide turns it into `RequestError::RetryAfter`.
    pub fn retry_after(secs: u64) -> Reply {
        let mut reply = Reply::err(429, format!("Too Many Requests: retry after {secs}"));
        reply.body["parameters"] = json!({"retry_after": secs});
        reply
    }

    fn is_ok(&self) -> bool {
        self.body["ok"] == json!(true)
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = super::raw::to_json_text(&self.body);
        (status, [(CONTENT_TYPE, "application/json")], body).into_response()
    }
}

/// The 1x1 PNG every stand-in file is (getFile, then /file/bot…).
pub(super) const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// Every request lands here (any path, any HTTP method), so that odd URLs still get a
/// Telegram-shaped answer.
async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    super::outage::hang_if_unreachable(&shared).await;
    while shared.lock().hang {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let at = Instant::now();
    let wall = std::time::SystemTime::now();
    if uri
        .path()
        .starts_with(&format!("/file/bot{}/", shared.token))
    {
        return ([(CONTENT_TYPE, "image/png")], PNG).into_response();
    }
    let Some((token, name)) = split_path(uri.path()) else {
        return Reply::err(404, "Not Found").into_response();
    };
    if token != shared.token {
        return Reply::err(401, "Unauthorized").into_response();
    }
    let method = name.to_ascii_lowercase();
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (params, reply) = match payload::parse(content_type, uri.query(), &body) {
        Ok(params) if methods::is_message_method(&method) && shared.lock().finish_abandoned => {
            // As in Telegram, a message call the bot stopped waiting for (its
            // connection closed mid-call, as at a restart) still reaches the
            // chat: it runs to the end in a task of its own.
            let (task_shared, task_method, task_params) =
                (shared.clone(), method.clone(), params.clone());
            let name = name.to_owned();
            let task = tokio::spawn(async move {
                dispatch(&task_shared, &task_method, &name, &task_params).await
            });
            let reply = task
                .await
                .unwrap_or_else(|_| Reply::err(500, "Internal Server Error"));
            (params, reply)
        }
        Ok(params) => {
            let reply = dispatch(&shared, &method, name, &params).await;
            (params, reply)
        }
        Err(e) => (Value::Null, Reply::err(400, format!("Bad Request: {e}"))),
    };
    let call = Call {
        method,
        body: params,
        ok: reply.is_ok(),
        status: reply.status,
        at,
        wall,
        uploads: payload::uploads(content_type, &body),
    };
    shared.lock().calls.push(call);
    reply.into_response()
}

/// `/…/bot<TOKEN>/<Method>` → (token, method); tolerates a base path and double slashes.
fn split_path(path: &str) -> Option<(&str, &str)> {
    let mut segments = path.split('/').filter(|s| !s.is_empty()).rev();
    let method = segments.next()?;
    let token = segments.next()?.strip_prefix("bot")?;
    Some((token, method))
}

async fn dispatch(shared: &Shared, method: &str, original: &str, params: &Value) -> Reply {
    if method == "getupdates" {
        return get_updates(shared, params).await;
    }
    if methods::is_message_method(method) {
        return message_call(shared, method, params).await;
    }
    let simple = methods::simple(&mut shared.lock(), shared, method, params);
    simple.unwrap_or_else(|| {
        Reply::err(
            404,
            format!("Not Found: method {original} is not supported by the stand-in"),
        )
    })
}

/// Long polling: answers as soon as an update is pending, or after `timeout` seconds
/// (capped), never with `[]` at once unless `timeout` is 0. As in Telegram, a newer
/// `getUpdates` ends an older one still waiting with 409 Conflict; this also stops a poll
/// left behind by an aborted bot from taking the updates meant for its successor.
async fn get_updates(shared: &Shared, params: &Value) -> Reply {
    let offset = params["offset"].as_i64().unwrap_or(0);
    let limit = params["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let hold = Duration::from_secs(params["timeout"].as_u64().unwrap_or(0)).min(MAX_POLL_HOLD);
    let deadline = tokio::time::Instant::now() + hold;
    let poll = shared.lock().updates.start_poll(offset);
    shared.updates_ready.notify_waiters();
    loop {
        // Registered before looking at the queue, so an injection in between is not lost.
        let notified = shared.updates_ready.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let Some(batch) = shared.lock().updates.poll(poll, limit) else {
            return Reply::err(409, SUPERSEDED);
        };
        if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
            return Reply::ok(Value::Array(batch));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// A call that puts something in front of a resident: blocked chats, injected faults and
/// flood limits apply, in that order.
async fn message_call(shared: &Shared, method: &str, params: &Value) -> Reply {
    let chat_id = match methods::target_chat(params) {
        Ok(id) => id,
        Err(reply) => return reply,
    };
    if shared.lock().blocked.contains(&chat_id) {
        return Reply::err(403, "Forbidden: bot was blocked by the user");
    }
    let fault = shared.lock().roll_fault();
    match fault {
        Some(Injected::Http500) => return Reply::err(500, "Internal Server Error"),
        Some(Injected::TooMany) => return Reply::retry_after(1),
        Some(Injected::Slow(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    let mut state = shared.lock();
    let admitted = if params["allow_paid_broadcast"].as_bool() == Some(true) {
        state.limits.admit_paid(chat_id, Instant::now())
    } else {
        state.limits.admit(chat_id, Instant::now())
    };
    if let Err(secs) = admitted {
        return Reply::retry_after(secs);
    }
    methods::execute(&mut state, shared, method, chat_id, params)
}

#[cfg(test)]
mod tests {
    use super::split_path;

    #[test]
    fn paths() {
        assert_eq!(
            split_path("/bot1:AA/SendMessage"),
            Some(("1:AA", "SendMessage"))
        );
        assert_eq!(split_path("//api/bot1:AA/getMe"), Some(("1:AA", "getMe")));
        assert_eq!(split_path("/getMe"), None);
        assert_eq!(split_path("/x/getMe"), None);
    }
}
