//! The desk's operations side: `/metrics` after a report, an alert and a
//! 429 from Telegram; the daily digest as a photo with its chart.

use std::time::{Duration, Instant};

use hotline::domain::{Category, Role};
use hotline_standin::sms::FakeGateway;
use hotline_standin::{FakeUser, Faults};

use crate::desk_client::{DeskClient, desk_link, file_report, free_port, manager, spawn_desk};
use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp};

/// The value of the first series line starting with `series`, if any.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn scrape(base: &str) -> String {
    let response = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    response.text().await.unwrap()
}

async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < WAIT, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn metrics_show_sends_429s_failures_pages_ticks_and_update_latency() {
    let gateway = FakeGateway::start().await.unwrap();
    let port = free_port();
    let app = TestApp::spawn_with(&format!(
        "{STAFF}\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n\
         [gateway]\nkind = \"http\"\nurl = \"{}/sms\"\nafter = \"5m\"\n",
        gateway.url()
    ))
    .await;
    let base = format!("http://127.0.0.1:{port}");
    let duty = app.on_call(Role::DutyManager);
    app.standin.block_chat(duty.telegram_id);

    // A resident writes while Telegram answers every send with 429.
    app.standin.set_faults(Some(Faults {
        fail_share: 1.0,
        too_many: true,
        seed: 13,
        ..Faults::default()
    }));
    let resident = FakeUser::new(950, "居民");
    app.standin.send_text(&resident, "/start");
    until("a 429", async || app.standin.count_429() > 0).await;
    app.standin.set_faults(None);
    app.standin
        .wait_for_shown(resident.id, WAIT, |s| !s.is_empty())
        .await
        .unwrap();

    // An urgent report: the blocked duty manager's alert fails, the phone rings.
    file_report(&app, 951, Category::SecondarySupply, "yanshan", "水泵坏了").await;
    until("a page", async || {
        app.tick();
        !gateway.requests().is_empty()
    })
    .await;
    let page = "hotline_gateway_pages_total{channel=\"sms\",outcome=\"accepted\"}";
    until("the page counted", async || {
        value(&scrape(&base).await, page).is_some()
    })
    .await;

    let text = scrape(&base).await;
    let at_least_one = |series: &str| {
        let v = value(&text, series).unwrap_or_else(|| panic!("no {series} in {text}"));
        assert!(v >= 1.0, "{series} = {v}");
    };
    at_least_one("hotline_reports_total{category=\"secondary_supply\"}");
    at_least_one("hotline_escalations_opened_total{reason=\"urgent\"}");
    at_least_one("hotline_telegram_sends_total{lane=\"reply\"}");
    at_least_one("hotline_telegram_429_total{lane=\"reply\"}");
    at_least_one("hotline_telegram_failures_total{lane=\"alert\",kind=\"permanent\"}");
    at_least_one(page);
    at_least_one("hotline_update_handling_seconds_count");
    at_least_one("hotline_update_handling_seconds_bucket{le=\"+Inf\"}");
    for series in [
        "hotline_outbox_messages{lane=\"alert\"",
        "hotline_outbox_oldest_pending_age_seconds",
        "hotline_time_to_acknowledge_seconds_count",
        "hotline_engine_tick_age_seconds",
    ] {
        assert!(text.contains(series), "no {series} in {text}");
    }
    app.stop().await;
}

/// Checks a PNG's signature and image header; returns (width, height).
/// Decodes a PNG: its size, and how many colours its pixels use (a
/// blank picture uses one).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .expect("a readable PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).expect("its pixels decode");
    buf.truncate(info.buffer_size());
    let colours: std::collections::BTreeSet<u8> = buf.iter().copied().collect();
    assert!(colours.len() >= 3, "bars and axes drawn: {colours:?}");
    (info.width, info.height)
}

#[tokio::test]
async fn the_daily_digest_arrives_as_a_chart_photo_with_the_counts_as_its_caption() {
    use hotline::clock::Clock;

    let (app, base) = spawn_desk().await;
    file_report(&app, 811, Category::Outage, "yanshan", "停水了").await;
    file_report(&app, 812, Category::Meter, "shungeng", "水表").await;
    let director = app.on_call(Role::Director);
    app.clock
        .advance(chrono::Duration::hours(9) + chrono::Duration::minutes(5));
    let (store, config) = (app.store(), &app.config);
    assert!(
        hotline::web::digest::send_due(store, config, app.clock.now())
            .await
            .unwrap()
    );
    // Chat activity wakes the outbox (the app's own digest task would).
    app.staff(&director).send("/oncall").await.unwrap();
    let shown = app
        .standin
        .wait_for_shown(director.telegram_id, WAIT, |s| {
            s.iter().any(|m| m.photo.is_some())
        })
        .await
        .unwrap();
    let photo = shown.iter().find(|m| m.photo.is_some()).unwrap();
    assert_eq!(photo.photo.as_deref(), Some("upload:chart.png"));
    let caption = &photo.text;
    assert!(
        caption.starts_with("📊 2026-02-09") && caption.contains("报修 2 条"),
        "{caption}"
    );
    assert!(
        caption.contains("停水: 1") && caption.contains("未解决的升级"),
        "{caption}"
    );

    let sent = app.standin.calls_to("sendPhoto");
    let upload = sent
        .iter()
        .find(|c| c.body["chat_id"] == director.telegram_id)
        .and_then(|c| c.uploads.first())
        .expect("the chart was uploaded");
    assert_eq!(png_size(&upload.1), (640, 320));
    assert!(
        (300..64_000).contains(&upload.1.len()),
        "{} bytes",
        upload.1.len()
    );

    // The Reports page serves the same kind of chart as a PNG.
    let mut browser = DeskClient::new(&base);
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let chart = browser
        .fetch("/desk/reports/chart.png?from=2026-02-03&to=2026-02-09")
        .await;
    assert_eq!(chart.headers()["content-type"], "image/png");
    assert_eq!(png_size(&chart.bytes().await.unwrap()), (640, 320));
    app.stop().await;
}

#[tokio::test]
async fn hotline_digest_prints_the_day_and_writes_its_chart() {
    let dir = tempfile::tempdir().unwrap();
    // An existing (empty) database: `digest` never creates one.
    let url = format!("sqlite://{}", dir.path().join("h.db").display());
    hotline::store::Store::connect(&url, 1)
        .await
        .unwrap()
        .close()
        .await;
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/demo.toml");
    let png = dir.path().join("chart.png");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args([
            "--config",
            demo,
            "digest",
            "--date",
            "2026-02-09",
            "--lang",
            "en",
        ])
        .arg("--png")
        .arg(&png)
        .env_remove("HOTLINE_CONFIG")
        .env(
            "HOTLINE__DATABASE__URL",
            format!("sqlite://{}", dir.path().join("h.db").display()),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("📊 Hotline digest for 2026-02-09: 0 reports"),
        "{stdout}"
    );
    assert_eq!(png_size(&std::fs::read(&png).unwrap()), (640, 320));
}
