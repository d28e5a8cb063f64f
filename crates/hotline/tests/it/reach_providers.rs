//! China's providers end to end (issue 15): each request leaves signed as
//! the provider documents, is checked by a fake that recomputes the
//! signature and answers as the provider does; a throttling answer is tried
//! again later and not counted as delivered; WeCom @-mentions the person.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use hotline::domain::Role;
use hotline::gateway::providers::{aliyun, dingtalk, feishu, tencent, wecom};
use hotline_standin::sms::{FakeGateway, FakeRequest};

use crate::helpers::{STAFF, TestApp};

fn with_rules(rules: &str, rest: &str) -> String {
    let staff = with_phone_rules(&format!("notify = {rules}"));
    format!("{staff}\n{rest}")
}

/// The demo staff, the `notify = …` line given to everyone with a phone.
pub fn with_phone_rules(notify_line: &str) -> String {
    STAFF
        .lines()
        .flat_map(|line| match line.starts_with("phone = ") {
            true => vec![line.to_owned(), notify_line.to_owned()],
            false => vec![line.to_owned()],
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn alibaba_sms_then_voice_are_signed_accepted_and_a_throttled_sms_is_sent_again_later() {
    let gateway = FakeGateway::start().await.unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    gateway.set_responder(Arc::new(move |r: &FakeRequest| {
        // The first SMS meets Alibaba's flow control.
        let throttle = count.fetch_add(1, Ordering::SeqCst) == 0;
        aliyun::fake_answer(&r.form(), "testSecret", throttle)
    }));
    let config = with_rules(
        "[{ via = \"sms\", after = \"1m\" }, { via = \"voice\", after = \"3m\" }]",
        &format!(
            "[gateway]\nkind = \"aliyun\"\nurl = \"{}/\"\nsign_name = \"济南水务\"\n\
             template = \"SMS_71390007\"\nvoice_template = \"TTS_158490013\"\n\
             from = \"053112345678\"\n",
            gateway.url()
        ),
    );
    let env = [
        ("HOTLINE_GATEWAY_KEY_ID", "testId"),
        ("HOTLINE_GATEWAY_AUTH", "testSecret"),
    ];
    let app = TestApp::spawn_with_env(&config, &env).await;
    let duty = app.on_call(Role::DutyManager);
    app.leak_paged(1900).await;

    app.clock.advance(chrono::Duration::seconds(61));
    let got = app.gateway_requests(&gateway, 1).await;
    assert_eq!(got[0].form_value("Action").as_deref(), Some("SendSms"));
    let local = duty.phone.clone().unwrap().replace("+86", "");
    assert_eq!(got[0].form_value("PhoneNumbers"), Some(local.clone()));
    assert!(
        app.phoned().await.is_empty(),
        "a throttled SMS is not delivered"
    );

    let got = app.gateway_requests(&gateway, 2).await;
    assert_eq!(got[1].form_value("Action").as_deref(), Some("SendSms"));
    let param: serde_json::Value =
        serde_json::from_str(&got[1].form_value("TemplateParam").unwrap()).unwrap();
    assert_eq!(param["id"], "1");
    app.phoned_at_least(1).await;
    let details = app.phoned().await;
    assert!(details[0].contains("900619746936498440^0"), "{details:?}");

    app.clock.advance(chrono::Duration::minutes(2));
    let got = app.gateway_requests(&gateway, 3).await;
    assert_eq!(
        got[2].form_value("Action").as_deref(),
        Some("SingleCallByTts")
    );
    assert_eq!(got[2].form_value("CalledNumber"), Some(local));
    assert_eq!(
        got[2].form_value("CalledShowNumber").as_deref(),
        Some("053112345678")
    );
    app.phoned_at_least(2).await;
    assert!(
        app.phoned().await[1].starts_with("voice"),
        "{:?}",
        app.phoned().await
    );
    app.stop().await;
}

#[tokio::test]
async fn tencent_sms_is_signed_with_tc3_and_accepted_after_gateway_after() {
    let gateway = FakeGateway::start().await.unwrap();
    gateway.set_responder(Arc::new(|r: &FakeRequest| {
        let ts: i64 = r
            .header("x-tc-timestamp")
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        let auth = r.header("authorization").unwrap_or("");
        let host = "sms.tencentcloudapi.com";
        (
            200,
            tencent::fake_answer(auth, ts, host, &r.body, "tcKey", false),
        )
    }));
    let config = format!(
        "{STAFF}\n[gateway]\nkind = \"tencent\"\nurl = \"{}/\"\nsign_name = \"济南水务\"\n\
         template = \"1234567\"\napp_id = \"1400000000\"\nafter = \"5m\"\n",
        gateway.url()
    );
    let env = [
        ("HOTLINE_GATEWAY_KEY_ID", "AKIDtest"),
        ("HOTLINE_GATEWAY_AUTH", "tcKey"),
    ];
    let app = TestApp::spawn_with_env(&config, &env).await;
    let duty = app.on_call(Role::DutyManager);
    app.leak_paged(1901).await;
    app.clock.advance(chrono::Duration::minutes(6));
    let got = app.gateway_requests(&gateway, 1).await;
    assert_eq!(got[0].header("x-tc-action"), Some("SendSms"));
    let body = got[0].json().unwrap();
    assert_eq!(
        body["PhoneNumberSet"][0],
        duty.phone.clone().unwrap().as_str()
    );
    app.phoned_at_least(1).await;
    assert!(app.phoned().await[0].contains("2028:f825e6b16e23f73f4123"));
    app.stop().await;
}

#[tokio::test]
async fn a_wecom_robot_message_mentions_the_on_call_person() {
    let gateway = FakeGateway::start().await.unwrap();
    gateway.set_responder(Arc::new(|r: &FakeRequest| {
        let key = url::form_urlencoded::parse(r.query.as_bytes())
            .find(|(k, _)| k == "key")
            .map(|(_, v)| v.into_owned());
        (
            200,
            wecom::fake_answer(key.as_deref(), "k1", &r.body, false),
        )
    }));
    let config = with_rules(
        "[{ via = \"telegram\" }, { via = \"wecom\", after = \"1m\" }]",
        &format!(
            "[gateway]\nwecom_url = \"{}/cgi-bin/webhook/send\"\n",
            gateway.url()
        ),
    );
    let app = TestApp::spawn_with_env(&config, &[("HOTLINE_WECOM_KEY", "k1")]).await;
    let duty = app.on_call(Role::DutyManager);
    app.leak_paged(1902).await;
    app.clock.advance(chrono::Duration::seconds(61));
    let got = app.gateway_requests(&gateway, 1).await;
    let body = got[0].json().unwrap();
    let mobile = duty.phone.clone().unwrap().replace("+86", "");
    assert_eq!(body["text"]["mentioned_mobile_list"][0], mobile.as_str());
    assert!(
        body["text"]["content"]
            .as_str()
            .unwrap()
            .contains("升级 #1"),
        "{body}"
    );
    app.phoned_at_least(1).await;
    assert!(app.phoned().await[0].starts_with("wecom via WeCom robot"));
    app.stop().await;
}

#[tokio::test]
async fn dingtalk_and_feishu_robots_sign_their_messages_and_are_accepted() {
    let gateway = FakeGateway::start().await.unwrap();
    gateway.set_responder(Arc::new(|r: &FakeRequest| {
        let query: Vec<(String, String)> = url::form_urlencoded::parse(r.query.as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if r.path == "/robot/send" {
            assert_eq!(get("access_token").as_deref(), Some("dt-token"));
            let answer =
                dingtalk::fake_answer(get("timestamp").as_deref(), get("sign").as_deref(), "SECdt");
            return (200, answer);
        }
        assert_eq!(r.path, "/open-apis/bot/v2/hook/fs-hook");
        (200, feishu::fake_answer(&r.body, "fs-secret"))
    }));
    let config = with_rules(
        "[{ via = \"dingtalk\", after = \"1m\" }, { via = \"feishu\", after = \"2m\" }]",
        &format!(
            "[gateway]\ndingtalk_url = \"{0}/robot/send\"\nfeishu_url = \"{0}/open-apis/bot/v2/hook\"\n",
            gateway.url()
        ),
    );
    let env = [
        ("HOTLINE_DINGTALK_TOKEN", "dt-token"),
        ("HOTLINE_DINGTALK_SECRET", "SECdt"),
        ("HOTLINE_FEISHU_HOOK", "fs-hook"),
        ("HOTLINE_FEISHU_SECRET", "fs-secret"),
    ];
    let app = TestApp::spawn_with_env(&config, &env).await;
    let duty = app.on_call(Role::DutyManager);
    app.leak_paged(1903).await;
    app.clock.advance(chrono::Duration::seconds(61));
    let got = app.gateway_requests(&gateway, 1).await;
    let body = got[0].json().unwrap();
    let mobile = duty.phone.clone().unwrap().replace("+86", "");
    assert_eq!(body["at"]["atMobiles"][0], mobile.as_str());
    app.clock.advance(chrono::Duration::minutes(1));
    app.gateway_requests(&gateway, 2).await;
    app.phoned_at_least(2).await;
    let details = app.phoned().await;
    assert!(
        details[0].starts_with("dingtalk via DingTalk robot"),
        "{details:?}"
    );
    assert!(
        details[1].starts_with("feishu via Feishu bot"),
        "{details:?}"
    );
    app.stop().await;
}
