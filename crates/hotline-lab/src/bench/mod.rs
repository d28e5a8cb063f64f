//! Benchmarks run from the command line (`hotline-lab bench …`). The bot runs as
//! its own process (`hotline run`, the shipped binary) against a local Telegram
//! stand-in in the bench process, which enforces Telegram's limits and answers
//! 429 as Telegram does; the bot's own CPU time and memory are read from
//! `/proc`. So the figures are the bot's — real teloxide client, real SQLite
//! file, real outbox worker, real clock — and not the load generator's.
//!
//! Residents act only on what has been delivered to them (see `agent`).
//! A run can put a baseline bot beside the current one (`--baseline <git
//! revision or path>`): each runs as its own process on its own fresh stand-in
//! and database, one after the other so neither takes the other's cores, and
//! the figures are printed side by side (see [`Variant`], `baseline`).
//!
//! Files: `flood`, `residents` (with `intake_only`), `outage` and `hall` are the
//! scenarios;
//! `agent` plays one resident, `prompts` is how they read a message and
//! `crowd` runs them all; `process` is the bot process, `site` its config and
//! database, `run` one variant's run; `managers` measures alerts; `report`
//! and `stats` print the figures.

mod agent;
mod baseline;
mod crowd;
pub mod flood;
pub mod hall;
mod intake_only;
mod managers;
pub mod outage;
mod process;
mod prompts;
mod report;

pub use agent::Path;
pub use crowd::Experience;
pub use managers::AlertLatency;
pub use report::Figures;
pub use stats::Sample;
pub mod residents;
mod run;
mod site;
mod stats;

use std::path::PathBuf;
use std::time::Duration;

/// One bot under test: a name and the executable run as `<exe> run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    pub exe: PathBuf,
}

/// Options every scenario takes.
#[derive(clap::Args, Debug, Clone)]
pub struct Common {
    /// Residents, starting evenly spread over --seconds.
    #[arg(long, default_value_t = 5000)]
    pub residents: usize,
    /// The window over which residents start.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Longest think time before a resident answers what was shown to them
    /// (drawn evenly from a quarter of it up to it, seeded).
    #[arg(long, default_value = "2s", value_parser = humantime::parse_duration)]
    pub think: Duration,
    /// Seed for think times and the stand-in.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How long after the last resident started the run may go on for the
    /// others to finish; those that have not are reported as not finished.
    /// (At ~24 messages/s, 5,000 reports of 8 messages take ~28 minutes.)
    #[arg(long, default_value = "30m", value_parser = humantime::parse_duration)]
    pub drain_timeout: Duration,
    /// Also run a baseline bot in the same run, after the current one, each
    /// on a fresh stand-in and database, and print the two side by side: the
    /// path of a `hotline` executable, or a git revision (built with
    /// `cargo build --release` in a worktree under `target/lab-baseline/`).
    #[arg(long)]
    pub baseline: Option<String>,
    /// Share of message calls that fail once the bot is up (0.0–1.0): an HTTP
    /// 500, a 429 or a 20-second hang, picked evenly.
    #[arg(long, default_value_t = 0.0)]
    pub faults: f64,
    /// Keep each run's directory (config, database, the bot's log).
    #[arg(long)]
    pub keep: bool,
    /// The bot's executable (default: `hotline` beside this executable, as
    /// `cargo build --release -p hotline` leaves it).
    #[arg(long, env = "HOTLINE_LAB_BOT")]
    pub bot: Option<PathBuf>,
}

impl Common {
    /// The bots to run, in order: the current one, then the baseline (built
    /// first when it is a revision).
    pub fn variants(&self) -> anyhow::Result<Vec<Variant>> {
        let current = Variant {
            name: "current".to_owned(),
            exe: match &self.bot {
                Some(exe) => exe.clone(),
                None => baseline::beside_this_executable()?,
            },
        };
        let mut all = vec![current];
        if let Some(spec) = &self.baseline {
            all.push(baseline::resolve(spec)?);
        }
        Ok(all)
    }

    pub fn window(&self) -> Duration {
        Duration::from_secs(self.seconds.max(1))
    }
}

/// `hotline bench …`.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum BenchCommand {
    /// A flood of residents with ≥ 100 escalations in it (thresholds, urgent
    /// faults, hospitals; two managers): how soon does each alert reach a
    /// manager after the report that opened it was committed?
    Flood(flood::FloodArgs),
    /// A city-wide outage: residents write at once, most about one known
    /// incident, half in one message and half through the wizard. Time to
    /// first answer, time to receipt, Telegram calls per report.
    Residents(residents::ResidentsArgs),
    /// Telegram unreachable for --minutes (default 10) while urgent reports
    /// arrive through Open311, then back: alerts reaching phones (fake SMS)
    /// and their delay, time to drain the backlog, duplicates, 429s.
    Outage(outage::OutageArgs),
    /// The desk with a year behind it (issue 23): a million stored reports,
    /// ten thousand open; the queue, searches, a ticket page, the reports
    /// page and submitting a call, timed with concurrent clients.
    Hall(hall::HallArgs),
}

/// Runs a benchmark and prints its figures. Ctrl-C drops the run, which
/// kills the bot process (it would otherwise poll a vanished stand-in).
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    let scenario = async {
        match command {
            BenchCommand::Flood(args) => flood::run(&args).await,
            BenchCommand::Residents(args) => residents::run(&args).await,
            BenchCommand::Outage(args) => outage::run(&args).await,
            BenchCommand::Hall(args) => hall::run(&args).await,
        }
    };
    tokio::select! {
        result = scenario => result,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    }
}
