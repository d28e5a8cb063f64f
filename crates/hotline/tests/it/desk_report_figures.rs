//! The Reports page's figures against reports whose times are known
//! (issue 23: the page counts in SQL, `store/period_figures.rs`): counts
//! per category, compound and day, and the median / p90 minutes to
//! acknowledge and to resolve, worked from the desk on the test clock.

use chrono::Duration;
use hotline::domain::{Category, Lang};
use hotline::texts::Label;
use reqwest::StatusCode;

use crate::desk_client::{DeskClient, csrf_in, desk_link, file_report, manager, spawn_desk};

/// Posts `action` on the ticket's page, as its button does.
async fn act(desk: &mut DeskClient, ticket: &str, fields: &[(&str, &str)]) {
    let path = format!("/desk/ticket/{ticket}");
    let csrf = csrf_in(&desk.get(&path).await.1);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let (status, page) = desk.post(&path, &form).await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

#[tokio::test]
async fn the_reports_page_counts_and_times_known_reports() {
    let (app, base) = spawn_desk().await;
    let pump = file_report(&app, 711, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    let meter = file_report(&app, 712, Category::Meter, "shungeng", "水表不走").await;
    file_report(&app, 713, Category::Meter, "yanshan", "水表漏水").await;
    let mut desk = DeskClient::new(&base);
    desk.sign_in(&desk_link(&app, &manager(&app)).await).await;

    app.clock.advance(Duration::minutes(10));
    act(&mut desk, &pump, &[("action", "ack")]).await;
    app.clock.advance(Duration::minutes(20));
    let resolve_all = [
        ("action", "resolve"),
        ("note", "水泵已更换"),
        ("confirm", "1"),
    ];
    act(&mut desk, &pump, &resolve_all).await;
    app.clock.advance(Duration::minutes(30));
    let resolve = [("action", "resolve_ticket"), ("note", "换表")];
    act(&mut desk, &meter, &resolve).await;

    let (status, page) = desk
        .get("/desk/reports?from=2026-02-09&to=2026-02-09")
        .await;
    assert_eq!(status, StatusCode::OK);
    let row = |key: &str, n: usize| format!("<tr><td>{key}</td><td>{n}</td></tr>");
    for expected in [
        "报修总数: 3".to_string(),
        row("2026-02-09", 3),
        row(Category::Meter.label(Lang::Zh), 2),
        row(Category::SecondarySupply.label(Lang::Zh), 1),
        row("燕山小区", 2),
        row("舜耕小区", 1),
        row("历下区", 2),
        row("市中区", 1),
        // One acknowledgement after 10 minutes; resolutions after 30 and 60.
        "确认用时（中位数 / P90）: 10 / 10 min".to_string(),
        "解决用时（中位数 / P90）: 30 / 60 min".to_string(),
    ] {
        assert!(page.contains(&expected), "{expected} in {page}");
    }
    let (_, next_day) = desk
        .get("/desk/reports?from=2026-02-10&to=2026-02-10")
        .await;
    assert!(
        next_day.contains("报修总数: 0") && next_day.contains("—"),
        "{next_day}"
    );
    app.stop().await;
}
