//! Texts of the Open311 API (service descriptions in the requested locale,
//! error descriptions for client developers, in English as the spec's
//! examples are) and of `/forget`.

use super::pick;
use crate::domain::Lang;

/// `services.json`'s `description` of every category.
pub fn service_description(lang: Lang) -> &'static str {
    pick(
        lang,
        "向供水热线报告此类故障；与微信/电话报修同等处理。",
        "Report this kind of fault to the water hotline; handled like a report in chat.",
    )
}

/// The `compound` attribute's description.
pub fn compound_attribute(lang: Lang) -> &'static str {
    pick(
        lang,
        "小区（可不填：也可以在 address_string 里写小区名）",
        "The compound (optional: its name in address_string is matched too)",
    )
}

/// The `building` attribute's description.
pub fn building_attribute(lang: Lang) -> &'static str {
    pick(lang, "楼号、单元、门牌", "Building, entrance, flat")
}

pub const ERR_BAD_KEY: &str = "Invalid api_key";
pub const ERR_NOT_FOUND: &str = "Not found";
pub const ERR_NO_SERVICE: &str = "service_code not found";
pub const ERR_NO_REQUEST: &str = "service_request_id not found";
pub const ERR_FORMAT: &str = "Unsupported format: use .json or .xml";
pub const ERR_MALFORMED: &str =
    "Malformed body: send application/x-www-form-urlencoded fields as the spec says";
pub const ERR_NO_LOCATION: &str = "lat/long, address_string, or address_id required";
pub const ERR_BAD_COMPOUND: &str = "attribute[compound] is not one of the service's values";
pub const ERR_INTERNAL: &str = "Internal error; the request was not stored";
pub const ERR_BAD_PHONE: &str =
    "phone must be a phone number (digits, optionally with + ( ) - . and spaces) or left out";
pub const ERR_BAD_MEDIA_URL: &str = "media_url must be an http:// or https:// URL";

/// A rate limit reached.
pub fn err_rate(retry_after_secs: i64) -> String {
    format!("Too many requests; try again in {retry_after_secs} s (see Retry-After)")
}

/// Discovery's `key_service`: how a city client obtains a key.
pub fn key_service(contact: &str) -> String {
    let whom = if contact.is_empty() {
        "the water utility's hotline operators"
    } else {
        contact
    };
    format!(
        "Reading services and requests needs no key. To post requests, ask {whom} for an \
         api_key, naming your organisation and system; the key is given to you once, only \
         its SHA-256 is kept."
    )
}

/// A field that could not be read.
pub fn err_bad_field(field: &str) -> String {
    format!("{field} is malformed")
}

/// A field longer than allowed.
pub fn err_too_long(field: &str, max: usize) -> String {
    format!("{field} is longer than {max} characters")
}

/// A date filter that is not ISO 8601.
pub fn err_bad_date(field: &str) -> String {
    format!("{field} must be a W3C/ISO 8601 date-time, e.g. 2026-02-09T23:00:00+08:00")
}

/// On the desk's ticket page: the link to the media an Open311 client sent
/// with the request (opened by the member of staff's browser, never fetched
/// by the server).
pub fn media_link(lang: Lang) -> &'static str {
    pick(
        lang,
        "📎 报修附带的照片/附件（外部链接，Open311）",
        "📎 Photo or file sent with the request (external link, Open311)",
    )
}

/// Before the first question of a report started from a compound's poster.
pub fn poster_welcome(lang: Lang, compound: &str) -> String {
    match lang {
        Lang::Zh => format!("您好！您正在为「{compound}」报修，小区已经填好。"),
        Lang::En => {
            format!("Hello! You are reporting a fault at {compound}; the compound is filled in.")
        }
    }
}

/// The answer to `/forget`.
pub fn forgotten(lang: Lang) -> &'static str {
    pick(
        lang,
        "已删除您的称呼和所有报修中的电话号码。工单本身保留（不含个人信息），未完成的工单会注明您的要求。\
         注意：您再次发消息时，Telegram 会重新告诉我们您的显示名。",
        "Your name and the phone numbers of all your reports are erased. The reports stay (without \
         personal details); open ones note that you asked. Note: when you write again, Telegram \
         tells us your display name again.",
    )
}
