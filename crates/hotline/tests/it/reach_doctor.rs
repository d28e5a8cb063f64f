//! `hotline doctor` checks every contact method in people's rules (issue
//! 15): a missing secret is named, a configured robot's endpoint answers,
//! one that does not is named.

use hotline::config::Config;
use hotline_standin::sms::FakeGateway;

use crate::reach_providers::with_phone_rules;

fn config(rules: &str, gateway: &str) -> Config {
    let staff = with_phone_rules(&format!("notify = {rules}"));
    Config::from_override_str(&format!("{staff}\n[gateway]\n{gateway}"), "test").unwrap()
}

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |k| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    }
}

#[tokio::test]
async fn doctor_names_a_missing_robot_key_and_a_missing_sms_secret() {
    let fake = FakeGateway::start().await.unwrap();
    let config = config(
        "[{ via = \"sms\", after = \"1m\" }, { via = \"wecom\", after = \"2m\" }]",
        &format!(
            "kind = \"aliyun\"\nurl = \"{0}/\"\nsign_name = \"济南水务\"\ntemplate = \"SMS_1\"\n\
             wecom_url = \"{0}/cgi-bin/webhook/send\"\n",
            fake.url()
        ),
    );
    let report = hotline::doctor::reach::check(&config, env(&[])).await;
    let text = report.render();
    assert!(!report.healthy(), "{text}");
    assert!(text.contains("HOTLINE_GATEWAY_AUTH"), "{text}");
    assert!(
        text.contains("FAIL contacts   wecom: environment variable HOTLINE_WECOM_KEY is not set"),
        "{text}"
    );

    let vars = [
        ("HOTLINE_GATEWAY_KEY_ID", "id"),
        ("HOTLINE_GATEWAY_AUTH", "secret"),
        ("HOTLINE_WECOM_KEY", "k1"),
    ];
    let report = hotline::doctor::reach::check(&config, env(&vars)).await;
    let text = report.render();
    assert!(report.healthy(), "{text}");
    assert!(text.contains("wecom: http://127.0.0.1"), "{text}");
    assert!(text.contains("configured: sms, wecom"), "{text}");
    assert!(!text.contains("secret"), "no secret in the report: {text}");
}

#[tokio::test]
async fn doctor_names_a_robot_that_does_not_answer_and_a_feishu_person_without_an_id() {
    let config = config(
        "[{ via = \"feishu\", after = \"1m\" }]",
        "feishu_url = \"http://127.0.0.1:9/open-apis/bot/v2/hook\"\n",
    );
    let vars = [("HOTLINE_FEISHU_HOOK", "h"), ("HOTLINE_FEISHU_SECRET", "s")];
    let report = hotline::doctor::reach::check(&config, env(&vars)).await;
    let text = report.render();
    assert!(!report.healthy(), "{text}");
    assert!(
        text.contains("feishu: http://127.0.0.1:9 unreachable"),
        "{text}"
    );
    assert!(text.contains("no feishu_open_id"), "{text}");
}
