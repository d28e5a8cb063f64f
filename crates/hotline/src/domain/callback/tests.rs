//! Every button encodes within Telegram's limit and decodes to itself.

use super::*;
use crate::domain::{EscalationId, ReportId};
use crate::outbox::limits::MAX_CALLBACK_BYTES;

/// Every variant, each with its largest values.
fn largest() -> Vec<Callback> {
    let longest_category = Category::ALL
        .into_iter()
        .max_by_key(|c| c.code().len())
        .unwrap();
    let mut all = vec![
        Callback::Lang(Lang::Zh),
        Callback::Lang(Lang::En),
        Callback::ResolveReport {
            report_id: ReportId(i64::MIN),
        },
        Callback::OpenPage {
            page: u16::MAX,
            compound: Some("z".repeat(COMPOUND_ID_MAX)),
            category: Some(longest_category),
        },
        Callback::OpenPage {
            page: 0,
            compound: None,
            category: None,
        },
    ];
    for in_place in [false, true] {
        all.push(Callback::AlertList(ListPage {
            outbox_id: i64::MIN,
            page: u32::MAX,
            in_place,
        }));
    }
    for action in AlertAction::ALL {
        all.push(Callback::Alert {
            escalation_id: EscalationId(i64::MIN),
            action,
        });
    }
    let mut choices = vec![
        Choice::Candidate(usize::MAX),
        Choice::NoneOfThese,
        Choice::Ok,
        Choice::Edit,
        Choice::Back,
        Choice::Cancel,
        Choice::Join,
        Choice::Separate,
        Choice::ReportAnyway,
    ];
    choices.extend(Category::ALL.map(Choice::Category));
    choices.extend(EditField::ALL.map(Choice::Field));
    for step in StepTag::ALL {
        for &choice in &choices {
            all.push(Callback::Wizard(WizardPress {
                seq: u32::MAX,
                step,
                choice,
            }));
        }
    }
    all
}

#[test]
fn every_button_fits_telegrams_64_bytes() {
    for callback in largest() {
        let data = callback.encode();
        assert!(
            data.len() <= MAX_CALLBACK_BYTES,
            "{} bytes: {data}",
            data.len()
        );
    }
}

#[test]
fn every_button_decodes_to_what_was_encoded() {
    for callback in largest() {
        assert_eq!(Callback::decode(&callback.encode()), callback);
    }
}

#[test]
fn the_wire_format_is_the_one_already_in_chats() {
    let alert = Callback::Alert {
        escalation_id: EscalationId(1),
        action: AlertAction::Ack,
    };
    assert_eq!(alert.encode(), "esc:1:ack");
    assert_eq!(
        Callback::decode("w:3:cat:outage"),
        Callback::Wizard(WizardPress {
            seq: 3,
            step: StepTag::Category,
            choice: Choice::Category(Category::Outage),
        })
    );
    assert_eq!(
        Callback::decode("w:3:cat:_cancel"),
        Callback::decode("w:3:cat:cancel")
    );
    assert_eq!(
        Callback::decode("open:2:yanshan:-").encode(),
        "open:2:yanshan:-"
    );
    assert_eq!(Callback::decode("rep:7:resolve").encode(), "rep:7:resolve");
}

#[test]
fn forged_or_broken_data_is_unknown_not_an_error() {
    for data in [
        "",
        "💣 not ours",
        "w:",
        "w:x:cat:outage",
        "w:1:nope:ok",
        "lang:fr",
    ] {
        assert_eq!(Callback::decode(data), Callback::Unknown, "{data}");
    }
    for data in ["esc:x:ack", "esc:1:dance", "rep:1:delete", "open:1"] {
        assert_eq!(Callback::decode(data), Callback::BadStaffButton, "{data}");
    }
    assert!(Callback::BadStaffButton.is_staff());
    assert!(!Callback::Lang(Lang::En).is_staff());
}
