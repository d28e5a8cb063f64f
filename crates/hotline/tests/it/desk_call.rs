//! Taking a phone call at the desk (issue 23), through the real HTTP
//! server: a call counts as a household beside chat residents, a chat
//! resident calling from their own phone is one household, the ticket's
//! timeline names the channel and the operator, and with
//! `[desk] sms_receipts` the caller is texted the ticket and the outcome.

use hotline_standin::sms::FakeGateway;
use reqwest::StatusCode;

use crate::desk_browser::signed_in_browser;
use crate::desk_client::{DeskClient, desk_link, free_port, manager};
use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp};
use crate::households::{chat_outage, directors_alert};

/// Keys a browser test presses (W3C codes).
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

/// The demo's staff, the desk on its own port and `extra` settings.
async fn spawn(extra: &str) -> (TestApp, String) {
    let port = free_port();
    let overrides =
        format!("{STAFF}\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n{extra}");
    (
        TestApp::spawn_with(&overrides).await,
        format!("http://127.0.0.1:{port}"),
    )
}

/// The duty manager, signed in at the desk.
async fn operator(app: &TestApp, base: &str) -> DeskClient {
    let mut desk = DeskClient::new(base);
    let link = desk_link(app, &manager(app)).await;
    assert_eq!(desk.sign_in(&link).await, StatusCode::SEE_OTHER);
    desk
}

/// Files a call from `phone` about an outage at 阳光花园 (extra form
/// fields added), then follows the redirect as a browser would; returns the
/// ticket the page shows, large.
async fn outage_call(desk: &DeskClient, phone: &str, extra: &[(&str, &str)]) -> String {
    let csrf = desk.csrf().await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("phone", phone),
        ("compound", "阳光花园"),
        ("detail", "3号楼 2单元"),
        ("category", "outage"),
        ("description", "整栋楼没水了"),
    ];
    form.extend_from_slice(extra);
    let (status, location) = post(desk, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("a redirect to the filed ticket");
    let (status, page) = desk.get(&location).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    filed_ticket(&page)
}

/// Posts the call form; the status and where it redirects.
async fn post(desk: &DeskClient, form: &[(&str, &str)]) -> (StatusCode, Option<String>) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = http.post(format!("{}/desk/call", desk.base)).form(form);
    if let Some(cookie) = &desk.cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    (response.status(), location)
}

/// The ticket in the page's large "filed" banner.
fn filed_ticket(page: &str) -> String {
    let marker = "id=\"filed-ticket\"";
    let at = page.find(marker).expect("the filed ticket, shown large") + marker.len();
    let rest = &page[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find('<').unwrap();
    rest[start..end].to_string()
}

#[tokio::test]
async fn four_chat_residents_and_one_phone_call_page_the_director_as_five_households() {
    let (app, base) = spawn("").await;
    for id in 2331..2335 {
        chat_outage(&app.resident(id, "居民"), None).await;
    }
    assert!(app.store().all_escalations().await.unwrap().is_empty());
    let desk = operator(&app, &base).await;
    let ticket = outage_call(&desk, "139 0000 7777", &[]).await;
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1, "4 chat + 1 call = 5 households");
    assert_eq!(escalations[0].report_count, 5);
    let alert = directors_alert(&app).await;
    assert!(alert.contains("阳光花园小区"), "{alert}");
    assert!(alert.contains("5 户 / 5 条"), "{alert}");
    let report = app.reports().await.into_iter().find(|r| r.ticket == ticket);
    let report = report.expect("the ticket shown is the one stored");
    assert_eq!(report.phone.as_deref(), Some("+8613900007777"));
    assert_eq!(report.compound_id.as_deref(), Some("yangguang"));
    assert!(report.address_detail.contains("3号楼"), "{report:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_chat_resident_calling_from_their_own_phone_is_one_household() {
    let (app, base) = spawn("").await;
    chat_outage(&app.resident(2341, "王阿姨"), Some("13800138000")).await;
    for id in 2342..2345 {
        chat_outage(&app.resident(id, "居民"), None).await;
    }
    let mut desk = operator(&app, &base).await;
    // Her number, typed at the desk: her chat report is on the page.
    let chat_ticket = app.reports().await[0].ticket.clone();
    let csrf = desk.csrf().await;
    let lookup = [("csrf", csrf.as_str()), ("phone", "138-0013-8000")];
    let (status, page) = desk.post("/desk/call", &lookup).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(&chat_ticket), "her earlier report is listed");
    // Her call: still four households, nobody paged.
    outage_call(&desk, "138-0013-8000", &[]).await;
    assert_eq!(app.reports().await.len(), 5);
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "five reports, four households"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_calls_ticket_shows_the_channel_and_who_took_it_on_its_timeline() {
    let (app, base) = spawn("").await;
    let desk = operator(&app, &base).await;
    let ticket = outage_call(&desk, "13900001234", &[]).await;
    let (status, page) = desk.get(&format!("/desk/ticket/{ticket}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let name = manager(&app).name;
    assert!(page.contains(&format!("电话 · {name} 接听")), "{page}");
    let trail = app.store().desk_audit_trail(5).await.unwrap();
    let line = trail.iter().find(|a| a.action == "call").expect("audited");
    assert_eq!(
        (line.detail.as_str(), line.person_id.as_str()),
        (ticket.as_str(), manager(&app).id.as_str())
    );
    // A form without its CSRF token files nothing.
    let (status, _) = post(&desk, &[("phone", "13900001234"), ("category", "outage")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.reports().await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn with_sms_receipts_the_caller_is_texted_the_ticket_and_its_resolution() {
    let gateway = FakeGateway::start().await.unwrap();
    let extra = format!(
        "[gateway]\nkind = \"http\"\nurl = \"{}/sms\"\nafter = \"5m\"\n[desk]\nsms_receipts = true\n",
        gateway.url()
    );
    let (app, base) = spawn(&extra).await;
    let mut desk = operator(&app, &base).await;
    let ticket = outage_call(&desk, "13900005555", &[("sms", "on")]).await;
    let receipt = &app.gateway_requests(&gateway, 1).await[0];
    assert!(receipt.body.contains(&ticket), "{receipt:?}");
    assert!(receipt.body.contains("8613900005555"), "{receipt:?}");
    assert!(receipt.body.contains("已受理"), "{receipt:?}");

    let csrf = desk.csrf().await;
    let form = [
        ("csrf", csrf.as_str()),
        ("action", "resolve_ticket"),
        ("note", "管道已修复"),
    ];
    let (status, page) = desk.post(&format!("/desk/ticket/{ticket}"), &form).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let resolved = &app.gateway_requests(&gateway, 2).await[1];
    assert!(resolved.body.contains(&ticket), "{resolved:?}");
    assert!(resolved.body.contains("管道已修复"), "{resolved:?}");
    app.stop().await;
}

#[tokio::test]
async fn in_a_browser_an_operator_enters_a_whole_call_with_the_keyboard_alone() {
    let (app, base) = spawn("").await;
    let resident = app.resident(2351, "居民");
    let earlier = crate::driver::Wizard::report(&resident, "停水", "阳光花园小区", "没水").await;
    let Some(browser) = signed_in_browser(&app).await else {
        return;
    };
    browser.goto(&format!("{base}/desk/call")).await;
    browser.wait_for("#call", WAIT).await.unwrap();
    assert_eq!(browser.focused().await, "phone", "the number has the focus");
    browser.keys("13900008888").await;
    // As the number is typed, what is known about it shows.
    let shown = "return document.getElementById('caller').textContent.includes('+8613900008888');";
    let start = std::time::Instant::now();
    while browser.script(shown).await != true {
        assert!(start.elapsed() < WAIT, "the caller's panel never showed");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.keys(ENTER).await;
    assert_eq!(browser.focused().await, "compound", "Enter moves on");
    browser
        .keys(&format!("阳光花园{TAB}3号楼{TAB}{DOWN}{TAB}整栋楼没水了"))
        .await;
    assert_eq!(browser.focused().await, "description");
    browser.screenshot("desk-call.png").await;
    browser.keys(ENTER).await;
    assert!(browser.wait_for("#filed-ticket", WAIT).await.is_some());
    let shown = browser.text("#filed-ticket").await;
    let stored = app.reports().await;
    let call = stored.iter().find(|r| r.ticket == shown);
    let call = call.unwrap_or_else(|| panic!("{shown} is not a stored ticket"));
    assert_ne!(call.ticket, earlier);
    assert_eq!(call.phone.as_deref(), Some("+8613900008888"));
    assert_eq!(call.category, "outage");
    assert_eq!(call.compound_id.as_deref(), Some("yangguang"));
    assert_eq!(call.description, "整栋楼没水了");
    assert_eq!(browser.focused().await, "phone", "ready for the next call");
    browser.screenshot("desk-call-filed.png").await;
    browser.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_compound_close_to_several_is_asked_for_and_suggestions_follow_the_chats_matching() {
    let (app, base) = spawn("").await;
    let mut desk = operator(&app, &base).await;
    let (status, options) = desk.get("/desk/call/places?q=阳光").await;
    assert_eq!(status, StatusCode::OK);
    assert!(options.contains("value=\"阳光花园小区\""), "{options}");
    assert!(!options.contains("燕山小区"), "{options}");
    let csrf = desk.csrf().await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("phone", "13900002222"),
        ("compound", "花园"),
        ("category", "quality"),
        ("description", "水发黄"),
    ];
    let (status, page) = desk.post("/desk/call", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("name=\"compound_id\""), "{page}");
    assert!(
        page.contains("泉城花园") && page.contains("阳光花园小区"),
        "{page}"
    );
    assert!(app.reports().await.is_empty(), "nothing filed yet");
    form.push(("compound_id", "quancheng"));
    let (status, _) = post(&desk, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let reports = app.reports().await;
    assert_eq!(reports[0].compound_id.as_deref(), Some("quancheng"));
    // Signed out, the suggestions are refused.
    let (status, _) = DeskClient::new(&base).get("/desk/call/places?q=阳光").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn a_call_joins_a_known_incident_and_the_callers_panel_shows_it_open() {
    let (app, base) = spawn("").await;
    let leak = app.leak_paged(2361).await;
    let escalation = app.store().all_escalations().await.unwrap()[0].id;
    let mut desk = operator(&app, &base).await;
    let csrf = desk.csrf().await;
    let join = escalation.to_string();
    let form = [
        ("csrf", csrf.as_str()),
        ("phone", "13900003333"),
        ("join", join.as_str()),
    ];
    let (status, _) = post(&desk, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let escalations = app.store().all_escalations().await.unwrap();
    assert_eq!(escalations.len(), 1, "joined, not a second incident");
    assert_eq!(escalations[0].report_count, 2);
    let call = app.reports().await.into_iter().find(|r| r.ticket != leak);
    let call = call.unwrap();
    assert_eq!(
        (call.category.as_str(), call.compound_id.as_deref()),
        ("leak", Some("yanshan"))
    );
    // The same number again: its report and the open incident are shown.
    let lookup = [("csrf", csrf.as_str()), ("phone", "139 0000 3333")];
    let (status, page) = desk.post("/desk/call", &lookup).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&call.ticket), "{page}");
    assert!(page.contains("漏水/爆管 事件处理中（2 条报修）"), "{page}");
    app.stop().await;
}
