//! The wizard's questions: each step's text and its keyboard. Button data is
//! encoded by `crate::domain::callback` only.

use super::{Ctx, Step, Wizard};
use crate::domain::callback::{Callback, Choice, EditField, WizardPress};
use crate::domain::{Category, CompoundRef, Lang};
use crate::outbox::{InlineButton, Keyboard, OutMessage, ReplyButton, ReplyButtonKind};
use crate::texts::Label;
use crate::texts::{self, Summary};

/// The big buttons a resident sees between reports.
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

impl Wizard {
    /// One button in a row of its own, live only for this step and `seq`.
    fn button(&self, text: impl Into<String>, choice: Choice) -> Vec<InlineButton> {
        let press = WizardPress {
            seq: self.seq,
            step: self.step.tag(),
            choice,
        };
        vec![InlineButton {
            text: text.into(),
            data: Callback::Wizard(press).encode(),
        }]
    }

    fn cancel_only(&self, lang: Lang) -> Keyboard {
        Keyboard::inline(vec![
            self.button(texts::cancel_inline_button(lang), Choice::Cancel),
        ])
    }

    /// The messages that ask the current step's question.
    pub fn prompt(&self, ctx: &Ctx) -> Vec<OutMessage> {
        let lang = ctx.lang;
        let (text, keyboard) = match &self.step {
            Step::Category => {
                let mut rows: Vec<_> = Category::ALL
                    .iter()
                    .map(|c| self.button(c.label(lang), Choice::Category(*c)))
                    .collect();
                rows.push(self.button(texts::cancel_inline_button(lang), Choice::Cancel));
                (texts::ask_category(lang), Keyboard::inline(rows))
            }
            // No big buttons while the report is made: the chat keeps the main
            // ones, so a pressed prompt can become the next one in place and
            // the summary can become the receipt.
            Step::Place => (texts::ask_place(lang), self.cancel_only(lang)),
            Step::PickPlace { typed, candidates } => {
                let mut rows: Vec<_> = candidates
                    .iter()
                    .enumerate()
                    .map(|(i, (_, name))| self.button(name, Choice::Candidate(i)))
                    .collect();
                rows.push(self.button(texts::none_of_these(lang), Choice::NoneOfThese));
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
            Step::Description => (texts::ask_description(lang), self.cancel_only(lang)),
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
            Step::OtherPhone { phone, name } => (
                texts::staffing::other_contact(lang, name, phone),
                Keyboard::inline(vec![
                    self.button(texts::staffing::use_other_number_button(lang), Choice::Ok),
                    self.button(texts::staffing::another_number_button(lang), Choice::Back),
                ]),
            ),
            Step::Confirm => (
                self.summary(lang),
                Keyboard::inline(vec![
                    self.button(texts::confirm_button(lang), Choice::Ok),
                    self.button(texts::edit_button(lang), Choice::Edit),
                    self.button(texts::cancel_inline_button(lang), Choice::Cancel),
                ]),
            ),
            Step::Known { text, .. } => {
                let rows = vec![
                    self.button(texts::join_button(lang), Choice::Join),
                    self.button(texts::separate_button(lang), Choice::Separate),
                    self.button(texts::cancel_inline_button(lang), Choice::Cancel),
                ];
                (text.clone(), Keyboard::inline(rows))
            }
            Step::Planned { text, .. } => {
                let rows = vec![
                    self.button(texts::report_anyway_button(lang), Choice::ReportAnyway),
                    self.button(texts::ok_button(lang), Choice::Ok),
                ];
                (text.clone(), Keyboard::inline(rows))
            }
            Step::EditPick => {
                let mut rows: Vec<_> = EditField::ALL
                    .iter()
                    .map(|f| self.button(texts::edit_field(lang, *f), Choice::Field(*f)))
                    .collect();
                rows.push(self.button(texts::back_button(lang), Choice::Back));
                (
                    texts::what_to_edit(lang).to_string(),
                    Keyboard::inline(rows),
                )
            }
        };
        vec![OutMessage::with_keyboard(ctx.chat_id, text, keyboard)]
    }

    fn summary(&self, lang: Lang) -> String {
        let d = &self.draft;
        let phone = (d.phone.as_deref())
            .map(|p| texts::staffing::phone_with_owner(lang, p, d.phone_for.as_deref()));
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
                phone: phone.as_deref(),
                one_message: d.one_message,
            },
        )
    }
}
