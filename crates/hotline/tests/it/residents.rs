//! Residents under load: a fault written in one message gets one summary and
//! one tap; a known incident is offered at first contact; groups and the
//! utility's channel. Counting the Telegram calls each report costs.

use hotline::domain::Category;
use hotline_standin::{Resident, texts};

use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp, ticket_in};

/// The resident's chat's `sendMessage` and `editMessageText` calls so far.
fn calls_in(app: &TestApp, r: &Resident) -> (usize, usize) {
    let count = |method: &str| {
        app.standin
            .calls_to(method)
            .iter()
            .filter(|c| c.body["chat_id"].as_i64() == Some(r.chat_id()))
            .count()
    };
    (count("sendMessage"), count("editMessageText"))
}

#[tokio::test]
async fn a_fault_written_in_one_chinese_message_is_confirmed_with_one_summary() {
    let app = TestApp::spawn().await;
    let wang = app.resident(3001, "王阿姨");

    let summary = wang.send("燕山小区3号楼停水了").await.unwrap();
    assert_eq!(summary.len(), 1, "one summary: {:?}", texts(&summary));
    for part in ["停水", "燕山小区", "3号楼", "确认提交"] {
        let buttons: Vec<&str> = summary[0]
            .inline
            .iter()
            .flatten()
            .map(|b| b.text.as_str())
            .collect();
        assert!(
            summary[0].text.contains(part) || buttons.iter().any(|b| b.contains(part)),
            "{part} not in {:?} {buttons:?}",
            summary[0].text
        );
    }
    assert!(wang.find_button("修改").is_ok() && wang.find_button("取消").is_ok());

    let receipt = wang.press("确认提交").await.unwrap();
    assert_eq!(receipt.len(), 1, "{:?}", texts(&receipt));
    assert_eq!(receipt[0].message_id, summary[0].message_id);
    let shown = wang.shown();
    assert_eq!(shown.len(), 1, "the summary became the receipt");
    let ticket = ticket_in(&shown[0].text);
    assert_eq!(ticket, "JN-260209-0001");
    assert!(shown[0].inline.is_empty(), "no buttons left on the receipt");

    let reports = app.reports().await;
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(
        (
            r.category.as_str(),
            r.compound_id.as_deref(),
            r.address_detail.as_str()
        ),
        ("outage", Some("yanshan"), "3号楼")
    );
    assert_eq!(r.description, "燕山小区3号楼停水了");
    let (sent, edited) = calls_in(&app, &wang);
    assert!(sent + edited <= 3, "{sent} sends + {edited} edits");
    assert_eq!((sent, edited), (1, 1));
    app.stop().await;
}

#[tokio::test]
async fn a_fault_written_in_one_english_message_right_after_report_is_recognised() {
    let app = TestApp::spawn().await;
    let john = app.resident(3002, "John").with_client_lang("en");

    john.send("/report").await.unwrap();
    let summary = john.send("no water in Yanshan building 3").await.unwrap();
    assert_eq!(summary.len(), 1, "{:?}", texts(&summary));
    let text = &summary[0].text;
    assert!(
        text.contains("燕山小区") && text.contains("building 3") && text.contains("Phone"),
        "{text}"
    );
    john.press("Confirm").await.unwrap();
    let last = john.last();
    assert!(last.text.contains("Submitted"), "{}", last.text);
    assert_eq!(app.reports().await[0].category.as_str(), "outage");
    // /report's question, the summary, the receipt edited in.
    let (sent, edited) = calls_in(&app, &john);
    assert_eq!((sent, edited), (2, 1));
    app.stop().await;
}

#[tokio::test]
async fn the_one_message_summary_can_be_edited_to_add_a_phone() {
    let app = TestApp::spawn().await;
    let li = app.resident(3003, "李先生");
    li.send("泉城花园5号楼水压低").await.unwrap();
    li.press("修改").await.unwrap();
    assert_eq!(li.shown().len(), 1, "the edit menu replaced the summary");
    li.press("电话").await.unwrap();
    let summary = li.share_contact("13900139000").await.unwrap();
    let text = &summary.last().unwrap().text;
    assert!(
        text.contains("13900139000") && text.contains("水压低"),
        "{text}"
    );
    let done = li.press("确认提交").await.unwrap();
    ticket_in(&done[0].text);
    let r = &app.reports().await[0];
    assert_eq!(
        (r.phone.as_deref(), r.category.as_str()),
        (Some("13900139000"), "low_pressure")
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unrecognised_message_falls_back_to_the_help_and_the_wizard() {
    let app = TestApp::spawn().await;
    let zhao = app.resident(3004, "赵大爷");
    let help = zhao.send("我家没水了").await.unwrap();
    assert_eq!(texts(&help), [texts_of_help()]);
    zhao.send("/report").await.unwrap();
    let step = zhao.send("燕山小区").await.unwrap();
    assert!(
        step.last().unwrap().text.contains("第 1/4 步"),
        "{:?}",
        texts(&step)
    );
    assert!(app.reports().await.is_empty());
    app.stop().await;
}

fn texts_of_help() -> &'static str {
    hotline::texts::idle_hint(hotline::domain::Lang::Zh)
}

#[tokio::test]
async fn a_resident_naming_a_compound_with_an_open_incident_is_offered_to_join_at_once() {
    let app = TestApp::spawn_with(STAFF).await;
    app.seed_reports(5000, 5, Category::Outage, "yanshan").await;
    let sun = app.resident(3005, "孙阿姨");

    let offer = sun.send("燕山小区8号楼停水了").await.unwrap();
    assert_eq!(offer.len(), 1, "{:?}", texts(&offer));
    assert!(offer[0].text.contains("已知故障"), "{}", offer[0].text);
    sun.press("加入").await.unwrap();
    let shown = sun.shown();
    assert_eq!(shown.len(), 1, "the offer became the receipt");
    assert!(shown[0].text.contains("已加入"), "{}", shown[0].text);
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations[0].report_count, 6, "counted on the incident");
    assert_eq!(calls_in(&app, &sun), (1, 1));
    app.stop().await;
}

#[tokio::test]
async fn a_group_is_asked_to_write_privately_at_most_once_an_hour() {
    let app = TestApp::spawn().await;
    let group = -100_900;
    let say = |r: &Resident, text: &str| {
        let update_id = app.standin.send_text_in_group(&r.user, group, text);
        let r = r.clone();
        async move { r.settled(update_id, group).await.unwrap() }
    };
    let (a, b) = (app.resident(3101, "甲"), app.resident(3102, "乙"));
    say(&a, "3号楼停水了吗？").await;
    say(&b, "我家也没水").await;
    say(&a, "/report").await;
    assert_eq!(
        app.standin.shown(group).len(),
        1,
        "one notice for three messages"
    );

    app.clock.advance(chrono::Duration::minutes(59));
    say(&b, "还没来水").await;
    assert_eq!(app.standin.shown(group).len(), 1, "still within the hour");

    app.clock.advance(chrono::Duration::minutes(2));
    say(&a, "还是没水").await;
    let shown = app.standin.shown(group);
    assert_eq!(shown.len(), 2, "a new hour, one more notice");
    assert!(shown[1].text.contains("私聊"), "{}", shown[1].text);
    app.stop().await;
}

#[tokio::test]
async fn an_incident_update_is_posted_to_the_utilitys_channel_too() {
    let channel = -100_777_000_i64;
    let config =
        format!("{STAFF}\n[telegram]\nchannel = \"{channel}\"\nchannel_link = \"@jinan_water\"\n");
    let app = TestApp::spawn_with(&config).await;
    app.seed_reports(5200, 5, Category::Outage, "yanshan").await;
    let manager = app.staff(&app.on_call(hotline::domain::Role::DutyManager));
    manager
        .send("/update 1 抢修队已到达，正在更换阀门 eta 05:00")
        .await
        .unwrap();
    let posts = app
        .standin
        .wait_for_shown(channel, WAIT, |s| !s.is_empty())
        .await
        .unwrap();
    assert_eq!(posts.len(), 1, "one post");
    assert!(
        posts[0].text.contains("更换阀门") && posts[0].text.contains("燕山小区"),
        "{}",
        posts[0].text
    );

    // A resident naming the compound hears of it at once, and of the channel.
    let zhou = app.resident(3201, "周阿姨");
    let offer = zhou.send("燕山小区停水了").await.unwrap();
    let text = &offer[0].text;
    assert!(
        text.contains("更换阀门") && text.contains("@jinan_water"),
        "{text}"
    );
    app.stop().await;
}
