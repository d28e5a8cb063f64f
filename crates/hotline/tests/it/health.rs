//! Liveness you can check from outside, in-process: `/healthz` on its own
//! listener turns 503 while Telegram does not answer, and back; a refused
//! reload is recorded in the heartbeat, told to the director and failed by
//! `hotline doctor`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hotline::app::StartOptions;
use hotline::clock::{Clock, TestClock};
use hotline::config::{Config, ConfigError};
use hotline::reload::{Control, supervise};
use hotline_standin::{StandIn, StandInOptions};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::helpers::{STAFF, TestApp, night};

async fn healthz(addr: std::net::SocketAddr) -> (u16, Value) {
    let answer = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    let code = answer.status().as_u16();
    (code, answer.json().await.unwrap())
}

/// Polls `/healthz` until it answers `code` (or panics after `within`).
async fn until(addr: std::net::SocketAddr, code: u16, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let (now, body) = healthz(addr).await;
        if now == code {
            return body;
        }
        assert!(Instant::now() < deadline, "still {now}: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn healthz_has_its_own_listener_and_answers_503_while_telegram_does_not_answer() {
    let app = TestApp::spawn_with(
        "[telegram]\npoll_timeout = \"1s\"\n[health]\ntelegram_down_after = \"1s\"\n",
    )
    .await;
    // Neither the desk nor the webhook runs: /healthz is served all the same.
    let addr = app.http_addr();
    let body = until(addr, 200, Duration::from_secs(10)).await;
    assert!(body["telegram_last_success_age_s"].is_number(), "{body}");
    assert_eq!(body["telegram_unreachable"], false, "{body}");
    assert!(
        body["outbox_oldest_pending_age_s_by_lane"].is_object(),
        "{body}"
    );

    app.standin.set_hang(true);
    let body = until(addr, 503, Duration::from_secs(60)).await;
    assert_eq!(body["telegram_unreachable"], true, "{body}");
    assert!(
        body["telegram_last_success_age_s"].as_f64().unwrap() > 1.0,
        "{body}"
    );

    app.standin.set_hang(false);
    let body = until(addr, 200, Duration::from_secs(60)).await;
    assert_eq!(body["telegram_unreachable"], false, "{body}");
    app.stop().await;
}

async fn reload(control: &mpsc::Sender<Control>) -> Result<(), ConfigError> {
    let (tx, rx) = oneshot::channel();
    control.send(Control::Reload(Some(tx))).await.unwrap();
    tokio::time::timeout(Duration::from_secs(60), rx)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_refused_reload_is_told_to_the_director_and_failed_by_doctor() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let path = dir.path().join("site.toml");
    let site = format!(
        "[database]\nurl = \"sqlite://{}\"\n[telegram]\napi_url = \"{}\"\n[health]\nlisten = \"\"\n{STAFF}",
        dir.path().join("hotline.db").display(),
        standin.api_url()
    );
    std::fs::write(&path, &site).unwrap();
    let config = Config::load_with_env(Some(&path), &[]).unwrap();
    let load = {
        let path = path.clone();
        move || Config::load_with_env(Some(&path), &[])
    };
    let bot = hotline::telegram::bot(standin.token(), config.telegram.api_url.as_str()).unwrap();
    let clock = TestClock::starting_at(night());
    let (control, rx) = mpsc::channel(4);
    let opts = StartOptions::default();
    let app = tokio::spawn(supervise(
        config.clone(),
        load,
        bot,
        Arc::new(clock.clone()),
        opts,
        rx,
    ));
    let deadline = Instant::now() + Duration::from_secs(30);
    while standin.calls_to("getUpdates").is_empty() {
        assert!(Instant::now() < deadline, "the bot never polled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let broken = site.replace(
        "[health]",
        "[general]\ntime_zone = \"Asia/Beijing\"\n[health]",
    );
    std::fs::write(&path, broken).unwrap();
    let refused = reload(&control).await.unwrap_err();
    assert!(refused.to_string().contains("time_zone"), "{refused}");

    // The director (demo staff: 900099) is told, in their language.
    let director = 900099;
    let shown = standin
        .wait_for_shown(director, Duration::from_secs(20), |s| {
            s.iter().any(|m| m.text.contains("新配置未生效"))
        })
        .await
        .unwrap();
    let told = shown
        .iter()
        .find(|m| m.text.contains("新配置未生效"))
        .unwrap();
    assert!(told.text.contains("Asia/Beijing"), "{}", told.text);

    // The heartbeat carries it within a second or two; doctor fails on it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let text = loop {
        let report = hotline::doctor::run(&config, Some(standin.token()), clock.now()).await;
        let text = report.render();
        if text.contains("reload was refused") || Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(text.contains("FAIL bot"), "{text}");
    assert!(
        text.contains("the last reload was refused") && text.contains("Asia/Beijing"),
        "{text}"
    );

    control.send(Control::Stop).await.unwrap();
    app.await.unwrap().unwrap();
    // Stopped on purpose: doctor says so instead of "paging looks ready".
    let report = hotline::doctor::run(&config, Some(standin.token()), clock.now()).await;
    let text = report.render();
    assert!(
        text.contains("FAIL bot") && text.contains("not running: stopped"),
        "{text}"
    );
}

#[tokio::test]
async fn every_desk_page_says_since_when_telegram_is_unreachable() {
    use crate::desk_client::{DeskClient, desk_link, manager};
    let port = crate::desk_client::free_port();
    let overrides = format!(
        "{STAFF}\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n\
         [telegram]\npoll_timeout = \"1s\"\n[health]\ntelegram_down_after = \"1s\"\n"
    );
    let app = TestApp::spawn_with(&overrides).await;
    let mut browser = DeskClient::new(&format!("http://127.0.0.1:{port}"));
    browser
        .sign_in(&desk_link(&app, &manager(&app)).await)
        .await;
    let (_, page) = browser.get("/desk").await;
    assert!(!page.contains("Telegram 无法连接"), "{page}");

    app.standin.set_hang(true);
    let deadline = Instant::now() + Duration::from_secs(60);
    let page = loop {
        let (_, page) = browser.get("/desk/oncall").await;
        if page.contains("Telegram 无法连接") || Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    // The time of the last answer, in the city's time zone.
    let rows = app.store().liveness().await.unwrap();
    let ok = rows[0].telegram_ok_at.unwrap();
    let at = chrono::DateTime::from_timestamp_millis(ok).unwrap();
    let hhmm = at.with_timezone(&chrono_tz::Asia::Shanghai).format("%H:%M");
    let banner = format!("Telegram 无法连接，自 {hhmm} 起 / Telegram unreachable since {hhmm}");
    assert!(page.contains(&banner), "{banner} in {page}");

    app.standin.set_hang(false);
    app.stop().await;
}

#[tokio::test]
async fn metrics_without_the_desk_say_when_telegram_answered_and_what_still_pages() {
    let app = TestApp::spawn_with(STAFF).await;
    // Five outage reports in one compound cross its threshold.
    app.seed_reports(10_000, 5, hotline::domain::Category::Outage, "yanshan")
        .await;
    let url = format!("http://{}/metrics", app.http_addr());
    let text = reqwest::get(&url).await.unwrap().text().await.unwrap();
    let value = |name: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(&format!("{name} ")));
        let line = line.unwrap_or_else(|| panic!("no {name} in {text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert!(value("hotline_escalations_unacknowledged") >= 1.0, "{text}");
    assert!(value("hotline_escalations_open") >= 1.0, "{text}");
    let now = chrono::Utc::now().timestamp() as f64;
    let last = value("hotline_telegram_last_success_timestamp_seconds");
    assert!(now - last < 60.0, "Telegram answered at start: {text}");
    assert_eq!(value("hotline_config_last_reload_successful"), 1.0);
    assert!(text.contains("hotline_build_info{version="), "{text}");
    app.stop().await;
}
