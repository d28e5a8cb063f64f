//! The report wizard's questions, buttons and summary.

use super::Label;
use super::pick;
use crate::domain::callback::EditField;
use crate::domain::{Category, Lang};

/// Steps of the report wizard, shown as "step k/n".
pub const STEPS: u8 = 4;

pub fn step_header(lang: Lang, k: u8) -> String {
    match lang {
        Lang::Zh => format!("第 {k}/{STEPS} 步"),
        Lang::En => format!("Step {k}/{STEPS}"),
    }
}

pub const REPORT_BUTTON: &str = "📝 报修 Report a fault";
pub const MY_REPORTS_BUTTON: &str = "📋 我的报修 My reports";
pub const CANCEL_BUTTON: &str = "❌ 取消 Cancel";
pub const SKIP_BUTTON: &str = "⏭ 跳过 Skip";
/// Typed words that also skip the phone step.
pub const SKIP_WORDS: [&str; 2] = ["跳过", "skip"];

pub fn ask_category(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}：请选择故障类型。", step_header(lang, 1)),
        Lang::En => format!("{}: What kind of fault is it?", step_header(lang, 1)),
    }
}

pub fn ask_place(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：在哪里？请输入小区名称和楼号单元，例如：\n阳光花园 3号楼2单元\n\n（也可以用📎发送位置，但仍需输入小区名称）",
            step_header(lang, 2)
        ),
        Lang::En => format!(
            "{}: Where is it? Type the compound (小区) name and the building/unit, e.g.:\nSunshine Garden building 3 unit 2\n\n(You may also send your location with 📎, but please still type the compound.)",
            step_header(lang, 2)
        ),
    }
}

pub fn ask_detail(lang: Lang, compound: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：小区：{compound}\n请输入楼号和单元，例如：3号楼2单元",
            step_header(lang, 2)
        ),
        Lang::En => format!(
            "{}: Compound: {compound}\nNow type the building and unit, e.g. building 3 unit 2",
            step_header(lang, 2)
        ),
    }
}

pub fn pick_compound(lang: Lang, typed: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：没有找到“{typed}”。您是指下面哪个小区？如果都不是，请点最后一个按钮。",
            step_header(lang, 2)
        ),
        Lang::En => format!(
            "{}: I could not find \"{typed}\". Did you mean one of these? If none fits, press the last button.",
            step_header(lang, 2)
        ),
    }
}

pub fn none_of_these(lang: Lang) -> &'static str {
    pick(
        lang,
        "都不是，按我输入的提交",
        "None of these, keep what I typed",
    )
}

pub fn location_saved(lang: Lang) -> &'static str {
    pick(
        lang,
        "📍 位置已收到。请再输入小区名称和楼号单元。",
        "📍 Location saved. Please also type the compound name and building/unit.",
    )
}

pub fn ask_description(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：发生了什么？请用文字描述（可以附一张照片）。",
            step_header(lang, 3)
        ),
        Lang::En => format!(
            "{}: What happened? Describe it in words (you may add a photo).",
            step_header(lang, 3)
        ),
    }
}

pub fn photo_saved(lang: Lang) -> &'static str {
    pick(
        lang,
        "📷 照片已收到。请再用文字描述一下情况。",
        "📷 Photo saved. Please also describe the problem in words.",
    )
}

pub fn too_many_photos(lang: Lang, max: usize) -> String {
    match lang {
        Lang::Zh => format!("最多保存 {max} 张照片，这张没有保存。请用文字描述情况。"),
        Lang::En => format!(
            "I keep at most {max} photos; this one was not saved. Please describe the problem in words."
        ),
    }
}

pub fn truncated(lang: Lang, max: usize) -> String {
    match lang {
        Lang::Zh => format!("您的文字较长，已保存前 {max} 个字。"),
        Lang::En => format!("Your message was long; I kept the first {max} characters."),
    }
}

pub fn ask_phone(lang: Lang) -> String {
    match lang {
        Lang::Zh => "📱 联系电话（方便维修人员联系您）。点「分享我的号码」，或直接输入号码，也可以跳过。".to_string(),
        Lang::En => "📱 A phone number for the crew to reach you. Press \"Share my number\", type a number, or skip.".to_string(),
    }
}

pub fn share_phone_button(lang: Lang) -> &'static str {
    pick(lang, "📱 分享我的号码", "📱 Share my number")
}

pub fn share_location_button(lang: Lang) -> &'static str {
    pick(lang, "📍 发送位置", "📍 Share location")
}

pub fn bad_phone(lang: Lang) -> &'static str {
    pick(
        lang,
        "这个号码看起来不对。请输入 7 到 15 位数字，或点「跳过」。",
        "That does not look like a phone number. Type 7 to 15 digits, or press \"Skip\".",
    )
}

pub struct Summary<'a> {
    pub category: Category,
    pub place: &'a str,
    pub unmatched: bool,
    pub detail: &'a str,
    pub description: &'a str,
    pub photos: usize,
    pub phone: Option<&'a str>,
    /// Recognised from one message: no step number, as there were no steps.
    pub one_message: bool,
}

pub fn summary(lang: Lang, s: &Summary) -> String {
    let header = if s.one_message {
        pick(lang, "📝 我理解的是", "📝 Here is what I understood").to_string()
    } else {
        step_header(lang, STEPS)
    };
    let phone = s.phone.unwrap_or(pick(
        lang,
        "（未留，可点「修改」添加）",
        "(none; add one with \"Edit\")",
    ));
    let flag = if s.unmatched {
        pick(
            lang,
            "（未在小区列表中，工作人员会核实）",
            " (not in our list; staff will check)",
        )
    } else {
        ""
    };
    match lang {
        Lang::Zh => format!(
            "{header}：请核对：\n\n类型：{}\n地点：{}{flag} {}\n描述：{}\n照片：{} 张\n电话：{phone}\n\n信息无误请点「确认提交」。",
            s.category.label(lang),
            s.place,
            s.detail,
            s.description,
            s.photos
        ),
        Lang::En => format!(
            "{header}: Please check:\n\nFault: {}\nWhere: {}{flag} {}\nWhat: {}\nPhotos: {}\nPhone: {phone}\n\nIf all is right, press \"Confirm\".",
            s.category.label(lang),
            s.place,
            s.detail,
            s.description,
            s.photos
        ),
    }
}

/// What a pressed question's edit appends: the choice, under a mark.
pub const ANSWERED_MARK: &str = "\n\n👉 ";

/// A pressed question, edited to show the choice (its buttons dropped).
pub fn answered(question: &str, choice: &str) -> String {
    format!("{question}{ANSWERED_MARK}{choice}")
}

/// Whether `text` is a question edited only to show the choice made
/// ([`answered`]): nothing new to read in it.
pub fn only_answered(text: &str) -> bool {
    text.rsplit_once(ANSWERED_MARK)
        .is_some_and(|(_, choice)| !choice.contains('\n'))
}

pub fn confirm_button(lang: Lang) -> &'static str {
    pick(lang, "✅ 确认提交", "✅ Confirm")
}
pub fn edit_button(lang: Lang) -> &'static str {
    pick(lang, "✏️ 修改", "✏️ Edit")
}
pub fn cancel_inline_button(lang: Lang) -> &'static str {
    pick(lang, "❌ 取消", "❌ Cancel")
}
pub fn back_button(lang: Lang) -> &'static str {
    pick(lang, "↩️ 返回", "↩️ Back")
}

pub fn what_to_edit(lang: Lang) -> &'static str {
    pick(lang, "要修改哪一项？", "What would you like to change?")
}

pub fn edit_field(lang: Lang, field: EditField) -> &'static str {
    match field {
        EditField::Category => pick(lang, "故障类型", "Fault"),
        EditField::Place => pick(lang, "地点", "Where"),
        EditField::Description => pick(lang, "描述", "What happened"),
        EditField::Phone => pick(lang, "电话", "Phone"),
    }
}

pub fn submitted(lang: Lang, ticket: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "✅ 已提交！工单号：{ticket}\n\n接下来：值班人员会尽快处理，有进展会在这里通知您。\n查询进度：/status {ticket}"
        ),
        Lang::En => format!(
            "✅ Submitted! Your ticket: {ticket}\n\nWhat happens next: the staff on duty will handle it and I will tell you here when there is news.\nFollow up: /status {ticket}"
        ),
    }
}

pub fn cancelled(lang: Lang) -> &'static str {
    pick(
        lang,
        "已取消，什么都没有提交。需要时再点「报修」。",
        "Cancelled; nothing was submitted. Press \"Report\" whenever you need.",
    )
}

pub fn nothing_to_cancel(lang: Lang) -> &'static str {
    pick(
        lang,
        "现在没有进行中的报修。",
        "There is nothing to cancel.",
    )
}

pub fn restarted(lang: Lang) -> &'static str {
    pick(
        lang,
        "重新开始报修，之前未提交的内容已放弃。",
        "Starting a new report; the unfinished one was dropped.",
    )
}

pub fn press_a_button(lang: Lang) -> &'static str {
    pick(
        lang,
        "请点上面的按钮选择。",
        "Please press one of the buttons above.",
    )
}

pub fn text_expected(lang: Lang) -> &'static str {
    pick(
        lang,
        "这一步需要文字，请输入。",
        "This step needs text; please type it.",
    )
}

pub fn unsupported(lang: Lang) -> &'static str {
    pick(
        lang,
        "抱歉，我看不懂这种消息（贴纸、语音等）。请用文字，或点按钮。",
        "Sorry, I cannot read that kind of message (stickers, voice…). Please type, or press a button.",
    )
}

pub fn stale_button(lang: Lang) -> &'static str {
    pick(
        lang,
        "这个按钮已过期，请用最新的消息。",
        "That button has expired; please use the latest message.",
    )
}

pub fn unknown_button(lang: Lang) -> &'static str {
    pick(
        lang,
        "无法识别这个按钮。",
        "I do not recognise that button.",
    )
}
