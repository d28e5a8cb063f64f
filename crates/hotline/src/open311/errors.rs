//! The spec's errors: a list of `code`/`description`, with the HTTP status of
//! the same number (400 a bad field, 403 a bad key, 404 an unknown service
//! or request). Two more than the spec lists, in the same body: 429 when a
//! rate limit is reached (the spec leaves throttling to the server; HTTP's
//! status for it, with `Retry-After`), and 500 when the server failed
//! (nothing was stored; the client may retry).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::body::{Format, Node};
use crate::texts::open311 as t;

/// A refused call, rendered in the format the client asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub description: String,
    pub format: Format,
    /// Seconds, sent as `Retry-After` (429).
    pub retry_after: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, description: impl Into<String>) -> ApiError {
        ApiError {
            status,
            description: description.into(),
            format: Format::Json,
            retry_after: None,
        }
    }

    /// A rate limit reached: the window has room again in `wait_ms`.
    pub fn too_many(wait_ms: i64) -> ApiError {
        let secs = super::keys::retry_after_secs(wait_ms);
        let mut error = ApiError::new(StatusCode::TOO_MANY_REQUESTS, t::err_rate(secs));
        error.retry_after = Some(secs);
        error
    }

    pub fn bad(description: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, t::ERR_BAD_KEY)
    }

    pub fn not_found(description: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, description)
    }

    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "Open311 call failed");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, t::ERR_INTERNAL)
    }

    pub fn in_format(mut self, format: Format) -> ApiError {
        self.format = format;
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Node::List(
            "error",
            vec![Node::Obj(vec![
                ("code", Node::Int(i64::from(self.status.as_u16()))),
                ("description", Node::Text(self.description)),
            ])],
        );
        let mut response = reply(self.status, self.format, &body, "errors");
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        response
    }
}

/// A body in `format` with its content type.
pub fn reply(status: StatusCode, format: Format, body: &Node, root: &str) -> Response {
    let text = body.render(format, root);
    (
        status,
        [(header::CONTENT_TYPE, format.content_type())],
        text,
    )
        .into_response()
}
