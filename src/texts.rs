//! Every text the bot shows residents, in Chinese (the default) and English.
//! One place, so wording stays consistent and a third language is one more arm.

use crate::domain::{Category, Lang, ReportStatus};

/// Steps of the report wizard, shown as "step k/n".
pub const STEPS: u8 = 5;

pub fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

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

pub fn welcome(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "{name}您好！这里是 24 小时供水服务热线。\n\n\
             • 报修：点下面的「报修」按钮，或发送 /report\n\
             • 查进度：/my 查看我的报修，/status 工单号\n\
             • 随时发送 /cancel 取消\n\n\
             For English, send /lang"
        ),
        Lang::En => format!(
            "Hello {name}! This is the 24-hour water service line.\n\n\
             • Report a fault: press the \"Report\" button below, or send /report\n\
             • Follow up: /my lists your reports, /status <ticket> shows one\n\
             • Send /cancel at any time to stop\n\n\
             中文请发送 /lang"
        ),
    }
}

pub fn help(lang: Lang) -> &'static str {
    pick(
        lang,
        "要报修，请点「报修」按钮或发送 /report。\n查询：/my 我的报修，/status 工单号。\n切换语言：/lang",
        "To report a fault, press \"Report\" or send /report.\nFollow up: /my, or /status <ticket>.\nLanguage: /lang",
    )
}

pub fn choose_language(lang: Lang) -> &'static str {
    pick(
        lang,
        "请选择语言 / Choose your language:",
        "Choose your language / 请选择语言:",
    )
}

pub fn language_set(lang: Lang) -> &'static str {
    pick(
        lang,
        "好的，以后用中文和您交流。",
        "OK, I will write to you in English.",
    )
}

pub fn ask_category(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}：请选择故障类型。", step_header(lang, 1)),
        Lang::En => format!("{}: What kind of fault is it?", step_header(lang, 1)),
    }
}

pub fn ask_place(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：在哪里？请输入小区名称和楼号单元，例如：\n阳光花园 3号楼2单元\n\n（也可以点下面的按钮发送位置，但仍需输入小区名称）",
            step_header(lang, 2)
        ),
        Lang::En => format!(
            "{}: Where is it? Type the compound (小区) name and the building/unit, e.g.:\nSunshine Garden building 3 unit 2\n\n(You may also share your location with the button below, but please still type the compound.)",
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
        Lang::Zh => format!(
            "{}：联系电话（方便维修人员联系您）。点「分享我的号码」，或直接输入号码，也可以跳过。",
            step_header(lang, 4)
        ),
        Lang::En => format!(
            "{}: A phone number for the crew to reach you. Press \"Share my number\", type a number, or skip.",
            step_header(lang, 4)
        ),
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
}

pub fn summary(lang: Lang, s: &Summary) -> String {
    let header = step_header(lang, 5);
    let phone = s.phone.unwrap_or(pick(lang, "（未留）", "(none)"));
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

pub fn edit_field(lang: Lang, field: &str) -> &'static str {
    match (field, lang) {
        ("category", Lang::Zh) => "故障类型",
        ("category", Lang::En) => "Fault",
        ("place", Lang::Zh) => "地点",
        ("place", Lang::En) => "Where",
        ("description", Lang::Zh) => "描述",
        ("description", Lang::En) => "What happened",
        (_, Lang::Zh) => "电话",
        (_, Lang::En) => "Phone",
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

pub fn private_only(lang: Lang, bot_username: &str) -> String {
    match lang {
        Lang::Zh => format!("为保护您的隐私，请私聊我报修：@{bot_username}"),
        Lang::En => format!(
            "To protect your privacy, please message me privately to report: @{bot_username}"
        ),
    }
}

pub fn slow_down(lang: Lang) -> &'static str {
    pick(
        lang,
        "您发得太快了，请稍等一分钟再继续。您之前的内容都已保存。",
        "You are sending messages very fast; please wait a minute before going on. Nothing you sent is lost.",
    )
}

pub fn too_many_reports(lang: Lang, limit: u32) -> String {
    match lang {
        Lang::Zh => format!("您一小时内已提交 {limit} 条报修，请稍后再提交。查看已提交的报修：/my"),
        Lang::En => format!(
            "You have sent {limit} reports within an hour; please try again later. Your reports: /my"
        ),
    }
}

pub fn idle_hint(lang: Lang) -> &'static str {
    help(lang)
}

pub fn no_reports(lang: Lang) -> &'static str {
    pick(
        lang,
        "您还没有提交过报修。",
        "You have not reported anything yet.",
    )
}

pub fn my_reports_header(lang: Lang) -> &'static str {
    pick(lang, "您的报修：", "Your reports:")
}

pub fn report_line(
    lang: Lang,
    ticket: &str,
    category: Category,
    place: &str,
    status: ReportStatus,
) -> String {
    format!(
        "• {ticket} · {} · {place} · {}",
        category.label(lang),
        status.label(lang)
    )
}

pub fn status_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "请发送：/status 工单号，例如 /status JN-260209-0042",
        "Send: /status <ticket>, e.g. /status JN-260209-0042",
    )
}

pub fn ticket_not_found(lang: Lang) -> &'static str {
    pick(
        lang,
        "没有找到这个工单。只能查询您自己提交的报修，请核对工单号，或发送 /my。",
        "No such ticket among your reports. Please check the number, or send /my.",
    )
}

pub fn status_detail(
    lang: Lang,
    ticket: &str,
    category: Category,
    place: &str,
    status: ReportStatus,
    when: &str,
) -> String {
    match lang {
        Lang::Zh => format!(
            "工单 {ticket}\n类型：{}\n地点：{place}\n提交时间：{when}\n状态：{}",
            category.label(lang),
            status.label(lang)
        ),
        Lang::En => format!(
            "Ticket {ticket}\nFault: {}\nWhere: {place}\nReported: {when}\nStatus: {}",
            category.label(lang),
            status.label(lang)
        ),
    }
}

/// The command menu, set with setMyCommands for each language.
pub fn commands(lang: Lang) -> Vec<(&'static str, &'static str)> {
    match lang {
        Lang::Zh => vec![
            ("report", "报修"),
            ("my", "我的报修"),
            ("status", "查询工单进度"),
            ("cancel", "取消当前操作"),
            ("lang", "切换语言 / Language"),
            ("help", "帮助"),
        ],
        Lang::En => vec![
            ("report", "Report a fault"),
            ("my", "My reports"),
            ("status", "Status of a ticket"),
            ("cancel", "Cancel what you are doing"),
            ("lang", "Language / 切换语言"),
            ("help", "Help"),
        ],
    }
}

pub mod staff;

/// What a resident hears when staff move their report forward.
pub fn report_moved(lang: Lang, ticket: &str, status: ReportStatus, note: &str) -> String {
    let note = note.trim();
    let with_note = |zh_label: &str, en_label: &str| match (lang, note.is_empty()) {
        (Lang::Zh, true) => zh_label.to_string(),
        (Lang::Zh, false) => format!("{zh_label}\n说明：{note}"),
        (Lang::En, true) => en_label.to_string(),
        (Lang::En, false) => format!("{en_label}\nNote: {note}"),
    };
    match status {
        ReportStatus::Acknowledged => with_note(
            &format!("📣 您的报修 {ticket} 已由值班人员确认，正在安排处理。"),
            &format!(
                "📣 Your report {ticket} was acknowledged by the staff on duty; help is being arranged."
            ),
        ),
        ReportStatus::InProgress => with_note(
            &format!("🔧 您的报修 {ticket} 正在处理中。"),
            &format!("🔧 Your report {ticket} is being worked on."),
        ),
        ReportStatus::Resolved => with_note(
            &format!("✅ 您的报修 {ticket} 已解决。感谢您的耐心！如仍有问题，请再次报修。"),
            &format!(
                "✅ Your report {ticket} is resolved. Thank you for your patience! If the problem persists, please report again."
            ),
        ),
        ReportStatus::New => String::new(),
    }
}

/// The latest word on an incident, broadcast to everyone subscribed to it.
pub fn incident_update(
    lang: Lang,
    place: &str,
    category: Category,
    text: &str,
    eta: Option<&str>,
) -> String {
    let eta = eta.map(|e| match lang {
        Lang::Zh => format!("\n预计恢复：{e}"),
        Lang::En => format!("\nExpected back: {e}"),
    });
    match lang {
        Lang::Zh => format!(
            "📣 {place}{}故障进展：\n{text}{}",
            category.label(lang),
            eta.unwrap_or_default()
        ),
        Lang::En => format!(
            "📣 Update on the {} at {place}:\n{text}{}",
            category.label(lang).to_lowercase(),
            eta.unwrap_or_default()
        ),
    }
}

/// Told at once to a resident reporting a fault that is already known.
pub fn known_incident(
    lang: Lang,
    place: &str,
    category: Category,
    latest: Option<(&str, Option<&str>)>,
) -> String {
    let news = match (latest, lang) {
        (Some((text, eta)), Lang::Zh) => {
            format!(
                "\n最新进展：{text}{}",
                eta.map(|e| format!("\n预计恢复：{e}")).unwrap_or_default()
            )
        }
        (Some((text, eta)), Lang::En) => {
            format!(
                "\nLatest: {text}{}",
                eta.map(|e| format!("\nExpected back: {e}"))
                    .unwrap_or_default()
            )
        }
        (None, Lang::Zh) => "\n工作人员已经在处理。".to_string(),
        (None, Lang::En) => "\nStaff are already on it.".to_string(),
    };
    match lang {
        Lang::Zh => format!(
            "ℹ️ 这是已知故障：{place}{}。{news}\n\n要把您的报修加入吗？加入后会计入这次故障，并收到进展通知。",
            category.label(lang)
        ),
        Lang::En => format!(
            "ℹ️ This fault is already known: {} at {place}.{news}\n\nAdd your report to it? It will count on this incident and you will get its updates.",
            category.label(lang)
        ),
    }
}

pub fn join_button(lang: Lang) -> &'static str {
    pick(lang, "✅ 加入并接收进展", "✅ Add mine and keep me posted")
}

pub fn separate_button(lang: Lang) -> &'static str {
    pick(lang, "📝 单独报修", "📝 Report separately")
}

pub fn joined_incident(lang: Lang, ticket: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("✅ 已加入，工单号：{ticket}\n有进展会第一时间通知您。查询：/status {ticket}")
        }
        Lang::En => format!(
            "✅ Added. Your ticket: {ticket}\nYou will hear as soon as there is news. Follow up: /status {ticket}"
        ),
    }
}

/// Told at once to a resident reporting an outage during announced planned work.
pub fn planned_outage(lang: Lang, place: &str, from: &str, to: &str, note: &str) -> String {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("（{note}）")
    };
    match lang {
        Lang::Zh => format!(
            "🗓 {place} 现在是计划停水{note}：{from} – {to}。预计 {to} 恢复供水。\n如果到时仍没有水，或有其他问题，请点「仍要报修」。"
        ),
        Lang::En => format!(
            "🗓 {place} has planned work{note}: water is off {from} – {to} and is expected back at {to}.\nIf it is not back by then, or it is something else, press \"Report anyway\"."
        ),
    }
}

pub fn report_anyway_button(lang: Lang) -> &'static str {
    pick(lang, "📝 仍要报修", "📝 Report anyway")
}

pub fn ok_button(lang: Lang) -> &'static str {
    pick(lang, "👌 知道了", "👌 OK")
}

pub fn thanks(lang: Lang) -> &'static str {
    pick(
        lang,
        "好的，谢谢您的耐心。",
        "OK, thank you for your patience.",
    )
}

/// The description stored for a report added to a known incident.
pub fn joined_description(lang: Lang) -> &'static str {
    pick(lang, "（加入已知故障）", "(added to a known incident)")
}
