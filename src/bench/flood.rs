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

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::agent::Plan;
use super::crowd::{Crowd, Experience, Manner};
use super::managers::{AlertLatency, alert_latencies, epoch_ms};
use super::report::{Figures, side_by_side};
use super::run::Harness;
use super::site::{Compound, SiteSpec, generated_compounds};
use super::stats::{Sample, dist};
use super::{Common, Variant};
use crate::config::Config;
use crate::domain::{Category, Lang};

/// Resident user ids start here: far from the demo staff's 9000xx ids.
pub const FIRST_RESIDENT_ID: i64 = 10_000_000;
/// How often the run looks whether it is done, and prints progress.
const LOOK_EVERY: Duration = Duration::from_secs(1);
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

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

/// Who provokes what, and the site that makes it possible.
#[derive(Debug, Clone)]
pub struct Script {
    /// Every resident; `true` for those whose reports open escalations.
    pub plans: Vec<(Plan, bool)>,
    pub spec: SiteSpec,
    /// Escalations expected, by reason (`threshold`, `urgent`, `zone`).
    pub expected: BTreeMap<&'static str, usize>,
}

/// What a resident writes about a category: a description for the wizard,
/// and a short phrase for the one-message report.
fn words(category: Category) -> (&'static str, &'static str) {
    match category {
        Category::Outage => ("整栋楼停水了，一滴水都没有", "停水了"),
        Category::Quality => ("自来水发黄，有异味", "自来水发黄"),
        Category::Leak => ("楼下水管漏水，水流了一地", "水管漏水了"),
        Category::SecondarySupply => ("二次供水的水泵坏了", "二次供水水泵坏了"),
        Category::LowPressure => ("水压很低，楼上几乎没有水", "水压很低"),
        Category::Meter => ("水表好像不走了", "水表不走了"),
        Category::Other => ("其他问题", "其他问题"),
    }
}

/// One Chinese resident of `compound` reporting `category`; every other one
/// writes it in one message.
fn plan(i: usize, start: Duration, category: Category, compound: &str) -> Plan {
    let (description, phrase) = words(category);
    let detail = format!("{}号楼{}单元", 1 + i % 20, 1 + i % 4);
    Plan {
        user_id: FIRST_RESIDENT_ID + i as i64,
        lang: Lang::Zh,
        start,
        category,
        compound: compound.to_owned(),
        one_message: i
            .is_multiple_of(2)
            .then(|| format!("{compound}{detail}{phrase}")),
        detail,
        description: description.to_owned(),
    }
}

/// The flood's script: provoking residents spread over the middle 80 % of
/// the window, background residents (low pressure and meters, which never
/// escalate outside a zone) spread over all of it.
pub fn script(args: &FloodArgs, config: &Config, history: i64) -> anyhow::Result<Script> {
    let e = args.escalations;
    let (zones, urgent) = (e / 5, 2 * e / 5);
    let thresholds = e - zones - urgent;
    let generated = generated_compounds(args.compounds)?;
    let (hospitals, plain) = generated.split_at(zones.min(generated.len()));
    let pairs = urgent.max(thresholds).div_ceil(2);
    anyhow::ensure!(
        hospitals.len() == zones && plain.len() >= pairs,
        "{e} escalations need {} generated compounds (--compounds is {})",
        zones + pairs,
        args.compounds
    );
    let window = args.common.window();
    let mut starts: Vec<(Category, &Compound, usize)> = Vec::new();
    for h in hospitals {
        starts.push((Category::LowPressure, h, 1));
    }
    for k in 0..urgent {
        let category = [Category::Leak, Category::SecondarySupply][k % 2];
        starts.push((category, &plain[k / 2], 1));
    }
    let esc = &config.escalation;
    for k in 0..thresholds {
        let category = [Category::Outage, Category::Quality][k % 2];
        let n = *esc.thresholds.get(&category).unwrap_or(&1) as usize;
        starts.push((category, &plain[k / 2], n));
    }
    // Interleave the kinds over time: sort by a stride through the list.
    let groups = starts.len();
    let mut plans = Vec::new();
    let mut i = 0;
    for g in 0..groups {
        let (category, compound, n) = starts[(g * 7919) % groups.max(1)];
        let at = window.mul_f64(0.1 + 0.8 * g as f64 / groups.max(1) as f64);
        for j in 0..n {
            let start = at + Duration::from_millis(500) * j as u32;
            plans.push((plan(i, start, category, &compound.name), true));
            i += 1;
        }
    }
    anyhow::ensure!(
        plans.len() <= args.common.residents,
        "{e} escalations need {} residents; --residents is {}",
        plans.len(),
        args.common.residents
    );
    let background: Vec<&str> = config
        .compounds
        .iter()
        .map(|c| c.name.as_str())
        .chain(plain.iter().map(|c| c.name.as_str()))
        .collect();
    let rest = args.common.residents - plans.len();
    for k in 0..rest {
        let category = [Category::LowPressure, Category::Meter][k % 3 / 2];
        let start = window.mul_f64(k as f64 / rest.max(1) as f64);
        plans.push((
            plan(i, start, category, background[k % background.len()]),
            false,
        ));
        i += 1;
    }
    plans.sort_by_key(|(p, _)| p.start);
    let expected = BTreeMap::from([
        ("threshold", thresholds),
        ("urgent", urgent),
        ("zone", zones),
    ]);
    Ok(Script {
        plans,
        spec: SiteSpec {
            generated: generated.clone(),
            hospitals: hospitals.iter().map(|c| c.id.clone()).collect(),
            history,
        },
        expected,
    })
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
        faults_note(c.faults)
    );
    let mut all = Vec::new();
    for variant in c.variants() {
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
    let failed_messages = done.observer.outbox_counts().await?.failed;
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

/// Every escalation opened so far has an alert that was sent (by the database).
async fn all_alerts_sent(h: &Harness, since: i64) -> anyhow::Result<bool> {
    let deliveries = h.observer.alert_deliveries(since).await?;
    let mut sent: BTreeMap<i64, bool> = BTreeMap::new();
    for d in &deliveries {
        *sent.entry(d.escalation_id).or_default() |= d.telegram_message_id.is_some();
    }
    Ok(!sent.is_empty() && sent.values().all(|s| *s))
}

fn add_alert_rows(
    f: &mut Figures,
    latencies: &[AlertLatency],
    expected: &BTreeMap<&'static str, usize>,
    people: &[(i64, String)],
) {
    let mut by_reason: BTreeMap<&str, Vec<Sample>> = BTreeMap::new();
    for l in latencies {
        by_reason.entry(&l.reason).or_default().push(l.sample);
    }
    let counts = |m: &dyn Fn(&str) -> usize| {
        ["threshold", "urgent", "zone"]
            .iter()
            .map(|r| format!("{r} {}", m(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    f.add(
        "escalations",
        format!(
            "{} opened ({}); provoked {} ({})",
            latencies.len(),
            counts(&|r| by_reason.get(r).map_or(0, Vec::len)),
            expected.values().sum::<usize>(),
            counts(&|r| expected.get(r).copied().unwrap_or(0))
        ),
    );
    let mut to: BTreeMap<&str, usize> = BTreeMap::new();
    for l in latencies {
        if let Some(chat) = l.chat_id {
            let name = people
                .iter()
                .find(|(id, _)| *id == chat)
                .map_or("?", |(_, n)| n.as_str());
            *to.entry(name).or_default() += 1;
        }
    }
    let sent = latencies
        .iter()
        .filter(|l| l.sample.sent().is_some())
        .count();
    f.add(
        "alerts delivered",
        format!(
            "{sent} of {} (first alert to: {})",
            latencies.len(),
            to.iter()
                .map(|(name, n)| format!("{name} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let all: Vec<Sample> = latencies.iter().map(|l| l.sample).collect();
    f.add("alert latency", dist(&all));
    for (reason, samples) in &by_reason {
        f.add(&format!("  {reason}"), dist(samples));
    }
}

/// `; 30% of message calls failing …` when `--faults` is on.
pub fn faults_note(share: f64) -> String {
    match share > 0.0 {
        true => format!(
            "; {:.0}% of message calls failing: HTTP 500, 429 or a 20 s hang",
            100.0 * share
        ),
        false => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(residents: usize, escalations: usize) -> FloodArgs {
        FloodArgs {
            common: Common {
                residents,
                seconds: 10,
                think: Duration::from_secs(1),
                seed: 1,
                drain_timeout: Duration::from_secs(1),
                compare: false,
                variants: vec![],
                faults: 0.0,
                keep: false,
                bot_exe: None,
            },
            escalations,
            compounds: 100,
            history: vec![0],
            alert_timeout: Duration::from_secs(1),
        }
    }

    #[test]
    fn the_script_provokes_each_escalation_in_its_own_compound_and_category() {
        let config = Config::from_override_str("", "defaults").unwrap();
        let s = script(&args(300, 120), &config, 0).unwrap();
        assert_eq!(s.plans.len(), 300);
        assert_eq!(s.expected.values().sum::<usize>(), 120);
        assert_eq!(s.spec.hospitals.len(), 24);
        let provoking: Vec<&Plan> = s.plans.iter().filter(|(_, w)| *w).map(|(p, _)| p).collect();
        // 24 hospitals and 48 urgent faults (one each), 24 × 5 outages, 24 × 3 quality.
        assert_eq!(provoking.len(), 24 + 48 + 24 * 5 + 24 * 3);
        let window = Duration::from_secs(10);
        assert!(
            provoking
                .iter()
                .all(|p| p.start >= window / 10 && p.start <= window)
        );
        let hospital_names: Vec<String> = s.spec.generated[..24]
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let background = s.plans.iter().filter(|(_, w)| !*w).map(|(p, _)| p);
        assert!(
            background
                .clone()
                .all(|p| !hospital_names.contains(&p.compound))
        );
        assert!(
            background
                .clone()
                .all(|p| matches!(p.category, Category::LowPressure | Category::Meter))
        );
        let mut ids: Vec<i64> = s.plans.iter().map(|(p, _)| p.user_id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 300);
        assert!(
            script(&args(200, 120), &config, 0).is_err(),
            "too few residents"
        );
    }
}
