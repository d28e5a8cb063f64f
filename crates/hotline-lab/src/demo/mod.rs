//! `hotline-lab demo`: the real bot against the local Telegram stand-in (and,
//! for one resident, the WeChat stand-in) on a fresh SQLite file, playing a
//! scripted night at the hotline, printed as a transcript.

mod desk;
mod night_shift;
mod residents;
mod wechat;

use std::path::PathBuf;
use std::sync::Arc;

pub use hotline_standin::{Resident, texts};

use chrono::{DateTime, Utc};
use hotline::app::{self, StartOptions};

use hotline::clock::TestClock;
use hotline::config::Config;
use night_shift::{Stage, night_shift};
use residents::script;

use hotline_standin::{Shown, StandIn, StandInOptions};

/// Prints one turn: what the person did, then what the bot answered.
fn turn(who: &Resident, action: &str, replies: &[Shown]) {
    println!("👤 {}: {action}", who.name());
    for reply in replies {
        let text = reply.text.replace('\n', "\n   ");
        println!("🤖 {text}");
        let buttons: Vec<String> = reply
            .inline
            .iter()
            .chain(&reply.keyboard)
            .flatten()
            .map(|b| format!("[{}]", b.text))
            .collect();
        if !buttons.is_empty() {
            println!("   {}", buttons.join(" "));
        }
    }
    println!();
}

/// The demo's staff and rotations, layered over the built-in defaults.
pub const DEMO_TOML: &str = include_str!("../../../../config/demo.toml");

/// 2026-02-09 23:00 in Jinan: the night of the story.
pub fn story_night() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-02-09T23:00:00+08:00")
        .expect("a valid instant")
        .to_utc()
}

/// Runs the scripted scenario and prints it. The demo's clock starts on the
/// story's night and jumps ahead where the script says "ten minutes later".
pub async fn run(db: Option<PathBuf>) -> anyhow::Result<()> {
    let mut config = Config::from_override_str(DEMO_TOML, "config/demo.toml")?;
    let dir = std::env::temp_dir().join(format!("hotline-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = db.unwrap_or_else(|| dir.join("demo.db"));
    let _ = std::fs::remove_file(&db);
    config.database.url = format!("sqlite://{}", db.display());
    let standin = StandIn::start(StandInOptions::default()).await?;
    config.telegram.api_url =
        hotline::config::HttpUrl::parse(standin.api_url().as_str()).map_err(anyhow::Error::msg)?;
    desk::enable(&mut config);
    let (wechat, wechat_env) = wechat::enable(&mut config).await?;
    let bot = hotline::telegram::bot(standin.token(), config.telegram.api_url.as_str())?;
    let clock = TestClock::starting_at(story_night());
    let stage = Stage {
        config: config.clone(),
        clock: clock.clone(),
    };
    let options = StartOptions {
        gateway_env: wechat_env,
        ..StartOptions::default()
    };
    let running = app::start(config, bot, Arc::new(clock), options).await?;
    wechat::connect(&wechat, &running, &stage.config, &stage.clock);
    println!(
        "hotline demo: the real bot, a local Telegram stand-in, database {}\n",
        db.display()
    );
    let result = match script(&standin, &running.store).await {
        Ok(()) => wechat::script(&wechat, &running).await,
        Err(error) => Err(error),
    };
    let result = match result {
        Ok(()) => night_shift(&standin, &running, &stage).await,
        Err(error) => Err(error),
    };
    let result = match result {
        Ok(()) => {
            desk::show(
                &standin,
                &running,
                &stage.config,
                hotline::clock::Clock::now(&stage.clock),
            )
            .await
        }
        Err(error) => Err(error),
    };
    let store = running.store.clone();
    let reports = store.all_reports().await?;
    running.stop().await;
    result?;
    println!("── stored reports ──");
    for r in reports {
        let place = format!("{} {}", r.compound_text, r.address_detail);
        println!(
            "{}  {:<16} {:<20} {}  phone {}",
            r.ticket,
            r.category,
            place.trim(),
            r.status.code(),
            r.phone.unwrap_or_default()
        );
    }
    println!(
        "\nTelegram calls made by the bot: {}; 429s received: {}",
        standin.calls().len(),
        standin.count_429()
    );
    println!("WeChat sends refused: {}", wechat.refusals().len());
    Ok(())
}
