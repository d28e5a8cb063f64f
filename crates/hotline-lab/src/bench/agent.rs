//! One resident, played as a person would: they act only on what the bot has
//! shown in their chat (the stand-in's view of delivered messages), after a
//! short seeded think time, and a press refers to the delivered message and
//! the button data read off its keyboard — never rebuilt from a known encoding.
//!
//! A resident reads prompts by their words, as people do: the keyword table
//! below is the only place that knows the bot's wording. When the wording
//! changes, a resident who no longer understands a prompt simply waits, and
//! the run reports them as not finished (with what they were last shown in
//! the log), rather than guessing.
//!
//! Two ways in: the fault in one message ("燕山小区 3号楼停水了"), which a bot
//! that recognises it answers with a summary to confirm (or a known incident
//! to join); or `/report` and the wizard. A one-message resident whose message
//! is not understood (no prompt comes back, only a hint) falls back to
//! `/report`, as a person would press "Report".

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime};

use super::prompts::{Act, Prompt, decide, fingerprint, has_ticket, mentions, words};
use hotline::domain::{Category, Lang};
use hotline_standin::{FakeUser, Shown, StandIn};

/// How often a resident looks at their chat just after acting; a resident
/// left waiting looks less and less often, up to [`LOOK_AT_MOST`], so that
/// thousands of waiting residents do not load the machine the bot runs on.
/// (Latencies are read off the stand-in's call log, not off these looks.)
const LOOK_EVERY: Duration = Duration::from_millis(200);
const LOOK_AT_MOST: Duration = Duration::from_secs(2);
/// How long a one-message resident shown only a hint ("send /report") waits
/// for something more (a welcome may come just before the summary) before
/// pressing "Report" after all.
const HINT_GRACE: Duration = Duration::from_secs(5);

/// What one resident will do.
#[derive(Debug, Clone)]
pub struct Plan {
    pub user_id: i64,
    pub lang: Lang,
    /// When they write first, counted from the start of the run.
    pub start: Duration,
    pub category: Category,
    /// The compound as they type it.
    pub compound: String,
    /// Building and unit, e.g. `3号楼2单元`.
    pub detail: String,
    pub description: String,
    /// The fault in one message; `None`: `/report` and the wizard.
    pub one_message: Option<String>,
}

/// Which way a report went in the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Path {
    /// No wizard prompt was answered: one message, then buttons.
    OneMessage,
    Wizard,
}

impl Path {
    pub fn name(self) -> &'static str {
        match self {
            Path::OneMessage => "one message",
            Path::Wizard => "wizard",
        }
    }
}

/// What became of one resident.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub plan: Plan,
    /// When their first update was injected.
    pub started: Option<SystemTime>,
    /// A ticket number was shown to them.
    pub receipt: bool,
    pub path: Path,
    /// They joined a known incident.
    pub joined: bool,
    pub updates: usize,
    /// When each of their updates was injected (the first is `started`).
    pub acts: Vec<SystemTime>,
    /// What they were last shown, when they did not finish.
    pub stuck_on: Option<String>,
}

/// Plays one resident until they hold a ticket number or `deadline` passes.
pub async fn play(
    standin: StandIn,
    plan: Plan,
    t0: Instant,
    deadline: Instant,
    think: Duration,
    seed: u64,
    ticket_prefix: String,
) -> Outcome {
    tokio::time::sleep_until((t0 + plan.start).into()).await;
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (plan.user_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let code = match plan.lang {
        Lang::Zh => "zh-hans",
        Lang::En => "en",
    };
    let user = FakeUser::new(plan.user_id, "居民").with_lang(code);
    let mut out = Outcome {
        plan: plan.clone(),
        started: Some(SystemTime::now()),
        receipt: false,
        path: Path::OneMessage,
        joined: false,
        updates: 1,
        acts: vec![SystemTime::now()],
        stuck_on: None,
    };
    match &plan.one_message {
        Some(text) => standin.send_text(&user, text),
        None => {
            out.path = Path::Wizard;
            standin.send_text(&user, "/report")
        }
    };
    let ticket = format!("{ticket_prefix}-");
    let mut seen: HashSet<u64> = HashSet::new();
    let mut fell_back = plan.one_message.is_none();
    let mut hint_at: Option<Instant> = None;
    let mut look = LOOK_EVERY;
    let mut last = Vec::new();
    while Instant::now() < deadline {
        tokio::time::sleep(look + Duration::from_millis(rng.u64(0..100))).await;
        look = (look * 3 / 2).min(LOOK_AT_MOST);
        let shown = standin.shown(plan.user_id);
        let fresh: Vec<&Shown> = shown
            .iter()
            .rev()
            .filter(|m| !seen.contains(&fingerprint(m)))
            .collect();
        if fresh.is_empty() {
            // A one-message report not understood: press "Report" instead.
            if !fell_back && hint_at.is_some_and(|at| at.elapsed() >= HINT_GRACE) {
                fell_back = true;
                out.path = Path::Wizard;
                standin.send_text(&user, "/report");
                out.updates += 1;
                out.acts.push(SystemTime::now());
            }
            continue;
        }
        seen.extend(fresh.iter().map(|m| fingerprint(m)));
        look = LOOK_EVERY;
        if fresh.iter().any(|m| has_ticket(&m.text, &ticket)) {
            out.receipt = true;
            return out;
        }
        last = fresh.iter().map(|m| m.text.clone()).collect();
        let decided = fresh.iter().find_map(|m| decide(m, &plan));
        let act = match decided {
            Some((prompt, act)) => {
                hint_at = None;
                match prompt {
                    Prompt::Join => out.joined = true,
                    Prompt::Confirm => {}
                    _ => out.path = Path::Wizard,
                }
                act
            }
            None => {
                if fresh.iter().any(|m| mentions(&m.text, words::REPORT_HINT)) {
                    hint_at.get_or_insert_with(Instant::now);
                }
                continue;
            }
        };
        if !think.is_zero() {
            let ms = think.as_millis() as u64;
            tokio::time::sleep(Duration::from_millis(rng.u64(ms / 4..=ms))).await;
        }
        match act {
            Act::Press { message_id, data } => standin.press_button(&user, message_id, &data),
            Act::Type(text) => standin.send_text(&user, &text),
        };
        out.updates += 1;
        out.acts.push(SystemTime::now());
        look = LOOK_EVERY;
    }
    out.stuck_on = Some(last.join(" | "));
    out
}
