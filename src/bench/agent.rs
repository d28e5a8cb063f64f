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
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant, SystemTime};

use crate::domain::{Category, Lang};
use crate::telegram::standin::{FakeUser, Shown, StandIn};

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

/// Words that tell a resident what a message asks for (Chinese, English).
mod words {
    pub const WHERE: &[&str] = &["在哪里", "Where is it"];
    pub const DETAIL: &[&str] = &["楼号和单元", "building and unit"];
    pub const DESCRIBE: &[&str] = &["发生了什么", "What happened"];
    pub const PHONE: &[&str] = &["联系电话", "phone number"];
    pub const SKIP: &[&str] = &["跳过", "Skip"];
    pub const CONFIRM: &[&str] = &["确认", "Confirm"];
    pub const JOIN: &[&str] = &["加入", "Add mine", "Join"];
    pub const NONE_OF_THESE: &[&str] = &["都不是", "None of these"];
    /// A hint that points to the wizard (the welcome, the help).
    pub const REPORT_HINT: &[&str] = &["/report"];
}

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

/// What a resident does about a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Act {
    Press { message_id: i32, data: String },
    Type(String),
}

/// Which prompt was answered (for the path: any wizard step makes it "wizard").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Category,
    PickPlace,
    Place,
    Detail,
    Describe,
    Phone,
    Confirm,
    Join,
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

/// The answer to one shown message, if it asks for one.
fn decide(m: &Shown, plan: &Plan) -> Option<(Prompt, Act)> {
    let buttons: Vec<(&str, &str)> = m
        .inline
        .iter()
        .flatten()
        .filter_map(|b| b.data.as_deref().map(|d| (b.text.as_str(), d)))
        .collect();
    let press = |prompt, data: &str| {
        Some((
            prompt,
            Act::Press {
                message_id: m.message_id,
                data: data.to_owned(),
            },
        ))
    };
    let button = |keys: &[&str]| {
        buttons
            .iter()
            .find(|(text, _)| mentions(text, keys))
            .map(|(_, d)| *d)
    };
    if let Some(data) = button(words::JOIN) {
        return press(Prompt::Join, data);
    }
    if let Some(data) = button(words::CONFIRM) {
        return press(Prompt::Confirm, data);
    }
    let labels = [plan.category.label(Lang::Zh), plan.category.label(Lang::En)];
    if let Some(data) = button(&labels) {
        return press(Prompt::Category, data);
    }
    if let Some(data) = button(&[plan.compound.as_str()]).or_else(|| button(words::NONE_OF_THESE)) {
        return press(Prompt::PickPlace, data);
    }
    let typed = |prompt, text: String| Some((prompt, Act::Type(text)));
    if mentions(&m.text, words::PHONE) {
        let skip = m
            .keyboard
            .iter()
            .flatten()
            .find(|b| mentions(&b.text, words::SKIP))
            .map_or_else(|| words::SKIP[0].to_owned(), |b| b.text.clone());
        return typed(Prompt::Phone, skip);
    }
    if mentions(&m.text, words::DESCRIBE) {
        return typed(Prompt::Describe, plan.description.clone());
    }
    if mentions(&m.text, words::DETAIL) {
        return typed(Prompt::Detail, plan.detail.clone());
    }
    if mentions(&m.text, words::WHERE) {
        return typed(Prompt::Place, format!("{} {}", plan.compound, plan.detail));
    }
    None
}

fn mentions(text: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| text.contains(k))
}

/// A ticket number such as `JN-260209-0042` (prefix, dash, digits).
pub(super) fn has_ticket(text: &str, prefix_dash: &str) -> bool {
    text.match_indices(prefix_dash).any(|(i, _)| {
        text[i + prefix_dash.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// A message's identity and content: an edit makes it new again.
fn fingerprint(m: &Shown) -> u64 {
    let mut h = DefaultHasher::new();
    m.message_id.hash(&mut h);
    m.text.hash(&mut h);
    for b in m.inline.iter().flatten() {
        b.text.hash(&mut h);
        b.data.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::standin::Button;

    fn shown(text: &str, inline: &[(&str, &str)]) -> Shown {
        Shown {
            chat_id: 1,
            message_id: 7,
            text: text.to_owned(),
            photo: None,
            document: None,
            inline: vec![
                inline
                    .iter()
                    .map(|(t, d)| Button {
                        text: (*t).to_owned(),
                        data: Some((*d).to_owned()),
                        request_contact: false,
                        request_location: false,
                    })
                    .collect(),
            ],
            keyboard: vec![],
            silent: false,
            edited: false,
        }
    }

    fn plan() -> Plan {
        Plan {
            user_id: 1,
            lang: Lang::Zh,
            start: Duration::ZERO,
            category: Category::Outage,
            compound: "燕山小区".into(),
            detail: "3号楼".into(),
            description: "没水了".into(),
            one_message: None,
        }
    }

    #[test]
    fn a_resident_presses_the_delivered_button_with_its_own_data() {
        let m = shown(
            "请选择故障类型",
            &[("水压低", "x:1"), ("停水", "opaque-42")],
        );
        let press = Act::Press {
            message_id: 7,
            data: "opaque-42".into(),
        };
        assert_eq!(decide(&m, &plan()), Some((Prompt::Category, press)));
        let m = shown(
            "ℹ️ 这是已知故障",
            &[("✅ 加入并接收进展", "j"), ("📝 单独报修", "s")],
        );
        assert!(matches!(decide(&m, &plan()), Some((Prompt::Join, _))));
        let m = shown("第2步：在哪里？请输入小区名称", &[]);
        let place = Act::Type("燕山小区 3号楼".into());
        assert_eq!(decide(&m, &plan()), Some((Prompt::Place, place)));
        assert_eq!(decide(&shown("👉 停水", &[]), &plan()), None);
        assert!(has_ticket("✅ 已提交！工单号：JN-260209-0042", "JN-"));
        assert!(!has_ticket("JN-x", "JN-"));
    }
}
