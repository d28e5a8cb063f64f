//! The desk's On call and Zones pages: what `/oncall`, `/zone list` and
//! `/planned list` show, and their forms, which run the same commands.

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

    let args = ("args", "add 舜耕小区 quarantine");
    let refused = browser
        .post("/desk/zones", &[("action", "zone"), args])
        .await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN, "no CSRF token");
    let form = [("csrf", csrf.as_str()), ("action", "zone"), args];
    let (status, page) = browser.post("/desk/zones", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("舜耕小区") && page.contains("隔离"), "{page}");

    let (_, zoned) = browser.get("/desk?zone=1").await;
    assert!(
        zoned.contains(&ticket) && !zoned.contains(&other),
        "{zoned}"
    );
    let trail = app.store().desk_audit_trail(1).await.unwrap();
    assert_eq!(trail[0].action, "zone");
    app.stop().await;
}
