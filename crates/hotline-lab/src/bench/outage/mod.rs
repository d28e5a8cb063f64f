//! `hotline-lab bench outage` (issue 27): Telegram unreachable for
//! `--minutes` (connections refused, calls on open ones hanging) while
//! urgent reports arrive through Open311 — the channel that still works —
//! then Telegram back. Nobody acknowledges, so every escalation should reach
//! its manager's phone `gateway.after` after it opened (and the director's
//! at the director step), and when Telegram answers again the backlog should
//! drain without duplicates or 429s.
//!
//! The bot runs as its own process against the stand-in (enforcing
//! Telegram's limits) and the fake SMS gateway (`hotline_standin::sms`),
//! with its HTTP server on for Open311. `--residents`, `--seconds`
//! and `--think` do not apply here; `--faults` adds failures on top once
//! Telegram is back. Figures: escalations opened; texts reaching phones and
//! the first text's delay after its escalation opened (p50/p95/max, n);
//! the Telegram backlog at recovery and the time to drain it; duplicates
//! (the same alert twice in one chat, messages shown beyond the outbox rows
//! sent, the same escalation texted twice to one phone); 429s.

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime};

use hotline_standin::sms::{FakeGateway, FakeRequest};

use super::managers::epoch_ms;
use super::report::{Figures, side_by_side};
use super::run::Harness;
use super::site::{Compound, SiteSpec, generated_compounds};
use super::stats::secs;
use super::{Common, Variant};
use count::{
    first_text_delays, repeated_alerts, repeated_texts, spread, text_to, texted_escalations,
};

mod count;

/// The Open311 key the run's city system uses.
const OPEN311_KEY: &str = "bench-outage-key";
/// How often recovery is looked at: the drain time's resolution.
const LOOK_EVERY: Duration = Duration::from_millis(250);
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// `hotline-lab bench outage`.
#[derive(clap::Args, Debug, Clone)]
pub struct OutageArgs {
    #[command(flatten)]
    pub common: Common,
    /// How long Telegram is unreachable.
    #[arg(long, default_value_t = 10)]
    pub minutes: u64,
    /// Urgent reports (a leak, each in a compound of its own) arriving
    /// through Open311, evenly spread over the outage.
    #[arg(long, default_value_t = 30)]
    pub reports: usize,
    /// The site's `gateway.after`: an alert still unacknowledged this long
    /// goes to the phone.
    #[arg(long, default_value = "1m", value_parser = humantime::parse_duration)]
    pub after: Duration,
    /// After Telegram returns, how long to wait for the backlog to drain and
    /// every escalation to reach a phone before reporting what has not.
    #[arg(long, default_value = "5m", value_parser = humantime::parse_duration)]
    pub recovery_timeout: Duration,
}

/// `hotline-lab bench outage`: each variant on its own stand-in, gateway
/// and database, one after the other.
pub async fn run(args: &OutageArgs) -> anyhow::Result<()> {
    println!(
        "hotline bench outage: Telegram unreachable for {} min, {} urgent reports through \
         Open311 meanwhile, gateway.after {}, nobody acknowledging, seed {}",
        args.minutes,
        args.reports,
        humantime::format_duration(args.after),
        args.common.seed
    );
    println!(
        "(the bot as its own process; stand-in enforcing Telegram's limits; fake SMS gateway{})\n",
        super::report::faults_note(args.common.faults)
    );
    let mut all = Vec::new();
    for variant in args.common.variants()? {
        let figures = measure(args, &variant).await?.figures;
        println!("{}", figures.render());
        all.push(figures);
    }
    if all.len() > 1 {
        println!("side by side:\n{}", side_by_side(&all));
    }
    Ok(())
}

/// What happened during one variant's run, read before the bot stops.
struct Observed {
    posted: usize,
    refused: usize,
    backlog: i64,
    drained_in: Option<Duration>,
    waited: Duration,
    openings: Vec<(i64, i64)>,
    texts: Vec<FakeRequest>,
}

/// What one variant's outage run measured.
#[derive(Debug, Clone)]
pub struct OutageRun {
    pub figures: Figures,
    pub escalations: usize,
    /// Escalations at least one text named.
    pub texted: usize,
    /// Time from recovery until the backlog written before it was out.
    pub drained_in: Option<Duration>,
    /// Alerts twice in one chat, messages shown beyond the rows sent, and
    /// escalations texted twice to one phone, together.
    pub duplicates: usize,
}

/// One variant's run.
pub async fn measure(args: &OutageArgs, variant: &Variant) -> anyhow::Result<OutageRun> {
    let gateway = FakeGateway::start().await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let compounds = generated_compounds(args.reports.clamp(1, 144))?;
    let spec = SiteSpec {
        generated: compounds.clone(),
        hospitals: vec![],
        history: 0,
        extra: extra_config(&gateway.url(), port, args.after),
        telegram_extra: format!("webhook_listen = \"127.0.0.1:{port}\"\n"),
    };
    let mut h = Harness::start("outage", &spec, variant, true, &args.common).await?;
    let since = epoch_ms(h.t0_wall);
    let api = format!("http://127.0.0.1:{port}/open311/v2/requests.json");
    h.standin.set_unreachable(true);
    let (posted, refused) = report_through_outage(args, &mut h, &api, &compounds).await?;
    h.standin.set_unreachable(false);
    let observed = recover(args, &mut h, &gateway, since, posted, refused).await?;
    let people: Vec<i64> = h.site.config.people.iter().map(|p| p.telegram_id).collect();
    let done = h.finish()?;
    let mut extra_shown = 0;
    for chat in &people {
        let rows = done.observer.sent_rows_to(*chat).await?;
        extra_shown += (done.standin.shown(*chat).len() as i64 - rows).max(0);
    }
    let mut f = Figures::new(&variant.name);
    add_rows(&mut f, &observed, args.recovery_timeout);
    let (alerts_twice, texts_twice) = (
        repeated_alerts(&done.calls, &people),
        repeated_texts(&observed.texts),
    );
    f.add(
        "duplicates",
        format!(
            "Telegram: {alerts_twice} alerts twice in one chat, {extra_shown} shown beyond the \
             rows sent; SMS: {texts_twice} escalations texted twice to one phone"
        ),
    );
    f.add_delivery_and_cost(&done.calls, done.bot, done.bench, done.wall);
    done.clean_up().await;
    let texted = texted_escalations(&observed.texts);
    Ok(OutageRun {
        figures: f,
        escalations: observed.openings.len(),
        texted: observed
            .openings
            .iter()
            .filter(|(id, _)| texted.contains(id))
            .count(),
        drained_in: observed.drained_in,
        duplicates: alerts_twice + texts_twice + extra_shown as usize,
    })
}

/// The gateway, and Open311 with the run's key (served on the HTTP server
/// at `telegram.webhook_listen`; the bot still polls).
fn extra_config(gateway_url: &str, port: u16, after: Duration) -> String {
    format!(
        "\n[gateway]\nkind = \"http\"\nurl = \"{gateway_url}/sms\"\nafter = \"{}\"\n\
         \n[open311]\nenabled = true\nbase_url = \"http://127.0.0.1:{port}/open311/v2\"\n\
         keys = [{{ client = \"bench\", key_sha256 = \"{}\" }}]\n",
        humantime::format_duration(after),
        hotline::secret::digest(OPEN311_KEY)
    )
}

/// Posts the reports evenly over the outage, then waits for its end.
/// Returns (accepted, refused).
async fn report_through_outage(
    args: &OutageArgs,
    h: &mut Harness,
    api: &str,
    compounds: &[Compound],
) -> anyhow::Result<(usize, usize)> {
    let down_at = Instant::now();
    let outage = Duration::from_secs(args.minutes * 60);
    let gap = outage / u32::try_from(args.reports.max(1)).unwrap_or(u32::MAX);
    let client = reqwest::Client::new();
    let (mut posted, mut refused) = (0, 0);
    let mut next_progress = Instant::now() + PROGRESS_EVERY;
    for i in 0..args.reports {
        tokio::time::sleep_until((down_at + gap * i as u32).into()).await;
        let compound = &compounds[i % compounds.len()];
        let fields = [
            ("api_key", OPEN311_KEY),
            ("service_code", "leak"),
            ("address_string", compound.name.as_str()),
            ("description", "主管道爆管，路面积水 (bench outage)"),
        ];
        match client.post(api).form(&fields).send().await {
            Ok(answer) if answer.status().is_success() => posted += 1,
            _ => refused += 1,
        }
        if Instant::now() >= next_progress {
            next_progress += PROGRESS_EVERY;
            h.progress(&format!("Telegram down; {posted} reports in"))?;
        }
    }
    tokio::time::sleep_until((down_at + outage).into()).await;
    Ok((posted, refused))
}

/// With Telegram back: waits until the backlog written before recovery is
/// out and every escalation has reached a phone (or the timeout).
async fn recover(
    args: &OutageArgs,
    h: &mut Harness,
    gateway: &FakeGateway,
    since: i64,
    posted: usize,
    refused: usize,
) -> anyhow::Result<Observed> {
    let up_at = Instant::now();
    let up_ms = epoch_ms(SystemTime::now());
    let backlog = h.observer.telegram_backlog(up_ms).await?;
    let mut drained_in = None;
    let mut next_progress = Instant::now() + PROGRESS_EVERY;
    loop {
        tokio::time::sleep(LOOK_EVERY).await;
        if drained_in.is_none() && h.observer.telegram_backlog(up_ms).await? == 0 {
            drained_in = Some(up_at.elapsed());
        }
        let openings = h.observer.escalation_openings(since).await?;
        let texted = texted_escalations(&gateway.requests());
        let all_texted = openings.iter().all(|(id, _)| texted.contains(id));
        let timed_out = up_at.elapsed() >= args.recovery_timeout;
        if (drained_in.is_some() && all_texted) || timed_out {
            return Ok(Observed {
                posted,
                refused,
                backlog,
                drained_in,
                waited: up_at.elapsed(),
                openings,
                texts: gateway.requests(),
            });
        }
        if Instant::now() >= next_progress {
            next_progress += PROGRESS_EVERY;
            let left = h.observer.telegram_backlog(up_ms).await?;
            h.progress(&format!(
                "Telegram back; backlog {left}, texts {}",
                texted.len()
            ))?;
        }
    }
}

fn add_rows(f: &mut Figures, o: &Observed, timeout: Duration) {
    f.add(
        "escalations",
        format!(
            "{} opened ({} reports accepted, {} refused)",
            o.openings.len(),
            o.posted,
            o.refused
        ),
    );
    let delays = first_text_delays(&o.openings, &o.texts);
    let phones: BTreeSet<String> = o.texts.iter().filter_map(text_to).collect();
    f.add(
        "alerts to phones",
        format!(
            "{} of {} escalations reached a phone; {} texts to {} phone(s)",
            delays.len(),
            o.openings.len(),
            o.texts.len(),
            phones.len()
        ),
    );
    f.add("phone delay", spread(&delays));
    let drain = match o.drained_in {
        Some(d) => format!("drained in {}", secs(d)),
        None => format!("not drained after {}", secs(timeout.max(o.waited))),
    };
    f.add(
        "backlog",
        format!("{} Telegram messages at recovery; {drain}", o.backlog),
    );
}
