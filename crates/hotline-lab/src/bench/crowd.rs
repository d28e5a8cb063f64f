//! Residents as a crowd: one task per resident (see `agent`), and afterwards
//! what they experienced, read off the stand-in's call log: time to the first
//! answer, time to the receipt (the message showing their ticket number), and
//! the Telegram calls their report cost, by the path it took.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime};

use tokio::task::JoinHandle;

use super::agent::{self, Outcome, Path, Plan};
use super::managers::{chat_id, is_message};
use super::report::Figures;
use super::stats::{Sample, dist};
use hotline_standin::{Call, StandIn};

/// How the crowd is played.
#[derive(Debug, Clone)]
pub struct Manner {
    pub think: Duration,
    pub seed: u64,
    pub ticket_prefix: String,
}

/// The residents' tasks.
pub struct Crowd {
    tasks: Vec<(Plan, bool, JoinHandle<Outcome>)>,
    t0: Instant,
    t0_wall: SystemTime,
}

impl Crowd {
    /// Starts every resident; `watched` marks those the run waits for.
    pub fn spawn(
        standin: &StandIn,
        plans: Vec<(Plan, bool)>,
        t0: Instant,
        t0_wall: SystemTime,
        deadline: Instant,
        manner: &Manner,
    ) -> Crowd {
        let tasks = plans
            .into_iter()
            .map(|(plan, watched)| {
                let task = tokio::spawn(agent::play(
                    standin.clone(),
                    plan.clone(),
                    t0,
                    deadline,
                    manner.think,
                    manner.seed,
                    manner.ticket_prefix.clone(),
                ));
                (plan, watched, task)
            })
            .collect();
        Crowd { tasks, t0, t0_wall }
    }

    /// (finished, all) residents.
    pub fn finished(&self) -> (usize, usize) {
        let done = self.tasks.iter().filter(|t| t.2.is_finished()).count();
        (done, self.tasks.len())
    }

    /// Every watched resident is through (with a ticket or out of time).
    pub fn watched_done(&self) -> bool {
        self.tasks.iter().all(|(_, w, t)| !w || t.is_finished())
    }

    /// Stops every resident still playing; those are reported as not finished.
    pub async fn stop(self) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(self.tasks.len());
        let elapsed = self.t0.elapsed();
        for (plan, _, task) in self.tasks {
            task.abort();
            match task.await {
                Ok(outcome) => out.push(outcome),
                Err(_) => out.push(Outcome {
                    started: (plan.start <= elapsed).then(|| self.t0_wall + plan.start),
                    receipt: false,
                    path: match plan.one_message {
                        Some(_) => Path::OneMessage,
                        None => Path::Wizard,
                    },
                    joined: false,
                    updates: 0,
                    acts: Vec::new(),
                    stuck_on: Some("(still waiting when the run stopped)".into()),
                    plan,
                }),
            }
        }
        out
    }
}

/// What the residents experienced.
#[derive(Debug, Clone, Default)]
pub struct Experience {
    pub residents: usize,
    pub started: usize,
    pub receipts: usize,
    pub joined: usize,
    pub updates: usize,
    pub first_answer: Vec<Sample>,
    pub receipt: Vec<Sample>,
    /// From each update a resident sent to the next message (or edit) in
    /// their chat: how long a resident waits for each answer.
    pub reply: Vec<Sample>,
    /// Successful Telegram calls into the chat up to the receipt, per
    /// completed report, by path.
    pub calls: BTreeMap<Path, Vec<usize>>,
    /// A few residents who did not finish, with what they were last shown.
    pub stuck: Vec<String>,
}

impl Experience {
    pub fn of(outcomes: &[Outcome], calls: &[Call], stopped: SystemTime, prefix: &str) -> Self {
        let mut by_chat: HashMap<i64, Vec<&Call>> = HashMap::new();
        for call in calls.iter().filter(|c| c.ok) {
            if let Some(chat) = chat_id(call) {
                by_chat.entry(chat).or_default().push(call);
            }
        }
        let ticket = format!("{prefix}-");
        let mut e = Experience {
            residents: outcomes.len(),
            ..Experience::default()
        };
        for o in outcomes {
            let Some(started) = o.started else { continue };
            e.started += 1;
            e.updates += o.updates;
            let chat = by_chat
                .get(&o.plan.user_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let after =
                |at: SystemTime| Sample::Sent(at.duration_since(started).unwrap_or(Duration::ZERO));
            let waited = Sample::NotSent {
                waited: stopped.duration_since(started).unwrap_or(Duration::ZERO),
            };
            let answers: Vec<SystemTime> = chat
                .iter()
                .filter(|c| is_message(c))
                .map(|c| c.wall)
                .collect();
            for &act in &o.acts {
                let next = answers.iter().find(|&&at| at >= act);
                e.reply.push(next.map_or(
                    Sample::NotSent {
                        waited: stopped.duration_since(act).unwrap_or(Duration::ZERO),
                    },
                    |&at| Sample::Sent(at.duration_since(act).unwrap_or(Duration::ZERO)),
                ));
            }
            let first = chat.iter().find(|c| is_message(c));
            e.first_answer.push(first.map_or(waited, |c| after(c.wall)));
            let receipt = chat.iter().position(|c| {
                c.body["text"]
                    .as_str()
                    .is_some_and(|t| super::prompts::has_ticket(t, &ticket))
            });
            e.receipt
                .push(receipt.map_or(waited, |i| after(chat[i].wall)));
            if let (Some(i), true) = (receipt, o.receipt) {
                e.receipts += 1;
                e.joined += usize::from(o.joined);
                e.calls.entry(o.path).or_default().push(i + 1);
            } else if e.stuck.len() < 3 {
                e.stuck.push(format!(
                    "resident {}: {}",
                    o.plan.user_id,
                    o.stuck_on.as_deref().unwrap_or("?")
                ));
            }
        }
        e
    }

    pub fn add_rows(&self, f: &mut Figures) {
        f.add(
            "residents",
            format!(
                "{} ({} started, {} with a ticket, {} joined a known incident)",
                self.residents, self.started, self.receipts, self.joined
            ),
        );
        f.add("first answer", dist(&self.first_answer));
        f.add("receipt", dist(&self.receipt));
        f.add("each answer", dist(&self.reply));
        for (path, calls) in &self.calls {
            let n = calls.len();
            let mean = calls.iter().sum::<usize>() as f64 / n.max(1) as f64;
            let max = calls.iter().max().copied().unwrap_or(0);
            f.add(
                &format!("calls/report, {}", path.name()),
                format!(
                    "mean {mean:.1}, max {max} (n = {n}; sends and edits, not answerCallbackQuery)"
                ),
            );
        }
        for (k, s) in self.stuck.iter().enumerate() {
            f.add(&format!("not finished, e.g. {}", k + 1), s.clone());
        }
    }
}
