//! Open311 keys: one created after start works, and each key has its own
//! per-minute limit (the spec leaves throttling to the server).

use hotline::secret::digest as hash_key;

use crate::open311::{KEY, assert_error, post, spawn_api};

#[tokio::test]
async fn a_key_added_later_works_and_each_key_has_a_rate_limit() {
    let app = spawn_api("requests_per_minute = 3\n").await;
    let mut tx = app.store().begin().await.unwrap();
    tx.set_open311_key("press", &hash_key("press-key"), 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let fields = |key| {
        [
            ("api_key", key),
            ("service_code", "meter"),
            ("address_string", "舜耕小区 1号楼"),
        ]
    };
    for _ in 0..3 {
        assert_eq!(post(&app, &fields("press-key")).await.0, 200);
    }
    assert_error(&post(&app, &fields("press-key")).await, 429, "Too many");
    assert_eq!(
        post(&app, &fields(KEY)).await.0,
        200,
        "another key has its own count"
    );
    app.clock.advance(chrono::TimeDelta::seconds(60));
    assert_eq!(
        post(&app, &fields("press-key")).await.0,
        200,
        "a new minute"
    );
    assert_eq!(app.reports().await.len(), 5);
    app.stop().await;
}
