//! Words of the WeChat channel (issue 28): the resident's name, the
//! template messages' headlines, and the desk's line for a message that
//! could not be sent.

use crate::domain::{Lang, NewsKind};

/// The name a WeChat resident goes by: WeChat gives an account no
/// follower's name, only an openid. (Chinese; the resident's language is
/// Chinese until they choose with `/lang`.)
pub const RESIDENT_NAME: &str = "微信用户";

/// A template message's headline and status for a kind of news, in both
/// languages (a template carries no language of its own; the message
/// itself, in its `remark`, is in the resident's).
pub fn news(kind: NewsKind) -> (&'static str, &'static str) {
    match kind {
        NewsKind::Acknowledged => (
            "您的报修已受理 / Your report was taken on",
            "已受理 / Acknowledged",
        ),
        NewsKind::InProgress => (
            "您的报修正在处理 / Your report is being worked on",
            "处理中 / In progress",
        ),
        NewsKind::Resolved => (
            "您的报修已解决 / Your report is resolved",
            "已解决 / Resolved",
        ),
        NewsKind::Incident => (
            "停水/故障最新进展 / Latest on the incident",
            "进展更新 / Update",
        ),
    }
}

/// The desk's line for a message WeChat would not take: `error` is the
/// outbox's reason (`wechat 45015: …`), told apart by its code; `what` the
/// message's text, quoted on one line (cut to 120 characters), so staff
/// know what to tell the resident another way.
pub fn unreached(lang: Lang, error: &str, what: Option<&str>) -> String {
    let code = error
        .strip_prefix("wechat ")
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_default();
    let why = match (lang, code) {
        (Lang::Zh, "45015") => "48小时窗口已关闭".to_owned(),
        (Lang::En, "45015") => "window closed".to_owned(),
        (Lang::Zh, "45047") => "超过本次互动的消息条数上限".to_owned(),
        (Lang::En, "45047") => "over the per-action message limit".to_owned(),
        (Lang::Zh, "43004") => "居民已取消关注".to_owned(),
        (Lang::En, "43004") => "the resident unfollowed the account".to_owned(),
        _ => error.to_owned(),
    };
    let what = what
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .map(|line| match line.char_indices().nth(120) {
            Some((at, _)) => format!(" — «{}…»", &line[..at]),
            None => format!(" — «{line}»"),
        })
        .unwrap_or_default();
    match lang {
        Lang::Zh => format!("⚠ 未能通过微信通知居民：{why}{what}"),
        Lang::En => format!("⚠ could not reach the resident on WeChat: {why}{what}"),
    }
}

/// The account's custom menu (`hotline wechat menu`): each item's name and
/// its CLICK key, the command the server reads it as. WeChat shows at most
/// 4 Chinese characters in a top-level item, so the names are Chinese only
/// (a resident who chose English gets English answers all the same).
pub const MENU: [(&str, &str); 3] = [
    ("报修", "/report"),
    ("我的报修", "/my"),
    ("查询", "/status"),
];

/// The answer to `/forget` on WeChat (WeChat gives no name to erase again).
pub fn forgotten(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "已删除您所有报修中的电话号码，以及未提交的报修中的照片。工单本身保留（不含电话），未完成的工单会注明您的要求；\
             为了继续通知您未完成工单的进展，我们保留您的微信账号标识，直到这些工单完成并过了保存期限。"
        }
        Lang::En => {
            "The phone numbers of all your reports and the photos of a report not yet sent are \
             erased. The reports stay (without phone numbers); open ones note that you asked. To \
             tell you about your open reports, we keep your WeChat account's id until they are \
             resolved and the retention period has passed."
        }
    }
}
