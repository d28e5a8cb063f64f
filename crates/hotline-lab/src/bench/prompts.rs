//! How a resident reads what the bot showed them: which prompt a message
//! is, by its words and its buttons, and what to answer. The keyword table is
//! the only place in the benchmarks that knows the bot's wording.

use std::hash::{DefaultHasher, Hash, Hasher};

use super::agent::Plan;
use hotline::domain::Lang;
use hotline::texts::Label;
use hotline_standin::Shown;

/// Words that tell a resident what a message asks for (Chinese, English).
pub(super) mod words {
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

/// What a resident does about a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Act {
    Press { message_id: i32, data: String },
    Type(String),
}

/// Which prompt was answered (for the path: any wizard step makes it "wizard").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prompt {
    Category,
    PickPlace,
    Place,
    Detail,
    Describe,
    Phone,
    Confirm,
    Join,
}

/// The answer to one shown message, if it asks for one.
pub(super) fn decide(m: &Shown, plan: &Plan) -> Option<(Prompt, Act)> {
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

pub(super) fn mentions(text: &str, keys: &[&str]) -> bool {
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
pub(super) fn fingerprint(m: &Shown) -> u64 {
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
    use hotline::domain::Category;
    use hotline_standin::Button;
    use std::time::Duration;

    fn shown(text: &str, inline: &[(&str, &str)]) -> Shown {
        Shown {
            chat_id: 1,
            message_id: 7,
            text: text.to_owned(),
            photo: None,
            document: None,
            location: None,
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
