//! A resident's photo as WeChat handles it: an `image` push carrying a
//! `PicUrl` (WeChat's CDN) and a `MediaId`, and `cgi-bin/media/get`, which
//! serves the photo's bytes for that id with the current access token for
//! 3 days (WeChat's temporary media), then answers `40007`.

use std::sync::Arc;

use axum::extract::{Query, State as AxState};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::api::{check_token, error};
use super::push::cdata;
use super::{MESSAGE_QUOTA, Shared, WechatStandIn};

/// How long WeChat serves a temporary media id.
pub const MEDIA_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3 * 24 * 3600);

/// One photo a resident sent: its bytes and when it was uploaded.
#[derive(Debug, Clone)]
pub(super) struct Media {
    bytes: Vec<u8>,
    at: DateTime<Utc>,
}

impl WechatStandIn {
    /// The resident sent a photo (`bytes`, a JPEG as WeChat re-encodes
    /// them): opens 5 messages within 48 hours, like any message; returns
    /// the answer and the photo's media id.
    pub async fn image(
        &self,
        openid: &str,
        bytes: &[u8],
    ) -> anyhow::Result<(super::PushAnswer, String)> {
        let media_id = {
            let mut state = self.shared.state();
            let id = format!("MEDIA_{}_{:08x}", state.media.len() + 1, fastrand::u32(..));
            let at = self.shared.now();
            let bytes = bytes.to_vec();
            state.media.insert(id.clone(), Media { bytes, at });
            id
        };
        let fields = format!(
            "<MsgType>{}</MsgType><PicUrl>{}</PicUrl><MediaId>{}</MediaId>",
            cdata("image"),
            cdata(&format!("http://mmbiz.qpic.cn/mmbiz/{media_id}/0")),
            cdata(&media_id)
        );
        let answer = self.push(openid, MESSAGE_QUOTA, fields, true).await?;
        Ok((answer, media_id))
    }

    /// From now on `media/get` answers `40007` (or again serves, `false`),
    /// as WeChat does for a media id past its 3 days.
    pub fn refuse_media(&self, refuse: bool) {
        self.shared.state().media_refused = refuse;
    }

    /// How many times `media/get` was called.
    pub fn media_requests(&self) -> usize {
        self.shared.state().media_requests
    }
}

#[derive(Deserialize)]
pub(super) struct MediaQuery {
    access_token: Option<String>,
    media_id: Option<String>,
}

/// `GET /cgi-bin/media/get`: the bytes, or WeChat's JSON error.
pub(super) async fn media_get(
    AxState(shared): AxState<Arc<Shared>>,
    Query(q): Query<MediaQuery>,
) -> Response {
    let now = shared.now();
    let mut state = shared.state();
    state.media_requests += 1;
    if let Err(answer) = check_token(&state, q.access_token.as_deref(), now) {
        return answer.into_response();
    }
    let media = q.media_id.as_deref().and_then(|id| state.media.get(id));
    let lifetime = chrono::Duration::from_std(MEDIA_LIFETIME).unwrap_or_default();
    match media {
        Some(media) if media.at + lifetime > now && !state.media_refused => {
            ([(CONTENT_TYPE, "image/jpeg")], media.bytes.clone()).into_response()
        }
        _ => error(40007, "invalid media_id").into_response(),
    }
}
