//! The desk's On call, Zones and Reports pages: who holds each role, a
//! zone added with the Zones form (the staff's own logic) filtering the
//! queue, the reports and their CSV. The forms in full: `desk_schedule.rs`.

use hotline::domain::Category;
use reqwest::StatusCode;

use crate::desk_client::{DeskClient, csrf_in, desk_link, file_report, manager, spawn_desk};

#[tokio::test]
async fn the_on_call_page_shows_who_holds_each_role() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let mut browser = DeskClient::new(&base);
    browser.sign_in(&desk_link(&app, &duty).await).await;
    let (status, page) = browser.get("/desk/oncall").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&duty.name) && page.contains("值班"), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn a_zone_added_on_the_desk_filters_the_queue() {
    let (app, base) = spawn_desk().await;
    let ticket = file_report(&app, 601, Category::Meter, "shungeng", "水表").await;
    let other = file_report(&app, 602, Category::Meter, "yanshan", "水表").await;
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get("/desk/zones").await;
    let csrf = csrf_in(&page);

    let fields = [
        ("action", "zone_add"),
        ("compound", "shungeng"),
        ("kind", "quarantine"),
    ];
    let refused = browser.post("/desk/zones", &fields).await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN, "no CSRF token");
    let form = [("csrf", csrf.as_str()), fields[0], fields[1], fields[2]];
    let (status, page) = browser.post("/desk/zones", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("舜耕小区") && page.contains("隔离"), "{page}");

    let (_, zoned) = browser.get("/desk?zone=1").await;
    assert!(
        zoned.contains(&ticket) && !zoned.contains(&other),
        "{zoned}"
    );
    let trail = app.store().desk_audit_trail(1).await.unwrap();
    assert_eq!(trail[0].action, "zone_add");
    app.stop().await;
}

#[tokio::test]
async fn the_reports_page_counts_and_downloads_a_day_as_csv_with_a_chart() {
    let (app, base) = spawn_desk().await;
    let ticket = file_report(&app, 701, Category::Quality, "yanshan", "水发黄，有异味").await;
    file_report(&app, 702, Category::Meter, "shungeng", "水表不走").await;
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;

    let (status, page) = browser
        .get("/desk/reports?from=2026-02-09&to=2026-02-09")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("报修总数: 2") && page.contains("燕山小区"),
        "{page}"
    );

    let (status, csv) = browser
        .get("/desk/reports.csv?from=2026-02-09&to=2026-02-09")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "ticket,created,category,compound,district,address,description,status,acknowledged,resolved"
    );
    let row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(row[0], ticket);
    assert_eq!(
        (row[3], row[4], row[6]),
        ("燕山小区", "历下区", "水发黄，有异味")
    );
    assert_eq!(lines.len(), 3);
    let (_, next_day) = browser
        .get("/desk/reports.csv?from=2026-02-10&to=2026-02-10")
        .await;
    assert_eq!(next_day.lines().count(), 1, "only the header");

    let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 9).unwrap();
    let exported = hotline::web::reports::export_csv(&app.config, day, day)
        .await
        .unwrap();
    assert_eq!(
        exported.lines().count(),
        3,
        "hotline export prints the same rows"
    );

    let chart = browser
        .fetch("/desk/reports/chart.svg?from=2026-02-03&to=2026-02-09")
        .await;
    assert_eq!(chart.headers()["content-type"], "image/svg+xml");
    assert!(chart.text().await.unwrap().starts_with("<svg"));
    app.stop().await;
}

#[tokio::test]
async fn each_person_gets_a_secret_calendar_feed_of_their_shifts() {
    let (app, base) = spawn_desk().await;
    let duty = manager(&app);
    let mut browser = DeskClient::new(&base);
    browser.sign_in(&desk_link(&app, &duty).await).await;
    let csrf = browser.csrf().await;
    let refused = browser.post("/desk/calendar", &[]).await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN, "no CSRF token");
    let (status, page) = browser.post("/desk/calendar", &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::OK);
    let link = crate::desk_client::link_in(&page.replace(['<', '>'], " ")).unwrap();
    assert!(
        link.starts_with(&format!("{base}/desk/calendar/")),
        "{link}"
    );

    let calendar = reqwest::get(&link).await.unwrap();
    assert_eq!(
        calendar.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let ics = calendar.text().await.unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("BEGIN:VEVENT"),
        "{ics}"
    );
    assert!(ics.contains("值班干部"), "the duty manager's shifts: {ics}");

    browser.post("/desk/calendar", &[("csrf", &csrf)]).await;
    let old = reqwest::get(&link).await.unwrap();
    assert_eq!(
        old.status(),
        StatusCode::NOT_FOUND,
        "a new link retires the old"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_director_gets_yesterdays_digest_at_eight_once() {
    use hotline::clock::Clock;
    use hotline::domain::Role;

    let (app, _base) = spawn_desk().await;
    file_report(&app, 801, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    file_report(&app, 802, Category::Meter, "shungeng", "水表").await;
    let director = app.on_call(Role::Director);
    let (store, config) = (app.store(), &app.config);
    let digest = hotline::web::digest::send_due;
    assert!(
        !digest(store, config, app.clock.now()).await.unwrap(),
        "not at 23:00"
    );
    app.clock
        .advance(chrono::Duration::hours(9) + chrono::Duration::minutes(5));
    let at_eight = app.clock.now();
    assert!(digest(store, config, at_eight).await.unwrap());
    assert!(
        !digest(store, config, at_eight).await.unwrap(),
        "once a day"
    );
    // The app's own digest task wakes the outbox; this test called it
    // directly, so chat activity (which wakes the outbox) delivers it.
    app.staff(&director).send("/oncall").await.unwrap();
    let shown = app
        .standin
        .wait_for_shown(
            director.telegram_id,
            std::time::Duration::from_secs(30),
            |s| s.iter().any(|m| m.text.starts_with("📊")),
        )
        .await
        .unwrap();
    let text = &shown
        .iter()
        .find(|m| m.text.starts_with("📊"))
        .unwrap()
        .text;
    assert!(
        text.contains("2026-02-09") && text.contains("报修 2 条"),
        "{text}"
    );
    assert!(text.contains("未解决的升级：1 个"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn metrics_count_reports_escalations_and_the_outbox() {
    let (app, base) = spawn_desk().await;
    file_report(&app, 901, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    let metrics = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(
        text.contains("hotline_reports_total{category=\"secondary_supply\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("hotline_escalations_opened_total{reason=\"urgent\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("hotline_outbox_messages{lane=\"alert\""),
        "{text}"
    );
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "/healthz with the desk, in polling mode"
    );
    app.stop().await;
}
