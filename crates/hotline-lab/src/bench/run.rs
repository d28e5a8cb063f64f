//! One variant's run, start to finish: a fresh stand-in, a fresh site and
//! database, the bot as its own process; at the end the bot's usage, the
//! stand-in's call log and the database, then everything cleaned away.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use super::process::{BotProcess, Usage, own_usage};
use super::site::{Site, SiteSpec};
use super::stats::mb;
use super::{Common, Variant};
use crate::db::LabDb;
use hotline_standin::{Call, Faults, StandIn, StandInOptions};

/// The observer's connections: reads only, beside the bot's pool.
const OBSERVER_CONNECTIONS: u32 = 2;

/// How long an injected hang holds a call (`--faults`).
const HANG: Duration = Duration::from_secs(20);

/// A run in progress.
pub struct Harness {
    pub variant: Variant,
    pub standin: StandIn,
    pub site: Site,
    pub observer: LabDb,
    bot: BotProcess,
    /// When the bot was polling and the run began.
    pub t0: Instant,
    pub t0_wall: SystemTime,
    keep: bool,
}

/// What a finished run leaves to be read.
pub struct Finished {
    pub calls: Vec<Call>,
    pub bot: Usage,
    pub bench: Usage,
    pub wall: Duration,
    pub stopped: SystemTime,
    pub observer: LabDb,
    pub standin: StandIn,
    dir: PathBuf,
    keep: bool,
}

impl Harness {
    /// `enforce_limits`: the stand-in answers 429 as Telegram does.
    pub async fn start(
        scenario: &str,
        spec: &SiteSpec,
        variant: &Variant,
        enforce_limits: bool,
        common: &Common,
    ) -> anyhow::Result<Harness> {
        let (seed, keep) = (common.seed, common.keep);
        let standin = StandIn::start(StandInOptions {
            enforce_limits,
            seed: Some(seed),
            ..StandInOptions::default()
        })
        .await?;
        let dir = std::env::temp_dir().join(format!(
            "hotline-bench-{}-{scenario}-{}",
            std::process::id(),
            variant.name
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let site = Site::create(&dir, spec, standin.api_url().as_str()).await?;
        let bot = BotProcess::spawn(
            &variant.exe,
            &site.config_path,
            &standin,
            dir.join("bot.log"),
        )
        .await?;
        // The bot has created and migrated its database: zones and history now.
        let observer = LabDb::connect(&site.db_url, OBSERVER_CONNECTIONS).await?;
        super::site::seed(&observer, spec, &site.config).await?;
        if common.faults > 0.0 {
            // Kinds the stand-in may add later stay off.
            #[allow(clippy::needless_update)]
            standin.set_faults(Some(Faults {
                fail_share: common.faults.min(1.0),
                http_500: true,
                too_many: true,
                slow: Some(HANG),
                ..Faults::default()
            }));
        }
        eprintln!(
            "[{}] bot process {} polling the stand-in; site in {}",
            variant.name,
            bot.pid(),
            dir.display()
        );
        Ok(Harness {
            variant: variant.clone(),
            standin,
            site,
            observer,
            bot,
            t0: Instant::now(),
            t0_wall: SystemTime::now(),
            keep,
        })
    }

    /// A progress line on stderr with the bot's usage; an error if the bot died.
    pub fn progress(&mut self, what: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.bot.alive(),
            "the bot process died mid-run; its log: {}",
            self.bot.log.display()
        );
        let usage = self.bot.usage()?;
        eprintln!(
            "[{}] {:>6.1} s: {what}; 429s {}; bot CPU {:.1} s, RSS {}",
            self.variant.name,
            self.t0.elapsed().as_secs_f64(),
            self.standin.count_429(),
            usage.cpu.as_secs_f64(),
            mb(usage.rss)
        );
        Ok(())
    }

    /// The bot's CPU time and memory so far.
    pub fn bot_usage(&self) -> anyhow::Result<Usage> {
        self.bot.usage()
    }

    /// Stops the bot (its usage read first) and hands over what is to be read.
    pub fn finish(self) -> anyhow::Result<Finished> {
        let wall = self.t0.elapsed();
        let stopped = SystemTime::now();
        let bot = self.bot.finish()?;
        Ok(Finished {
            calls: self.standin.calls(),
            bot,
            bench: own_usage()?,
            wall,
            stopped,
            observer: self.observer,
            standin: self.standin,
            dir: self.site.dir,
            keep: self.keep,
        })
    }
}

impl Finished {
    /// Closes the database and removes the run's directory (unless `--keep`).
    pub async fn clean_up(self) {
        self.observer.close().await;
        if self.keep {
            eprintln!("kept {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
