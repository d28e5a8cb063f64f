//! A timeline step's or report event's stored detail (a [`Detail`] code) in
//! the reader's language. A detail that is not a code (a note, an update,
//! a row written before the codes) is left to the caller, shown as stored.

use super::pick;
use super::timeline::Names;
use crate::domain::{Detail, Lang, PhoneWhy};

/// The detail in `lang`, or None when `stored` is not a [`Detail`] code.
pub(super) fn render(lang: Lang, stored: &str, names: &impl Names) -> Option<String> {
    let name = |id: &str| names.name_of(id).unwrap_or_else(|| id.to_owned());
    let zh = lang == Lang::Zh;
    Some(match Detail::from_code(stored)? {
        Detail::Joined { report, reports } => match zh {
            true => format!("报修 #{report} 并入，现共 {reports} 条"),
            false => format!("report {report}; {reports} reports now"),
        },
        Detail::EscalatedBy { person, step } => match zh {
            true => format!("{} 手动升级；第 {step} 级", name(person.as_str())),
            false => format!("escalated now by {}; step {step}", name(person.as_str())),
        },
        Detail::NoAck { minutes, step } => match zh {
            true => format!("{minutes} 分钟无人确认；第 {step} 级"),
            false => format!("no acknowledgement after {minutes} min; step {step}"),
        },
        Detail::NobodyAtStep { from, to } => match zh {
            true => format!("第 {from} 级无人在岗；立即转第 {to} 级"),
            false => format!("nobody present at step {from}; step {to} at once"),
        },
        Detail::AllAway { person, rotation } => match zh {
            true => format!(
                "无人在岗：{} 及轮值 {rotation} 的其他人都不在",
                name(person.as_str())
            ),
            false => format!(
                "nobody present: {} and everyone else in rotation {rotation} are away",
                name(person.as_str())
            ),
        },
        Detail::NoRotation => pick(
            lang,
            "此角色现在无人值班（没有轮值安排）",
            "nobody holds this role now (no rotation serves it)",
        )
        .into(),
        Detail::NoDirector => pick(
            lang,
            "各级都无人在岗，且无主任值班：未通知任何人",
            "nobody present at any step and no director on the rota: nobody paged",
        )
        .into(),
        Detail::LastResort => pick(
            lang,
            "主任（最后一道保障）：各级都无人在岗",
            "director, last resort: nobody present at any step",
        )
        .into(),
        Detail::Phoned {
            via,
            route,
            after,
            provider_id,
        } => phoned(lang, &via, &route, &after, provider_id.as_deref()),
        Detail::SendFailed { via, error } => match zh {
            true => format!("{} 发送失败：{error}", channel(lang, &via)),
            false => format!("{via}: {error}"),
        },
        Detail::NoRobot { via } => match zh {
            true => format!("{}：机器人未配置", channel(lang, &via)),
            false => format!("{via}: robot not configured"),
        },
        Detail::NoGateway { via } => match zh {
            true => format!("{}：电话网关未配置", channel(lang, &via)),
            false => format!("{via}: gateway not configured"),
        },
        Detail::NoPhone { after } => after_why(lang, &after),
        Detail::Reply { channel: via, code } => match zh {
            true => format!("{}回复 {code}", channel(lang, &via)),
            false => format!("{via} reply {code}"),
        },
        Detail::Link { action } => link(lang, &action).into(),
        Detail::ResidentAsked => pick(
            lang,
            "应居民要求",
            "the resident asked to erase their contact details",
        )
        .into(),
    })
}

fn phoned(lang: Lang, via: &str, route: &str, after: &str, id: Option<&str>) -> String {
    let after = after_why(lang, after);
    match lang {
        Lang::Zh => {
            let id = id.map(|p| format!("，编号 {p}")).unwrap_or_default();
            let route = match route {
                "gateway" => "电话网关",
                "robot" => "机器人",
                other => other,
            };
            format!("{}，经{route}（{after}）{id}", channel(lang, via))
        }
        Lang::En => {
            let id = id.map(|p| format!(", id {p}")).unwrap_or_default();
            let route = match (route, via) {
                ("robot", "wecom") => "WeCom robot",
                ("robot", "dingtalk") => "DingTalk robot",
                ("robot", "feishu") => "Feishu bot",
                (other, _) => other,
            };
            format!("{via} via {route} ({after}){id}")
        }
    }
}

/// A channel's name (`sms`, `voice`, a robot); an unknown one as stored.
fn channel(lang: Lang, via: &str) -> String {
    let zh = match via {
        "sms" => "短信",
        "voice" => "语音电话",
        "wecom" => "企业微信",
        "dingtalk" => "钉钉",
        "feishu" => "飞书",
        _ => return via.to_owned(),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => via.to_owned(),
    }
}

/// Why someone was phoned; prose queued before the codes as stored.
fn after_why(lang: Lang, after: &str) -> String {
    let Some(why) = PhoneWhy::from_code(after) else {
        return after.to_owned();
    };
    match why {
        PhoneWhy::Refused => pick(lang, "Telegram 拒收了告警", "Telegram refused the alert"),
        PhoneWhy::Undelivered => pick(
            lang,
            "Telegram 告警尚未送达",
            "Telegram has not delivered the alert",
        ),
        PhoneWhy::NoAck => pick(lang, "无人确认", "no acknowledgement"),
    }
    .to_owned()
}

fn link(lang: Lang, action: &str) -> &'static str {
    match action {
        "resolve" => pick(lang, "通过链接解决", "resolve by link"),
        _ => pick(lang, "通过链接确认", "ack by link"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ReportEventKind, ReportId, TimelineKind};
    use crate::texts::timeline::{report_event, timeline_step};

    fn names(id: &str) -> Option<String> {
        (id == "cadre-a").then(|| "张干部".to_owned())
    }

    /// Latin letters left in a line, apart from Telegram's name.
    fn english(line: &str) -> bool {
        line.replace("Telegram", "")
            .chars()
            .any(|c| c.is_ascii_alphabetic())
    }

    #[test]
    fn a_chinese_timeline_shows_no_english_detail() {
        let (via, after) = (|| "sms".to_owned(), || PhoneWhy::NoAck.code().to_owned());
        let steps = [
            (
                TimelineKind::Joined,
                Detail::Joined {
                    report: ReportId(7),
                    reports: 3,
                },
            ),
            (
                TimelineKind::Escalated,
                Detail::EscalatedBy {
                    person: "cadre-a".into(),
                    step: 2,
                },
            ),
            (
                TimelineKind::Escalated,
                Detail::NoAck {
                    minutes: 30,
                    step: 2,
                },
            ),
            (
                TimelineKind::Escalated,
                Detail::NobodyAtStep { from: 1, to: 2 },
            ),
            (
                TimelineKind::Unstaffed,
                Detail::AllAway {
                    person: "cadre-a".into(),
                    rotation: "周末".into(),
                },
            ),
            (TimelineKind::Unstaffed, Detail::NoRotation),
            (TimelineKind::Unstaffed, Detail::NoDirector),
            (TimelineKind::Notified, Detail::LastResort),
            (
                TimelineKind::Phoned,
                Detail::Phoned {
                    via: via(),
                    route: "gateway".into(),
                    after: after(),
                    provider_id: Some("42".into()),
                },
            ),
            (
                TimelineKind::Phoned,
                Detail::Phoned {
                    via: "wecom".into(),
                    route: "robot".into(),
                    after: PhoneWhy::Refused.code().into(),
                    provider_id: None,
                },
            ),
            (
                TimelineKind::PhoneFailed,
                Detail::SendFailed {
                    via: "voice".into(),
                    error: "500".into(),
                },
            ),
            (
                TimelineKind::PhoneFailed,
                Detail::NoRobot {
                    via: "feishu".into(),
                },
            ),
            (TimelineKind::PhoneFailed, Detail::NoGateway { via: via() }),
            (
                TimelineKind::PhoneMissing,
                Detail::NoPhone {
                    after: PhoneWhy::Undelivered.code().into(),
                },
            ),
            (
                TimelineKind::PhoneReply,
                Detail::Reply {
                    channel: "voice".into(),
                    code: "2".into(),
                },
            ),
            (
                TimelineKind::LinkUsed,
                Detail::Link {
                    action: "resolve".into(),
                },
            ),
        ];
        for (kind, detail) in steps {
            let line = timeline_step(Lang::Zh, kind, "cadre-a", &detail.code(), &names);
            assert!(!english(&line), "{line}");
            let en = timeline_step(Lang::En, kind, "cadre-a", &detail.code(), &names);
            assert!(!en.contains('{'), "no code shows in English either: {en}");
        }
        let erased = Detail::ResidentAsked.code();
        let line = report_event(
            Lang::Zh,
            ReportEventKind::Forgotten,
            &crate::domain::Actor::Resident(1),
            &erased,
            &names,
        );
        assert_eq!(line, "已删除联系方式 · 居民 应居民要求");
    }

    #[test]
    fn a_detail_stored_as_prose_before_the_codes_shows_as_stored() {
        let line = timeline_step(
            Lang::Zh,
            TimelineKind::Joined,
            "",
            "report 5; 3 reports now",
            &names,
        );
        assert_eq!(line, "新报修并入 report 5; 3 reports now");
    }
}
