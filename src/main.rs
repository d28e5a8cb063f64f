//! `hotline`: thin entry point. Parses the command line, loads the config,
//! starts the app from the library and waits.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use hotline::app::{self, StartOptions};
use hotline::bench::flood::{FloodOptions, QueueChoice};
use hotline::clock::SystemClock;
use hotline::config::Config;
use hotline::domain::Lang;
use hotline::oncall;

#[derive(Parser)]
#[command(
    name = "hotline",
    version,
    about = "A Telegram bot for a water utility's 24-hour service line"
)]
struct Cli {
    /// Override file layered over the built-in defaults (also HOTLINE_CONFIG).
    #[arg(long, short, global = true, env = "HOTLINE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot for real (needs TELOXIDE_TOKEN).
    Run,
    /// Play a scripted scenario against a local Telegram stand-in and print the
    /// conversation (built-in defaults plus config/demo.toml's staff; --config is ignored).
    Demo {
        /// Keep the demo's SQLite file here instead of a temporary directory.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Validate the configuration and print what was loaded.
    CheckConfig,
    /// Print who is on call for each role, and the next hand-offs.
    Oncall {
        /// City-local "YYYY-MM-DD HH:MM" to ask about; default: now.
        #[arg(long)]
        at: Option<String>,
        /// Language of the answer: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
    /// Benchmarks against the local stand-in, which enforces Telegram's limits
    /// (built-in defaults plus config/demo.toml's staff; --config is ignored).
    Bench {
        #[command(subcommand)]
        which: BenchKind,
    },
    /// Print the reports created on city dates FROM..=TO as CSV (UTF-8 with a
    /// BOM, for Excel): the desk's Reports download.
    Export {
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
    },
    /// Print the daily digest of a city date (what the director gets at web.digest_at).
    Digest {
        #[arg(long)]
        date: chrono::NaiveDate,
        /// Language: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum BenchKind {
    /// Residents flood the bot while compounds cross their thresholds: how soon
    /// does the duty manager's alert leave, with priority lanes and with FIFO?
    Flood {
        /// Residents, each filing one report through the wizard (6 updates).
        #[arg(long, default_value_t = 5000)]
        residents: usize,
        /// The window over which residents start.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Outbox ordering(s) to measure, each on a fresh stand-in and database.
        #[arg(long, value_enum, default_value_t = QueueChoice::Both)]
        queue: QueueChoice,
        /// Threshold crossings (one alert each) spread over the middle of the window.
        #[arg(long, default_value_t = 5)]
        crossings: usize,
        /// How long to wait for residents' updates and outstanding alerts before
        /// reporting them as not done.
        #[arg(long, default_value = "120s", value_parser = humantime::parse_duration)]
        drain_timeout: Duration,
    },
}

fn load(path: Option<&std::path::Path>) -> Result<Config, ExitCode> {
    Config::load(path).map_err(|error| {
        eprintln!("{error}");
        ExitCode::from(2)
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let result = match cli.command {
        Command::CheckConfig => {
            println!("{}", config.describe());
            println!("configuration OK");
            Ok(())
        }
        Command::Run => run(config).await,
        Command::Demo { db } => hotline::demo::run(db).await,
        Command::Oncall { at, lang } => print_oncall(&config, at.as_deref(), &lang).await,
        Command::Export { from, to } => export(&config, from, to).await,
        Command::Digest { date, lang } => digest(&config, date, &lang).await,
        Command::Bench {
            which:
                BenchKind::Flood {
                    residents,
                    seconds,
                    queue,
                    crossings,
                    drain_timeout,
                },
        } => {
            let opts = FloodOptions {
                residents,
                seconds,
                crossings,
                drain_timeout,
            };
            hotline::bench::flood::run(&opts, queue).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `hotline export`: the CSV on stdout.
async fn export(
    config: &Config,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> anyhow::Result<()> {
    use std::io::Write;
    let csv = hotline::web::reports::export_csv(config, from, to).await?;
    std::io::stdout().write_all(csv.as_bytes())?;
    Ok(())
}

/// `hotline digest`: the day's digest on stdout.
async fn digest(config: &Config, date: chrono::NaiveDate, lang: &str) -> anyhow::Result<()> {
    let lang = Lang::parse(lang).unwrap_or(Lang::Zh);
    let store = hotline::store::Store::connect(&config.database.url, 2).await?;
    println!(
        "{}",
        hotline::web::digest::compose(&store, config, date, lang).await?
    );
    store.close().await;
    Ok(())
}

/// `hotline oncall`: no stored overrides yet; once the store has them, load
/// them here and pass them to [`oncall_text`].
/// Prints who holds each role at `--at`, with the overrides stored in the
/// database (none if the SQLite file does not exist yet).
async fn print_oncall(config: &Config, at: Option<&str>, lang: &str) -> anyhow::Result<()> {
    let lang = Lang::parse(lang).ok_or_else(|| anyhow::anyhow!("--lang must be zh or en"))?;
    let tz = config.general.time_zone;
    let at = match at {
        Some(text) => oncall::parse_local(text, tz).map_err(|e| anyhow::anyhow!("--at: {e}"))?,
        None => chrono::Utc::now(),
    };
    let rotations = config.oncall()?;
    let url = &config.database.url;
    let sqlite_file = url
        .strip_prefix("sqlite://")
        .map(|rest| rest.split('?').next().unwrap_or(rest));
    let (overrides, away) = match sqlite_file {
        Some(path) if !std::path::Path::new(path).exists() => (Vec::new(), Vec::new()),
        _ => {
            let store = hotline::store::Store::connect(url, 1).await?;
            let mut tx = store.begin().await?;
            let found = (
                tx.current_overrides(at.timestamp_millis()).await?,
                tx.away_people().await?,
            );
            tx.commit().await?;
            found
        }
    };
    println!(
        "{}",
        oncall::render(&rotations, at, &overrides, &away, lang)
    );
    Ok(())
}

async fn run(config: Config) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                format!("info,{}", hotline::telegram::CLIENT_LOG_FILTER).into()
            }),
        )
        .init();
    // The token comes only from the environment and is never logged.
    let token = std::env::var("TELOXIDE_TOKEN").map_err(|_| {
        anyhow::anyhow!(
            "TELOXIDE_TOKEN is not set: create a bot with @BotFather and export its token"
        )
    })?;
    let bot = hotline::telegram::bot(&token, &config.telegram.api_url)?;
    drop(token);
    // Like the token: only from the environment, never logged.
    let webhook_secret = match std::env::var("HOTLINE_WEBHOOK_SECRET") {
        Ok(secret) => Some(hotline::http::WebhookSecret::new(secret)?),
        Err(_) => None,
    };
    let options = StartOptions {
        ctrlc: true,
        webhook_secret,
        ..StartOptions::default()
    };
    let running = app::start(config, bot, Arc::new(SystemClock), options).await?;
    running.wait().await;
    Ok(())
}
