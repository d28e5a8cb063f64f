//! Login CSRF: a sign-in POST a browser marks as coming from another site
//! is refused and leaves the one-time link unspent.

use reqwest::StatusCode;

use crate::desk_client::{DeskClient, desk_link, manager, spawn_desk};

#[tokio::test]
async fn a_cross_site_sign_in_is_refused_and_the_link_still_works_from_the_desk() {
    let (app, base) = spawn_desk().await;
    let link = desk_link(&app, &manager(&app)).await;
    let token = link.split("t=").nth(1).unwrap().to_string();
    let forged = reqwest::Client::new()
        .post(format!("{base}/desk/signin"))
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("t", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.headers().get("set-cookie").is_none());

    let mut browser = DeskClient::new(&base);
    browser.sign_in(&link).await;
    let (status, page) = browser.get("/desk").await;
    assert_eq!(status, StatusCode::OK, "the link was not spent: {page}");
    app.stop().await;
}
