//! Texts of the hall's desk pages added for issue 23: the search, the
//! ticket page's header and action panel, and what the queue announces.
//! Chinese first, English second.

use super::pick;
use crate::domain::{EscalationId, Lang};

pub fn search(lang: Lang) -> &'static str {
    pick(lang, "搜索", "Search")
}

pub fn search_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "工单号、电话（或后4位）、小区、地址或描述中的字词",
        "Ticket, phone (or its last 4 digits), compound, address or words",
    )
}

pub fn any_status(lang: Lang) -> &'static str {
    pick(lang, "全部（含已解决）", "All (resolved too)")
}

pub fn open_only(lang: Lang) -> &'static str {
    pick(lang, "未解决", "Open")
}

pub fn resolved_only(lang: Lang) -> &'static str {
    pick(lang, "已解决", "Resolved")
}

pub fn from(lang: Lang) -> &'static str {
    pick(lang, "从", "From")
}

pub fn to(lang: Lang) -> &'static str {
    pick(lang, "到", "To")
}

pub fn no_results(lang: Lang) -> &'static str {
    pick(lang, "没有找到匹配的报修。", "No report matches.")
}

pub fn next_page(lang: Lang) -> &'static str {
    pick(lang, "下一页 →", "Next page →")
}

pub fn search_older(lang: Lang) -> &'static str {
    pick(lang, "在更早的报修中继续找 →", "Look further back →")
}

pub fn first_page(lang: Lang) -> &'static str {
    pick(lang, "← 第一页", "← First page")
}

pub fn created(lang: Lang) -> &'static str {
    pick(lang, "提交时间", "Created")
}

pub fn phone(lang: Lang) -> &'static str {
    pick(lang, "电话", "Phone")
}

pub fn channel(lang: Lang) -> &'static str {
    pick(lang, "渠道", "Channel")
}

pub fn channel_chat(lang: Lang) -> &'static str {
    pick(lang, "Telegram 聊天", "Telegram chat")
}

pub fn channel_open311(lang: Lang) -> &'static str {
    pick(lang, "Open311（市民应用）", "Open311 (city app)")
}

pub fn channel_phone(lang: Lang) -> &'static str {
    pick(lang, "电话（热线大厅接听）", "Phone (taken in the hall)")
}

pub fn channel_other(lang: Lang) -> &'static str {
    pick(lang, "其他", "Other")
}

pub fn callback(lang: Lang) -> &'static str {
    pick(lang, "回拨电话", "Call back")
}

pub fn no_callback(lang: Lang) -> &'static str {
    pick(lang, "未留电话", "No number given")
}

pub fn compound(lang: Lang) -> &'static str {
    pick(lang, "小区", "Compound")
}

pub fn district(lang: Lang) -> &'static str {
    pick(lang, "所属区", "District")
}

pub fn zone(lang: Lang) -> &'static str {
    pick(lang, "重点区域", "Priority zone")
}

pub fn none(lang: Lang) -> &'static str {
    pick(lang, "无", "None")
}

pub fn photos(lang: Lang) -> &'static str {
    pick(lang, "照片", "Photos")
}

pub fn resolved_waited(lang: Lang) -> &'static str {
    pick(lang, "已解决，不再计时", "Resolved: no longer waiting")
}

pub fn actions(lang: Lang) -> &'static str {
    pick(lang, "处理", "Actions")
}

pub fn message_label(lang: Lang) -> &'static str {
    pick(
        lang,
        "给居民发消息（居民会在聊天中收到）",
        "Message the resident (they receive it in their chat)",
    )
}

pub fn message_send(lang: Lang) -> &'static str {
    pick(lang, "发送给居民", "Send to the resident")
}

pub fn no_chat(lang: Lang) -> &'static str {
    pick(
        lang,
        "此报修不是在聊天中提交的，无法给居民发消息；请回拨电话。",
        "This report did not come through the chat: nobody can be messaged; call back instead.",
    )
}

pub fn note_label(lang: Lang) -> &'static str {
    pick(
        lang,
        "内部备注（仅工作人员可见，不会告知居民）",
        "Internal note (staff only; the resident is not told)",
    )
}

pub fn note_save(lang: Lang) -> &'static str {
    pick(lang, "保存内部备注", "Save internal note")
}

pub fn resolve_ticket_label(lang: Lang) -> &'static str {
    pick(
        lang,
        "解决此工单（说明会发给这位居民）",
        "Resolve this ticket (the note goes to this resident)",
    )
}

pub fn resolve_ticket(lang: Lang) -> &'static str {
    pick(lang, "标记此工单已解决", "Mark this ticket resolved")
}

pub fn escalation_heading(lang: Lang, id: EscalationId, status: &str) -> String {
    match lang {
        Lang::Zh => format!("🚨 升级 #{id} · {status}"),
        Lang::En => format!("🚨 Escalation #{id} · {status}"),
    }
}

pub fn update_label(lang: Lang) -> &'static str {
    pick(
        lang,
        "发布进展（发给本事件所有报修的居民）",
        "Broadcast an update (to every resident who reported this incident)",
    )
}

pub fn resolve_all_label(lang: Lang) -> &'static str {
    pick(
        lang,
        "解决整个升级（说明会发给本事件所有报修的居民）",
        "Resolve the whole escalation (the note goes to every resident who reported it)",
    )
}

pub fn resolve_all_confirm(lang: Lang) -> &'static str {
    pick(
        lang,
        "我确认：解决整个升级及其全部报修",
        "I confirm: resolve the whole escalation and all its reports",
    )
}

pub fn needs_note_and_confirm(lang: Lang) -> &'static str {
    pick(
        lang,
        "解决整个升级需要写明说明并勾选确认。什么也没有发送。",
        "Resolving a whole escalation needs a note and the confirmation. Nothing was sent.",
    )
}

pub fn needs_text(lang: Lang) -> &'static str {
    pick(
        lang,
        "请先填写内容。什么也没有发送。",
        "Write something first. Nothing was sent.",
    )
}

pub fn no_longer_applies(lang: Lang) -> &'static str {
    pick(
        lang,
        "此操作已不适用（升级或工单已解决，或已确认）。什么也没有发送。",
        "That action no longer applies (the escalation or ticket is resolved, or already acknowledged). Nothing was sent.",
    )
}

pub fn message_to_resident(lang: Lang, ticket: &str, text: &str) -> String {
    match lang {
        Lang::Zh => format!("💬 关于您的报修 {ticket}，热线工作人员留言：\n{text}"),
        Lang::En => format!("💬 About your report {ticket}, the hotline writes:\n{text}"),
    }
}

pub fn message_sent(lang: Lang) -> &'static str {
    pick(
        lang,
        "消息已发给居民。",
        "The message is on its way to the resident.",
    )
}

pub fn sound_on(lang: Lang) -> &'static str {
    pick(lang, "🔔 提示音：开", "🔔 Sound: on")
}

pub fn sound_off(lang: Lang) -> &'static str {
    pick(lang, "🔕 提示音：关", "🔕 Sound: off")
}

pub fn announce_urgent(lang: Lang) -> &'static str {
    pick(lang, "新紧急报修", "New urgent report")
}

pub fn escalation_status(lang: Lang, status: crate::domain::EscalationStatus) -> &'static str {
    use crate::domain::EscalationStatus as S;
    match status {
        S::Open => pick(lang, "待确认", "waiting for acknowledgement"),
        S::Acknowledged => pick(lang, "已确认", "acknowledged"),
        S::Resolved => pick(lang, "已解决", "resolved"),
    }
}
