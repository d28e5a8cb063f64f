//! Two-way paging by phone: a manager woken by an SMS or a call acknowledges
//! or resolves from that phone, through the local fake gateway; forged
//! requests, unknown numbers and replays change nothing.

use std::collections::BTreeMap;

use hotline::domain::{Category, Detail, PersonId, Role, TimelineKind};
use hotline::gateway::inbound::twilio_signature;
use hotline_standin::sms::{FakeGateway, FakeRequest};

use crate::driver::{WAIT, post_form};
use crate::helpers::{STAFF, TestApp, alerts};

const TOKEN: &str = "test-auth-token";
const PUBLIC: &str = "https://hotline.example";

/// A hotline paging through a Twilio-style fake, replies on. Each test names
/// its own variable for the secret, so tests running at once do not collide.
async fn spawn(channel: &str, env: &str) -> (TestApp, FakeGateway) {
    // SAFETY: a variable only this test reads, set before the app starts.
    unsafe { std::env::set_var(env, format!("AC123:{TOKEN}")) };
    let gateway = FakeGateway::start().await.unwrap();
    let config = format!(
        "{STAFF}\n[gateway]\nkind = \"twilio\"\nurl = \"{}\"\nfrom = \"+10005550000\"\n\
         auth_env = \"{env}\"\nchannel = \"{channel}\"\nafter = \"5m\"\n\
         [telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [phone_replies]\nenabled = true\npublic_url = \"{PUBLIC}\"\n",
        gateway.url()
    );
    let app = TestApp::spawn_with(&config).await;
    gateway.set_clock(crate::helpers::clock_fn(&app.clock));
    (app, gateway)
}

/// An urgent report pages the duty manager; five silent minutes later the
/// page goes to their phone. Returns that request.
async fn paged_by_phone(app: &TestApp, gateway: &FakeGateway) -> FakeRequest {
    let duty = app.on_call(Role::DutyManager);
    app.seed_reports(9100, 1, Category::Leak, "yanshan").await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    app.alerts_marked().await;
    app.clock.advance(chrono::Duration::minutes(6));
    app.gateway_requests(gateway, 1).await.remove(0)
}

/// Posts `fields` to the bot as Twilio would, signed with `token`.
async fn post(
    app: &TestApp,
    path_and_query: &str,
    fields: &[(&str, &str)],
    token: &str,
) -> (u16, String) {
    let map: BTreeMap<String, String> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let signature = twilio_signature(token, &format!("{PUBLIC}{path_and_query}"), &map);
    let url = format!("http://{}{path_and_query}", app.http_addr());
    post_form(&url, &[("X-Twilio-Signature", &signature)], fields).await
}

#[tokio::test]
async fn a_manager_acknowledges_by_replying_1_to_the_sms() {
    let (app, gateway) = spawn("sms", "I12_TWILIO_SMS_TEST").await;
    let duty = app.on_call(Role::DutyManager);
    let phone = duty.phone.clone().unwrap();
    let page = paged_by_phone(&app, &gateway).await;
    let text = page.form_value("Body").unwrap();
    assert!(text.contains("回复 1 确认，2 解决"), "{text}");

    let reply = [
        ("From", phone.as_str()),
        ("Body", "1"),
        ("MessageSid", "SM100"),
    ];
    let (status, _) = post(&app, "/phone/sms", &reply, "forged-token").await;
    assert_eq!(status, 403, "a bad signature is refused");
    let stranger = [
        ("From", "+8613800000000"),
        ("Body", "1"),
        ("MessageSid", "SM101"),
    ];
    let (status, _) = post(&app, "/phone/sms", &stranger, TOKEN).await;
    assert_eq!(status, 403, "a number of nobody configured is refused");
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.status.code(), "open", "neither changed anything");

    let (status, _) = post(&app, "/phone/sms", &reply, TOKEN).await;
    assert_eq!(status, 200);
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        (
            e.status.code(),
            e.acknowledged_by.as_ref().map(PersonId::as_str)
        ),
        ("acknowledged", Some(duty.id.as_str()))
    );
    // The Telegram alert is edited to show who acknowledged.
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            alerts(s)
                .iter()
                .any(|m| m.edited && m.text.contains(&duty.name))
        })
        .await
        .unwrap();

    // The same request again (a replay) changes nothing.
    let (status, _) = post(&app, "/phone/sms", &reply, TOKEN).await;
    assert_eq!(status, 200);
    let timeline = app.store().timeline(e.id).await.unwrap();
    let replies: Vec<_> = timeline
        .iter()
        .filter(|t| t.kind == TimelineKind::PhoneReply)
        .collect();
    assert_eq!(replies.len(), 1, "{timeline:?}");
    assert_eq!(
        Detail::from_code(&replies[0].detail),
        Some(Detail::Reply {
            channel: "sms".into(),
            code: "1".into()
        })
    );
    app.stop().await;
}

#[tokio::test]
async fn a_manager_resolves_by_pressing_2_on_the_call() {
    let (app, gateway) = spawn("voice", "I12_TWILIO_VOICE_TEST").await;
    let duty = app.on_call(Role::DutyManager);
    let phone = duty.phone.clone().unwrap();
    let call = paged_by_phone(&app, &gateway).await;
    let e = app.store().all_escalations().await.unwrap().remove(0);
    let twiml = call.form_value("Twiml").unwrap();
    let action = format!("{PUBLIC}/phone/voice?escalation={}", e.id);
    assert!(
        twiml.contains("<Gather") && twiml.contains(&action) && twiml.contains("请按 1"),
        "{twiml}"
    );

    let path = format!("/phone/voice?escalation={}", e.id);
    let key = [("To", phone.as_str()), ("Digits", "2"), ("CallSid", "CA7")];
    let (status, _) = post(&app, &path, &key, "forged-token").await;
    assert_eq!(status, 403);
    assert_eq!(
        app.store().all_escalations().await.unwrap()[0]
            .status
            .code(),
        "open"
    );

    let (status, said) = post(&app, &path, &key, TOKEN).await;
    assert_eq!(status, 200);
    assert!(said.contains("<Say>") && said.contains("解决"), "{said}");
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.status.code(), "resolved");
    let timeline = app.store().timeline(e.id).await.unwrap();
    assert!(
        timeline.iter().any(|t| t.kind == TimelineKind::PhoneReply
            && Detail::from_code(&t.detail)
                == Some(Detail::Reply {
                    channel: "voice".into(),
                    code: "2".into()
                })
            && t.target == duty.id.as_str()),
        "{timeline:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_generic_gateway_replies_with_its_secret_and_its_own_field_names() {
    let env = "I12_GENERIC_REPLY_SECRET";
    // SAFETY: a variable only this test reads, set before the app starts.
    unsafe { std::env::set_var(env, "s3cret") };
    let gateway = FakeGateway::start().await.unwrap();
    let config = format!(
        "{STAFF}\n[gateway]\nkind = \"http\"\nurl = \"{}/send\"\nafter = \"5m\"\n\
         [telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [phone_replies]\nenabled = true\npublic_url = \"{PUBLIC}\"\nsecret_env = \"{env}\"\n\
         from_field = \"msisdn\"\ntext_field = \"content\"\nid_field = \"msg_id\"\n",
        gateway.url()
    );
    let app = TestApp::spawn_with(&config).await;
    gateway.set_clock(crate::helpers::clock_fn(&app.clock));
    let duty = app.on_call(Role::DutyManager);
    paged_by_phone(&app, &gateway).await;
    let send = |secret: &'static str| {
        let body = serde_json::json!({
            "msisdn": duty.phone.clone().unwrap(), "content": "1", "msg_id": "g-1",
        });
        reqwest::Client::new()
            .post(format!("http://{}/phone/sms", app.http_addr()))
            .header("X-Hotline-Secret", secret)
            .json(&body)
            .send()
    };
    assert_eq!(send("wrong").await.unwrap().status().as_u16(), 403);
    assert_eq!(
        app.store().all_escalations().await.unwrap()[0]
            .status
            .code(),
        "open"
    );
    let ok = send("s3cret").await.unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    assert!(ok.text().await.unwrap().contains("done"));
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(
        (
            e.status.code(),
            e.acknowledged_by.as_ref().map(PersonId::as_str)
        ),
        ("acknowledged", Some(duty.id.as_str()))
    );
    app.stop().await;
}
