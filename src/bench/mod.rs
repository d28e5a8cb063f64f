//! Benchmarks run from the command line (`hotline bench …`). The bot runs as
//! its own process (`hotline run`, this binary) against a local Telegram
//! stand-in in the bench process, which enforces Telegram's limits and answers
//! 429 as Telegram does; the bot's own CPU time and memory are read from
//! `/proc`. So the figures are the bot's — real teloxide client, real SQLite
//! file, real outbox worker, real clock — and not the load generator's.
//!
//! Residents act only on what has been delivered to them (see `agent`).
//! A run can put the old behaviour beside the new one (`--compare`): each
//! variant is a set of environment variables for the bot process, run on its
//! own fresh stand-in and database (see [`Variant`]).
//!
//! Files: `flood` and `residents` (with `intake_only`) are the scenarios;
//! `agent` plays one resident, `prompts` is how they read a message and
//! `crowd` runs them all; `process` is the bot process, `site` its config and
//! database, `run` one variant's run; `managers` measures alerts; `report`
//! and `stats` print the figures.

mod agent;
mod crowd;
pub mod flood;
mod intake_only;
mod managers;
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

use std::str::FromStr;
use std::time::Duration;

/// The benchmark-only switch the bot process reads in `hotline run`:
/// `fifo` sends the outbox first-in-first-out (no priority lanes), today's
/// baseline for alerts under a flood.
pub const OUTBOX_ORDER_ENV: &str = "HOTLINE_BENCH_OUTBOX_ORDER";

/// One behaviour under test: a name and the environment the bot process gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    pub env: Vec<(String, String)>,
}

impl Variant {
    /// The code as built, nothing switched.
    pub fn current() -> Variant {
        Variant {
            name: "current".to_owned(),
            env: Vec::new(),
        }
    }

    /// A plain FIFO outbox (`Pacing::by_lane = false`).
    pub fn fifo() -> Variant {
        Variant {
            name: "fifo".to_owned(),
            env: vec![(OUTBOX_ORDER_ENV.to_owned(), "fifo".to_owned())],
        }
    }
}

/// `current`, `fifo`, or `NAME:ENV=VALUE[,ENV=VALUE…]`.
impl FromStr for Variant {
    type Err = String;

    fn from_str(s: &str) -> Result<Variant, String> {
        let (name, env) = s.split_once(':').unwrap_or((s, ""));
        let name = name.trim();
        if name.is_empty() {
            return Err("a variant needs a name: NAME or NAME:ENV=VALUE,…".into());
        }
        if env.is_empty() {
            return match name {
                "current" => Ok(Variant::current()),
                "fifo" => Ok(Variant::fifo()),
                _ => Err(format!(
                    "unknown variant `{name}`: give its environment, NAME:ENV=VALUE,…"
                )),
            };
        }
        let env = env
            .split(',')
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
                _ => Err(format!("`{pair}` is not ENV=VALUE")),
            })
            .collect::<Result<_, _>>()?;
        Ok(Variant {
            name: name.to_owned(),
            env,
        })
    }
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
    /// Also run the old behaviour in the same run, each on a fresh stand-in
    /// and database: the --variant(s) given, or `fifo`.
    #[arg(long)]
    pub compare: bool,
    /// A variant: `current`, `fifo`, or NAME:ENV=VALUE[,ENV=VALUE…] (environment
    /// for the bot process). Repeatable.
    #[arg(long = "variant")]
    pub variants: Vec<Variant>,
    /// Share of message calls that fail once the bot is up (0.0–1.0): an HTTP
    /// 500, a 429 or a 20-second hang, picked evenly.
    #[arg(long, default_value_t = 0.0)]
    pub faults: f64,
    /// Keep each run's directory (config, database, the bot's log).
    #[arg(long)]
    pub keep: bool,
    /// The bot's executable (default: this one). For tests, whose own
    /// executable is the test binary.
    #[arg(long, hide = true, env = "HOTLINE_BENCH_EXE")]
    pub bot_exe: Option<std::path::PathBuf>,
}

impl Common {
    /// The variants to run, in order: `current` first when comparing.
    pub fn variants(&self) -> Vec<Variant> {
        match (self.compare, self.variants.is_empty()) {
            (false, true) => vec![Variant::current()],
            (false, false) => self.variants.clone(),
            (true, true) => vec![Variant::current(), Variant::fifo()],
            (true, false) => std::iter::once(Variant::current())
                .chain(
                    self.variants
                        .iter()
                        .filter(|v| v.name != "current")
                        .cloned(),
                )
                .collect(),
        }
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
}

/// Runs a benchmark and prints its figures. Ctrl-C drops the run, which
/// kills the bot process (it would otherwise poll a vanished stand-in).
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    let scenario = async {
        match command {
            BenchCommand::Flood(args) => flood::run(&args).await,
            BenchCommand::Residents(args) => residents::run(&args).await,
        }
    };
    tokio::select! {
        result = scenario => result,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_parse_by_name_or_environment() {
        assert_eq!("fifo".parse::<Variant>(), Ok(Variant::fifo()));
        let v: Variant = "old-alerts:HOTLINE_X=1, HOTLINE_Y=a=b".parse().unwrap();
        assert_eq!(v.name, "old-alerts");
        assert_eq!(
            v.env,
            vec![
                ("HOTLINE_X".into(), "1".into()),
                ("HOTLINE_Y".into(), "a=b".into())
            ]
        );
        assert!("nope".parse::<Variant>().is_err());
        assert!("x:novalue".parse::<Variant>().is_err());
    }
}
