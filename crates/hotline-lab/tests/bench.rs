//! `hotline-lab bench flood` and `bench outage`, small: the bot as its own
//! process (the workspace's `hotline` binary), residents acting only on
//! what was delivered to them.

use std::time::Duration;

use hotline_lab::bench::flood::{FloodArgs, measure};
use hotline_lab::bench::{Common, Variant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_flood_delivers_the_alert_with_priority_lanes() {
    let bot = the_bot();
    let args = FloodArgs {
        common: Common {
            residents: 20,
            seconds: 3,
            think: Duration::from_millis(200),
            seed: 7,
            drain_timeout: Duration::from_secs(120),
            baseline: None,
            faults: 0.0,
            keep: false,
            bot: Some(bot.clone()),
        },
        // One threshold: five outages in one compound.
        escalations: 1,
        compounds: 2,
        history: vec![0],
        alert_timeout: Duration::from_secs(30),
    };
    let variant = Variant {
        name: "current".into(),
        exe: bot,
    };
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

/// The workspace's `hotline` binary, built if this test runs alone
/// (`cargo test -p hotline-lab`); a no-op when the suite built it already.
fn the_bot() -> std::path::PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["build", "--quiet", "-p", "hotline", "--bin", "hotline"])
        .status()
        .expect("running cargo");
    assert!(status.success(), "building the bot");
    let me = std::env::current_exe().unwrap();
    // target/<profile>/deps/bench-… → target/<profile>/hotline
    me.parent().unwrap().parent().unwrap().join("hotline")
}

/// `hotline-lab bench outage`, short: a one-minute outage, two urgent
/// reports through Open311, texts after 5 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_outage_texts_every_escalation_and_drains_without_duplicates() {
    use hotline_lab::bench::outage::{OutageArgs, measure};
    let bot = the_bot();
    let args = OutageArgs {
        common: Common {
            residents: 0,
            seconds: 1,
            think: Duration::from_millis(200),
            seed: 7,
            drain_timeout: Duration::from_secs(120),
            baseline: None,
            faults: 0.0,
            keep: false,
            bot: Some(bot.clone()),
        },
        minutes: 1,
        reports: 2,
        after: Duration::from_secs(5),
        recovery_timeout: Duration::from_secs(120),
    };
    let variant = Variant {
        name: "current".into(),
        exe: bot,
    };
    let run = tokio::time::timeout(Duration::from_secs(300), measure(&args, &variant));
    let r = run.await.expect("the outage run finishes").unwrap();
    let table = r.figures.render();
    assert_eq!(r.escalations, 2, "{table}");
    assert_eq!(r.texted, 2, "{table}");
    assert!(r.drained_in.is_some(), "{table}");
    assert_eq!(r.duplicates, 0, "{table}");
    assert!(table.contains("phone delay"), "{table}");
}
