//! The report wizard as data: a serde state stored per chat, and a pure
//! transition `on_input(state, input) -> outcome`. No I/O here.

use serde::{Deserialize, Serialize};

use super::input::{Input, Press};
use super::places::{PlaceMatch, Places};
use crate::domain::{Category, CompoundRef, Lang};
use crate::outbox::{InlineButton, Keyboard, OutMessage, ReplyButton, ReplyButtonKind};
use crate::texts::{self, Summary};

/// Text limits the wizard applies (from config).
#[derive(Debug, Clone, Copy)]
pub struct WizardLimits {
    pub description_max_chars: usize,
    pub address_max_chars: usize,
    pub max_photos: usize,
}

pub struct Ctx<'a> {
    pub lang: Lang,
    pub chat_id: i64,
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
    /// Known incidents and planned work were looked up for this place already.
    #[serde(default)]
    pub checked_known: bool,
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
    Confirm,
    EditPick,
    /// The fault is already known (an open incident): join it, or report separately.
    Known {
        escalation_id: i64,
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
    fn tag(&self) -> &'static str {
        match self {
            Step::Category => "cat",
            Step::PickPlace { .. } => "pick",
            Step::Confirm => "conf",
            Step::EditPick => "edit",
            Step::Known { .. } => "known",
            Step::Planned { .. } => "plan",
            _ => "none",
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
    Join(Draft, i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub next: Next,
    pub messages: Vec<OutMessage>,
    /// Shown as a small notice on the resident's screen when a button was pressed.
    pub callback_text: Option<String>,
}

pub fn main_keyboard() -> Keyboard {
    let plain = |t: &str| {
        vec![ReplyButton {
            text: t.to_string(),
            kind: ReplyButtonKind::Plain,
        }]
    };
    Keyboard::Reply {
        rows: vec![plain(texts::REPORT_BUTTON), plain(texts::MY_REPORTS_BUTTON)],
    }
}

fn reply_keyboard(rows: Vec<(String, ReplyButtonKind)>) -> Keyboard {
    Keyboard::Reply {
        rows: rows
            .into_iter()
            .map(|(text, kind)| vec![ReplyButton { text, kind }])
            .collect(),
    }
}

/// Cuts a text to `max` characters; says whether it did.
pub fn clip(text: &str, max: usize) -> (String, bool) {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((cut, _)) => (text[..cut].to_string(), true),
        None => (text.to_string(), false),
    }
}

/// Digits with an optional leading +, spaces and dashes allowed; 7 to 15 digits.
pub fn parse_phone(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let allowed = t.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    (allowed && (7..=15).contains(&digits.len())).then(|| {
        if t.starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        }
    })
}

fn is_skip(text: &str) -> bool {
    let t = text.trim();
    t == texts::SKIP_BUTTON || t == "跳过" || t.eq_ignore_ascii_case("skip")
}

impl Wizard {
    pub fn start(seq: u32) -> Wizard {
        Wizard {
            seq: seq + 1,
            step: Step::Category,
            draft: Draft::default(),
            editing: false,
        }
    }

    fn data(&self, value: &str) -> String {
        format!("w:{}:{}:{value}", self.seq, self.step.tag())
    }

    fn button(&self, text: impl Into<String>, value: &str) -> Vec<InlineButton> {
        vec![InlineButton {
            text: text.into(),
            data: self.data(value),
        }]
    }

    /// The messages that ask the current step's question.
    pub fn prompt(&self, ctx: &Ctx) -> Vec<OutMessage> {
        let lang = ctx.lang;
        let (text, keyboard) = match &self.step {
            Step::Category => {
                let mut rows: Vec<_> = Category::ALL
                    .iter()
                    .map(|c| self.button(c.label(lang), c.code()))
                    .collect();
                rows.push(self.button(texts::cancel_inline_button(lang), "_cancel"));
                (texts::ask_category(lang), Keyboard::inline(rows))
            }
            Step::Place => (
                texts::ask_place(lang),
                reply_keyboard(vec![
                    (
                        texts::share_location_button(lang).into(),
                        ReplyButtonKind::RequestLocation,
                    ),
                    (texts::CANCEL_BUTTON.into(), ReplyButtonKind::Plain),
                ]),
            ),
            Step::PickPlace { typed, candidates } => {
                let mut rows: Vec<_> = candidates
                    .iter()
                    .enumerate()
                    .map(|(i, (_, name))| self.button(name, &i.to_string()))
                    .collect();
                rows.push(self.button(texts::none_of_these(lang), "_none"));
                (texts::pick_compound(lang, typed), Keyboard::inline(rows))
            }
            Step::Detail => {
                let name = self
                    .draft
                    .compound
                    .as_ref()
                    .map(|c| c.display_name().to_string())
                    .unwrap_or_default();
                (texts::ask_detail(lang, &name), Keyboard::Keep)
            }
            Step::Description => (
                texts::ask_description(lang),
                reply_keyboard(vec![(texts::CANCEL_BUTTON.into(), ReplyButtonKind::Plain)]),
            ),
            Step::Phone => (
                texts::ask_phone(lang),
                reply_keyboard(vec![
                    (
                        texts::share_phone_button(lang).into(),
                        ReplyButtonKind::RequestContact,
                    ),
                    (texts::SKIP_BUTTON.into(), ReplyButtonKind::Plain),
                    (texts::CANCEL_BUTTON.into(), ReplyButtonKind::Plain),
                ]),
            ),
            Step::Confirm => (
                self.summary(lang),
                Keyboard::inline(self.confirm_rows(lang)),
            ),
            Step::Known { text, .. } => {
                let rows = vec![
                    self.button(texts::join_button(lang), "join"),
                    self.button(texts::separate_button(lang), "separate"),
                    self.button(texts::cancel_inline_button(lang), "cancel"),
                ];
                (text.clone(), Keyboard::inline(rows))
            }
            Step::Planned { text, .. } => {
                let rows = vec![
                    self.button(texts::report_anyway_button(lang), "report"),
                    self.button(texts::ok_button(lang), "ok"),
                ];
                (text.clone(), Keyboard::inline(rows))
            }
            Step::EditPick => {
                let mut rows: Vec<_> = ["category", "place", "description", "phone"]
                    .iter()
                    .map(|f| self.button(texts::edit_field(lang, f), f))
                    .collect();
                rows.push(self.button(texts::back_button(lang), "back"));
                (
                    texts::what_to_edit(lang).to_string(),
                    Keyboard::inline(rows),
                )
            }
        };
        vec![OutMessage::with_keyboard(ctx.chat_id, text, keyboard)]
    }

    fn confirm_rows(&self, lang: Lang) -> Vec<Vec<InlineButton>> {
        vec![
            self.button(texts::confirm_button(lang), "ok"),
            self.button(texts::edit_button(lang), "edit"),
            self.button(texts::cancel_inline_button(lang), "cancel"),
        ]
    }

    fn summary(&self, lang: Lang) -> String {
        let d = &self.draft;
        texts::summary(
            lang,
            &Summary {
                category: d.category.unwrap_or(Category::Other),
                place: d
                    .compound
                    .as_ref()
                    .map(CompoundRef::display_name)
                    .unwrap_or(""),
                unmatched: matches!(d.compound, Some(CompoundRef::Unmatched { .. })),
                detail: &d.detail,
                description: &d.description,
                photos: d.photos.len(),
                phone: d.phone.as_deref(),
            },
        )
    }

    /// One step of the dialogue.
    pub fn on_input(self, input: &Input, ctx: &Ctx) -> Outcome {
        if let Input::Button(press) = input {
            return self.on_press(press, ctx);
        }
        let lang = ctx.lang;
        match (&self.step, input) {
            (Step::Category, Input::Text(t)) => match Category::from_label(t) {
                Some(category) => self.chose_category(category, ctx),
                None => self.again(texts::press_a_button(lang), ctx),
            },
            (Step::Place | Step::PickPlace { .. }, Input::Text(t)) => self.typed_place(t, ctx),
            (
                Step::Place,
                Input::Location {
                    latitude,
                    longitude,
                },
            ) => {
                let mut next = self;
                next.draft.location = Some((*latitude, *longitude));
                Outcome::say(next, ctx, texts::location_saved(lang))
            }
            (Step::Detail, Input::Text(t)) => {
                let mut next = self;
                next.draft.detail = clip(t, ctx.limits.address_max_chars).0;
                next.advance(ctx, Vec::new())
            }
            (Step::Description, Input::Text(t)) => self.described(t, ctx),
            (Step::Description, Input::Photo { file_id, caption }) => {
                self.photo(file_id, caption.as_deref(), ctx)
            }
            (Step::Phone, Input::Contact { phone }) => self.phone(Some(phone.clone()), ctx),
            (Step::Phone, Input::Text(t)) if is_skip(t) => self.phone(None, ctx),
            (Step::Phone, Input::Text(t)) => match parse_phone(t) {
                Some(phone) => self.phone(Some(phone), ctx),
                None => Outcome::say(self, ctx, texts::bad_phone(lang)),
            },
            (_, Input::Unsupported) => self.again(texts::unsupported(lang), ctx),
            (
                Step::Category
                | Step::Confirm
                | Step::EditPick
                | Step::Known { .. }
                | Step::Planned { .. },
                _,
            ) => self.again(texts::press_a_button(lang), ctx),
            _ => self.again(texts::text_expected(lang), ctx),
        }
    }

    fn on_press(self, press: &Press, ctx: &Ctx) -> Outcome {
        let lang = ctx.lang;
        let mut parts = press.data.splitn(4, ':');
        let (kind, seq, tag, value) = (parts.next(), parts.next(), parts.next(), parts.next());
        let Some(value) = value.filter(|_| kind == Some("w")) else {
            return self.again_with_notice(texts::unknown_button(lang), ctx);
        };
        if seq != Some(self.seq.to_string().as_str()) || tag != Some(self.step.tag()) {
            return self.again_with_notice(texts::stale_button(lang), ctx);
        }
        let choice = |label: &str| answered(press, ctx.chat_id, label);
        match (&self.step, value) {
            (Step::Category, "_cancel") => {
                Outcome::cancelled(ctx, choice(texts::cancel_inline_button(lang)))
            }
            (Step::Category, code) => match Category::from_code(code) {
                Some(category) => {
                    let mut out = self.chose_category(category, ctx);
                    out.messages.splice(0..0, choice(category.label(lang)));
                    out
                }
                None => self.again_with_notice(texts::unknown_button(lang), ctx),
            },
            (Step::PickPlace { typed, candidates }, value) => {
                let compound = match value.parse::<usize>().ok().and_then(|i| candidates.get(i)) {
                    Some((id, name)) => CompoundRef::Matched {
                        id: id.clone(),
                        name: name.clone(),
                    },
                    None => CompoundRef::Unmatched { raw: typed.clone() },
                };
                let label = compound.display_name().to_string();
                let mut next = self.clone();
                let ask_detail = matches!(compound, CompoundRef::Matched { .. });
                next.draft.compound = Some(compound);
                let mut out = if ask_detail {
                    next.goto(Step::Detail, ctx)
                } else {
                    next.advance(ctx, Vec::new())
                };
                out.messages.splice(0..0, choice(&label));
                out
            }
            (Step::Confirm, "ok") => Outcome {
                next: Next::Submit(self.draft),
                messages: choice(texts::confirm_button(lang)),
                callback_text: None,
            },
            (Step::Confirm, "edit") => {
                let mut out = self.goto(Step::EditPick, ctx);
                out.messages.splice(0..0, choice(texts::edit_button(lang)));
                out
            }
            (Step::Confirm, _) => {
                Outcome::cancelled(ctx, choice(texts::cancel_inline_button(lang)))
            }
            (Step::EditPick, field) => {
                let step = match field {
                    "category" => Step::Category,
                    "place" => Step::Place,
                    "description" => Step::Description,
                    "phone" => Step::Phone,
                    _ => Step::Confirm,
                };
                let mut next = self.clone();
                next.editing = step != Step::Confirm;
                let mut out = next.goto(step, ctx);
                out.messages
                    .splice(0..0, choice(texts::edit_field(lang, field)));
                out
            }
            (Step::Known { escalation_id, .. }, "join") => Outcome {
                next: Next::Join(self.draft.clone(), *escalation_id),
                messages: choice(texts::join_button(lang)),
                callback_text: None,
            },
            (Step::Known { resume, .. }, "separate") | (Step::Planned { resume, .. }, "report") => {
                let resume = (**resume).clone();
                let label = if tag_is(&self.step, "known") {
                    texts::separate_button(lang)
                } else {
                    texts::report_anyway_button(lang)
                };
                let mut out = self.clone().goto(resume, ctx);
                out.messages.splice(0..0, choice(label));
                out
            }
            (Step::Known { .. }, _) => {
                Outcome::cancelled(ctx, choice(texts::cancel_inline_button(lang)))
            }
            (Step::Planned { .. }, _) => {
                let mut messages = choice(texts::ok_button(lang));
                messages.push(OutMessage::with_keyboard(
                    ctx.chat_id,
                    texts::thanks(lang),
                    main_keyboard(),
                ));
                Outcome {
                    next: Next::Cancelled,
                    messages,
                    callback_text: None,
                }
            }
            _ => self.again_with_notice(texts::stale_button(lang), ctx),
        }
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

    fn chose_category(mut self, category: Category, ctx: &Ctx) -> Outcome {
        self.draft.category = Some(category);
        self.advance(ctx, Vec::new())
    }

    fn typed_place(mut self, typed: &str, ctx: &Ctx) -> Outcome {
        let (typed, _) = clip(typed, ctx.limits.address_max_chars);
        match ctx.places.find(&typed) {
            PlaceMatch::Found { id, name, rest } => {
                self.draft.compound = Some(CompoundRef::Matched { id, name });
                self.draft.detail = rest.clone();
                if rest.is_empty() {
                    self.goto(Step::Detail, ctx)
                } else {
                    self.advance(ctx, Vec::new())
                }
            }
            PlaceMatch::Candidates(candidates) => {
                self.goto(Step::PickPlace { typed, candidates }, ctx)
            }
            PlaceMatch::Unknown => {
                self.draft.compound = Some(CompoundRef::Unmatched { raw: typed });
                self.draft.detail.clear();
                self.advance(ctx, Vec::new())
            }
        }
    }

    fn described(mut self, text: &str, ctx: &Ctx) -> Outcome {
        let max = ctx.limits.description_max_chars;
        let (description, truncated) = clip(text, max);
        self.draft.description = description;
        self.draft.truncated = truncated;
        let notes = if truncated {
            vec![OutMessage::text(
                ctx.chat_id,
                texts::truncated(ctx.lang, max),
            )]
        } else {
            vec![]
        };
        self.advance(ctx, notes)
    }

    fn photo(mut self, file_id: &str, caption: Option<&str>, ctx: &Ctx) -> Outcome {
        if self.draft.photos.len() >= ctx.limits.max_photos {
            return Outcome::say(
                self,
                ctx,
                &texts::too_many_photos(ctx.lang, ctx.limits.max_photos),
            );
        }
        self.draft.photos.push(file_id.to_string());
        match caption.filter(|c| !c.trim().is_empty()) {
            Some(caption) => self.described(caption, ctx),
            None => Outcome::say(self, ctx, texts::photo_saved(ctx.lang)),
        }
    }

    fn phone(mut self, phone: Option<String>, ctx: &Ctx) -> Outcome {
        self.draft.phone = phone;
        // Leaving the phone step: put the big Report buttons back.
        let shown = self
            .draft
            .phone
            .clone()
            .unwrap_or_else(|| texts::SKIP_BUTTON.to_string());
        let ack = OutMessage::with_keyboard(ctx.chat_id, format!("☎️ {shown}"), main_keyboard());
        self.advance(ctx, vec![ack])
    }

    /// Moves on to the next step (or back to the summary when editing).
    fn advance(self, ctx: &Ctx, before: Vec<OutMessage>) -> Outcome {
        let next = match (&self.step, self.editing) {
            (_, true) => Step::Confirm,
            (Step::Category, _) => Step::Place,
            (Step::Place | Step::PickPlace { .. } | Step::Detail, _) => Step::Description,
            (Step::Description, _) => Step::Phone,
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
        }
    }
}

/// Rewrites the pressed message to show the choice and drop its buttons, so
/// it cannot be pressed twice.
fn answered(press: &Press, chat_id: i64, label: &str) -> Vec<OutMessage> {
    match (press.message_id, &press.message_text) {
        (Some(message_id), Some(text)) => vec![OutMessage::Edit {
            chat_id,
            message_id,
            text: format!("{text}\n\n👉 {label}"),
            keyboard: Keyboard::Keep,
        }],
        _ => Vec::new(),
    }
}

fn tag_is(step: &Step, tag: &str) -> bool {
    step.tag() == tag
}
