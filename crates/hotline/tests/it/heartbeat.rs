//! The dead man's switch: while the engine works it calls the heartbeat URL
//! every `heartbeat.every` of the bot's clock, and no more often.

use std::time::Duration;

use hotline_standin::sms::FakeGateway;

use crate::helpers::{STAFF, TestApp};

#[tokio::test]
async fn the_engine_calls_the_heartbeat_url_every_five_minutes() {
    let monitor = FakeGateway::start().await.unwrap();
    let config = format!(
        "{STAFF}\n[heartbeat]\nurl = \"{}/ping/hotline\"\nevery = \"5m\"\n",
        monitor.url()
    );
    let app = TestApp::spawn_with(&config).await;
    monitor.set_clock(crate::helpers::clock_fn(&app.clock));
    let first = monitor.wait_for(1, Duration::from_secs(20)).await.unwrap();
    assert_eq!(
        (first[0].method.as_str(), first[0].path.as_str()),
        ("GET", "/ping/hotline"),
        "a beat as soon as the engine runs"
    );

    app.clock.advance(chrono::Duration::minutes(4));
    app.tick();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(monitor.requests().len(), 1, "not before five minutes");

    app.clock.advance(chrono::Duration::minutes(2));
    app.tick();
    let beats = monitor.wait_for(2, Duration::from_secs(20)).await.unwrap();
    // The first beat may be stamped before the monitor reads the test clock
    // (the engine beats as it starts), so the gap is measured from the
    // clock's start, when the first beat was due.
    let gap = beats[1].at - crate::helpers::night();
    assert!(
        gap >= chrono::Duration::minutes(5) && gap < chrono::Duration::minutes(7),
        "{gap:?}"
    );
    app.stop().await;
}

#[test]
fn a_heartbeat_url_that_is_not_http_is_refused() {
    let e = hotline::config::Config::from_override_str(
        "[heartbeat]\nurl = \"hc-ping.com/abc\"\n",
        "site.toml",
    )
    .unwrap_err();
    assert_eq!(e.key, "heartbeat.url");
}
