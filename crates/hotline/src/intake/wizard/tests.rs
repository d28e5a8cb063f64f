//! The wizard's transitions, without I/O: each test feeds inputs and button
//! presses to `on_input` and checks the next step and what is said.

use super::*;
use crate::domain::callback::{Callback, Choice, WizardPress};
use crate::domain::{ChatId, EscalationId, Input, Press};
use crate::outbox::Keyboard;

fn places() -> Places {
    let none: &[String] = &[];
    Places::new([
        ("yangguang", "阳光花园小区", none),
        ("yanshan", "燕山小区", none),
    ])
}

fn ctx(places: &Places) -> Ctx<'_> {
    Ctx {
        lang: Lang::Zh,
        chat_id: ChatId(42),
        places,
        limits: WizardLimits {
            description_max_chars: 100,
            address_max_chars: 50,
            max_photos: 2,
        },
    }
}

fn text(t: &str) -> Input {
    Input::Text(t.to_string())
}

/// Presses the button labelled (in part) `label` under the last message.
fn press(out: &Outcome, label: &str) -> Input {
    let (Some(OutMessage::Send { text, keyboard, .. })
    | Some(OutMessage::Edit { text, keyboard, .. })) = out.messages.last()
    else {
        panic!("no message with buttons: {:?}", out.messages);
    };
    let Keyboard::Inline { rows } = keyboard else {
        panic!("no inline keyboard: {keyboard:?}");
    };
    let button = rows
        .iter()
        .flatten()
        .find(|b| b.text.contains(label))
        .unwrap_or_else(|| panic!("no button {label}: {rows:?}"));
    press_data(&button.data, text)
}

fn press_data(data: &str, message_text: &str) -> Input {
    Input::Button(Press {
        callback_id: "q".into(),
        callback: Callback::decode(data),
        message_id: Some(7),
        message_text: Some(message_text.to_string()),
    })
}

fn wizard(out: &Outcome) -> Wizard {
    match &out.next {
        Next::Continue(w) => w.clone(),
        other => panic!("the wizard ended: {other:?}"),
    }
}

fn step(out: &Outcome) -> Step {
    wizard(out).step
}

fn texts_of(out: &Outcome) -> Vec<String> {
    out.messages
        .iter()
        .filter_map(|m| m.text_shown().map(str::to_owned))
        .collect()
}

/// Walks to the summary: outage, 阳光花园 3号楼, a description; then a
/// phone typed on the summary.
fn to_summary(cx: &Ctx) -> Outcome {
    let start = Wizard::start(0);
    let prompt = Outcome {
        next: Next::Continue(start.clone()),
        messages: start.prompt(cx),
        callback_text: None,
        supersede: None,
    };
    let out = start.on_input(&press(&prompt, "停水"), cx);
    assert_eq!(step(&out), Step::Place);
    let out = wizard(&out).on_input(&text("阳光花园 3号楼"), cx);
    assert_eq!(step(&out), Step::Description);
    let out = wizard(&out).on_input(&text("没水了"), cx);
    assert_eq!(step(&out), Step::Confirm, "no phone step on the way");
    let out = wizard(&out).on_input(&text("138 0013 8000"), cx);
    assert_eq!(step(&out), Step::Confirm);
    out
}

#[test]
fn category_place_description_summary_then_confirm_submits() {
    let places = places();
    let cx = ctx(&places);
    let summary = to_summary(&cx);
    let done = wizard(&summary).on_input(&press(&summary, "确认提交"), &cx);
    let Next::Submit(draft) = done.next else {
        panic!("not submitted: {:?}", done.next);
    };
    assert_eq!(draft.category, Some(Category::Outage));
    assert_eq!(
        draft.compound.as_ref().and_then(CompoundRef::matched_id),
        Some("yangguang")
    );
    assert_eq!(draft.detail, "3号楼");
    assert_eq!(draft.description, "没水了");
    assert_eq!(draft.phone.as_deref(), Some("13800138000"));
    // Nothing yet: the receipt, written with the report, replaces the summary.
    assert!(done.messages.is_empty(), "{:?}", done.messages);
    // A pressed category becomes the next question in place.
    let start = Wizard::start(0);
    let prompt = Outcome {
        next: Next::Continue(start.clone()),
        messages: start.prompt(&cx),
        callback_text: None,
        supersede: None,
    };
    let out = start.on_input(&press(&prompt, "停水"), &cx);
    assert!(
        matches!(&out.messages[..], [OutMessage::Edit { message_id: 7, text, .. }] if text.contains("2/4")),
        "{:?}",
        out.messages
    );
}

#[test]
fn a_compound_alone_asks_for_the_building() {
    let places = places();
    let cx = ctx(&places);
    let mut w = Wizard::start(0);
    w.step = Step::Place;
    w.draft.category = Some(Category::Leak);
    let out = w.on_input(&text("燕山小区"), &cx);
    assert_eq!(step(&out), Step::Detail);
    let out = wizard(&out).on_input(&text("12号楼"), &cx);
    assert_eq!(step(&out), Step::Description);
    assert_eq!(wizard(&out).draft.detail, "12号楼");
}

#[test]
fn a_mistyped_compound_offers_candidates_and_a_pick_asks_for_the_building() {
    let places = places();
    let cx = ctx(&places);
    let mut w = Wizard::start(0);
    w.step = Step::Place;
    let out = w.on_input(&text("阳光花圆"), &cx);
    assert!(matches!(step(&out), Step::PickPlace { .. }), "{out:?}");
    let out = wizard(&out).on_input(&press(&out, "阳光花园小区"), &cx);
    assert_eq!(step(&out), Step::Detail);
    let none = wizard(&out).draft.compound.clone();
    assert_eq!(
        none.as_ref().and_then(CompoundRef::matched_id),
        Some("yangguang")
    );
}

#[test]
fn skipping_the_phone_goes_straight_to_the_summary_without_an_echo() {
    let places = places();
    let cx = ctx(&places);
    let mut w = Wizard::start(0);
    w.step = Step::Phone;
    let out = w.on_input(&text(texts::SKIP_BUTTON), &cx);
    assert_eq!(step(&out), Step::Confirm);
    let said = texts_of(&out);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("请核对"), "{said:?}");
    assert!(!said[0].contains("跳过"), "{said:?}");
}

#[test]
fn edit_from_the_summary_changes_one_field_and_returns_to_the_summary() {
    let places = places();
    let cx = ctx(&places);
    let summary = to_summary(&cx);
    let out = wizard(&summary).on_input(&press(&summary, "修改"), &cx);
    assert_eq!(step(&out), Step::EditPick);
    let out = wizard(&out).on_input(&press(&out, "电话"), &cx);
    assert_eq!(step(&out), Step::Phone);
    let out = wizard(&out).on_input(&text("+86 139 0000 0000"), &cx);
    assert_eq!(step(&out), Step::Confirm);
    assert_eq!(wizard(&out).draft.phone.as_deref(), Some("+8613900000000"));
    // Back from the edit menu returns to the summary, and says so.
    let menu = wizard(&out).on_input(&press(&out, "修改"), &cx);
    let back = wizard(&menu).on_input(&press(&menu, "返回"), &cx);
    assert_eq!(step(&back), Step::Confirm);
    assert!(texts_of(&back)[0].ends_with("👉 ↩️ 返回"), "{back:?}");
}

#[test]
fn cancel_ends_the_wizard_from_the_first_step_and_from_the_summary() {
    let places = places();
    let cx = ctx(&places);
    let start = Wizard::start(0);
    let prompt = Outcome {
        next: Next::Continue(start.clone()),
        messages: start.prompt(&cx),
        callback_text: None,
        supersede: None,
    };
    let out = start.on_input(&press(&prompt, "取消"), &cx);
    assert_eq!(out.next, Next::Cancelled);
    let summary = to_summary(&cx);
    let out = wizard(&summary).on_input(&press(&summary, "取消"), &cx);
    assert_eq!(out.next, Next::Cancelled);
    assert!(texts_of(&out).last().unwrap().contains("已取消"));
}

#[test]
fn a_button_from_an_older_prompt_is_stale_and_changes_nothing() {
    let places = places();
    let cx = ctx(&places);
    let summary = to_summary(&cx);
    let now = wizard(&summary);
    let older = Callback::Wizard(WizardPress {
        seq: now.seq - 1,
        step: StepTag::Confirm,
        choice: Choice::Ok,
    });
    let out = now.clone().on_input(&press_data(&older.encode(), "x"), &cx);
    assert_eq!(out.next, Next::Continue(now.clone()));
    assert_eq!(
        out.callback_text.as_deref(),
        Some(texts::stale_button(Lang::Zh))
    );
    // Right seq, wrong step: also stale.
    let other_step = Callback::Wizard(WizardPress {
        seq: now.seq,
        step: StepTag::Category,
        choice: Choice::Category(Category::Meter),
    });
    let out = now
        .clone()
        .on_input(&press_data(&other_step.encode(), "x"), &cx);
    assert_eq!(out.next, Next::Continue(now.clone()));
    // Not ours at all.
    let out = now.clone().on_input(&press_data("💣", "x"), &cx);
    assert_eq!(out.next, Next::Continue(now));
    assert_eq!(
        out.callback_text.as_deref(),
        Some(texts::unknown_button(Lang::Zh))
    );
}

#[test]
fn a_known_incident_can_be_joined_or_reported_separately() {
    let places = places();
    let cx = ctx(&places);
    let mut w = Wizard::start(0);
    w.step = Step::Place;
    w.draft.category = Some(Category::Outage);
    let out = w.on_input(&text("阳光花园 3号楼"), &cx);
    let at_description = wizard(&out);
    assert_eq!(
        at_description.place_to_check(),
        Some(("yangguang", Category::Outage))
    );
    let known = Step::Known {
        escalation_id: EscalationId(9),
        text: "known".into(),
        resume: Box::new(Step::Category),
    };
    let asked = at_description.clone().interrupt(known, &cx);
    assert_eq!(wizard(&asked).place_to_check(), None, "asked only once");
    let joined = wizard(&asked).on_input(&press(&asked, "加入"), &cx);
    assert!(
        matches!(joined.next, Next::Join(_, EscalationId(9))),
        "{:?}",
        joined.next
    );
    let separate = wizard(&asked).on_input(&press(&asked, "单独报修"), &cx);
    assert_eq!(step(&separate), Step::Description, "resumes where it was");
}

#[test]
fn text_where_a_button_is_expected_repeats_the_question() {
    let places = places();
    let cx = ctx(&places);
    let summary = to_summary(&cx);
    let out = wizard(&summary).on_input(&text("好的"), &cx);
    assert_eq!(step(&out), Step::Confirm);
    assert_eq!(texts_of(&out)[0], texts::press_a_button(Lang::Zh));
}

fn card(phone: &str, name: &str, own: bool) -> Input {
    Input::Contact {
        phone: phone.into(),
        name: name.into(),
        own,
    }
}

#[test]
fn a_card_on_the_summary_is_taken_if_own_and_asked_about_if_not() {
    let places = places();
    let cx = ctx(&places);
    let summary = to_summary(&cx);
    let own = wizard(&summary).on_input(&card("13800138000", "王", true), &cx);
    assert_eq!(step(&own), Step::Confirm);
    assert_eq!(wizard(&own).draft.phone.as_deref(), Some("13800138000"));

    let other = wizard(&own).on_input(&card("13900139000", "王小明", false), &cx);
    let asked = Step::OtherPhone {
        phone: "13900139000".into(),
        name: "王小明".into(),
    };
    assert_eq!(step(&other), asked);
    assert_eq!(
        wizard(&other).draft.phone.as_deref(),
        Some("13800138000"),
        "nothing changes before the answer"
    );
    let yes = wizard(&other).on_input(&press(&other, "是，打这个号码"), &cx);
    assert_eq!(step(&yes), Step::Confirm);
    let draft = &wizard(&yes).draft;
    assert_eq!(draft.phone.as_deref(), Some("13900139000"));
    assert_eq!(draft.phone_for.as_deref(), Some("王小明"));
    assert!(
        texts_of(&yes)
            .iter()
            .any(|t| t.contains("代他人留的号码：王小明"))
    );

    // The resident's own number later replaces it, and the mark goes.
    let typed = wizard(&yes).on_input(&text("13700137000"), &cx);
    assert_eq!(wizard(&typed).draft.phone_for, None);
}
