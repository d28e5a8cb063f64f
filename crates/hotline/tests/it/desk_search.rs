//! Issue 23 over plain HTTP: the desk finds any report (by the caller's
//! last 4 digits or whole number, by ticket, by a word), resolved ones
//! included, a page at a time; a ticket's page offers only what still
//! applies and refuses a forged form; messaging the resident reaches them,
//! an internal note does not.

use hotline::domain::Category;
use hotline::store::NewReport;
use reqwest::StatusCode;

use crate::desk_client::{DeskClient, csrf_in, desk_link, file_report, manager, spawn_desk};
use crate::driver::{WAIT, new_report};
use crate::helpers::{TestApp, alerts};

/// Stores one report from `user` with `phone`; returns its ticket.
async fn report_with_phone(app: &TestApp, user: i64, phone: &str, what: &str) -> String {
    let report = NewReport {
        phone: Some(phone.into()),
        ..new_report(user, Category::Meter, app.matched("shungeng"), what)
    };
    let id = app.store_reports(&[report]).await[0];
    let reports = app.reports().await;
    reports.iter().find(|r| r.id == id).unwrap().ticket.clone()
}

async fn signed_in(app: &TestApp, base: &str) -> DeskClient {
    let mut browser = DeskClient::new(base);
    browser.sign_in(&desk_link(app, &manager(app)).await).await;
    browser
}

/// Posts one of a ticket page's forms; returns (status, page).
async fn act(
    browser: &mut DeskClient,
    ticket: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let path = format!("/desk/ticket/{ticket}");
    let csrf = csrf_in(&browser.get(&path).await.1);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.post(&path, &form).await
}

/// Every message ever written to the outbox, whatever became of it.
async fn outbox_rows(app: &TestApp) -> i64 {
    let c = app.store().outbox_counts().await.unwrap();
    c.pending + c.sending + c.sent + c.failed + c.dropped
}

fn tickets_in(page: &str) -> Vec<String> {
    page.split("<tr data-ticket=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

#[tokio::test]
async fn the_last_four_digits_find_the_callers_tickets_resolved_ones_included() {
    let (app, base) = spawn_desk().await;
    let first = report_with_phone(&app, 601, "138 0013 8000", "水表不走了").await;
    let second = report_with_phone(&app, 601, "+8613800138000", "水表漏水").await;
    let other = report_with_phone(&app, 602, "13900139999", "水表读数不对").await;
    let mut browser = signed_in(&app, &base).await;
    let (status, _) = act(
        &mut browser,
        &first,
        &[("action", "resolve_ticket"), ("note", "已换表")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (status, page) = browser.get("/desk/search?q=8000").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        tickets_in(&page),
        [second.as_str(), first.as_str()],
        "newest first"
    );
    assert!(
        page.contains("已解决"),
        "the resolved ticket says so: {page}"
    );

    let (_, whole) = browser.get("/desk/search?q=%2B86+138-0013-8000").await;
    assert_eq!(tickets_in(&whole), [second.as_str(), first.as_str()]);
    let (_, open) = browser.get("/desk/search?q=8000&status=open").await;
    assert_eq!(tickets_in(&open), [second.as_str()]);
    let (_, resolved) = browser.get("/desk/search?q=8000&status=resolved").await;
    assert_eq!(tickets_in(&resolved), [first.as_str()]);
    let (_, nobody) = browser.get("/desk/search?q=1234").await;
    assert!(tickets_in(&nobody).is_empty() && nobody.contains("没有找到匹配的报修"));
    assert!(!page.contains(&other));
    app.stop().await;
}

#[tokio::test]
async fn a_ticket_a_word_and_a_compound_find_their_reports_a_page_at_a_time() {
    let (app, base) = spawn_desk().await;
    let mut reports: Vec<NewReport> = (0..60)
        .map(|i| {
            new_report(
                700 + i,
                Category::Meter,
                app.matched("shungeng"),
                &format!("水表问题 {i}"),
            )
        })
        .collect();
    reports.push(new_report(
        800,
        Category::Other,
        app.matched("yanshan"),
        "水龙头出水发黄 50%",
    ));
    app.store_reports(&reports).await;
    let all = app.reports().await;
    let yellow = all
        .iter()
        .find(|r| r.description.contains("发黄"))
        .unwrap()
        .ticket
        .clone();
    let some = all[7].ticket.clone();
    let browser = signed_in(&app, &base).await;

    let (_, by_ticket) = browser
        .get(&format!("/desk/search?q={}", some.to_lowercase()))
        .await;
    assert_eq!(tickets_in(&by_ticket), [some.as_str()]);
    let (_, by_word) = browser.get("/desk/search?q=%E5%8F%91%E9%BB%84").await; // 发黄
    assert_eq!(tickets_in(&by_word), [yellow.as_str()]);
    let (_, literal) = browser.get("/desk/search?q=50%25").await; // "50%": the % is a character
    assert_eq!(tickets_in(&literal), [yellow.as_str()]);
    let (_, by_compound) = browser.get("/desk/search?q=%E7%87%95%E5%B1%B1").await; // 燕山
    assert_eq!(tickets_in(&by_compound), [yellow.as_str()]);

    // 61 reports: 50 newest, then the 11 before them, none twice.
    let (_, first) = browser.get("/desk/search?q=").await;
    let page_one = tickets_in(&first);
    assert_eq!(page_one.len(), 50);
    let marker = "id=\"next-page\" href=\"";
    let at = first.find(marker).expect("a next page") + marker.len();
    let next = first[at..at + first[at..].find('"').unwrap()].replace("&amp;", "&");
    let (_, second) = browser.get(&next).await;
    let page_two = tickets_in(&second);
    assert_eq!(page_two.len(), 11, "{next}");
    assert!(page_two.iter().all(|t| !page_one.contains(t)));
    assert!(!second.contains("id=\"next-page\""));
    app.stop().await;
}

#[tokio::test]
async fn a_resolved_escalation_offers_no_acknowledge_or_update_and_refuses_a_forged_post() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let ticket = file_report(&app, 901, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    app.tick();
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let mut browser = signed_in(&app, &base).await;
    let (_, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    assert!(page.contains("value=\"ack\"") && page.contains("value=\"update\""));

    // Resolving the whole escalation asks for the confirmation first.
    let unconfirmed = [("action", "resolve"), ("note", "水泵已更换")];
    let (_, page) = act(&mut browser, &ticket, &unconfirmed).await;
    assert!(
        page.contains("勾选确认") && page.contains("value=\"ack\""),
        "{page}"
    );
    let confirmed = [
        ("action", "resolve"),
        ("note", "水泵已更换"),
        ("confirm", "1"),
    ];
    let (status, page) = act(&mut browser, &ticket, &confirmed).await;
    assert_eq!(status, StatusCode::OK);
    for gone in [
        "value=\"ack\"",
        "value=\"update\"",
        "value=\"escalate\"",
        "value=\"resolve\"",
    ] {
        assert!(
            !page.contains(gone),
            "{gone} on a resolved escalation: {page}"
        );
    }
    app.standin
        .wait_for_shown(901, WAIT, |s| {
            s.iter().any(|m| m.text.contains("水泵已更换"))
        })
        .await
        .unwrap();

    let before = outbox_rows(&app).await;
    let (status, page) = act(&mut browser, &ticket, &[("action", "ack")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("什么也没有发送"), "{page}");
    let forged = [("action", "update"), ("note", "伪造的进展")];
    assert_eq!(
        act(&mut browser, &ticket, &forged).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(outbox_rows(&app).await, before, "nothing queued");
    let trail = app.store().desk_audit_trail(1).await.unwrap();
    assert_eq!(
        trail[0].action, "resolve",
        "the refused actions left no trace"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_message_reaches_the_resident_and_an_internal_note_does_not() {
    let (app, base) = spawn_desk().await;
    let ticket = file_report(&app, 611, Category::Meter, "shungeng", "水表不走了").await;
    let mut browser = signed_in(&app, &base).await;
    let (_, page) = browser.get(&format!("/desk/ticket/{ticket}")).await;
    assert!(
        page.contains("内部备注（仅工作人员可见") && page.contains("给居民发消息"),
        "{page}"
    );

    let note = [("action", "note"), ("note", "邻居说阀门也坏了")];
    let (_, page) = act(&mut browser, &ticket, &note).await;
    assert!(
        page.contains("邻居说阀门也坏了"),
        "the note is on the timeline"
    );
    let message = [("action", "message"), ("note", "明天上午九点上门换表")];
    let (status, page) = act(&mut browser, &ticket, &message).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("已发消息给居民"), "{page}");

    let shown = app
        .standin
        .wait_for_shown(611, WAIT, |s| {
            s.iter().any(|m| m.text.contains("明天上午九点上门换表"))
        })
        .await
        .unwrap();
    assert!(shown.iter().all(|m| !m.text.contains("阀门")), "{shown:?}");
    assert!(shown.iter().any(|m| m.text.contains(&ticket)));
    app.stop().await;
}

/// A word nobody wrote lately costs one window of ids per page, not the
/// whole history: each page says where to look further back, and the old
/// report is found (case aside) a window later.
#[tokio::test]
async fn a_rare_word_is_looked_for_a_window_at_a_time() {
    use hotline::domain::SearchTerm;
    use hotline::store::{Search, StatusFilter};
    let app = TestApp::spawn().await;
    let mut reports = vec![new_report(
        990,
        Category::Other,
        app.matched("yanshan"),
        "管道里有 xyzzy 的声音",
    )];
    reports.extend(
        (0..25).map(|i| new_report(991 + i, Category::Meter, app.matched("shungeng"), "水表")),
    );
    app.store_reports(&reports).await;
    let mut search = Search {
        term: SearchTerm::parse("XYZZY"),
        status: StatusFilter::Any,
        from_ms: None,
        to_ms: None,
        before_id: None,
        limit: 50,
        word_window: 10,
    };
    let mut pages = Vec::new();
    loop {
        let page = app.store().search_reports(&search).await.unwrap();
        pages.push(
            page.reports
                .iter()
                .map(|r| r.description.clone())
                .collect::<Vec<_>>(),
        );
        match page.next_before {
            Some(id) => search.before_id = Some(id),
            None => break,
        }
        assert!(pages.len() < 10, "the windows never end: {pages:?}");
    }
    assert_eq!(pages.len(), 3, "26 reports, 10 a window: {pages:?}");
    assert_eq!(pages[2], ["管道里有 xyzzy 的声音"]);
    assert!(pages[0].is_empty() && pages[1].is_empty());
    app.stop().await;
}
