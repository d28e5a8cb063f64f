//! `hotline bench residents` (issue 11): a main breaks on a winter evening and
//! thousands of residents write at once. Most name the compound of the one
//! known incident (燕山小区, outage; its first five reports open it), the rest
//! report other faults elsewhere; half write the fault in one message, half go
//! through the wizard; one in ten writes English. Each acts only on what was
//! delivered to them, after a seeded think time.
//!
//! Figures: time to the first answer and to the receipt (p50/p99/max with n),
//! Telegram calls per completed report by path, 429s, updates handled per
//! second, the bot's peak RSS and CPU.
//!
//! `--intake-only` measures the intake alone: the stand-in's limits are off
//! and residents do not wait for prompts; each injects its updates at its
//! start time (one message, or `/report`, the place and the description),
//! leaving its dialogue open, and the run counts updates handled per second
//! (from the database) until all are handled. The bot's peak RSS is then the
//! memory of that many open dialogues.

use std::time::{Duration, Instant};

use super::agent::Plan;
use super::crowd::{Crowd, Experience, Manner};
use super::flood::FIRST_RESIDENT_ID;
use super::report::{Figures, side_by_side};
use super::run::Harness;
use super::site::SiteSpec;
use super::stats::secs;
use super::{Common, Variant};
use hotline::config::Config;
use hotline::domain::{Category, Lang};

/// The known incident's compound (a built-in one, with an English alias).
const INCIDENT: (&str, &str) = ("燕山小区", "Yanshan");
/// Reports that open the incident (the outage threshold).
const OPENERS: usize = 5;
pub(super) const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// `hotline bench residents`.
#[derive(clap::Args, Debug, Clone)]
pub struct ResidentsArgs {
    #[command(flatten)]
    pub common: Common,
    /// Share of residents (after the first five) who report the known incident.
    #[arg(long, default_value_t = 0.8)]
    pub known_share: f64,
    /// Sending is not the bottleneck (stand-in limits off, residents do not
    /// wait for prompts): measure how many updates per second the bot handles.
    #[arg(long)]
    pub intake_only: bool,
}

/// The residents' plans, in order of their start.
pub fn script(args: &ResidentsArgs, config: &Config) -> Vec<Plan> {
    let window = args.common.window();
    let others: Vec<(&str, &str)> = config
        .compounds
        .iter()
        .filter(|c| c.name != INCIDENT.0)
        .map(|c| {
            let en = c.aliases.iter().find(|a| a.is_ascii()).unwrap_or(&c.name);
            (c.name.as_str(), en.as_str())
        })
        .collect();
    let n = args.common.residents;
    let mut rng = fastrand::Rng::with_seed(args.common.seed);
    (0..n)
        .map(|i| {
            let known = i < OPENERS || rng.f64() < args.known_share;
            let (category, (zh, en)) = match known {
                true => (Category::Outage, INCIDENT),
                false => (
                    [Category::LowPressure, Category::Meter][i % 2],
                    others[i % others.len().max(1)],
                ),
            };
            let lang = if i % 10 == 9 { Lang::En } else { Lang::Zh };
            let start = match i < OPENERS {
                true => Duration::from_millis(200 * i as u64),
                false => window.mul_f64(i as f64 / n.max(1) as f64),
            };
            plan(
                i,
                start,
                lang,
                category,
                if lang == Lang::En { en } else { zh },
            )
        })
        .collect()
}

fn plan(i: usize, start: Duration, lang: Lang, category: Category, compound: &str) -> Plan {
    let building = 1 + i % 20;
    let (detail, description, one) = match (lang, category) {
        (Lang::Zh, Category::Outage) => (
            format!("{building}号楼"),
            "家里停水了，一滴水都没有",
            format!("{compound}{building}号楼停水了"),
        ),
        (Lang::Zh, Category::LowPressure) => (
            format!("{building}号楼"),
            "水压很低，楼上几乎没有水",
            format!("{compound}{building}号楼水压很低"),
        ),
        (Lang::Zh, _) => (
            format!("{building}号楼"),
            "水表好像不走了",
            format!("{compound}{building}号楼水表不走了"),
        ),
        (Lang::En, Category::Outage) => (
            format!("building {building}"),
            "No water at all since this evening",
            format!("No water in {compound} building {building}"),
        ),
        (Lang::En, Category::LowPressure) => (
            format!("building {building}"),
            "Very low pressure on the upper floors",
            format!("Low pressure in {compound} building {building}"),
        ),
        (Lang::En, _) => (
            format!("building {building}"),
            "The meter seems stuck",
            format!("Water meter stuck in {compound} building {building}"),
        ),
    };
    Plan {
        user_id: FIRST_RESIDENT_ID + i as i64,
        lang,
        start,
        category,
        compound: compound.to_owned(),
        detail,
        description: description.to_owned(),
        one_message: (i % 2 == 1).then_some(one),
    }
}

/// `hotline bench residents`: each variant on its own stand-in and database.
pub async fn run(args: &ResidentsArgs) -> anyhow::Result<()> {
    let c = &args.common;
    println!(
        "hotline bench residents{}: {} residents within {} s, {:.0}% about the known incident, \
         think ≤ {}, seed {}",
        if args.intake_only {
            " --intake-only"
        } else {
            ""
        },
        c.residents,
        c.seconds,
        100.0 * args.known_share,
        humantime::format_duration(c.think),
        c.seed
    );
    println!(
        "{}{}\n",
        if args.intake_only {
            "(the bot as its own process; stand-in limits off, residents do not wait for prompts)"
        } else {
            "(the bot as its own process; stand-in enforcing Telegram's limits: 30 msg/s overall, \
             1/s per chat, burst 3"
        },
        if args.intake_only {
            String::new()
        } else {
            format!("{})", super::report::faults_note(c.faults))
        }
    );
    let mut all = Vec::new();
    for variant in c.variants()? {
        let figures = match args.intake_only {
            true => super::intake_only::measure(args, &variant).await?,
            false => one(args, &variant).await?,
        };
        println!("{}", figures.render());
        all.push(figures);
    }
    if all.len() > 1 {
        println!("side by side:\n{}", side_by_side(&all));
    }
    Ok(())
}

pub(super) fn defaults() -> anyhow::Result<Config> {
    Config::from_override_str("", "defaults")
        .map_err(|e| anyhow::anyhow!("the built-in defaults are invalid: {e}"))
}

pub(super) fn spec() -> SiteSpec {
    SiteSpec {
        generated: Vec::new(),
        hospitals: Vec::new(),
        history: 0,
        extra: String::new(),
        telegram_extra: String::new(),
    }
}

/// One variant, residents acting on what was delivered.
async fn one(args: &ResidentsArgs, variant: &Variant) -> anyhow::Result<Figures> {
    let c = &args.common;
    let plans = script(args, &defaults()?);
    let mut h = Harness::start("residents", &spec(), variant, true, c).await?;
    let manner = Manner {
        think: c.think,
        seed: c.seed,
        ticket_prefix: h.site.config.general.ticket_prefix.clone(),
    };
    let deadline = h.t0 + c.window() + c.drain_timeout;
    let plans = plans.into_iter().map(|p| (p, true)).collect();
    let crowd = Crowd::spawn(&h.standin, plans, h.t0, h.t0_wall, deadline, &manner);
    let mut next_progress = Instant::now() + PROGRESS_EVERY;
    while !crowd.watched_done() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if Instant::now() >= next_progress {
            next_progress += PROGRESS_EVERY;
            let (done, n) = crowd.finished();
            let handled = h.observer.handled_updates().await?;
            h.progress(&format!(
                "residents through {done}/{n}, updates handled {handled}"
            ))?;
        }
    }
    let outcomes = crowd.stop().await;
    let done = h.finish()?;
    let handled = done.observer.handled_updates().await?;
    let experience = Experience::of(&outcomes, &done.calls, done.stopped, &manner.ticket_prefix);
    let mut f = Figures::new(&variant.name);
    experience.add_rows(&mut f);
    f.add(
        "updates handled",
        format!(
            "{handled} of {} sent ({:.1}/s over {})",
            experience.updates,
            handled as f64 / done.wall.as_secs_f64().max(0.001),
            secs(done.wall)
        ),
    );
    f.add_delivery_and_cost(&done.calls, done.bot, done.bench, done.wall);
    done.clean_up().await;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_residents_name_the_known_incident_half_in_one_message() {
        let args = ResidentsArgs {
            common: Common {
                residents: 1000,
                seconds: 60,
                think: Duration::from_secs(1),
                seed: 1,
                drain_timeout: Duration::from_secs(1),
                baseline: None,
                faults: 0.0,
                keep: false,
                bot: None,
            },
            known_share: 0.8,
            intake_only: false,
        };
        let plans = script(&args, &defaults().unwrap());
        assert_eq!(plans.len(), 1000);
        let known = plans
            .iter()
            .filter(|p| p.category == Category::Outage)
            .count();
        assert!((750..=850).contains(&known), "{known}");
        let one = plans.iter().filter(|p| p.one_message.is_some()).count();
        assert_eq!(one, 500);
        assert!(plans[..5].iter().all(|p| p.compound == "燕山小区"));
    }
}
