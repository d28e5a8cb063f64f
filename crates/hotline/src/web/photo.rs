//! A resident's photo on a ticket's page, for signed-in staff only: a
//! Telegram photo fetched from Telegram and passed on (the bot token stays
//! on the server), a WeChat resident's read from where the bot keeps it
//! (`crate::wechat::photo`: WeChat serves it for 3 days only).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::session::{OrResponse, respond};
use super::{Desk, layout};
use crate::texts::desk as texts;

/// A resident's photo, fetched from Telegram and passed on (the bot token
/// stays on the server), or a WeChat resident's, kept in the database
/// (`crate::wechat::photo`).
pub async fn photo(
    State(desk): State<Arc<Desk>>,
    headers: HeaderMap,
    Path((ticket, n)): Path<(String, usize)>,
) -> Response {
    use axum::response::IntoResponse;
    respond(
        async {
            let signed = desk.signed(&headers).await?;
            let lang = signed.lang;
            let item = desk.store.desk_report(&ticket).await.or_page(lang)?;
            let file_id = item.and_then(|i| i.report.photos().get(n).cloned());
            let Some(file_id) = file_id else {
                return Err(layout::refusal(
                    StatusCode::NOT_FOUND,
                    lang,
                    texts::no_such_report(lang),
                ));
            };
            let (bytes, kind) = match crate::domain::photo::wechat_id(&file_id) {
                Some(id) => kept_wechat_photo(&desk, id).await.or_page(lang)?,
                None => telegram_photo(&desk, &file_id).await.or_page(lang)?,
            };
            let headers = [
                (axum::http::header::CONTENT_TYPE, kind.as_str()),
                (axum::http::header::CACHE_CONTROL, "private, max-age=3600"),
            ];
            Ok((headers, bytes).into_response())
        }
        .await,
    )
}

/// A Telegram photo's bytes and content type.
async fn telegram_photo(desk: &Desk, file_id: &str) -> anyhow::Result<(Vec<u8>, String)> {
    let (bytes, path) = desk.telegram.download(file_id).await?;
    let kind = match path.rsplit('.').next() {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "image/jpeg",
    };
    Ok((bytes, kind.to_owned()))
}

/// A kept WeChat photo's bytes and content type (an image type only, so
/// the page never serves anything else under the desk's origin).
async fn kept_wechat_photo(desk: &Desk, id: i64) -> anyhow::Result<(Vec<u8>, String)> {
    use base64::Engine as _;
    let photo = desk.store.wechat_photo(id).await?;
    let photo = photo.ok_or_else(|| anyhow::anyhow!("WeChat photo {id} is no longer kept"))?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(photo.base64)?;
    let kind = match photo.content_type.as_str() {
        kind @ ("image/png" | "image/webp" | "image/gif") => kind,
        _ => "image/jpeg",
    };
    Ok((bytes, kind.to_owned()))
}
