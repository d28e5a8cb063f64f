//! News to a WeChat resident under WeChat's rules, through the real HTTP
//! server, outbox and client against the WeChat stand-in (issue 28): an
//! incident update after the 48-hour window goes as the `incident`
//! template; past the quota one message of theirs opened (`45047`), the
//! news goes as its template, what has none is shown on the desk's ticket
//! page, and nothing is sent twice.

use std::time::Duration;

use hotline::domain::ChatId;
use hotline_standin::wechat::{WechatShown, WechatStandIn};

use crate::desk_client::{DeskClient, desk_link, manager};
use crate::helpers::TestApp;
use crate::households::chat_outage;
use crate::wechat_send::{chat_of, turn, wechat_app, wechat_outage};

const WAIT: Duration = Duration::from_secs(20);

/// Four Telegram residents and the WeChat resident `openid` report an
/// outage in 阳光花园: one incident (its id), and the WeChat ticket.
async fn incident_with(app: &TestApp, wechat: &WechatStandIn, openid: &str) -> (i64, String) {
    for id in 2401..2405 {
        chat_outage(&app.resident(id, "居民"), None).await;
    }
    let ticket = wechat_outage(app, wechat, openid, "13700137000").await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1, "5 households: one incident");
    (escalations[0].id.0, ticket)
}

/// Waits until nothing for `chat` is left to send (sent or failed).
async fn settled(app: &TestApp, chat: ChatId) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.store().outbox_unsent(chat).await.unwrap() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "messages unsent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A member of staff sends `command` from Telegram; its messages to the
/// WeChat resident `chat` are then sent (or failed).
async fn staff_says(app: &TestApp, chat: ChatId, command: &str) {
    let duty = app.staff(&manager(app));
    duty.send(command).await.unwrap();
    settled(app, chat).await;
}

fn templates(shown: &[WechatShown], id: &str) -> Vec<WechatShown> {
    let of = |s: &&WechatShown| s.template_id.as_deref() == Some(id);
    shown.iter().filter(of).cloned().collect()
}

#[tokio::test]
async fn an_incident_update_after_the_window_goes_as_the_incident_template() {
    let config = "[wechat.templates]\nincident = \"tmpl-incident\"\n";
    let (app, wechat, _) = wechat_app(config).await;
    let (incident, _) = incident_with(&app, &wechat, "oZhao").await;
    let chat = chat_of(&app, "oZhao").await;
    app.clock.advance(chrono::Duration::hours(49));
    let update = format!("/update {incident} 抢修队已到达，正在更换阀门");
    staff_says(&app, chat, &update).await;

    let shown = templates(&wechat.shown("oZhao"), "tmpl-incident");
    assert_eq!(shown.len(), 1, "{:#?}", wechat.shown("oZhao"));
    let data = &shown[0].data;
    assert!(
        data["first"]["value"]
            .as_str()
            .unwrap()
            .contains("最新进展"),
        "{data}"
    );
    assert_eq!(data["keyword1"]["value"], "阳光花园小区", "{data}");
    assert!(
        data["keyword2"]["value"]
            .as_str()
            .unwrap()
            .contains("进展更新"),
        "{data}"
    );
    let remark = data["remark"]["value"].as_str().unwrap();
    assert!(remark.contains("更换阀门"), "{remark}");
    let refused: Vec<i64> = wechat.refusals().iter().map(|r| r.errcode).collect();
    assert_eq!(
        refused,
        [45015],
        "the window was closed; the template was not"
    );
    assert!(app.store().failed_sends(chat, 0).await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn past_the_quota_news_goes_as_a_template_the_rest_shows_on_the_desk_and_nothing_twice() {
    let config = "[wechat.templates]\nincident = \"tmpl-incident\"\n";
    let (app, wechat, desk) = wechat_app(config).await;
    let (incident, ticket) = incident_with(&app, &wechat, "oZhao").await;
    let chat = chat_of(&app, "oZhao").await;
    app.clock.advance(chrono::Duration::hours(49));
    // One message of theirs: 5 messages within 48 hours; its answer is the
    // passive reply, outside them.
    let my = turn(&app, &wechat, "oZhao", wechat.text("oZhao", "/my")).await;
    assert_eq!(my.len(), 1, "{my:#?}");
    assert!(my[0].passive && my[0].text.contains(&ticket), "{my:#?}");
    for n in 1..=6 {
        staff_says(&app, chat, &format!("/update {incident} 第{n}次进展")).await;
    }
    staff_says(&app, chat, &format!("/resolve {ticket} 管道已修复")).await;

    let shown = wechat.shown("oZhao");
    for n in 1..=6 {
        let update = format!("第{n}次进展");
        let copies = shown.iter().filter(|s| s.text.contains(&update)).count();
        assert_eq!(copies, 1, "{update} shown once: {shown:#?}");
    }
    let template = templates(&shown, "tmpl-incident");
    assert_eq!(template.len(), 1, "{shown:#?}");
    assert!(template[0].text.contains("第6次进展"), "{template:#?}");
    assert!(!shown.iter().any(|s| s.text.contains("管道已修复")));
    let refused: Vec<i64> = wechat.refusals().iter().map(|r| r.errcode).collect();
    assert_eq!(refused, [45047, 45047], "the sixth update, the resolution");
    assert_eq!(app.store().failed_sends(chat, 0).await.unwrap().len(), 1);

    let mut browser = DeskClient::new(&desk);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    let unreached = [
        "超过本次互动的消息条数上限",
        "over the per-action message limit",
    ];
    assert!(unreached.iter().any(|u| page.contains(u)), "{page}");
    let at = unreached.iter().find_map(|u| page.find(u)).unwrap();
    let line = &page[at..at + page[at..].find("</li>").unwrap()];
    assert!(
        line.contains("管道已修复"),
        "the desk says what could not go: {line}"
    );
    app.stop().await;
}
