//! `hotline`: thin entry point. Parses the command line, loads the config,
//! starts the app from the library and waits.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use hotline::app::StartOptions;
use hotline::clock::SystemClock;
use hotline::commands;
use hotline::config::Config;
use hotline::domain::PersonId;

#[derive(Parser)]
#[command(
    name = "hotline",
    version,
    about = "A Telegram bot for a water utility's 24-hour service line"
)]
struct Cli {
    /// Override file layered over the built-in defaults (also HOTLINE_CONFIG;
    /// default: /etc/hotline/hotline.toml when it exists).
    #[arg(long, short, global = true, env = "HOTLINE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot for real (needs TELOXIDE_TOKEN).
    Run,
    /// Validate the configuration and print what was loaded (every error, and
    /// warnings for a configuration that would page nobody).
    CheckConfig,
    /// Write a commented starter configuration for a small service centre.
    Init(hotline::init::InitOptions),
    /// Check that paging works: token, database, rotations for 14 days, staff
    /// reachable, gateway. Exits 1 on any problem (run it from cron).
    Doctor,
    /// Ask every running instance (through the database) to re-read its
    /// settings, and wait for the answer: exit 1 when it was refused.
    Reload,
    /// The running bot's heartbeat alone (for HEALTHCHECK and frequent cron
    /// runs): exit 1 when it is stopped, cut off from Telegram or stuck.
    Health,
    /// Print who is on call for each role, and the next hand-offs.
    Oncall {
        /// City-local "YYYY-MM-DD HH:MM" to ask about; default: now.
        #[arg(long)]
        at: Option<String>,
        /// Language of the answer: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
    /// Open311 GeoReport v2 API keys.
    Open311 {
        #[command(subcommand)]
        which: Open311Kind,
    },
    /// Staff accounts: `staff invite PERSON` prints a one-time link that
    /// records the person's Telegram id when they open it.
    Staff {
        #[command(subcommand)]
        which: StaffKind,
    },
    /// The web desk: `desk link PERSON` prints a one-time sign-in link,
    /// for when Telegram cannot deliver `/desk`'s.
    Desk {
        #[command(subcommand)]
        which: DeskKind,
    },
    /// Erase residents' details and old delivery records past `[retention]`.
    Purge {
        /// Only print what would be removed.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the QR code (PNG) of a compound's poster and print its link;
    /// with --wechat, each compound's WeChat scene and QR code.
    Qr {
        /// The compound's id in the config, e.g. yanshan (with --wechat:
        /// default every compound).
        #[arg(long, required_unless_present = "wechat")]
        compound: Option<String>,
        /// The bot's username (as in t.me/<username>).
        #[arg(long, env = "HOTLINE_BOT_USERNAME", required_unless_present = "wechat")]
        bot: Option<String>,
        /// Where to write the PNG (default qr-<compound>.png).
        #[arg(long, conflicts_with = "wechat")]
        out: Option<PathBuf>,
        /// The WeChat account's posters: print each compound's scene and
        /// create its permanent QR code (needs [wechat] and its AppSecret).
        #[arg(long)]
        wechat: bool,
    },
    /// The WeChat account: `wechat menu` sets its custom menu.
    Wechat {
        #[command(subcommand)]
        which: WechatKind,
    },
    /// Copy the SQLite database consistently, also while the bot runs.
    Backup {
        /// The copy to write (must not exist).
        file: PathBuf,
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
        /// Also write the digest's chart (the week to that date) to this PNG file.
        #[arg(long)]
        png: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Open311Kind {
    /// `key add CLIENT`: create (or replace) a client's key and print it once.
    Key {
        /// Only `add`.
        #[arg(value_parser = ["add"])]
        action: String,
        client: String,
    },
}

#[derive(Subcommand)]
enum WechatKind {
    /// Set the custom menu: 报修 / 我的报修 / 查询 (needs [wechat] and its AppSecret).
    Menu,
}

#[derive(Subcommand)]
enum DeskKind {
    /// Print a one-time sign-in link to the desk for a `[[people]]` entry,
    /// without Telegram (valid for `web.link_ttl`, single use).
    Link {
        /// The person's `id` in the config.
        person: PersonId,
    },
}

#[derive(Subcommand)]
enum StaffKind {
    /// Print a one-time deep link `https://t.me/<bot>?start=…` for a
    /// `[[people]]` entry; opening it links that Telegram account (single use).
    Invite {
        /// The person's `id` in the config.
        person: PersonId,
        /// The bot's username; default: asked from Telegram (TELOXIDE_TOKEN).
        #[arg(long, env = "HOTLINE_BOT_USERNAME")]
        bot: Option<String>,
        /// How long the link stays valid, e.g. 7d, 12h.
        #[arg(long, default_value = "7d", value_parser = humantime::parse_duration)]
        valid: std::time::Duration,
    },
}

fn load(path: Option<&std::path::Path>) -> Result<Config, ExitCode> {
    Config::load(path).map_err(|error| {
        eprintln!("{error}");
        ExitCode::from(2)
    })
}

/// `hotline check-config`: every error in one run (exit 2), or what was
/// loaded, then any warnings (a config that would page nobody), exit 0.
fn check_config(path: Option<&std::path::Path>) -> ExitCode {
    match Config::check(path) {
        Err(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            let n = errors.len();
            eprintln!("{n} error{} found", if n == 1 { "" } else { "s" });
            ExitCode::from(2)
        }
        Ok(config) => {
            println!("{}", config.describe());
            let warnings = config.warnings();
            for warning in &warnings {
                println!("{warning}");
            }
            match warnings.len() {
                0 => println!("configuration OK"),
                n => println!("configuration OK, with {n} WARNING(S) above"),
            }
            ExitCode::SUCCESS
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut cli = Cli::parse();
    cli.config = hotline::upkeep::guard::config_path(cli.config.take());
    match &cli.command {
        Command::CheckConfig => return check_config(cli.config.as_deref()),
        Command::Init(opts) => return report(hotline::init::run(opts)),
        _ => {}
    }
    let config = match load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let touches_data = matches!(
        cli.command,
        Command::Backup { .. }
            | Command::Export { .. }
            | Command::Digest { .. }
            | Command::Purge { .. }
            | Command::Reload
    );
    if touches_data {
        let env_db = std::env::var_os("HOTLINE__DATABASE__URL").is_some();
        let ready =
            hotline::upkeep::guard::data_command_ready(&config, cli.config.as_deref(), env_db);
        if let Err(why) = ready {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    }
    let result = match cli.command {
        Command::CheckConfig | Command::Init(_) => unreachable!("handled before loading"),
        Command::Run => run(config, cli.config.clone()).await,
        Command::Doctor => return doctor(&config).await,
        Command::Reload => commands::request_reload(&config).await,
        Command::Health => match hotline::health::cli::check(&config).await {
            Ok(true) => return ExitCode::SUCCESS,
            Ok(false) => return ExitCode::FAILURE,
            Err(error) => Err(error),
        },
        Command::Oncall { at, lang } => commands::print_oncall(&config, at.as_deref(), &lang).await,
        Command::Open311 {
            which: Open311Kind::Key { client, .. },
        } => hotline::upkeep::keys::add(&config, &client).await,
        Command::Staff {
            which: StaffKind::Invite { person, bot, valid },
        } => commands::staff_invite(&config, &person, bot, valid).await,
        Command::Desk {
            which: DeskKind::Link { person },
        } => commands::desk_link(&config, &person).await,
        Command::Purge { dry_run } => commands::purge(&config, dry_run).await,
        Command::Qr {
            compound,
            wechat: true,
            ..
        } => hotline::wechat::setup::posters(&config, compound.as_deref()).await,
        Command::Qr {
            compound, bot, out, ..
        } => {
            let (compound, bot) = (compound.unwrap_or_default(), bot.unwrap_or_default());
            hotline::upkeep::qr::run(&config, &compound, &bot, out.as_deref())
        }
        Command::Wechat {
            which: WechatKind::Menu,
        } => hotline::wechat::setup::set_menu(&config).await,
        Command::Export { from, to } => commands::export(&config, from, to).await,
        Command::Digest { date, lang, png } => commands::digest(&config, date, &lang, png).await,
        Command::Backup { file } => hotline::upkeep::backup::run(&config, &file).await,
    };
    report(result)
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `hotline doctor`: prints each finding; exit 1 when any failed.
async fn doctor(config: &Config) -> ExitCode {
    // An empty TELOXIDE_TOKEN (a blank line in an environment file) is unset.
    let token = std::env::var("TELOXIDE_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let report = hotline::doctor::run(config, token.as_deref(), chrono::Utc::now()).await;
    print!("{}", report.render());
    if report.healthy() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `RUST_LOG` (default: info, the Bot API client quieter) in `log.format`:
/// text lines, or one JSON object per line for log collectors.
fn init_logging(format: hotline::config::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| format!("info,{}", hotline::telegram::CLIENT_LOG_FILTER).into());
    // Colour only for a person at a terminal: never under systemd, in a
    // file or a pipe, nor with NO_COLOR set (no-color.org).
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour);
    match format {
        hotline::config::LogFormat::Text => builder.init(),
        hotline::config::LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

async fn run(config: Config, path: Option<PathBuf>) -> anyhow::Result<()> {
    init_logging(config.log.format);
    let files = hotline::http::bounded::raise_fd_limit();
    let cap = hotline::http::bounded::max_connections();
    tracing::info!(files, http_connections = cap, "descriptor limit");
    // The token comes only from the environment and is never logged.
    let token = std::env::var("TELOXIDE_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let token = token.ok_or_else(|| {
        anyhow::anyhow!(
            "TELOXIDE_TOKEN is not set: create a bot with @BotFather and export its token"
        )
    })?;
    let bot = hotline::telegram::connect(&token, &config.telegram)?;
    drop(token);
    // Like the token: only from the environment, never logged.
    let webhook_secret = match std::env::var("HOTLINE_WEBHOOK_SECRET") {
        Ok(secret) => Some(hotline::http::WebhookSecret::new(secret)?),
        Err(_) => None,
    };
    let options = StartOptions {
        webhook_secret,
        systemd: hotline::app::SystemdNotify::from_env(),
        ..StartOptions::default()
    };
    // Ctrl-C and SIGTERM stop gracefully; SIGHUP or `hotline reload` re-reads
    // the settings.
    let (tx, control) = tokio::sync::mpsc::channel(4);
    hotline::reload::signals(tx.clone())?;
    let store = hotline::store::Store::connect(&config.database.url, 1).await?;
    hotline::reload::watch_database(store, std::time::Duration::from_secs(5), tx).await;
    let load = move || Config::load(path.as_deref());
    hotline::reload::supervise(config, load, bot, Arc::new(SystemClock), options, control).await
}
