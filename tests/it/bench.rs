//! `hotline bench flood`, small: the bot as its own process (this package's
//! binary), residents acting only on what was delivered to them.

use std::time::Duration;

use hotline::bench::flood::{FloodArgs, measure};
use hotline::bench::{Common, Variant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_flood_delivers_the_alert_with_priority_lanes() {
    let args = FloodArgs {
        common: Common {
            residents: 20,
            seconds: 3,
            think: Duration::from_millis(200),
            seed: 7,
            drain_timeout: Duration::from_secs(120),
            compare: false,
            variants: vec![],
            faults: 0.0,
            keep: false,
            bot_exe: Some(env!("CARGO_BIN_EXE_hotline").into()),
        },
        // One threshold: five outages in one compound.
        escalations: 1,
        compounds: 2,
        history: vec![0],
        alert_timeout: Duration::from_secs(30),
    };
    let variant = Variant::current();
    // Bounded, so a hang fails the test instead of stalling the suite.
    let run = tokio::time::timeout(Duration::from_secs(240), measure(&args, &variant, 0));
    let r = run.await.expect("the flood finishes").unwrap();
    let table = r.figures.render();
    assert_eq!(r.experience.started, 20, "{table}");
    assert_eq!(r.alerts.len(), 1, "{table}");
    let latency = r.alerts[0].sample.sent().expect("the alert was sent");
    assert!(latency < Duration::from_secs(5), "{table}");
    assert_eq!(r.failed_messages, 0, "{table}");
    assert!(table.contains("bot CPU"), "{table}");
}
