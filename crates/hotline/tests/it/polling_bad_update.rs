//! One bad update does not stop the line (issue 27): an update that cannot
//! be parsed (a lone UTF-16 surrogate in its text) is logged, recorded and
//! skipped; the updates around it are answered, and it is not fetched again.

use std::time::Duration;

use hotline_standin::FakeUser;

use crate::helpers::TestApp;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn an_unreadable_update_among_good_ones_is_skipped_and_the_good_ones_are_answered() {
    let app = TestApp::spawn().await;
    let (before, spoiled, after) = (
        FakeUser::new(8_270_001, "甲"),
        FakeUser::new(8_270_002, "乙"),
        FakeUser::new(8_270_003, "丙"),
    );
    app.standin.send_text(&before, "/help");
    let bad = app.standin.send_text_with_lone_surrogate(&spoiled, "/help");
    app.standin.send_text(&after, "/help");

    for user in [&before, &after] {
        app.standin
            .wait_for_shown(user.id, WAIT, |s| {
                s.iter().any(|m| m.text.contains("/report"))
            })
            .await
            .unwrap();
    }
    let recorded = app.store().unreadable_updates().await.unwrap();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].0, bad);
    assert!(app.standin.shown(spoiled.id).is_empty());

    // Later polls ask past it: it is not fetched forever.
    let later = FakeUser::new(8_270_004, "丁");
    app.standin.send_text(&later, "/help");
    app.standin
        .wait_for_shown(later.id, WAIT, |s| !s.is_empty())
        .await
        .unwrap();
    let last_poll = app.standin.calls_to("getupdates").pop().unwrap();
    assert!(
        last_poll.body["offset"].as_i64().unwrap() > bad,
        "{:?}",
        last_poll.body
    );
    app.stop().await;
}
