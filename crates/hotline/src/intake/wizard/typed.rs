//! The wizard's answer to what a resident types or sends: text, a photo, a
//! location or a shared contact.

use super::{Ctx, Outcome, Step, Wizard};
use crate::domain::{Category, CompoundRef, Input, PlaceMatch};
use crate::outbox::OutMessage;
use crate::texts;

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
    t == texts::SKIP_BUTTON || texts::SKIP_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w))
}

impl Wizard {
    /// One step of the dialogue.
    pub fn on_input(self, input: &Input, ctx: &Ctx) -> Outcome {
        if let Input::Button(press) = input {
            return self.on_press(press, ctx);
        }
        let lang = ctx.lang;
        match (&self.step, input) {
            (Step::Category, Input::Text(t)) => match crate::texts::category_from_label(t) {
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
            (
                Step::Phone | Step::Confirm | Step::OtherPhone { .. },
                Input::Contact { phone, name, own },
            ) => self.contact(phone, name, *own, ctx),
            (Step::Phone, Input::Text(t)) if is_skip(t) => self.phone(None, ctx),
            (Step::Phone, Input::Text(t)) => match parse_phone(t) {
                Some(phone) => self.phone(Some(phone), ctx),
                None => Outcome::say(self, ctx, texts::bad_phone(lang)),
            },
            (_, Input::Unsupported) => self.again(texts::unsupported(lang), ctx),
            // The phone is offered on the summary: a number sent there is taken,
            // and a "Skip" from habit changes nothing (no echo, no message).
            (Step::Confirm, Input::Text(t)) if is_skip(t) => Outcome {
                next: super::Next::Continue(self),
                messages: Vec::new(),
                callback_text: None,
                supersede: None,
            },
            (Step::Confirm, Input::Text(t)) if parse_phone(t).is_some() => {
                self.phone(parse_phone(t), ctx)
            }
            (
                Step::Category
                | Step::Confirm
                | Step::EditPick
                | Step::Known { .. }
                | Step::Planned { .. }
                | Step::OtherPhone { .. },
                _,
            ) => self.again(texts::press_a_button(lang), ctx),
            _ => self.again(texts::text_expected(lang), ctx),
        }
    }

    pub(super) fn chose_category(mut self, category: Category, ctx: &Ctx) -> Outcome {
        self.draft.category = Some(category);
        self.advance(ctx, Vec::new())
    }

    pub(super) fn typed_place(mut self, typed: &str, ctx: &Ctx) -> Outcome {
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

    pub(super) fn described(mut self, text: &str, ctx: &Ctx) -> Outcome {
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

    pub(super) fn photo(mut self, file_id: &str, caption: Option<&str>, ctx: &Ctx) -> Outcome {
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

    /// No echo of the number or of "Skip": the summary shows the phone, and
    /// the next prompt follows at once.
    pub(super) fn phone(mut self, phone: Option<String>, ctx: &Ctx) -> Outcome {
        self.draft.phone = phone;
        self.draft.phone_for = None;
        self.advance(ctx, Vec::new())
    }

    /// The resident's own card is their number; anyone else's card (or one
    /// with no Telegram user behind it) is never taken silently: the wizard
    /// asks whether the crew should call that number.
    fn contact(self, phone: &str, name: &str, own: bool, ctx: &Ctx) -> Outcome {
        if own {
            return self.phone(Some(phone.to_string()), ctx);
        }
        let name = match name.trim() {
            "" => phone.to_string(),
            name => name.to_string(),
        };
        let phone = phone.to_string();
        self.goto(Step::OtherPhone { phone, name }, ctx)
    }

    /// "Yes, call this number": stored with the card's name beside it.
    pub(super) fn other_phone(mut self, phone: &str, name: &str, ctx: &Ctx) -> Outcome {
        self.draft.phone = Some(phone.to_string());
        self.draft.phone_for = Some(name.to_string());
        self.advance(ctx, Vec::new())
    }
}
