//! The gateway against the local fake provider: request shapes, escaping,
//! secrets, failures and the rate limit.

use std::time::Duration;

use super::template::{self, Escape, Values};
use super::*;
use crate::domain::EscalationId;
use hotline_standin::sms::FakeGateway;

const ALERT: &str = "泉城花园 停水 5 reports: \"no water\"\nsince 23:00 & <rising>";

fn http_cfg(url: String) -> GatewayConfig {
    GatewayConfig {
        kind: GatewayKind::Http,
        url,
        ..GatewayConfig::default()
    }
}

fn twilio_cfg(url: String, channel: GatewayChannel) -> GatewayConfig {
    GatewayConfig {
        kind: GatewayKind::Twilio,
        url,
        from: "+15005550006".to_owned(),
        channel,
        ..GatewayConfig::default()
    }
}

/// An environment holding only `HOTLINE_GATEWAY_AUTH = value`.
fn env_with(value: &'static str) -> impl Fn(&str) -> Option<String> {
    move |k| (k == "HOTLINE_GATEWAY_AUTH").then(|| value.to_owned())
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn build(cfg: &GatewayConfig, env: impl Fn(&str) -> Option<String>) -> Gateway {
    Gateway::from_config(cfg, env).unwrap().expect("enabled")
}

#[test]
fn kind_none_builds_nothing() {
    let g = Gateway::from_config(&GatewayConfig::default(), no_env).unwrap();
    assert!(g.is_none());
}

#[tokio::test]
async fn http_json_body_is_escaped_and_authenticated() {
    let fake = FakeGateway::start().await.unwrap();
    let mut cfg = http_cfg(format!("{}/sms/send", fake.url()));
    cfg.body = r#"{"to": "{phone}", "text": "{text}", "ref": {escalation}}"#.to_owned();
    let g = build(&cfg, env_with("Bearer s3cret"));
    let sent = g
        .send("+86 138-0000-0001", ALERT, EscalationId(42))
        .await
        .unwrap();
    assert_eq!(sent.status, 201);
    assert_eq!(sent.provider_id.as_deref(), Some("SM1"));

    let reqs = fake.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/sms/send"));
    assert_eq!(r.header("authorization"), Some("Bearer s3cret"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let json = r.json().expect("the body stays valid JSON");
    assert_eq!(json["to"], "+8613800000001");
    assert_eq!(json["text"], ALERT);
    assert_eq!(json["ref"], 42);
}

#[tokio::test]
async fn http_without_secret_sends_no_auth_header() {
    let fake = FakeGateway::start().await.unwrap();
    let mut cfg = http_cfg(format!("{}/send", fake.url()));
    cfg.auth_header = "X-Api-Key".to_owned();
    let g = build(&cfg, no_env);
    g.send("+8613800000001", "hi", EscalationId(1))
        .await
        .unwrap();
    let r = &fake.requests()[0];
    assert_eq!(r.header("x-api-key"), None);
    assert_eq!(r.header("authorization"), None);

    let g = build(&cfg, env_with("k-123"));
    g.send("+8613800000001", "hi", EscalationId(1))
        .await
        .unwrap();
    assert_eq!(fake.requests()[1].header("x-api-key"), Some("k-123"));
}

#[tokio::test]
async fn http_form_body_is_url_encoded() {
    let fake = FakeGateway::start().await.unwrap();
    let mut cfg = http_cfg(format!(
        "{}/api?phone={{phone}}&ref={{escalation}}",
        fake.url()
    ));
    cfg.method = "PUT".to_owned();
    cfg.content_type = "application/x-www-form-urlencoded".to_owned();
    cfg.body = "to={phone}&msg={text}&x=1".to_owned();
    let g = build(&cfg, no_env);
    g.send("+8613800000001", "a&b=c 停水", EscalationId(7))
        .await
        .unwrap();
    let r = &fake.requests()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path, "/api");
    assert_eq!(r.query, "phone=%2B8613800000001&ref=7");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = r.form();
    assert_eq!(
        form,
        vec![
            ("to".to_owned(), "+8613800000001".to_owned()),
            ("msg".to_owned(), "a&b=c 停水".to_owned()),
            ("x".to_owned(), "1".to_owned()),
        ]
    );
}

#[tokio::test]
async fn long_text_is_shortened_on_a_char_boundary() {
    let fake = FakeGateway::start().await.unwrap();
    let g = build(&http_cfg(format!("{}/s", fake.url())), no_env);
    let long = "水".repeat(2000);
    g.send("+8613800000001", &long, EscalationId(1))
        .await
        .unwrap();
    let text = fake.requests()[0].json().unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(text.chars().count(), MAX_TEXT_CHARS);
    assert!(text.ends_with('…'));
}

#[tokio::test]
async fn twilio_sms_posts_the_messages_form_with_basic_auth() {
    let fake = FakeGateway::start().await.unwrap();
    let cfg = twilio_cfg(format!("{}/", fake.url()), GatewayChannel::Sms);
    let g = build(&cfg, env_with("AC123:secret"));
    let sent = g
        .send("+8613800000001", ALERT, EscalationId(9))
        .await
        .unwrap();
    assert_eq!(
        sent,
        GatewaySent {
            status: 201,
            provider_id: Some("SM1".to_owned())
        }
    );
    let r = &fake.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/2010-04-01/Accounts/AC123/Messages.json");
    // base64("AC123:secret")
    assert_eq!(r.header("authorization"), Some("Basic QUMxMjM6c2VjcmV0"));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.form_value("To").as_deref(), Some("+8613800000001"));
    assert_eq!(r.form_value("From").as_deref(), Some("+15005550006"));
    assert_eq!(r.form_value("Body").as_deref(), Some(ALERT));
}

#[tokio::test]
async fn twilio_voice_calls_with_twiml_saying_the_text() {
    let fake = FakeGateway::start().await.unwrap();
    let cfg = twilio_cfg(fake.url(), GatewayChannel::Voice);
    let g = build(&cfg, env_with("AC123:secret"));
    // A control character (an escape pasted with the text) would make the
    // TwiML no XML at all, and the call would never ring: it is dropped.
    g.send(
        "+8613800000001",
        "水泵故障\u{1b} <pump> & 'tank'",
        EscalationId(9),
    )
    .await
    .unwrap();
    let r = &fake.requests()[0];
    assert_eq!(r.path, "/2010-04-01/Accounts/AC123/Calls.json");
    assert_eq!(r.form_value("Body"), None);
    let twiml = r.form_value("Twiml").unwrap();
    assert!(twiml.starts_with("<Response><Say"), "{twiml}");
    assert!(
        twiml.contains("水泵故障 &lt;pump&gt; &amp; &apos;tank&apos;"),
        "{twiml}"
    );
    assert!(twiml.ends_with("</Say></Response>"), "{twiml}");
}

#[test]
fn twilio_without_secret_names_the_variable() {
    let cfg = twilio_cfg("https://api.twilio.com".to_owned(), GatewayChannel::Sms);
    let e = Gateway::from_config(&cfg, no_env).unwrap_err().to_string();
    assert!(e.contains("HOTLINE_GATEWAY_AUTH"), "{e}");
    let e = Gateway::from_config(&cfg, env_with("nocolon-supersecret"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("HOTLINE_GATEWAY_AUTH"), "{e}");
    assert!(!e.contains("supersecret"), "{e}");
}

#[tokio::test]
async fn a_500_is_rejected_with_status_and_body() {
    let fake = FakeGateway::start().await.unwrap();
    let g = build(
        &twilio_cfg(fake.url(), GatewayChannel::Sms),
        env_with("AC123:secret"),
    );
    fake.fail_next(1, 500);
    match g.send("+8613800000001", "hi", EscalationId(1)).await {
        Err(e @ GatewayError::Rejected { status: 500, .. }) => {
            assert!(e.to_string().contains("fake gateway failure"), "{e}");
            assert!(e.is_retryable());
        }
        other => panic!("expected Rejected 500, got {other:?}"),
    }
    fake.fail_next(1, 400);
    let e = g
        .send("+8613800000001", "hi", EscalationId(1))
        .await
        .unwrap_err();
    assert!(matches!(e, GatewayError::Rejected { status: 400, .. }));
    assert!(!e.is_retryable());
    // The failures are used up: the next send goes through.
    assert!(
        g.send("+8613800000001", "hi", EscalationId(1))
            .await
            .is_ok()
    );
    assert_eq!(
        fake.wait_for(3, Duration::from_secs(1))
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn unreachable_gateway_is_a_network_error_without_the_url() {
    // A port that was free a moment ago: connecting is refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let cfg = http_cfg(format!("http://127.0.0.1:{port}/send?apikey=k-999"));
    let g = build(&cfg, no_env);
    match g.send("+8613800000001", "hi", EscalationId(1)).await {
        Err(e @ GatewayError::Network(_)) => {
            let text = e.to_string();
            assert!(!text.contains("k-999"), "{text}");
            assert!(e.is_retryable());
        }
        other => panic!("expected Network, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_gateway_times_out_as_a_network_error() {
    let fake = FakeGateway::start().await.unwrap();
    fake.set_delay(Duration::from_secs(5));
    let mut cfg = http_cfg(format!("{}/s", fake.url()));
    cfg.timeout = Duration::from_millis(200);
    let g = build(&cfg, no_env);
    let e = g
        .send("+8613800000001", "hi", EscalationId(1))
        .await
        .unwrap_err();
    assert!(matches!(e, GatewayError::Network(_)), "{e:?}");
}

#[tokio::test]
async fn third_send_within_the_minute_is_rate_limited() {
    let fake = FakeGateway::start().await.unwrap();
    let mut cfg = http_cfg(format!("{}/s", fake.url()));
    cfg.per_minute = 2;
    let g = build(&cfg, no_env);
    let clone = g.clone();
    g.send("+8613800000001", "1", EscalationId(1))
        .await
        .unwrap();
    clone
        .send("+8613800000001", "2", EscalationId(1))
        .await
        .unwrap();
    match g.send("+8613800000001", "3", EscalationId(1)).await {
        Err(GatewayError::RateLimited(wait)) => {
            // A sliding window: free again a minute after the first send.
            assert!(
                wait > Duration::from_secs(55) && wait <= Duration::from_secs(60),
                "{wait:?}"
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(fake.requests().len(), 2, "a limited send reaches nobody");
}

#[test]
fn debug_never_shows_the_secret() {
    let cfg = twilio_cfg("https://api.twilio.com".to_owned(), GatewayChannel::Voice);
    let g = build(&cfg, env_with("AC123:topsecret"));
    let text = format!("{g:?}");
    assert!(!text.contains("topsecret"), "{text}");
    assert!(text.contains("Twilio"), "{text}");

    let g = build(
        &http_cfg("https://sms.example/send".to_owned()),
        env_with("Bearer topsecret"),
    );
    let text = format!("{g:?}");
    assert!(!text.contains("topsecret"), "{text}");
    assert!(text.contains("<set>"), "{text}");
}

#[test]
fn after_comes_from_the_config() {
    let mut cfg = http_cfg("https://sms.example/send".to_owned());
    cfg.after = Duration::from_secs(120);
    assert_eq!(build(&cfg, no_env).after(), Duration::from_secs(120));
}

#[test]
fn construction_rejects_bad_http_settings() {
    let mut cfg = http_cfg("https://sms.example/send".to_owned());
    cfg.auth_header = "Bad Header".to_owned();
    let e = Gateway::from_config(&cfg, no_env).unwrap_err().to_string();
    assert!(e.contains("gateway.auth_header"), "{e}");
    let cfg = http_cfg("ftp://sms.example".to_owned());
    let e = Gateway::from_config(&cfg, no_env).unwrap_err().to_string();
    assert!(e.contains("gateway.url"), "{e}");
}

#[test]
fn templates_escape_per_content_type() {
    let v = Values {
        phone: "+86 1",
        text: "a \"b\"\n<c>&d",
        escalation: EscalationId(3),
        channel: "sms",
    };
    let json = template::render(r#"{"t": "{text}", "n": {escalation}}"#, &v, Escape::Json);
    assert_eq!(json, r#"{"t": "a \"b\"\n<c>&d", "n": 3}"#);
    assert_eq!(
        template::render("<to>{phone}</to>{text}", &v, Escape::Xml),
        "<to>+86 1</to>a &quot;b&quot;\n&lt;c&gt;&amp;d"
    );
    assert_eq!(template::render("p={phone}", &v, Escape::Form), "p=%2B86+1");
    assert_eq!(template::render("/{phone}", &v, Escape::Url), "/%2B86%201");
    assert_eq!(
        Escape::for_content_type("application/json; charset=utf-8"),
        Escape::Json
    );
    assert_eq!(Escape::for_content_type("text/plain"), Escape::Raw);
    assert_eq!(
        crate::domain::template::unknown_placeholder(r#"{"to": "{phone}"}"#),
        None
    );
    assert_eq!(
        crate::domain::template::unknown_placeholder("{phone} {txt}"),
        Some("txt")
    );
}
