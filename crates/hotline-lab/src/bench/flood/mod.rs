//! `hotline bench flood` (issue 10): thousands of residents report within a
//! minute while, among them, ≥ 100 escalations open — thresholds crossed
//! (five outages, three quality reports in one compound), urgent faults
//! (leak, secondary supply) and hospitals (a priority zone whose reports go
//! straight to the director) across many compounds, so alerts go to two
//! managers. Measures each alert from the commit of the report that opened
//! the escalation to the manager's `sendMessage` at the stand-in.
//!
//! Every resident, the provoking ones included, acts only on what was
//! delivered to them: the escalations open as the backlog of prompts lets
//! their reports through, and their alerts must not queue behind that backlog.
//! The run ends when every provoking resident is through and every alert has
//! left (or `--alert-timeout` later); the background residents' backlog is
//! not waited for.

use std::time::{Duration, Instant};

use super::crowd::{Crowd, Experience, Manner};
use super::managers::{AlertLatency, add_alert_rows, alert_latencies, all_alerts_sent, epoch_ms};
use super::report::{Figures, side_by_side};
use super::run::Harness;
use super::{Common, Variant};
use hotline::config::Config;

/// Resident user ids start here: far from the demo staff's 9000xx ids.
pub const FIRST_RESIDENT_ID: i64 = 10_000_000;
/// How often the run looks whether it is done, and prints progress.
const LOOK_EVERY: Duration = Duration::from_secs(1);
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

mod script;

pub use script::{Script, script};

/// `hotline bench flood`.
#[derive(clap::Args, Debug, Clone)]
pub struct FloodArgs {
    #[command(flatten)]
    pub common: Common,
    /// Escalations to provoke: a fifth hospitals (one report each, paging the
    /// director), two fifths urgent faults (one report each), the rest
    /// thresholds (five outages or three quality reports in one compound).
    #[arg(long, default_value_t = 120)]
    pub escalations: usize,
    /// Compounds generated beside the built-in six.
    #[arg(long, default_value_t = 100)]
    pub compounds: usize,
    /// Past resolved reports (with their escalations and alerts) seeded before
    /// the run; several (`10000,1000000`) run once each, side by side.
    #[arg(long, value_delimiter = ',', default_value = "0")]
    pub history: Vec<i64>,
    /// Once the provoking residents are through, how long to wait for alerts
    /// still unsent before reporting them as not sent.
    #[arg(long, default_value = "2m", value_parser = humantime::parse_duration)]
    pub alert_timeout: Duration,
}

/// `hotline bench flood`: each variant on its own stand-in and database.
pub async fn run(args: &FloodArgs) -> anyhow::Result<()> {
    let c = &args.common;
    println!(
        "hotline bench flood: {} residents within {} s, {} escalations provoked, history {:?}, \
         think ≤ {}, seed {}",
        c.residents,
        c.seconds,
        args.escalations,
        args.history,
        humantime::format_duration(c.think),
        c.seed
    );
    println!(
        "(the bot as its own process; stand-in enforcing Telegram's limits: 30 msg/s overall, \
         1/s per chat, burst 3{})\n",
        super::report::faults_note(c.faults)
    );
    let mut all = Vec::new();
    for variant in c.variants()? {
        for &history in &args.history {
            let mut figures = measure(args, &variant, history).await?.figures;
            if args.history.len() > 1 {
                figures.variant = format!("{} · history {history}", variant.name);
            }
            println!("{}", figures.render());
            all.push(figures);
        }
    }
    if all.len() > 1 {
        println!("side by side:\n{}", side_by_side(&all));
    }
    Ok(())
}

/// What one variant's flood measured.
#[derive(Debug, Clone)]
pub struct FloodRun {
    pub figures: Figures,
    pub experience: Experience,
    pub alerts: Vec<AlertLatency>,
    /// Outbox rows Telegram refused for good.
    pub failed_messages: i64,
}

/// One variant's run.
pub async fn measure(
    args: &FloodArgs,
    variant: &Variant,
    history: i64,
) -> anyhow::Result<FloodRun> {
    let c = &args.common;
    let config = Config::from_override_str("", "defaults")
        .map_err(|e| anyhow::anyhow!("the built-in defaults are invalid: {e}"))?;
    let script = script(args, &config, history)?;
    let mut h = Harness::start("flood", &script.spec, variant, true, c).await?;
    let manner = Manner {
        think: c.think,
        seed: c.seed,
        ticket_prefix: h.site.config.general.ticket_prefix.clone(),
    };
    let deadline = h.t0 + c.window() + c.drain_timeout;
    let crowd = Crowd::spawn(
        &h.standin,
        script.plans.clone(),
        h.t0,
        h.t0_wall,
        deadline,
        &manner,
    );
    let since = epoch_ms(h.t0_wall);
    let mut watched_done_at: Option<Instant> = None;
    let mut next_progress = Instant::now() + PROGRESS_EVERY;
    loop {
        tokio::time::sleep(LOOK_EVERY).await;
        let now = Instant::now();
        if crowd.watched_done() {
            let at = *watched_done_at.get_or_insert(now);
            if all_alerts_sent(&h, since).await? || now >= at + args.alert_timeout {
                break;
            }
        }
        if now >= deadline {
            break;
        }
        if now >= next_progress {
            next_progress += PROGRESS_EVERY;
            let (done, n) = crowd.finished();
            let opened = h.observer.escalations_opened_since(since).await?;
            h.progress(&format!(
                "residents through {done}/{n}, escalations {opened}"
            ))?;
        }
    }
    let outcomes = crowd.stop().await;
    let people: Vec<(i64, String)> = h
        .site
        .config
        .people
        .iter()
        .map(|p| (p.telegram_id, p.name.clone()))
        .collect();
    let done = h.finish()?;
    let deliveries = done.observer.alert_deliveries(since).await?;
    let failed_messages = done.observer.failed_messages().await?;
    let mut extra_to_staff = 0;
    for (chat, _) in &people {
        let rows = done.observer.sent_rows_to(*chat).await?;
        extra_to_staff += (done.standin.shown(*chat).len() as i64 - rows).max(0);
    }
    let latencies = alert_latencies(&deliveries, &done.standin, &done.calls, done.stopped);
    let experience = Experience::of(&outcomes, &done.calls, done.stopped, &manner.ticket_prefix);
    let mut f = Figures::new(&variant.name);
    if history > 0 {
        f.add("history", format!("{history} past reports seeded"));
    }
    experience.add_rows(&mut f);
    add_alert_rows(&mut f, &latencies, &script.expected, &people);
    f.add(
        "extra to staff",
        format!("{extra_to_staff} messages beyond the outbox rows sent"),
    );
    f.add("failed for good", failed_messages.to_string());
    f.add_delivery_and_cost(&done.calls, done.bot, done.bench, done.wall);
    done.clean_up().await;
    Ok(FloodRun {
        figures: f,
        experience,
        alerts: latencies,
        failed_messages,
    })
}
