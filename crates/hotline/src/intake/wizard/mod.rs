//! The report wizard as data: a serde state stored per chat, and a pure
//! transition `on_input(state, input) -> outcome`. No I/O here.
//! `prompt.rs` asks each step's question, `typed.rs` reads typed answers,
//! `press.rs` reads button presses; this file holds the state and the moves
//! between steps.

mod press;
mod prompt;
#[cfg(test)]
mod tests;
mod typed;

use serde::{Deserialize, Serialize};

pub use prompt::main_keyboard;
pub use typed::{clip, parse_phone};

use crate::domain::callback::StepTag;
use crate::domain::{Category, ChatId, CompoundRef, EscalationId, Lang, Places};
use crate::outbox::OutMessage;
use crate::texts;

/// Text limits the wizard applies (from config).
#[derive(Debug, Clone, Copy)]
pub struct WizardLimits {
    pub description_max_chars: usize,
    pub address_max_chars: usize,
    pub max_photos: usize,
}

pub struct Ctx<'a> {
    pub lang: Lang,
    pub chat_id: ChatId,
    pub places: &'a Places,
    pub limits: WizardLimits,
}

/// What the resident has told us so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub category: Option<Category>,
    pub compound: Option<CompoundRef>,
    pub detail: String,
    pub location: Option<(f64, f64)>,
    pub description: String,
    pub truncated: bool,
    pub photos: Vec<String>,
    pub phone: Option<String>,
    /// The phone came on someone else's contact card (a relative's): their
    /// name, shown to staff beside the number. None: the resident's own.
    #[serde(default)]
    pub phone_for: Option<String>,
    /// Known incidents and planned work were looked up for this place already.
    #[serde(default)]
    pub checked_known: bool,
    /// Recognised from one message, and the chat still shows the big main
    /// buttons: presses edit the pressed message in place, and Confirm turns
    /// the summary itself into the receipt.
    #[serde(default)]
    pub in_place: bool,
    /// Recognised from one message (the summary shows no step number).
    #[serde(default)]
    pub one_message: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Category,
    Place,
    PickPlace {
        typed: String,
        candidates: Vec<(String, String)>,
    },
    Detail,
    Description,
    Phone,
    /// A contact card that is not the sender's: use it as the number to call?
    OtherPhone {
        phone: String,
        name: String,
    },
    Confirm,
    EditPick,
    /// The fault is already known (an open incident): join it, or report separately.
    Known {
        escalation_id: EscalationId,
        text: String,
        resume: Box<Step>,
    },
    /// The compound has planned work right now: water returns at the announced time.
    Planned {
        text: String,
        resume: Box<Step>,
    },
}

impl Step {
    /// The tag its buttons carry, so a press from another step is stale.
    fn tag(&self) -> StepTag {
        match self {
            Step::Category => StepTag::Category,
            Step::PickPlace { .. } => StepTag::PickPlace,
            Step::Confirm => StepTag::Confirm,
            Step::EditPick => StepTag::EditPick,
            Step::Known { .. } => StepTag::Known,
            Step::Planned { .. } => StepTag::Planned,
            Step::OtherPhone { .. } => StepTag::OtherPhone,
            _ => StepTag::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wizard {
    /// Bumped with every prompt that carries buttons: buttons of older prompts are stale.
    pub seq: u32,
    pub step: Step,
    pub draft: Draft,
    /// Came here from the summary's Edit: return to the summary after this step.
    pub editing: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    Continue(Wizard),
    Cancelled,
    Submit(Draft),
    /// Add a report made of the draft to this known incident.
    Join(Draft, EscalationId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub next: Next,
    pub messages: Vec<OutMessage>,
    /// Shown as a small notice on the resident's screen when a button was pressed.
    pub callback_text: Option<String>,
    /// Set when the question was asked again: see [`Outcome::AGAIN`].
    pub supersede: Option<&'static str>,
}

impl Outcome {
    /// The key under which a re-asked question supersedes an earlier,
    /// still unsent one (see [`crate::domain::Reply::supersede`]).
    pub const AGAIN: &'static str = "again";
}

impl Wizard {
    pub fn start(seq: u32) -> Wizard {
        Wizard {
            seq: seq + 1,
            step: Step::Category,
            draft: Draft {
                in_place: true,
                ..Draft::default()
            },
            editing: false,
        }
    }

    /// A fault recognised in one message: the summary (or `interrupt`'s
    /// question) comes next, with no step in between.
    pub fn recognized(seq: u32, draft: Draft) -> Wizard {
        Wizard {
            seq,
            step: Step::Confirm,
            draft,
            editing: false,
        }
    }

    /// Asks the current step's question (with fresh buttons).
    pub fn ask(self, ctx: &Ctx) -> Outcome {
        let step = self.step.clone();
        self.goto(step, ctx)
    }

    /// Where the wizard has just learnt a place it should check for known
    /// incidents and planned work: the matched compound and the category.
    pub fn place_to_check(&self) -> Option<(&str, Category)> {
        let fresh = matches!(self.step, Step::Detail | Step::Description)
            && !self.editing
            && !self.draft.checked_known;
        let compound = self.draft.compound.as_ref()?.matched_id()?;
        fresh.then_some((compound, self.draft.category?))
    }

    /// Puts a known-incident or planned-work question before the next step.
    pub fn interrupt(mut self, step: Step, ctx: &Ctx) -> Outcome {
        self.draft.checked_known = true;
        let resume = std::mem::replace(&mut self.step, Step::Category);
        let step = match step {
            Step::Known {
                escalation_id,
                text,
                ..
            } => Step::Known {
                escalation_id,
                text,
                resume: Box::new(resume),
            },
            Step::Planned { text, .. } => Step::Planned {
                text,
                resume: Box::new(resume),
            },
            other => other,
        };
        self.goto(step, ctx)
    }

    /// Moves on to the next step (or back to the summary when editing).
    fn advance(self, ctx: &Ctx, before: Vec<OutMessage>) -> Outcome {
        let next = match (&self.step, self.editing) {
            (_, true) => Step::Confirm,
            // Started from a compound's poster (`/start c-<id>`): the place is known.
            (Step::Category, _) if self.draft.compound.is_some() => Step::Detail,
            (Step::Category, _) => Step::Place,
            (Step::Place | Step::PickPlace { .. } | Step::Detail, _) => Step::Description,
            // The phone is not asked for on the way: the summary offers it
            // (Edit → Phone), so a report costs one prompt less.
            _ => Step::Confirm,
        };
        let mut out = self.goto(next, ctx);
        out.messages.splice(0..0, before);
        out
    }

    fn goto(mut self, step: Step, ctx: &Ctx) -> Outcome {
        if step == Step::Confirm {
            self.editing = false;
        }
        self.step = step;
        self.seq += 1;
        let messages = self.prompt(ctx);
        Outcome {
            next: Next::Continue(self),
            messages,
            callback_text: None,
            supersede: None,
        }
    }

    /// A short answer, then the current question again.
    fn again(self, notice: &str, ctx: &Ctx) -> Outcome {
        let mut messages = vec![OutMessage::text(ctx.chat_id, notice)];
        messages.extend(self.prompt(ctx));
        Outcome {
            next: Next::Continue(self),
            messages,
            callback_text: None,
            supersede: Some(Outcome::AGAIN),
        }
    }

    fn again_with_notice(self, notice: &str, ctx: &Ctx) -> Outcome {
        let mut out = self.again(notice, ctx);
        out.callback_text = Some(notice.to_string());
        out
    }
}

impl Outcome {
    fn say(wizard: Wizard, ctx: &Ctx, text: &str) -> Outcome {
        Outcome {
            next: Next::Continue(wizard),
            messages: vec![OutMessage::text(ctx.chat_id, text)],
            callback_text: None,
            supersede: None,
        }
    }

    pub fn cancelled(ctx: &Ctx, mut messages: Vec<OutMessage>) -> Outcome {
        messages.push(OutMessage::with_keyboard(
            ctx.chat_id,
            texts::cancelled(ctx.lang),
            main_keyboard(),
        ));
        Outcome {
            next: Next::Cancelled,
            messages,
            callback_text: None,
            supersede: None,
        }
    }
}
