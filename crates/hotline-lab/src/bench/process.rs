//! The bot under test, as its own process: `hotline run` (the current build
//! or a baseline's) against the bench's stand-in, so the figures are the bot's and not the load
//! generator's. Its CPU time and peak memory come from `/proc/<pid>/`.
//!
//! The child gets only what production gets: the token in `TELOXIDE_TOKEN`,
//! a config override file (`--config`). Its log goes to a file next to the
//! database.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use hotline_standin::StandIn;

/// How long the bot may take from spawn to its first `getUpdates`.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running bot process; killed when dropped.
pub struct BotProcess {
    child: Child,
    pub log: PathBuf,
    started: Instant,
}

/// What the kernel says the bot process used.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    /// User plus system CPU time.
    pub cpu: Duration,
    /// Peak resident memory (VmHWM), bytes.
    pub peak_rss: u64,
    /// Resident memory now (VmRSS), bytes.
    pub rss: u64,
}

impl BotProcess {
    /// Starts `<exe> run --config <config>` with the stand-in's token, and
    /// waits until it polls the stand-in for updates.
    pub async fn spawn(
        exe: &Path,
        config: &Path,
        standin: &StandIn,
        log: PathBuf,
    ) -> anyhow::Result<BotProcess> {
        let log_file =
            std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let mut command = Command::new(exe);
        command
            .arg("run")
            .arg("--config")
            .arg(config)
            .env("TELOXIDE_TOKEN", standin.token())
            .env_remove("HOTLINE_CONFIG")
            .env(
                "RUST_LOG",
                std::env::var("HOTLINE_BENCH_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file);
        // The site's config is the generated file alone: settings from the
        // caller's environment (a real database URL!) must not leak in.
        for (key, _) in std::env::vars() {
            if key.starts_with("HOTLINE__") || key == "HOTLINE_WEBHOOK_SECRET" {
                command.env_remove(key);
            }
        }
        let child = command
            .spawn()
            .with_context(|| format!("starting the bot process {}", exe.display()))?;
        let mut bot = BotProcess {
            child,
            log,
            started: Instant::now(),
        };
        bot.wait_until_polling(standin).await?;
        Ok(bot)
    }

    async fn wait_until_polling(&mut self, standin: &StandIn) -> anyhow::Result<()> {
        while standin.calls_to("getUpdates").is_empty() {
            if let Some(status) = self.child.try_wait()? {
                anyhow::bail!(
                    "the bot process exited ({status}) before polling; its log: {}",
                    self.log.display()
                );
            }
            if self.started.elapsed() > START_TIMEOUT {
                anyhow::bail!(
                    "the bot process did not poll within {START_TIMEOUT:?}; its log: {}",
                    self.log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Still running (a crash mid-run makes every later figure meaningless).
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// CPU time and memory so far.
    pub fn usage(&self) -> anyhow::Result<Usage> {
        usage_of(&format!("/proc/{}", self.pid()))
    }

    /// Reads the final usage, then kills the process (nothing it still has in
    /// hand matters to the figures) and reaps it.
    pub fn finish(mut self) -> anyhow::Result<Usage> {
        let usage = self.usage();
        let _ = self.child.kill();
        let _ = self.child.wait();
        usage
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bench process's own usage, printed beside the bot's to show which is which.
pub fn own_usage() -> anyhow::Result<Usage> {
    usage_of("/proc/self")
}

fn usage_of(dir: &str) -> anyhow::Result<Usage> {
    let stat = std::fs::read_to_string(format!("{dir}/stat"))
        .with_context(|| format!("reading {dir}/stat"))?;
    let status = std::fs::read_to_string(format!("{dir}/status"))
        .with_context(|| format!("reading {dir}/status"))?;
    let ticks = cpu_ticks(&stat).context("parsing /proc/<pid>/stat")?;
    Ok(Usage {
        cpu: Duration::from_secs_f64(ticks as f64 / clock_ticks_per_sec() as f64),
        peak_rss: status_kb(&status, "VmHWM:").unwrap_or(0) * 1024,
        rss: status_kb(&status, "VmRSS:").unwrap_or(0) * 1024,
    })
}

/// utime + stime: fields 14 and 15 of `stat`, counted after the command name
/// (which is in parentheses and may itself contain spaces).
fn cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn status_kb(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

/// `sysconf(_SC_CLK_TCK)`, asked of `getconf` once; 100 on every common Linux.
fn clock_ticks_per_sec() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .filter(|&t| t > 0)
            .unwrap_or(100)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_files_are_read_past_a_command_name_with_spaces() {
        let stat = "4242 (hot line) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0";
        assert_eq!(cpu_ticks(stat), Some(300));
        let status = "Name:\thotline\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n";
        assert_eq!(status_kb(status, "VmHWM:"), Some(20480));
        let me = own_usage().unwrap();
        assert!(me.peak_rss > 0 && me.peak_rss >= me.rss);
    }
}
