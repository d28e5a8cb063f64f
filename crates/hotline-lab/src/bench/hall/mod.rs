//! `hotline-lab bench hall` (issue 23): the desk with a year behind it.
//! `--reports` stored reports (default 1,000,000; the newest `--open`
//! still open) are seeded into the database the bot process created
//! (`crate::hall_seed`), an operator signs in with a link from `hotline desk
//! link desk-liu` (the path without Telegram), and `--clients` concurrent
//! clients ask each page `--requests` times, one page after another: the
//! queue, the search by a whole phone, by its last 4 digits, by a ticket, by
//! a word residents use and by a word nobody wrote, a ticket page, the
//! reports page (GETs), and submitting a call (POSTs with the session's
//! CSRF token, which file a report through the chat's own transaction).
//! Printed per page: p50/p95/p99/max with n, and answers that were not the
//! expected status, and the bot's CPU time per request (the figure that
//! does not depend on how busy the machine is). The targets (p95 ≤ 200 ms for the pages, ≤ 100 ms for a
//! call) are printed beside them.
//!
//! Choices: phones, tickets and words are drawn with `--seed`; the calls go
//! to the seeded callers' numbers (so the form's history is not empty),
//! compounds and categories drawn from all (urgent ones page a manager, as
//! they would); the bot is warmed by one request per page before measuring.

mod client;
mod plan;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client::{Operator, desk_link};
use plan::{Page, Request};

use super::report::{Figures, side_by_side};
use super::run::Harness;
use super::site::{SiteSpec, generated_compounds};
use super::stats::percentile;
use super::{Common, Variant};
use crate::hall_seed::HallSeed;

/// The operator who signs in (config/demo.toml).
const OPERATOR: &str = "desk-liu";

/// `hotline-lab bench hall`.
#[derive(clap::Args, Debug, Clone)]
pub struct HallArgs {
    #[command(flatten)]
    pub common: Common,
    /// Stored reports.
    #[arg(long, default_value_t = 1_000_000)]
    pub reports: i64,
    /// Of them, the newest still open.
    #[arg(long, default_value_t = 10_000)]
    pub open: i64,
    /// Concurrent clients (operators' browsers).
    #[arg(long, default_value_t = 4)]
    pub clients: usize,
    /// Requests per page.
    #[arg(long, default_value_t = 200)]
    pub requests: usize,
}

/// `hotline-lab bench hall`: each variant on its own stand-in and database.
pub async fn run(args: &HallArgs) -> anyhow::Result<()> {
    println!(
        "hotline bench hall: {} stored reports ({} open), {} clients, {} requests per page, \
         seed {}",
        args.reports, args.open, args.clients, args.requests, args.common.seed
    );
    println!("(the bot as its own process, the desk over HTTP, SQLite)\n");
    let mut all = Vec::new();
    for variant in args.common.variants()? {
        let figures = measure(args, &variant).await?;
        println!("{}", figures.render());
        all.push(figures);
    }
    if all.len() > 1 {
        println!("side by side:\n{}", side_by_side(&all));
    }
    Ok(())
}

/// One variant: seed, sign in, every page in turn.
pub async fn measure(args: &HallArgs, variant: &Variant) -> anyhow::Result<Figures> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let spec = SiteSpec {
        generated: generated_compounds(144)?,
        hospitals: vec![],
        history: 0,
        extra: format!("\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n"),
        telegram_extra: String::new(),
    };
    let mut h = Harness::start("hall", &spec, variant, true, &args.common).await?;
    let config = &h.site.config;
    let seed = HallSeed {
        reports: args.reports,
        open: args.open.min(args.reports),
        compounds: config
            .compounds
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        ticket_prefix: config.general.ticket_prefix.clone(),
        tz: config.general.time_zone,
        now: chrono::Utc::now(),
    };
    let started = std::time::Instant::now();
    h.observer.seed_hall(&seed).await?;
    h.progress(&format!(
        "seeded {} reports in {:.1} s",
        args.reports,
        started.elapsed().as_secs_f64()
    ))?;
    let link = desk_link(&variant.exe, &h.site.config_path, OPERATOR)?;
    let operator = Operator::sign_in(&format!("http://127.0.0.1:{port}"), &link).await?;
    let tickets = plan::tickets(&h.observer, args.reports, args.requests, args.common.seed).await?;
    let mut f = Figures::new(&variant.name);
    f.add(
        "stored reports",
        format!("{} ({} open)", args.reports, seed.open),
    );
    let mut rng = fastrand::Rng::with_seed(args.common.seed);
    for page in Page::ALL {
        let requests = plan::requests(page, args.requests, &tickets, &seed, &mut rng);
        let warm = requests[..1].to_vec();
        drive(&operator, warm, 1).await?;
        let cpu_before = h.bot_usage()?.cpu;
        let outcome = drive(&operator, requests, args.clients).await?;
        let cpu = h.bot_usage()?.cpu.saturating_sub(cpu_before);
        h.progress(&format!("{} done", page.label()))?;
        let per_request = cpu.as_secs_f64() * 1000.0 / outcome.took.len().max(1) as f64;
        f.add(
            page.label(),
            format!(
                "{}; bot CPU {per_request:.1} ms per request",
                outcome.render(page)
            ),
        );
    }
    let done = h.finish()?;
    f.add(
        "bot",
        format!(
            "CPU {:.1} s, peak RSS {}",
            done.bot.cpu.as_secs_f64(),
            super::stats::mb(done.bot.peak_rss)
        ),
    );
    done.clean_up().await;
    Ok(f)
}

/// What one page's requests took.
struct Outcome {
    took: Vec<Duration>,
    unexpected: Vec<String>,
}

impl Outcome {
    fn render(&self, page: Page) -> String {
        let show = |q: f64| {
            percentile(&self.took, q).map_or("-".to_owned(), |d| format!("{} ms", d.as_millis()))
        };
        let max = self.took.iter().max().map_or(0, |d| d.as_millis());
        let target = page.target().as_millis();
        let p95 = percentile(&self.took, 0.95).unwrap_or_default();
        let verdict = if p95 <= page.target() {
            "met"
        } else {
            "MISSED"
        };
        let mut line = format!(
            "p50 {} · p95 {} · p99 {} · max {max} ms (n = {}); target p95 ≤ {target} ms: {verdict}",
            show(0.5),
            show(0.95),
            show(0.99),
            self.took.len()
        );
        if !self.unexpected.is_empty() {
            line.push_str(&format!(
                "; {} unexpected answers, e.g. {}",
                self.unexpected.len(),
                self.unexpected[0]
            ));
        }
        line
    }
}

/// Sends `requests` from `clients` concurrent clients sharing one session.
async fn drive(
    operator: &Operator,
    requests: Vec<Request>,
    clients: usize,
) -> anyhow::Result<Outcome> {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let (operator, requests, next) = (operator.clone(), requests.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Outcome {
                took: vec![],
                unexpected: vec![],
            };
            while let Some(request) = requests.get(next.fetch_add(1, Ordering::Relaxed)) {
                let answer = request.send(&operator).await?;
                if answer.status != request.expect {
                    let body: String = answer.body.chars().take(200).collect();
                    out.unexpected
                        .push(format!("{} → {}: {body}", request.path, answer.status));
                }
                out.took.push(answer.took);
            }
            anyhow::Ok(out)
        }));
    }
    let mut all = Outcome {
        took: vec![],
        unexpected: vec![],
    };
    for task in tasks {
        let out = task.await??;
        all.took.extend(out.took);
        all.unexpected.extend(out.unexpected);
    }
    Ok(all)
}
