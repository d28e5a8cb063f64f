//! A contact card must be the resident's own: their own card is their
//! number; anyone else's card is used only when they say so, and staff then
//! see whose number it is.

use hotline::domain::Role;
use hotline_standin::texts;

use crate::desk_client::{DeskClient, desk_link, manager, spawn_desk};
use crate::driver::Wizard;
use crate::helpers::{TestApp, ticket_in};

/// Walks a resident to the summary (no phone yet).
async fn to_summary(r: &hotline_standin::Resident) {
    r.start("停水", "阳光花园 3号楼2单元").await;
    let summary = r.send("家里没水了").await.unwrap();
    assert!(
        summary[0].text.starts_with("第 4/4 步"),
        "{:?}",
        texts(&summary)
    );
}

#[tokio::test]
async fn the_residents_own_card_is_stored_as_their_number_at_once() {
    let app = TestApp::spawn().await;
    let wang = app.resident(1101, "王阿姨");
    to_summary(&wang).await;
    let summary = wang.share_contact("13800138000").await.unwrap();
    assert!(
        summary.last().unwrap().text.contains("电话：13800138000\n"),
        "{:?}",
        texts(&summary)
    );
    wang.press("确认提交").await.unwrap();
    let r = &app.reports().await[0];
    assert_eq!(r.phone.as_deref(), Some("13800138000"));
    assert_eq!(r.phone_for, None);
    app.stop().await;
}

#[tokio::test]
async fn someone_elses_card_is_asked_about_and_stored_as_given_for_them() {
    let (app, desk) = spawn_desk().await;
    let li = app.resident(1102, "李大爷");
    to_summary(&li).await;

    let asked = li
        .share_contact_card("13900139000", "李小红", Some(5555))
        .await
        .unwrap();
    let question = asked.last().unwrap();
    assert!(
        question.text.contains("李小红") && question.text.contains("不是您本人的"),
        "{:?}",
        question.text
    );
    assert_eq!(app.reports().await.len(), 0);

    let summary = li.press("是，打这个号码").await.unwrap();
    let text = &summary.last().unwrap().text;
    assert!(
        text.contains("13900139000（代他人留的号码：李小红）"),
        "{text}"
    );
    let done = li.press("确认提交").await.unwrap();
    let ticket = ticket_in(&done.last().unwrap().text);
    let r = &app.reports().await[0];
    assert_eq!(r.phone.as_deref(), Some("13900139000"));
    assert_eq!(r.phone_for.as_deref(), Some("李小红"));
    assert_eq!(
        r.resident_user_id, 1102,
        "the card is never the sender's identity"
    );

    let director = app.staff(&app.on_call(Role::Director));
    let shown = director.send(&format!("/ticket {ticket}")).await.unwrap();
    assert!(
        texts(&shown)
            .iter()
            .any(|t| t.contains("13900139000（代他人留的号码：李小红）")),
        "{:?}",
        texts(&shown)
    );
    let mut browser = DeskClient::new(&desk);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    // The number to call back is a tel: link, marked as someone else's.
    assert!(
        page.contains("<a href=\"tel:13900139000\">13900139000</a>")
            && page.contains("（代他人留的号码：李小红）"),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_card_declined_asks_again_for_a_number() {
    let app = TestApp::spawn().await;
    let zhao = app.resident(1103, "赵先生").with_client_lang("en");
    zhao.send("/report").await.unwrap();
    zhao.press("Water outage").await.unwrap();
    zhao.send("阳光花园 3号楼2单元").await.unwrap();
    zhao.send("no water since 10pm").await.unwrap();

    // A phone-book entry: no Telegram account behind it.
    let asked = zhao
        .share_contact_card("13700137000", "Neighbour", None)
        .await
        .unwrap();
    assert!(
        asked.last().unwrap().text.contains("not your own"),
        "{:?}",
        texts(&asked)
    );
    let again = zhao.press("No, another number").await.unwrap();
    assert!(
        texts(&again).iter().any(|t| t.contains("phone number")),
        "{:?}",
        texts(&again)
    );
    let summary = zhao.send("13600136000").await.unwrap();
    let text = &summary.last().unwrap().text;
    assert!(
        text.contains("Phone: 13600136000\n") && !text.contains("someone else"),
        "{text}"
    );
    zhao.press("Confirm").await.unwrap();
    let r = &app.reports().await[0];
    assert_eq!(r.phone.as_deref(), Some("13600136000"));
    assert_eq!(r.phone_for, None);
    app.stop().await;
}
