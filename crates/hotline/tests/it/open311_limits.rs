//! Open311's rate limits (issue 26): callers without a key are counted per
//! IP address, keys per client, posted requests per address; the windows
//! slide; unknown keys are throttled before any database lookup; the count
//! is the database's, so every instance shares it; every 429 says when to
//! come back (`Retry-After`), in JSON and XML.

use std::net::IpAddr;

use chrono::TimeDelta;
use hotline::clock::Clock;
use reqwest::Response;

use crate::open311::{KEY, assert_error, post, spawn_api, url};

/// GETs `path` from the loopback address `from` (all of 127/8 is local).
async fn get_from(app: &crate::helpers::TestApp, from: &str, path: &str) -> Response {
    let from: IpAddr = from.parse().unwrap();
    let client = reqwest::Client::builder()
        .local_address(from)
        .build()
        .unwrap();
    client.get(url(app, path)).send().await.unwrap()
}

fn retry_after(response: &Response) -> i64 {
    let value = response
        .headers()
        .get("retry-after")
        .expect("Retry-After on a 429");
    value.to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn callers_without_a_key_are_counted_per_ip_in_a_sliding_window() {
    let app = spawn_api("requests_per_minute = 3\n").await;
    let one = "127.0.0.1";
    assert_eq!(get_from(&app, one, "services.json").await.status(), 200);
    app.clock.advance(TimeDelta::seconds(40));
    for _ in 0..2 {
        assert_eq!(get_from(&app, one, "requests.json").await.status(), 200);
    }
    let refused = get_from(&app, one, "services.json").await;
    assert_eq!(refused.status(), 429);
    // The test clock runs with real time: a loaded machine only shortens it.
    assert!((10..=20).contains(&retry_after(&refused)));
    let body = refused.text().await.unwrap();
    assert!(body.contains("\"code\":429"), "{body}");

    let other = get_from(&app, "127.0.0.2", "services.json").await;
    assert_eq!(other.status(), 200, "another client has its own window");
    let keyed = get_from(&app, one, &format!("services.json?api_key={KEY}")).await;
    assert_eq!(keyed.status(), 200, "a key is its own client");

    // 21 s later the first call left the window, the two at 40 s did not:
    // one more call (a fixed minute would have allowed three).
    app.clock.advance(TimeDelta::seconds(21));
    assert_eq!(get_from(&app, one, "services.json").await.status(), 200);
    let refused = get_from(&app, one, "services.xml").await;
    assert_eq!(refused.status(), 429);
    assert!((29..=39).contains(&retry_after(&refused)));
    let xml = refused.text().await.unwrap();
    assert!(xml.contains("<errors><error><code>429</code>"), "{xml}");
    app.stop().await;
}

#[tokio::test]
async fn unknown_keys_are_throttled_before_the_database_is_asked() {
    let app = spawn_api("requests_per_minute = 3\n").await;
    for n in 0..3 {
        let guess = format!("services.json?api_key=guess-{n}");
        assert_eq!(get_from(&app, "127.0.0.3", &guess).await.status(), 403);
    }
    let throttled = get_from(&app, "127.0.0.3", "services.json?api_key=guess-4").await;
    assert_eq!(throttled.status(), 429, "not looked up: throttled");
    assert!(retry_after(&throttled) >= 1);
    let configured = get_from(&app, "127.0.0.3", &format!("services.json?api_key={KEY}")).await;
    assert_eq!(configured.status(), 200, "a configured key needs no lookup");
    app.stop().await;
}

#[tokio::test]
async fn an_address_takes_a_few_requests_an_hour_whoever_posts_them() {
    let app = spawn_api("requests_per_address_per_hour = 2\n").await;
    let mut tx = app.store().begin().await.unwrap();
    let press = hotline::secret::digest("press-key");
    tx.set_open311_key("press", &press, 0).await.unwrap();
    tx.commit().await.unwrap();
    let fields = |key, address| {
        [
            ("api_key", key),
            ("service_code", "outage"),
            ("address_string", address),
        ]
    };
    assert_eq!(post(&app, &fields(KEY, "燕山小区 3号楼")).await.0, 200);
    app.clock.advance(TimeDelta::minutes(10));
    assert_eq!(
        post(&app, &fields("press-key", "燕山小区 3号楼")).await.0,
        200
    );
    let (status, text) = crate::driver::post_form(
        &url(&app, "requests.json"),
        &[],
        &fields(KEY, "燕山小区  3号楼 "),
    )
    .await;
    assert_eq!(status, 429, "{text}");
    let answer = (status, serde_json::from_str(&text).unwrap());
    assert_error(&answer, 429, "Retry-After");
    let refused = reqwest::Client::new()
        .post(url(&app, "requests.xml"))
        .form(&fields(KEY, "燕山小区 3号楼"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert!((49 * 60..=50 * 60).contains(&retry_after(&refused)));
    assert_eq!(post(&app, &fields(KEY, "燕山小区 4号楼")).await.0, 200);
    app.clock.advance(TimeDelta::minutes(51));
    assert_eq!(post(&app, &fields(KEY, "燕山小区 3号楼")).await.0, 200);
    assert_eq!(app.reports().await.len(), 4);
    app.stop().await;
}

#[tokio::test]
async fn every_instance_counts_the_same_calls() {
    let app = spawn_api("requests_per_minute = 3\n").await;
    for _ in 0..2 {
        assert_eq!(
            get_from(&app, "127.0.0.4", "services.json").await.status(),
            200
        );
    }
    // Another instance is another process on the same database: its own
    // store, the same count.
    let other = hotline::store::Store::open_existing(&app.config.database.url)
        .await
        .unwrap();
    let now = hotline::clock::to_millis(app.clock.now());
    assert_eq!(
        other
            .open311_hit("ip:127.0.0.4", now, 60_000, 3)
            .await
            .unwrap(),
        None
    );
    let full = other.open311_hit("ip:127.0.0.4", now, 60_000, 3).await;
    let wait = full
        .unwrap()
        .expect("the window is full for every instance");
    assert!((1..=60_000).contains(&wait), "{wait}");
    let refused = get_from(&app, "127.0.0.4", "services.json").await;
    assert_eq!(refused.status(), 429);
    other.close().await;
    app.stop().await;
}
