//! `hotline bench flood`: thousands of residents report within a minute while,
//! midway, a few compounds cross their escalation threshold. Measures how long
//! the duty manager's alert takes to leave the bot, with priority lanes and
//! with a plain FIFO outbox, on a stand-in that answers 429 like Telegram.
//!
//! Why it matters: Telegram lets a bot send about 30 messages a second, so a
//! flood of 5,000 residents (≈7 replies each) is a backlog of many minutes.
//! An alert that queues behind it is useless; the priority lane exists so it
//! does not. This benchmark shows the difference in one run.
//!
//! How residents are driven: each is a task walking the report wizard with six
//! updates (`/report`, category button, place, description, Skip, Confirm
//! button), starting at a time spread evenly over `--seconds`. A task waits
//! until the bot has *handled* each update (its id is recorded with its effects
//! in one transaction), not until the reply is *delivered*: deliveries are
//! throttled to 30/s, so waiting for them would take hours, and a real resident
//! would simply be kept waiting. Button data is built the way the wizard builds
//! it (`w:<seq>:<tag>:<value>`) from the dialogue state stored in the database,
//! after checking that the wizard is at the expected step. The press is "blind":
//! the stand-in has not shown the prompt yet, so the callback carries no message
//! text and the bot has nothing to edit. That leaves out the two "👉 choice"
//! edits a real resident's presses cause, so the reply backlog here is somewhat
//! *smaller* than production's would be — the comparison is, if anything, kind
//! to FIFO.
//!
//! Latency runs from the escalation's `opened_at` (the bot's wall clock,
//! stamped when it began handling the triggering report, so it includes the
//! wait for SQLite's write lock and the commit) to the moment the stand-in
//! received the `sendMessage` to the duty manager (its wall clock; same
//! machine, same clock).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde::Deserialize;
use serde_json::Value;

use super::stats::{Sample, percentile, secs};
use crate::app::{self, StartOptions};
use crate::clock::{SystemClock, from_millis};
use crate::config::Config;
use crate::demo::DEMO_TOML;
use crate::domain::{Category, Role};
use crate::intake::Dialogue;
use crate::intake::wizard::Step;
use crate::outbox::worker::Pacing;
use crate::store::{OutboxCounts, Store};
use crate::telegram::standin::{Call, FakeUser, StandIn, StandInOptions};
use crate::texts;

/// Resident user ids start here: far from the demo staff's 9000xx ids.
const FIRST_RESIDENT_ID: i64 = 10_000_000;
/// Residents of one crossing start this far apart, so the threshold is crossed
/// by one identifiable report rather than by a race.
const CROSSING_SPACING: Duration = Duration::from_millis(100);
/// The observer's own connections: its polling must not take the bot's pool.
const OBSERVER_CONNECTIONS: u32 = 4;
/// How often a resident looks again whether its update was handled, at most.
const POLL_MAX: Duration = Duration::from_millis(20);
/// Progress lines on stderr, so a long run shows it is alive.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);
/// The pressed message is unknown to the stand-in (see the module docs); 0 is
/// never a real message id.
const BLIND_MESSAGE_ID: i32 = 0;

/// What `hotline bench flood` was asked to do.
#[derive(Debug, Clone)]
pub struct FloodOptions {
    pub residents: usize,
    pub seconds: u64,
    pub crossings: usize,
    pub drain_timeout: Duration,
}

impl Default for FloodOptions {
    fn default() -> Self {
        FloodOptions {
            residents: 5000,
            seconds: 60,
            crossings: 5,
            drain_timeout: Duration::from_secs(120),
        }
    }
}

/// Which outbox orderings to run (`--queue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QueueChoice {
    Priority,
    Fifo,
    Both,
}

impl QueueChoice {
    pub fn queues(self) -> Vec<Queue> {
        match self {
            QueueChoice::Priority => vec![Queue::Priority],
            QueueChoice::Fifo => vec![Queue::Fifo],
            QueueChoice::Both => vec![Queue::Priority, Queue::Fifo],
        }
    }
}

/// One outbox ordering under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Alerts before resident replies before broadcasts (production).
    Priority,
    /// Plain first-in-first-out: the baseline.
    Fifo,
}

impl Queue {
    pub fn name(self) -> &'static str {
        match self {
            Queue::Priority => "priority",
            Queue::Fifo => "fifo",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Queue::Priority => "priority lanes (alerts first)",
            Queue::Fifo => "plain FIFO outbox",
        }
    }
}

/// Everything one mode measured.
#[derive(Debug, Clone)]
pub struct FloodResult {
    pub queue: Queue,
    pub residents: usize,
    /// Residents whose Confirm was handled.
    pub finished: usize,
    pub reports: usize,
    pub updates_injected: usize,
    pub updates_handled: usize,
    /// From the first resident's start to the last resident's Confirm.
    pub flood: Duration,
    /// Injection to "handled" as the residents saw it (polling adds up to 20 ms).
    pub handled_p50: Option<Duration>,
    pub handled_p99: Option<Duration>,
    pub escalations: usize,
    pub expected_escalations: usize,
    /// One per opened escalation, in the order they opened.
    pub samples: Vec<Sample>,
    pub count_429: usize,
    /// 429 answers to the alerts themselves (each costs the alert `retry_after`).
    pub alert_429s: usize,
    /// sendMessage and editMessageText calls, whatever the answer.
    pub message_calls: usize,
    /// Successful sendMessage and editMessageText calls.
    pub messages_sent: usize,
    pub outbox: OutboxCounts,
    pub wall: Duration,
    /// The first few residents' failures, if any.
    pub errors: Vec<String>,
}

impl FloodResult {
    pub fn alerts_sent(&self) -> usize {
        self.samples.iter().filter(|s| s.sent().is_some()).count()
    }

    pub fn p50(&self) -> Option<Sample> {
        percentile(&self.samples, 0.5)
    }

    pub fn p99(&self) -> Option<Sample> {
        percentile(&self.samples, 0.99)
    }

    /// The compact table `hotline bench flood` prints for one mode.
    pub fn render(&self) -> String {
        let rate = |n: usize| n as f64 / self.flood.as_secs_f64().max(0.001);
        let show = |s: Option<Sample>| s.map_or("-".to_string(), |s| s.to_string());
        let opt = |d: Option<Duration>| d.map_or("-".to_string(), secs);
        let n = self.samples.len();
        let mut lines = vec![
            format!("── {} ──", self.queue.title()),
            format!(
                "residents          {} ({} finished the wizard in {}, {:.0}/s)",
                self.residents,
                self.finished,
                secs(self.flood),
                rate(self.finished)
            ),
            format!(
                "updates handled    {} of {} injected ({:.0}/s; injected→handled p50 {}, p99 {})",
                self.updates_handled,
                self.updates_injected,
                rate(self.updates_handled),
                opt(self.handled_p50),
                opt(self.handled_p99)
            ),
            format!("reports stored     {}", self.reports),
            format!(
                "escalations        {} opened, {} expected",
                self.escalations, self.expected_escalations
            ),
            format!("alerts sent        {} of {}", self.alerts_sent(), n),
            format!(
                "alert latency      p50 {}, p99 {}, max {} (n = {n}{})",
                show(self.p50()),
                show(self.p99()),
                show(self.samples.iter().max().copied()),
                if n < 100 {
                    "; nearest rank: with fewer than 100 samples p99 is the max"
                } else {
                    ""
                }
            ),
            format!(
                "  each             {}",
                self.samples
                    .iter()
                    .map(Sample::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "429s received      {} ({:.1}% of {} message calls; {} on an alert)",
                self.count_429,
                100.0 * self.count_429 as f64 / self.message_calls.max(1) as f64,
                self.message_calls,
                self.alert_429s
            ),
            format!(
                "messages sent      {} (sendMessage + editMessageText answered ok)",
                self.messages_sent
            ),
            format!(
                "still queued       {} (pending {}, sending {}; failed {})",
                self.outbox.pending + self.outbox.sending,
                self.outbox.pending,
                self.outbox.sending,
                self.outbox.failed
            ),
            format!("wall time          {}", secs(self.wall)),
        ];
        for error in &self.errors {
            lines.push(format!("  resident error: {error}"));
        }
        lines.join("\n")
    }
}

/// `hotline bench flood`: runs each requested ordering on its own fresh
/// stand-in and database, prints each table and then one comparison line.
pub async fn run(opts: &FloodOptions, choice: QueueChoice) -> anyhow::Result<()> {
    println!(
        "hotline bench flood: {} residents within {} s, {} threshold crossing(s), drain timeout {}",
        opts.residents,
        opts.seconds,
        opts.crossings,
        humantime::format_duration(opts.drain_timeout)
    );
    println!(
        "(local stand-in enforcing Telegram's limits: 30 msg/s overall, 1/s per chat, burst 3)\n"
    );
    let mut results = Vec::new();
    for queue in choice.queues() {
        let result = flood(opts, queue).await?;
        println!("{}\n", result.render());
        results.push(result);
    }
    if let [p, f] = &results[..] {
        println!("{}", compare(p, f));
    }
    Ok(())
}

/// One line: the two orderings side by side.
fn compare(p: &FloodResult, f: &FloodResult) -> String {
    let show = |s: Option<Sample>| s.map_or("-".to_string(), |s| s.to_string());
    format!(
        "priority vs FIFO: alert p50 {} vs {}, p99 {} vs {}; alerts sent {}/{} vs {}/{}; \
         429s {} vs {} and messages sent {} vs {} (in {} vs {} of wall time)",
        show(p.p50()),
        show(f.p50()),
        show(p.p99()),
        show(f.p99()),
        p.alerts_sent(),
        p.samples.len(),
        f.alerts_sent(),
        f.samples.len(),
        p.count_429,
        f.count_429,
        p.messages_sent,
        f.messages_sent,
        secs(p.wall),
        secs(f.wall)
    )
}

/// One resident's part in the flood.
#[derive(Debug, Clone)]
struct Script {
    user_id: i64,
    /// When to send `/report`, counted from the start of the flood.
    start: Duration,
    category: Category,
    place: String,
    what: &'static str,
}

/// Who does what when: `crossings` groups of exactly-threshold residents of
/// one compound and category, spread over the middle half of the window; the
/// rest report low pressure (no threshold) spread evenly over the whole window.
fn script(opts: &FloodOptions, config: &Config) -> anyhow::Result<(Vec<Script>, usize)> {
    let compounds = &config.compounds;
    anyhow::ensure!(!compounds.is_empty(), "no compounds configured");
    let esc = &config.escalation;
    let background = Category::LowPressure;
    anyhow::ensure!(
        !esc.thresholds.contains_key(&background)
            && !esc.urgent.contains(&background)
            && esc.quiet.iter().all(|c| *c != background),
        "the flood's background category (low pressure) must neither escalate nor be quiet"
    );
    let window = Duration::from_secs(opts.seconds.max(1));
    let mut scripts = Vec::new();
    for k in 0..opts.crossings {
        let compound = &compounds[k % compounds.len()];
        let (category, what) = match k / compounds.len() {
            0 => (Category::Outage, "整栋楼停水了"),
            1 => (Category::Quality, "自来水发黄，有异味"),
            _ => anyhow::bail!(
                "at most {} crossings: each needs its own compound and category",
                2 * compounds.len()
            ),
        };
        let threshold = *esc
            .thresholds
            .get(&category)
            .with_context(|| format!("no threshold for {}", category.code()))?;
        let at = window.mul_f64(0.25 + 0.5 * (k as f64 + 0.5) / opts.crossings as f64);
        for j in 0..threshold {
            scripts.push(Script {
                user_id: 0,
                start: at + CROSSING_SPACING * j,
                category,
                place: format!("{} {}号楼", compound.name, j + 1),
                what,
            });
        }
    }
    anyhow::ensure!(
        scripts.len() <= opts.residents,
        "{} crossings need {} residents; --residents is {}",
        opts.crossings,
        scripts.len(),
        opts.residents
    );
    let rest = opts.residents - scripts.len();
    for i in 0..rest {
        let compound = &compounds[i % compounds.len()];
        scripts.push(Script {
            user_id: 0,
            start: window.mul_f64(i as f64 / rest as f64),
            category: background,
            place: format!("{} {}号楼", compound.name, 1 + i % 30),
            what: "水压很低，楼上几乎没水",
        });
    }
    for (i, s) in scripts.iter_mut().enumerate() {
        s.user_id = FIRST_RESIDENT_ID + i as i64;
    }
    Ok((scripts, opts.crossings))
}

/// What one resident's task saw.
#[derive(Debug, Default)]
struct Walked {
    injected: usize,
    handled: usize,
    waits: Vec<Duration>,
    finished: bool,
    error: Option<String>,
}

impl Walked {
    /// Injects one update and waits until the bot has handled it.
    async fn step(
        &mut self,
        store: &Store,
        timeout: Duration,
        inject: impl FnOnce() -> i64,
    ) -> anyhow::Result<()> {
        let at = Instant::now();
        let update_id = inject();
        self.injected += 1;
        let mut pause = Duration::from_millis(2);
        loop {
            tokio::time::sleep(pause).await;
            if store.update_handled(update_id).await? {
                self.handled += 1;
                self.waits.push(at.elapsed());
                return Ok(());
            }
            if at.elapsed() > timeout {
                anyhow::bail!("update {update_id} not handled within {timeout:?}");
            }
            pause = (pause * 2).min(POLL_MAX);
        }
    }
}

/// The shape the intake stores a chat's dialogue in (its wrapper is private;
/// the dialogue inside is public).
#[derive(Deserialize)]
struct StoredDialogue {
    dialogue: Dialogue,
}

/// The wizard's button sequence number, after checking it is at `step`.
async fn wizard_seq(store: &Store, chat_id: i64, step: &Step) -> anyhow::Result<u32> {
    let json = store
        .dialogue_state(chat_id)
        .await?
        .context("no dialogue stored")?;
    let stored: StoredDialogue = serde_json::from_str(&json).context("reading the dialogue")?;
    match stored.dialogue {
        Dialogue::Reporting(wizard) if wizard.step == *step => Ok(wizard.seq),
        other => anyhow::bail!("expected the wizard at {step:?}, found {other:?}"),
    }
}

/// One resident files one report; never panics, reports what went wrong.
async fn walk(standin: StandIn, store: Store, s: Script, t0: Instant, timeout: Duration) -> Walked {
    tokio::time::sleep_until((t0 + s.start).into()).await;
    let mut walked = Walked::default();
    let user = FakeUser::new(s.user_id, "居民");
    let outcome = async {
        let w = &mut walked;
        w.step(&store, timeout, || standin.send_text(&user, "/report"))
            .await?;
        let seq = wizard_seq(&store, user.id, &Step::Category).await?;
        let data = format!("w:{seq}:cat:{}", s.category.code());
        w.step(&store, timeout, || {
            standin.press_button(&user, BLIND_MESSAGE_ID, &data)
        })
        .await?;
        w.step(&store, timeout, || standin.send_text(&user, &s.place))
            .await?;
        w.step(&store, timeout, || standin.send_text(&user, s.what))
            .await?;
        w.step(&store, timeout, || {
            standin.send_text(&user, texts::SKIP_BUTTON)
        })
        .await?;
        let seq = wizard_seq(&store, user.id, &Step::Confirm).await?;
        let data = format!("w:{seq}:conf:ok");
        w.step(&store, timeout, || {
            standin.press_button(&user, BLIND_MESSAGE_ID, &data)
        })
        .await?;
        anyhow::Ok(())
    }
    .await;
    match outcome {
        Ok(()) => walked.finished = true,
        Err(error) => walked.error = Some(format!("resident {}: {error:#}", s.user_id)),
    }
    walked
}

/// Runs one ordering on a fresh stand-in and a fresh SQLite file in a
/// temporary directory, with the demo's staff and the real clock.
pub async fn flood(opts: &FloodOptions, queue: Queue) -> anyhow::Result<FloodResult> {
    let mut config = Config::from_override_str(DEMO_TOML, "config/demo.toml")?;
    let (scripts, expected) = script(opts, &config)?;
    let dir = std::env::temp_dir().join(format!(
        "hotline-bench-{}-{}",
        std::process::id(),
        queue.name()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    config.database.url = format!("sqlite://{}", dir.join("bench.db").display());
    let standin = StandIn::start(StandInOptions::default()).await?;
    config.telegram.api_url = standin.api_url().to_string();
    let bot = crate::telegram::bot(standin.token(), &config.telegram.api_url)?;
    let options = StartOptions {
        ctrlc: false,
        pacing: Pacing {
            by_lane: queue == Queue::Priority,
            ..Pacing::default()
        },
        webhook_secret: None,
        ..StartOptions::default()
    };
    let started = Instant::now();
    let running = app::start(config.clone(), bot, Arc::new(SystemClock), options).await?;
    let observer = Store::connect(&config.database.url, OBSERVER_CONNECTIONS).await?;
    let bench = Bench {
        opts,
        queue,
        config: &config,
        standin: &standin,
        observer: &observer,
    };
    let result = bench.drive(scripts, expected, started).await;
    // Every resident is through by now and nothing in flight matters to the
    // figures, so aborting the tasks (and awaiting them, and closing the
    // pool) is a clean enough stop, and quicker than `Running::stop`.
    running.crash().await;
    observer.close().await;
    drop(standin);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// One mode's run in progress.
struct Bench<'a> {
    opts: &'a FloodOptions,
    queue: Queue,
    config: &'a Config,
    standin: &'a StandIn,
    observer: &'a Store,
}

impl Bench<'_> {
    async fn drive(
        &self,
        scripts: Vec<Script>,
        expected: usize,
        started: Instant,
    ) -> anyhow::Result<FloodResult> {
        let residents = scripts.len();
        let window = Duration::from_secs(self.opts.seconds.max(1));
        // A resident's update may wait this long to be handled before it gives up.
        let timeout = self.opts.drain_timeout;
        let t0 = Instant::now();
        let done = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = scripts
            .into_iter()
            .map(|s| {
                let (standin, store, done) =
                    (self.standin.clone(), self.observer.clone(), done.clone());
                tokio::spawn(async move {
                    let walked = walk(standin, store, s, t0, timeout).await;
                    done.fetch_add(1, Ordering::Relaxed);
                    walked
                })
            })
            .collect();

        // Phase 1: the flood, until every resident is through (or hopelessly stuck).
        let give_up = t0 + window + self.opts.drain_timeout;
        let mut next_progress = Instant::now() + PROGRESS_EVERY;
        while done.load(Ordering::Relaxed) < residents && Instant::now() < give_up {
            if Instant::now() >= next_progress {
                self.progress(t0, done.load(Ordering::Relaxed), residents)
                    .await?;
                next_progress += PROGRESS_EVERY;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let flood = t0.elapsed();
        let mut walked = Vec::with_capacity(residents);
        for task in tasks {
            task.abort();
            if let Ok(w) = task.await {
                walked.push(w);
            }
        }

        // Phase 2: only until every opened escalation's alert has left, not
        // until the resident backlog drains (that takes many minutes).
        let deadline = Instant::now() + self.opts.drain_timeout;
        loop {
            let opened = self.observer.all_escalations().await?.len();
            if self.alerts_shown() >= opened || Instant::now() >= deadline {
                break;
            }
            if Instant::now() >= next_progress {
                self.progress(t0, residents, residents).await?;
                next_progress += PROGRESS_EVERY;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let wall = started.elapsed();
        let stopped_at = SystemTime::now();
        self.collect(walked, residents, expected, flood, wall, stopped_at)
            .await
    }

    /// Alerts the stand-in has shown to any member of staff (cheap: ten chats).
    fn alerts_shown(&self) -> usize {
        self.config
            .people
            .iter()
            .map(|p| {
                self.standin
                    .shown(p.telegram_id)
                    .iter()
                    .filter(|m| m.text.starts_with('🚨'))
                    .count()
            })
            .sum()
    }

    async fn progress(&self, t0: Instant, done: usize, residents: usize) -> anyhow::Result<()> {
        let outbox = self.observer.outbox_counts().await?;
        let escalations = self.observer.all_escalations().await?.len();
        eprintln!(
            "[{}] {:>5.1} s: residents {done}/{residents} done, escalations {escalations}, \
             alerts sent {}, 429s {}, outbox sent {} / queued {}",
            self.queue.name(),
            t0.elapsed().as_secs_f64(),
            self.alerts_shown(),
            self.standin.count_429(),
            outbox.sent,
            outbox.pending + outbox.sending,
        );
        Ok(())
    }

    async fn collect(
        &self,
        walked: Vec<Walked>,
        residents: usize,
        expected: usize,
        flood: Duration,
        wall: Duration,
        stopped_at: SystemTime,
    ) -> anyhow::Result<FloodResult> {
        let mut waits: Vec<Duration> = walked.iter().flat_map(|w| w.waits.clone()).collect();
        waits.sort();
        let calls = self.standin.calls();
        let escalations = self.observer.all_escalations().await?;
        let oncall = self.config.oncall()?;
        let mut samples = Vec::with_capacity(escalations.len());
        for e in &escalations {
            let manager = oncall
                .holder(Role::DutyManager, from_millis(e.opened_at), &[])
                .and_then(|h| self.config.people.iter().find(|p| p.id == h.person_id))
                .map(|p| p.telegram_id)
                .context("nobody is duty manager when the escalation opened")?;
            let tag = format!("#{} ·", e.id);
            let sent = calls.iter().find(|c| {
                c.ok && is_alert(c)
                    && chat_id(c) == Some(manager)
                    && c.body["text"].as_str().is_some_and(|t| t.contains(&tag))
            });
            samples.push(match sent {
                Some(call) => Sample::Sent(Duration::from_millis(
                    (epoch_ms(call.wall) - e.opened_at).max(0) as u64,
                )),
                None => Sample::NotSent {
                    waited: Duration::from_millis(
                        (epoch_ms(stopped_at) - e.opened_at).max(0) as u64
                    ),
                },
            });
        }
        Ok(FloodResult {
            queue: self.queue,
            residents,
            finished: walked.iter().filter(|w| w.finished).count(),
            reports: self.observer.all_reports().await?.len(),
            updates_injected: walked.iter().map(|w| w.injected).sum(),
            updates_handled: walked.iter().map(|w| w.handled).sum(),
            flood,
            handled_p50: percentile(&waits, 0.5),
            handled_p99: percentile(&waits, 0.99),
            escalations: escalations.len(),
            expected_escalations: expected,
            samples,
            count_429: calls.iter().filter(|c| c.status == 429).count(),
            alert_429s: calls
                .iter()
                .filter(|c| c.status == 429 && is_alert(c))
                .count(),
            message_calls: calls.iter().filter(|c| is_message(c)).count(),
            messages_sent: calls.iter().filter(|c| c.ok && is_message(c)).count(),
            outbox: self.observer.outbox_counts().await?,
            wall,
            errors: walked
                .iter()
                .filter_map(|w| w.error.clone())
                .take(5)
                .collect(),
        })
    }
}

/// A call that counts against Telegram's message limits.
fn is_message(call: &Call) -> bool {
    matches!(call.method.as_str(), "sendmessage" | "editmessagetext")
}

/// A sendMessage carrying an escalation alert (whoever it went to).
fn is_alert(call: &Call) -> bool {
    call.method == "sendmessage"
        && call.body["text"]
            .as_str()
            .is_some_and(|t| t.starts_with('🚨'))
}

/// The call's `chat_id` parameter (a number in JSON bodies, a string in forms).
fn chat_id(call: &Call) -> Option<i64> {
    match &call.body["chat_id"] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn epoch_ms(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_puts_crossings_midway_and_keeps_the_total() {
        let config = Config::from_override_str(DEMO_TOML, "demo").unwrap();
        let opts = FloodOptions {
            residents: 100,
            seconds: 10,
            crossings: 7,
            drain_timeout: Duration::from_secs(1),
        };
        let (scripts, expected) = script(&opts, &config).unwrap();
        assert_eq!((scripts.len(), expected), (100, 7));
        let crossing: Vec<_> = scripts
            .iter()
            .filter(|s| s.category != Category::LowPressure)
            .collect();
        // Six outage crossings of five residents, one quality crossing of three.
        assert_eq!(crossing.len(), 6 * 5 + 3);
        assert!(crossing.iter().all(|s| {
            s.start >= Duration::from_millis(2500) && s.start <= Duration::from_millis(8000)
        }));
        let too_many = FloodOptions {
            crossings: 13,
            ..opts.clone()
        };
        assert!(script(&too_many, &config).is_err());
    }

    /// A quick real run: the alert must leave, with sane counts.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_small_flood_delivers_the_alert_with_priority_lanes() {
        let opts = FloodOptions {
            residents: 50,
            seconds: 5,
            crossings: 1,
            drain_timeout: Duration::from_secs(20),
        };
        // Bounded, so a hang fails the test instead of stalling the suite.
        let run = tokio::time::timeout(Duration::from_secs(90), flood(&opts, Queue::Priority));
        let r = run.await.expect("the flood finishes").unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!((r.finished, r.reports), (50, 50));
        assert_eq!(r.updates_handled, 50 * 6);
        assert_eq!((r.escalations, r.alerts_sent()), (1, 1), "{}", r.render());
        let latency = r.samples[0].sent().unwrap();
        assert!(latency < Duration::from_secs(5), "{}", r.render());
        assert!(r.messages_sent > 0);
        assert!(r.outbox.failed == 0, "{}", r.render());
    }
}
