//! The phone-reply routes, `{phone_replies.path}/sms` and `/voice`: a
//! provider posts a manager's SMS reply or the key pressed on a call. Forged
//! requests (bad signature or secret) and numbers of nobody configured are
//! refused and change nothing; the rest go to
//! [`Escalator::phone_reply`](crate::escalation::Escalator::phone_reply).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::{Config, Person};
use crate::escalation::Escalator;
use crate::escalation::phone_reply::{PhoneReply, Replied};
use crate::gateway::inbound::{Channel, Inbound, Verifier, parse_code};
use crate::gateway::{Gateway, normalize_phone};
use crate::store::Store;
use crate::texts::paging as texts;
use crate::xml;

/// What the routes need.
pub struct PhoneReplies {
    pub config: Arc<Config>,
    pub verifier: Verifier,
    pub escalator: Arc<Escalator>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// Woken after a reply, so the edited alerts go out at once.
    pub outbox: Arc<Notify>,
}

impl PhoneReplies {
    /// With `phone_replies` on: the gateway's calls gather a key, and the
    /// routes' state; else the gateway as it was and no routes.
    pub fn wire(
        config: &Arc<Config>,
        gateway: Option<Gateway>,
        escalator: &Arc<Escalator>,
        store: &Store,
        clock: &Arc<dyn Clock>,
        outbox: Arc<Notify>,
    ) -> anyhow::Result<(Option<Gateway>, Option<Arc<PhoneReplies>>)> {
        let r = &config.phone_replies;
        if !r.enabled {
            return Ok((gateway, None));
        }
        let verifier = PhoneReplies::verifier(config, |key| std::env::var(key).ok())?;
        let voice = format!(
            "{}{}/voice",
            r.public_url.as_ref().map_or("", |u| u.base()),
            r.path.trim_end_matches('/')
        );
        let replies = PhoneReplies {
            config: config.clone(),
            verifier,
            escalator: escalator.clone(),
            store: store.clone(),
            clock: clock.clone(),
            outbox,
        };
        let gateway = gateway.map(|g| g.with_gather(voice));
        Ok((gateway, Some(Arc::new(replies))))
    }

    /// The verifier for the configured gateway: Twilio's auth token (from
    /// `gateway.auth_env`, `SID:TOKEN`) or the generic provider's secret.
    pub fn verifier(
        config: &Config,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Verifier> {
        let r = &config.phone_replies;
        anyhow::ensure!(
            r.public_url.is_some(),
            "phone_replies.enabled needs phone_replies.public_url (the address the provider calls)"
        );
        match config.gateway.kind {
            crate::gateway::GatewayKind::Twilio => {
                let secret = env(&config.gateway.auth_env).unwrap_or_default();
                let token = secret.split_once(':').map(|(_, t)| t.trim().to_owned());
                let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
                    anyhow::anyhow!(
                        "phone replies need {} as ACCOUNT_SID:AUTH_TOKEN",
                        config.gateway.auth_env
                    )
                })?;
                Ok(Verifier::Twilio { token })
            }
            crate::gateway::GatewayKind::Http => {
                let secret = env(&r.secret_env).filter(|s| !s.trim().is_empty());
                let secret = secret.ok_or_else(|| {
                    anyhow::anyhow!(
                        "phone replies from the http gateway need the secret in {}",
                        r.secret_env
                    )
                })?;
                Ok(Verifier::Secret {
                    header: r.secret_header.clone(),
                    secret,
                })
            }
            crate::gateway::GatewayKind::None => {
                anyhow::bail!("phone_replies.enabled needs a gateway (gateway.kind)")
            }
            crate::gateway::GatewayKind::Aliyun | crate::gateway::GatewayKind::Tencent => {
                anyhow::bail!(
                    "phone_replies work with gateway.kind \"twilio\" or \"http\"; \
                     Alibaba and Tencent replies are not supported yet"
                )
            }
        }
    }
}

pub fn router(replies: Arc<PhoneReplies>) -> Router {
    let path = replies
        .config
        .phone_replies
        .path
        .trim_end_matches('/')
        .to_owned();
    Router::new()
        .route(&format!("{path}/sms"), post(on_sms))
        .route(&format!("{path}/voice"), post(on_voice))
        .with_state(replies)
}

async fn on_sms(
    State(r): State<Arc<PhoneReplies>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(&r, Channel::Sms, &uri, &headers, &body).await
}

async fn on_voice(
    State(r): State<Arc<PhoneReplies>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(&r, Channel::Voice, &uri, &headers, &body).await
}

async fn handle(
    r: &PhoneReplies,
    channel: Channel,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    // Twilio signs the URL it was configured with: the public address.
    let public_url = r.config.phone_replies.public_url.as_ref();
    let base = public_url.map_or("", |u| u.base());
    let url = format!("{base}{}", uri.path_and_query().map_or("", |p| p.as_str()));
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let inbound = match r
        .verifier
        .read(&r.config.phone_replies, channel, &url, header, body)
    {
        Ok(inbound) => inbound,
        Err(refused) => {
            tracing::warn!(%refused, "phone reply refused");
            return (StatusCode::FORBIDDEN, refused.to_string()).into_response();
        }
    };
    let Some(person) = person_of(&r.config.people, &inbound) else {
        tracing::warn!("phone reply from a number of nobody configured; refused");
        return (StatusCode::FORBIDDEN, "unknown number").into_response();
    };
    let outcome = match parse_code(&inbound.text) {
        None => Ok(None),
        Some((action, named)) => {
            let reply = PhoneReply {
                person,
                action,
                escalation: named.or(inbound.escalation),
                provider_id: &inbound.provider_id,
                channel: match channel {
                    Channel::Sms => "sms",
                    Channel::Voice => "voice",
                },
            };
            let now = r.clock.now();
            r.escalator
                .phone_reply(&r.store, &reply, now)
                .await
                .map(|d| Some((action, d)))
        }
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "phone reply failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Some((_, Replied::Done { .. })) = outcome {
        r.outbox.notify_one();
    }
    answer(r, channel, person, outcome)
}

fn person_of<'a>(people: &'a [Person], inbound: &Inbound) -> Option<&'a Person> {
    people.iter().find(|p| {
        p.phone
            .as_deref()
            .is_some_and(|phone| normalize_phone(phone) == inbound.phone)
    })
}

/// Twilio wants TwiML (a call says what happened); the generic provider
/// gets JSON.
fn answer(
    r: &PhoneReplies,
    channel: Channel,
    person: &Person,
    outcome: Option<(crate::gateway::inbound::ReplyAction, Replied)>,
) -> Response {
    let result = match &outcome {
        None => "not a reply",
        Some((_, Replied::Done { .. })) => "done",
        Some((_, Replied::Replay)) => "replay",
        Some((_, Replied::Nothing)) => "nothing",
    };
    let Verifier::Twilio { .. } = r.verifier else {
        return axum::Json(json!({ "result": result })).into_response();
    };
    let twiml = match (channel, outcome) {
        (Channel::Voice, Some((action, Replied::Done { .. }))) => {
            let ack = action == crate::gateway::inbound::ReplyAction::Acknowledge;
            say(texts::voice_done(person.lang, ack))
        }
        (Channel::Voice, _) => say(texts::voice_nothing(person.lang)),
        (Channel::Sms, _) => "<Response/>".to_owned(),
    };
    ([(CONTENT_TYPE, "text/xml")], twiml).into_response()
}

fn say(text: &str) -> String {
    format!("<Response><Say>{}</Say></Response>", xml::escape(text))
}
