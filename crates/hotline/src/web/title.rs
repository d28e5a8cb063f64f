//! The tab title's count on every signed-in desk page: "(2) JN-… · 热线工作台"
//! when two escalations wait for someone to acknowledge them (issue 23), so
//! an operator on a ticket, a search or the call page notices a new one as
//! the queue's own tab does.
//!
//! A server-sent stream of the count alone (`/desk/events/unacked`), not
//! the queue's stream (which carries the whole table) and not the page
//! polling with timers: browsers throttle a hidden tab's timers to once a
//! minute, and a hidden tab is exactly when the title matters, while a
//! stream's events arrive at once. Each open page costs one `COUNT` of the
//! open escalations per [`POLL`] on the server and an event only when the
//! count changes; the first event comes at once, so the title counts from
//! the moment the page loads. (Each stream holds a connection: over plain
//! HTTP/1.1 a browser keeps 6 per site, so a hall that keeps many tabs open
//! serves the desk through an HTTP/2 proxy, as with TLS it usually is.)

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};

use super::Desk;

/// How often the stream looks at the count (as the queue's stream does).
const POLL: Duration = Duration::from_millis(700);

/// Server-sent events: an `unacked` event with the count whenever it changes.
pub async fn events(State(desk): State<Arc<Desk>>, headers: HeaderMap) -> Response {
    if let Err(refused) = desk.signed(&headers).await {
        return refused;
    }
    let start = (desk, None::<i64>, true);
    let stream = futures_util::stream::unfold(start, |(desk, last, first)| async move {
        if !first {
            tokio::time::sleep(POLL).await;
        }
        loop {
            if let Ok(count) = desk.store.unacknowledged_escalations().await
                && Some(count) != last
            {
                let event = Event::default().event("unacked").data(count.to_string());
                return Some((Ok::<_, Infallible>(event), (desk, Some(count), false)));
            }
            tokio::time::sleep(POLL).await;
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
