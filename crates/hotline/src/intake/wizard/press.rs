//! The wizard's answer to a pressed inline button: decoded by
//! `crate::domain::callback`, checked against the current step and `seq`
//! (anything else is stale), then applied.

use super::{Ctx, Next, Outcome, Step, Wizard, main_keyboard};
use crate::domain::callback::{Callback, Choice, EditField, StepTag};
use crate::domain::{ChatId, CompoundRef, Press};
use crate::outbox::{Keyboard, OutMessage};
use crate::texts;
use crate::texts::Label;

impl Wizard {
    pub(super) fn on_press(self, press: &Press, ctx: &Ctx) -> Outcome {
        let in_place = self.draft.in_place;
        let out = self.apply_press(press, ctx);
        // Only a message Telegram still shows us (with its text) is edited.
        match (in_place, press.message_id, &press.message_text) {
            (true, Some(message_id), Some(_)) => in_place_of(out, message_id),
            _ => out,
        }
    }

    fn apply_press(self, press: &Press, ctx: &Ctx) -> Outcome {
        let lang = ctx.lang;
        let Callback::Wizard(pressed) = press.callback else {
            return self.again_with_notice(texts::unknown_button(lang), ctx);
        };
        if pressed.seq != self.seq || pressed.step != self.step.tag() {
            return self.again_with_notice(texts::stale_button(lang), ctx);
        }
        let choice = |label: &str| answered(press, ctx.chat_id, label);
        match (&self.step, pressed.choice) {
            (Step::Category, Choice::Cancel) => {
                Outcome::cancelled(ctx, choice(texts::cancel_inline_button(lang)))
            }
            (Step::Category, Choice::Category(category)) => {
                let mut out = self.chose_category(category, ctx);
                out.messages.splice(0..0, choice(category.label(lang)));
                out
            }
            (Step::Category, _) => self.again_with_notice(texts::unknown_button(lang), ctx),
            (Step::Place | Step::Description, Choice::Cancel) => {
                Outcome::cancelled(ctx, choice(texts::cancel_inline_button(lang)))
            }
            (Step::PickPlace { typed, candidates }, picked) => {
                let candidate = match picked {
                    Choice::Candidate(i) => candidates.get(i),
                    _ => None,
                };
                let compound = match candidate {
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
            (Step::Confirm, Choice::Ok) => Outcome {
                next: Next::Submit(self.draft),
                messages: choice(texts::confirm_button(lang)),
                callback_text: None,
                supersede: None,
            },
            (Step::Confirm, Choice::Edit) => {
                let mut out = self.goto(Step::EditPick, ctx);
                out.messages.splice(0..0, choice(texts::edit_button(lang)));
                out
            }
            (Step::Confirm, _) => {
                Outcome::cancelled(ctx, choice(texts::cancel_inline_button(lang)))
            }
            (Step::EditPick, picked) => {
                let (step, label) = match picked {
                    Choice::Field(field) => (field_step(field), texts::edit_field(lang, field)),
                    _ => (Step::Confirm, texts::back_button(lang)),
                };
                let mut next = self.clone();
                next.editing = step != Step::Confirm;
                let mut out = next.goto(step, ctx);
                out.messages.splice(0..0, choice(label));
                out
            }
            (Step::OtherPhone { phone, name }, Choice::Ok) => {
                let (phone, name) = (phone.clone(), name.clone());
                let mut out = self.clone().other_phone(&phone, &name, ctx);
                let label = texts::staffing::use_other_number_button(lang);
                out.messages.splice(0..0, choice(label));
                out
            }
            (Step::OtherPhone { .. }, _) => {
                let mut out = self.clone().goto(Step::Phone, ctx);
                let label = texts::staffing::another_number_button(lang);
                out.messages.splice(0..0, choice(label));
                out
            }
            (Step::Known { escalation_id, .. }, Choice::Join) => Outcome {
                next: Next::Join(self.draft.clone(), *escalation_id),
                messages: choice(texts::join_button(lang)),
                callback_text: None,
                supersede: None,
            },
            (Step::Known { resume, .. }, Choice::Separate)
            | (Step::Planned { resume, .. }, Choice::ReportAnyway) => {
                let resume = (**resume).clone();
                let label = if self.step.tag() == StepTag::Known {
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
                    supersede: None,
                }
            }
            _ => self.again_with_notice(texts::stale_button(lang), ctx),
        }
    }
}

/// On the one-message path the pressed message becomes the answer: the
/// next question (its buttons included), the cancellation, or nothing yet
/// (the receipt replaces it once the report is stored). A question that
/// needs big buttons (share my number) is sent instead, and from then on
/// the wizard answers as usual.
fn in_place_of(mut out: Outcome, message_id: i32) -> Outcome {
    let mut rest: Vec<OutMessage> = out
        .messages
        .iter()
        .filter(|m| !matches!(m, OutMessage::Edit { message_id: id, .. } if *id == message_id))
        .cloned()
        .collect();
    let edit = match rest.as_slice() {
        [] => Some(None),
        [OutMessage::Send { text, keyboard, .. }] => match keyboard {
            Keyboard::Inline { .. } => Some(Some((text.clone(), keyboard.clone()))),
            Keyboard::Keep => Some(Some((text.clone(), Keyboard::Keep))),
            k if *k == main_keyboard() => Some(Some((text.clone(), Keyboard::Keep))),
            _ => None,
        },
        _ => None,
    };
    match edit {
        Some(edit) => {
            rest = edit
                .map(|(text, keyboard)| OutMessage::Edit {
                    chat_id: out.messages[0].chat_id(),
                    message_id,
                    text,
                    keyboard,
                })
                .into_iter()
                .collect();
            out.messages = rest;
        }
        None => {
            // Big buttons replace the main ones: the receipt must be sent
            // again with them, not edited in.
            let big_buttons = rest.iter().any(|m| {
                matches!(m, OutMessage::Send { keyboard: k @ Keyboard::Reply { .. }, .. }
                    if *k != main_keyboard())
            });
            if let (true, Next::Continue(wizard)) = (big_buttons, &mut out.next) {
                wizard.draft.in_place = false;
            }
        }
    }
    out
}

/// Rewrites the pressed message to show the choice and drop its buttons, so
/// it cannot be pressed twice.
pub(super) fn answered(press: &Press, chat_id: ChatId, label: &str) -> Vec<OutMessage> {
    match (press.message_id, &press.message_text) {
        (Some(message_id), Some(text)) => vec![OutMessage::Edit {
            chat_id,
            message_id,
            text: texts::answered(text, label),
            keyboard: Keyboard::Keep,
        }],
        _ => Vec::new(),
    }
}

/// The step the summary's Edit goes to for a field.
fn field_step(field: EditField) -> Step {
    match field {
        EditField::Category => Step::Category,
        EditField::Place => Step::Place,
        EditField::Description => Step::Description,
        EditField::Phone => Step::Phone,
    }
}
