//! Households, for every channel (issue 23): a threshold counts the
//! households behind unresolved reports, whether they came through the chat
//! or through Open311, and the alert says how many (户 / 条).

use std::time::Duration;

use hotline::domain::Role;
use hotline_standin::{Resident, texts};

use crate::helpers::{TestApp, alerts};
use crate::open311::{KEY, post, spawn_api};

const WAIT: Duration = Duration::from_secs(20);

/// An Open311 outage request for 阳光花园 from the caller with `phone`.
async fn outage_request(app: &TestApp, phone: &str) {
    let fields = [
        ("api_key", KEY),
        ("service_code", "outage"),
        ("attribute[compound]", "yangguang"),
        ("address_string", "3号楼"),
        ("description", "停水了"),
        ("phone", phone),
    ];
    let (status, body) = post(app, &fields).await;
    assert_eq!(status, 200, "{body}");
}

/// A resident files an outage for 阳光花园 in the chat, with their own
/// phone when given, else skipping the phone step.
pub(crate) async fn chat_outage(r: &Resident, own_phone: Option<&str>) {
    r.send("/report").await.unwrap();
    r.press("停水").await.unwrap();
    let next = r.send("阳光花园 3号楼").await.unwrap();
    if next.last().unwrap().text.contains("楼号") {
        r.send("1号楼").await.unwrap();
    }
    r.send("没水了").await.unwrap();
    match own_phone {
        Some(phone) => r.share_contact(phone).await.unwrap(),
        None => r.send("⏭ 跳过 Skip").await.unwrap(),
    };
    let done = r.press("确认提交").await.unwrap();
    assert!(done[0].text.contains("工单号"), "{:?}", texts(&done));
}

/// The director's first alert, once it arrives.
pub(crate) async fn directors_alert(app: &TestApp) -> String {
    let director = app.on_call(Role::Director);
    let shown = app
        .standin
        .wait_for_shown(director.telegram_id, WAIT, |s| !alerts(s).is_empty())
        .await
        .unwrap();
    alerts(&shown)[0].text.clone()
}

#[tokio::test]
async fn five_open311_outage_requests_from_five_phones_page_the_director_as_five_households() {
    let app = spawn_api("").await;
    for n in 1..=5 {
        outage_request(&app, &format!("1390000000{n}")).await;
    }
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1, "five callers are five households");
    assert_eq!(escalations[0].reason.code(), "threshold");
    let alert = directors_alert(&app).await;
    assert!(alert.contains("阳光花园小区"), "{alert}");
    assert!(alert.contains("5 户 / 5 条"), "{alert}");
    app.stop().await;
}

#[tokio::test]
async fn five_open311_requests_from_one_phone_however_written_do_not_page() {
    let app = spawn_api("").await;
    for phone in [
        "13900000001",
        "139 0000 0001",
        "139-0000-0001",
        "+86 139 0000 0001",
        "008613900000001",
    ] {
        outage_request(&app, phone).await;
    }
    assert_eq!(app.reports().await.len(), 5, "every request is stored");
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "one caller is one household"
    );
    app.stop().await;
}

#[tokio::test]
async fn four_chat_residents_and_one_open311_request_cross_the_threshold() {
    let app = spawn_api("").await;
    for id in 2301..2305 {
        chat_outage(&app.resident(id, "居民"), None).await;
    }
    assert!(app.store().all_escalations().await.unwrap().is_empty());
    outage_request(&app, "13700000009").await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1, "4 chat + 1 Open311 = 5 households");
    assert_eq!(escalations[0].report_count, 5);
    let alert = directors_alert(&app).await;
    assert!(alert.contains("5 户 / 5 条"), "{alert}");
    app.stop().await;
}

#[tokio::test]
async fn a_chat_resident_and_an_open311_request_with_the_same_phone_are_one_household() {
    let app = spawn_api("").await;
    chat_outage(&app.resident(2311, "王阿姨"), Some("13800138000")).await;
    for id in 2312..2315 {
        chat_outage(&app.resident(id, "居民"), None).await;
    }
    // 王阿姨 again, through the city's app, her number written otherwise.
    outage_request(&app, "+86 138-0013-8000").await;
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "five reports, four households"
    );
    outage_request(&app, "13600136000").await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1, "the fifth household crosses");
    assert_eq!(escalations[0].report_count, 6, "every report counts on it");
    let alert = directors_alert(&app).await;
    assert!(alert.contains("5 户 / 6 条"), "{alert}");
    app.stop().await;
}

#[tokio::test]
async fn a_number_given_for_someone_else_is_not_the_residents_household() {
    let app = spawn_api("").await;
    // Four residents leave the same relative's number: still four households.
    for id in 2321..2325 {
        let r = app.resident(id, "居民");
        r.send("/report").await.unwrap();
        r.press("停水").await.unwrap();
        r.send("阳光花园 3号楼2单元").await.unwrap();
        r.send("没水了").await.unwrap();
        r.share_contact_card("13900139000", "李小红", Some(5555))
            .await
            .unwrap();
        r.press("是，打这个号码").await.unwrap();
        r.press("确认提交").await.unwrap();
    }
    outage_request(&app, "13900139000").await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1, "four residents and the relative");
    let alert = directors_alert(&app).await;
    assert!(alert.contains("5 户 / 5 条"), "{alert}");
    app.stop().await;
}
