//! The API the bot calls, answered as WeChat answers: JSON with `errcode`
//! and `errmsg` (HTTP 200 even for an error), the access token checked on
//! every send, the customer-service quota enforced (see the module above).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State as AxState};
use axum::routing::{get, post};
use axum::{Json, body::Bytes};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Refusal, Shared, State, TOKEN_LIFETIME, WechatShown};

/// WeChat refuses a text over this many bytes (`45002`).
const MAX_TEXT_BYTES: usize = 2048;

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/cgi-bin/token", get(token))
        .route("/cgi-bin/message/custom/send", post(custom_send))
        .route("/cgi-bin/message/template/send", post(template_send))
        .route("/cgi-bin/menu/create", post(super::setup::menu_create))
        .route("/cgi-bin/qrcode/create", post(super::setup::qrcode_create))
        .route("/cgi-bin/media/get", get(super::media::media_get))
        .with_state(shared)
}

pub(super) fn error(errcode: i64, errmsg: &str) -> Json<Value> {
    Json(json!({"errcode": errcode, "errmsg": errmsg}))
}

#[derive(Deserialize)]
struct TokenQuery {
    grant_type: Option<String>,
    appid: Option<String>,
    secret: Option<String>,
}

async fn token(AxState(shared): AxState<Arc<Shared>>, Query(q): Query<TokenQuery>) -> Json<Value> {
    let delay = {
        let mut state = shared.state();
        state.token_requests += 1;
        state.token_delay
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let now = shared.now();
    let mut state = shared.state();
    if q.grant_type.as_deref() != Some("client_credential") {
        return error(40002, "invalid grant_type");
    }
    if q.appid.as_deref() != Some(shared.app_id.as_str()) {
        return error(40013, "invalid appid");
    }
    if q.secret.as_deref() != Some(shared.secret.as_str()) {
        return error(40125, "invalid appsecret");
    }
    let lifetime = state.token_lifetime.unwrap_or(TOKEN_LIFETIME);
    let token = format!(
        "ACCESS_TOKEN_{}_{:08x}",
        state.tokens.len() + 1,
        fastrand::u32(..)
    );
    let until = now + chrono::Duration::from_std(lifetime).unwrap_or_default();
    state.tokens.push((token.clone(), until));
    Json(json!({"access_token": token, "expires_in": lifetime.as_secs()}))
}

#[derive(Deserialize)]
pub(super) struct Access {
    pub(super) access_token: Option<String>,
}

/// `40001` for a token that is not the latest, `42001` for an expired one.
pub(super) fn check_token(
    state: &State,
    given: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), Json<Value>> {
    let latest = state.tokens.last();
    match latest {
        Some((token, until)) if Some(token.as_str()) == given => match *until > now {
            true => Ok(()),
            false => Err(error(42001, "access_token expired")),
        },
        _ if state.tokens.iter().any(|(t, _)| Some(t.as_str()) == given) => Err(error(
            40001,
            "invalid credential, access_token is invalid or not latest",
        )),
        _ => Err(error(40001, "invalid credential, access_token is invalid")),
    }
}

/// An authorised call: the token checked (see [`check_token`]), the body
/// read as JSON (`47001` when it is not), then `answer` with the state locked.
pub(super) fn authorised(
    shared: &Shared,
    token: Option<&str>,
    body: &[u8],
    answer: fn(&mut State, Value, DateTime<Utc>) -> Json<Value>,
) -> Json<Value> {
    let now = shared.now();
    let mut state = shared.state();
    if let Err(refusal) = check_token(&state, token, now) {
        return refusal;
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(body) => answer(&mut state, body, now),
        Err(_) => error(47001, "data format error"),
    }
}

async fn custom_send(
    AxState(shared): AxState<Arc<Shared>>,
    Query(q): Query<Access>,
    body: Bytes,
) -> Json<Value> {
    let answer = authorised(&shared, q.access_token.as_deref(), &body, custom_answer);
    shared.changed();
    answer
}

fn custom_answer(state: &mut State, body: Value, now: DateTime<Utc>) -> Json<Value> {
    let openid = body["touser"].as_str().unwrap_or_default().to_owned();
    let shown = match shown_of(&body, now) {
        Ok(shown) => shown,
        Err((code, message)) => return refuse(state, &openid, code, message, "custom"),
    };
    if let Err((code, message)) = take_quota(state, &openid, now) {
        return refuse(state, &openid, code, message, "custom");
    }
    state.shown.entry(openid).or_default().push(shown);
    error(0, "ok")
}

fn refuse(state: &mut State, openid: &str, errcode: i64, errmsg: &str, path: &str) -> Json<Value> {
    state.refusals.push(Refusal {
        openid: openid.to_owned(),
        errcode,
        path: path.to_owned(),
    });
    error(errcode, errmsg)
}

/// A customer-service message as the resident sees it, or why it is refused.
fn shown_of(body: &Value, at: DateTime<Utc>) -> Result<WechatShown, (i64, &'static str)> {
    let mut shown = WechatShown {
        at,
        kind: body["msgtype"].as_str().unwrap_or_default().to_owned(),
        text: String::new(),
        menu: Vec::new(),
        template_id: None,
        data: Value::Null,
        passive: false,
    };
    match shown.kind.as_str() {
        "text" => {
            let content = body["text"]["content"]
                .as_str()
                .ok_or((44003, "empty news data"))?;
            shown.text = content.to_owned();
        }
        "msgmenu" => {
            let menu = &body["msgmenu"];
            let head = menu["head_content"].as_str().unwrap_or_default();
            let tail = menu["tail_content"].as_str().unwrap_or_default();
            shown.text = [head, tail].join("\n").trim().to_owned();
            for item in menu["list"].as_array().into_iter().flatten() {
                let id = item["id"].as_str().unwrap_or_default();
                let content = item["content"].as_str().unwrap_or_default();
                if id.is_empty() || content.is_empty() {
                    return Err((47001, "data format error: menu item"));
                }
                shown.menu.push((id.to_owned(), content.to_owned()));
            }
        }
        _ => return Err((40008, "invalid message type")),
    }
    let size = shown.text.len() + shown.menu.iter().map(|(_, c)| c.len()).sum::<usize>();
    if shown.text.is_empty() && shown.menu.is_empty() {
        return Err((44003, "empty news data"));
    }
    if size > MAX_TEXT_BYTES {
        return Err((45002, "content size out of limit"));
    }
    Ok(shown)
}

/// One message out of the earliest-ending open quota.
fn take_quota(
    state: &mut State,
    openid: &str,
    now: DateTime<Utc>,
) -> Result<(), (i64, &'static str)> {
    let quotas = state.quotas.entry(openid.to_owned()).or_default();
    quotas.retain(|(_, until)| *until > now);
    quotas.sort_by_key(|(_, until)| *until);
    if quotas.is_empty() {
        return Err((
            45015,
            "response out of time limit or subscription is canceled",
        ));
    }
    match quotas.iter_mut().find(|(left, _)| *left > 0) {
        Some((left, _)) => {
            *left -= 1;
            Ok(())
        }
        None => Err((45047, "out of response count limit")),
    }
}

async fn template_send(
    AxState(shared): AxState<Arc<Shared>>,
    Query(q): Query<Access>,
    body: Bytes,
) -> Json<Value> {
    let answer = authorised(&shared, q.access_token.as_deref(), &body, template_answer);
    shared.changed();
    answer
}

fn template_answer(state: &mut State, body: Value, now: DateTime<Utc>) -> Json<Value> {
    let openid = body["touser"].as_str().unwrap_or_default().to_owned();
    let template_id = body["template_id"].as_str().unwrap_or_default().to_owned();
    if template_id.is_empty() {
        return refuse(state, &openid, 40037, "invalid template_id", "template");
    }
    if !state.quotas.contains_key(&openid) {
        return refuse(state, &openid, 43004, "require subscribe", "template");
    }
    let values = body["data"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(_, v)| v["value"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    state.next_msg_id += 1;
    let msg_id = state.next_msg_id;
    state.shown.entry(openid).or_default().push(WechatShown {
        at: now,
        kind: "template".to_owned(),
        text: values,
        menu: Vec::new(),
        template_id: Some(template_id),
        data: body["data"].clone(),
        passive: false,
    });
    Json(json!({"errcode": 0, "errmsg": "ok", "msgid": msg_id}))
}
