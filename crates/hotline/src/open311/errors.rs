//! The spec's errors: a list of `code`/`description`, with the HTTP status of
//! the same number (400 a bad field, 403 a bad key, 404 an unknown id).

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
}

impl ApiError {
    pub fn new(status: StatusCode, description: impl Into<String>) -> ApiError {
        ApiError {
            status,
            description: description.into(),
            format: Format::Json,
        }
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
        reply(self.status, self.format, &body, "errors")
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
