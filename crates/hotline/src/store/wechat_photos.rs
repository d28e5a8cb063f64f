//! `wechat_photos`: the photos WeChat residents sent, kept because WeChat
//! serves a media id for 3 days only (`crate::wechat::photo` fetches them).
//! A report refers to one as `wechat:<id>` among its photo ids.

use super::Store;
use super::error::{Context, Result};

/// A kept photo: its content type and bytes (base64).
#[derive(Debug, Clone, PartialEq)]
pub struct WechatPhoto {
    pub content_type: String,
    pub base64: String,
}

impl Store {
    /// The id of the photo kept for `media_id`, if it was fetched already
    /// (WeChat retries a push it thinks was slow).
    pub async fn wechat_photo_id(&self, media_id: &str) -> Result<Option<i64>> {
        sqlx::query_scalar("SELECT id FROM wechat_photos WHERE media_id = $1")
            .bind(media_id)
            .fetch_optional(&self.pool)
            .await
            .context("finding a kept WeChat photo")
    }

    /// Keeps the photo `media_id` that the resident `resident` (chat id)
    /// sent; returns its id (the same for the same media id).
    pub async fn keep_wechat_photo(
        &self,
        resident: i64,
        media_id: &str,
        photo: &WechatPhoto,
        now_ms: i64,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO wechat_photos (resident, media_id, content_type, bytes, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (media_id) DO UPDATE SET media_id = excluded.media_id
             RETURNING id",
        )
        .bind(resident)
        .bind(media_id)
        .bind(&photo.content_type)
        .bind(&photo.base64)
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await
        .context("keeping a WeChat photo")
    }

    /// The kept photo `id`, if it is still kept.
    pub async fn wechat_photo(&self, id: i64) -> Result<Option<WechatPhoto>> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT content_type, bytes FROM wechat_photos WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .context("reading a kept WeChat photo")?;
        Ok(row.map(|(content_type, base64)| WechatPhoto {
            content_type,
            base64,
        }))
    }
}
