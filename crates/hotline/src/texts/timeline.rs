//! A timeline step or report event as a line, in the reader's language: the
//! desk's ticket page, `/ticket` and the alert's Details. People appear by
//! name; roles, kinds and reasons by their label, never by their code.

use super::Label;
use crate::domain::{Actor, Lang, OpenedWhy, ReportEventKind, Role, TimelineKind};

/// Looks up a person's (or duty group's) name by id.
pub trait Names {
    fn name_of(&self, id: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> Names for F {
    fn name_of(&self, id: &str) -> Option<String> {
        self(id)
    }
}

pub fn role(lang: Lang, role: Role) -> &'static str {
    match (role, lang) {
        (Role::Operator, Lang::Zh) => "接线员",
        (Role::Operator, Lang::En) => "operator",
        (Role::DutyManager, Lang::Zh) => "值班干部",
        (Role::DutyManager, Lang::En) => "duty manager",
        (Role::Director, Lang::Zh) => "客服中心主任",
        (Role::Director, Lang::En) => "director",
        (Role::Supervisor, Lang::Zh) => "督办员",
        (Role::Supervisor, Lang::En) => "supervisor",
    }
}

pub fn timeline_kind(lang: Lang, kind: TimelineKind) -> &'static str {
    use TimelineKind as K;
    match (kind, lang) {
        (K::Opened, Lang::Zh) => "升级开启",
        (K::Opened, Lang::En) => "opened",
        (K::Joined, Lang::Zh) => "新报修并入",
        (K::Joined, Lang::En) => "report joined",
        (K::Notified, Lang::Zh) => "已通知",
        (K::Notified, Lang::En) => "notified",
        (K::Unstaffed, Lang::Zh) => "无人可通知",
        (K::Unstaffed, Lang::En) => "nobody to page",
        (K::Escalated, Lang::Zh) => "升级到下一级",
        (K::Escalated, Lang::En) => "escalated",
        (K::Repeated, Lang::Zh) => "再次通知",
        (K::Repeated, Lang::En) => "paged again",
        (K::Acknowledged, Lang::Zh) => "已确认",
        (K::Acknowledged, Lang::En) => "acknowledged",
        (K::InProgress, Lang::Zh) => "处理中",
        (K::InProgress, Lang::En) => "in progress",
        (K::Resolved, Lang::Zh) => "已解决",
        (K::Resolved, Lang::En) => "resolved",
        (K::Update, Lang::Zh) => "发布进展",
        (K::Update, Lang::En) => "update sent",
        (K::Phoned, Lang::Zh) => "已电话/短信通知",
        (K::Phoned, Lang::En) => "phoned",
        (K::PhoneFailed, Lang::Zh) => "电话/短信未发出",
        (K::PhoneFailed, Lang::En) => "phoning failed",
        (K::PhoneMissing, Lang::Zh) => "无电话号码",
        (K::PhoneMissing, Lang::En) => "no phone number",
        (K::PhoneReply, Lang::Zh) => "电话/短信回复",
        (K::PhoneReply, Lang::En) => "phone reply",
        (K::LinkUsed, Lang::Zh) => "通过链接操作",
        (K::LinkUsed, Lang::En) => "link used",
    }
}

pub fn report_event_kind(lang: Lang, kind: ReportEventKind) -> &'static str {
    use ReportEventKind as K;
    match (kind, lang) {
        (K::Created, Lang::Zh) => "提交报修",
        (K::Created, Lang::En) => "reported",
        (K::Open311, Lang::Zh) => "经 Open311 提交",
        (K::Open311, Lang::En) => "reported through Open311",
        (K::Phone, Lang::Zh) => "电话",
        (K::Phone, Lang::En) => "phone",
        (K::Note, Lang::Zh) => "备注",
        (K::Note, Lang::En) => "note",
        (K::Assigned, Lang::Zh) => "指派给",
        (K::Assigned, Lang::En) => "assigned to",
        (K::Acknowledged, Lang::Zh) => "已确认",
        (K::Acknowledged, Lang::En) => "acknowledged",
        (K::InProgress, Lang::Zh) => "处理中",
        (K::InProgress, Lang::En) => "in progress",
        (K::Resolved, Lang::Zh) => "已解决",
        (K::Resolved, Lang::En) => "resolved",
        (K::Forgotten, Lang::Zh) => "已删除联系方式",
        (K::Forgotten, Lang::En) => "contact details erased",
        (K::Messaged, Lang::Zh) => "已发消息给居民",
        (K::Messaged, Lang::En) => "messaged the resident",
    }
}

/// Why an escalation opened; a detail stored before reasons had codes is
/// shown as it was stored.
fn opened(lang: Lang, detail: &str) -> String {
    match (OpenedWhy::from_code(detail), lang) {
        (Some(OpenedWhy::Threshold { count, threshold }), Lang::Zh) => {
            format!("{count} 户报修，达到阈值 {threshold}")
        }
        (Some(OpenedWhy::Threshold { count, threshold }), Lang::En) => {
            format!("{count} households reported, threshold {threshold}")
        }
        (Some(OpenedWhy::Urgent), lang) => super::pick(lang, "紧急类别", "urgent category").into(),
        (Some(OpenedWhy::Zone(zone)), Lang::Zh) => format!("重点区域：{}", zone.label(lang)),
        (Some(OpenedWhy::Zone(zone)), Lang::En) => format!("priority zone: {}", zone.label(lang)),
        (None, _) => detail.to_owned(),
    }
}

/// A target or detail that names a person, a duty group or a role.
fn who(lang: Lang, id: &str, names: &impl Names) -> String {
    if let Some(name) = names.name_of(id) {
        return name;
    }
    match Role::from_code(id) {
        Some(r) => role(lang, r).to_owned(),
        None if id == "duty group" => super::pick(lang, "值班群", "duty group").to_owned(),
        None => id.to_owned(),
    }
}

/// One step of an escalation's timeline, without its time.
pub fn timeline_step(
    lang: Lang,
    kind: TimelineKind,
    target: &str,
    detail: &str,
    names: &impl Names,
) -> String {
    let detail = match (kind, super::detail::render(lang, detail, names)) {
        (_, Some(rendered)) => rendered,
        (TimelineKind::Opened, None) => opened(lang, detail),
        (TimelineKind::Notified, None) => who(lang, detail, names),
        (_, None) => detail.to_owned(),
    };
    let target = who(lang, target, names);
    join(&[timeline_kind(lang, kind), &target, &detail])
}

/// One event of a report's history, without its time.
pub fn report_event(
    lang: Lang,
    kind: ReportEventKind,
    actor: &Actor,
    detail: &str,
    names: &impl Names,
) -> String {
    let actor = match actor {
        Actor::Staff(id) => names.name_of(id.as_str()).unwrap_or_else(|| id.to_string()),
        Actor::Resident(_) => super::pick(lang, "居民", "resident").to_owned(),
        Actor::Open311(client) => format!("Open311 {client}"),
    };
    let detail = match (kind, super::detail::render(lang, detail, names)) {
        (_, Some(rendered)) => rendered,
        (ReportEventKind::Assigned, None) => who(lang, detail, names),
        (_, None) => detail.to_owned(),
    };
    if kind == ReportEventKind::Phone {
        // "电话 · 刘敏 接听" / "phone · taken by 刘敏": the channel and who answered.
        let label = report_event_kind(lang, kind);
        return match lang {
            Lang::Zh => format!("{label} · {actor} 接听"),
            Lang::En => format!("{label} · taken by {actor}"),
        };
    }
    let kind = format!("{} ·", report_event_kind(lang, kind));
    join(&[&kind, &actor, &detail])
}

/// The non-empty parts, one space apart (a target or detail may be empty).
fn join(parts: &[&str]) -> String {
    let parts: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(id: &str) -> Option<String> {
        (id == "cadre-a").then(|| "张干部".to_owned())
    }

    #[test]
    fn a_notified_step_in_chinese_names_the_person_and_the_role() {
        let line = timeline_step(
            Lang::Zh,
            TimelineKind::Notified,
            "cadre-a",
            "duty_manager",
            &names,
        );
        assert_eq!(line, "已通知 张干部 值班干部");
    }

    #[test]
    fn a_resident_event_shows_no_user_id() {
        let line = report_event(
            Lang::Zh,
            ReportEventKind::Created,
            &Actor::Resident(5004),
            "",
            &names,
        );
        assert_eq!(line, "提交报修 · 居民");
    }

    #[test]
    fn a_call_names_the_channel_and_the_operator_who_answered() {
        let actor = Actor::Staff("cadre-a".into());
        let zh = report_event(Lang::Zh, ReportEventKind::Phone, &actor, "", &names);
        assert_eq!(zh, "电话 · 张干部 接听");
        let en = report_event(Lang::En, ReportEventKind::Phone, &actor, "", &names);
        assert_eq!(en, "phone · taken by 张干部");
    }

    #[test]
    fn an_opened_step_says_why_in_the_readers_language() {
        let why = OpenedWhy::Threshold {
            count: 5,
            threshold: 5,
        };
        let line = timeline_step(Lang::Zh, TimelineKind::Opened, "", &why.code(), &names);
        assert_eq!(line, "升级开启 5 户报修，达到阈值 5");
    }
}
