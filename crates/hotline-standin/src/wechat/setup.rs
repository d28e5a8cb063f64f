//! The account's setup calls, answered and recorded as WeChat would:
//! `cgi-bin/menu/create` (at most 3 top-level items, a name of at most 16
//! bytes, a CLICK's key of at most 128 bytes) and `cgi-bin/qrcode/create`
//! for permanent string scenes (`QR_LIMIT_STR_SCENE`, 1 to 64 characters),
//! each with the current access token.

use std::sync::Arc;

use axum::extract::{Query, State as AxState};
use axum::{Json, body::Bytes};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::api::{Access, authorised, error};
use super::{Shared, State, WechatStandIn};

impl WechatStandIn {
    /// The custom menu last set (`menu/create`'s body), if any.
    pub fn menu(&self) -> Option<Value> {
        self.shared.state().menu.clone()
    }

    /// The permanent QR codes created: (scene, ticket), oldest first.
    pub fn qr_codes(&self) -> Vec<(String, String)> {
        self.shared.state().qr_codes.clone()
    }
}

pub(super) async fn menu_create(
    AxState(shared): AxState<Arc<Shared>>,
    Query(q): Query<Access>,
    body: Bytes,
) -> Json<Value> {
    authorised(&shared, q.access_token.as_deref(), &body, menu_answer)
}

fn menu_answer(state: &mut State, body: Value, _: DateTime<Utc>) -> Json<Value> {
    let buttons = body["button"].as_array().cloned().unwrap_or_default();
    if buttons.is_empty() || buttons.len() > 3 {
        return error(40016, "invalid button size");
    }
    for b in &buttons {
        let name = b["name"].as_str().unwrap_or_default();
        if name.is_empty() || name.len() > 16 {
            return error(40018, "invalid button name size");
        }
        let key = b["key"].as_str().unwrap_or_default();
        if b["type"] == "click" && (key.is_empty() || key.len() > 128) {
            return error(40019, "invalid button key size");
        }
    }
    state.menu = Some(body);
    error(0, "ok")
}

pub(super) async fn qrcode_create(
    AxState(shared): AxState<Arc<Shared>>,
    Query(q): Query<Access>,
    body: Bytes,
) -> Json<Value> {
    authorised(&shared, q.access_token.as_deref(), &body, qrcode_answer)
}

fn qrcode_answer(state: &mut State, body: Value, _: DateTime<Utc>) -> Json<Value> {
    let scene = body["action_info"]["scene"]["scene_str"].as_str();
    let scene = scene.unwrap_or_default().to_owned();
    let permanent = body["action_name"] == "QR_LIMIT_STR_SCENE";
    if !permanent || scene.is_empty() || scene.chars().count() > 64 {
        return error(40097, "invalid args");
    }
    let ticket = format!("gQ{:08x}+T/{}==", fastrand::u32(..), state.qr_codes.len());
    state.qr_codes.push((scene, ticket.clone()));
    let url = format!("http://weixin.qq.com/q/{}", state.qr_codes.len());
    Json(json!({"ticket": ticket, "url": url}))
}
