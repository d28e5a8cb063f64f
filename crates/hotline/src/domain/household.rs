//! A report's household (户): who stands behind a report, whichever channel
//! brought it in. A threshold counts households, not messages, so one worried
//! resident writing five times, or a resident who writes in the chat and also
//! files through the city's app with the same phone, is one household.
//!
//! The household is decided once, at intake, as the first known of: the
//! reporter's own phone (never a number given for someone else), the chat
//! account, an Open311 `account_id`, `email`, `phone` or `device_id`; a
//! report with none of these is a household of its own. The stored key is
//! a digest for contact details, so the column never holds a phone number or
//! an address that retention or `/forget` would have to erase.

use sha2::{Digest, Sha256};

/// Who stands behind a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Household {
    /// A phone number that is the reporter's own, normalised (`+86…`).
    Phone(String),
    /// A Telegram account: the chat's user id.
    Chat(i64),
    /// An Open311 client's `account_id`: the client's own namespace.
    Account { client: String, account: String },
    /// An e-mail address, in lower case.
    Email(String),
    /// An Open311 client's `device_id`: the client's own namespace.
    Device { client: String, device: String },
    /// Nothing known: a household of its own (keyed by its ticket).
    Alone,
}

/// What an Open311 request says about its sender (each field as given).
#[derive(Debug, Clone, Copy, Default)]
pub struct Open311Sender<'a> {
    pub account_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub device_id: Option<&'a str>,
}

impl Household {
    /// A chat report: the resident's own phone when they gave one (pass
    /// `None` for a number given for someone else), else their account.
    pub fn of_chat(user_id: i64, own_phone: Option<&str>) -> Household {
        match own_phone.and_then(normalize_phone) {
            Some(phone) => Household::Phone(phone),
            None => Household::Chat(user_id),
        }
    }

    /// A call taken at the desk: the caller's phone when it can be read.
    pub fn of_call(caller_phone: Option<&str>) -> Household {
        match caller_phone.and_then(normalize_phone) {
            Some(phone) => Household::Phone(phone),
            None => Household::Alone,
        }
    }

    /// An Open311 request from `client`: `account_id`, `email`, `phone`,
    /// `device_id`, the first that is given.
    pub fn of_open311(client: &str, sender: Open311Sender) -> Household {
        if let Some(account) = given(sender.account_id) {
            return Household::Account {
                client: client.to_string(),
                account: account.to_string(),
            };
        }
        if let Some(email) = given(sender.email).filter(|e| e.contains('@')) {
            return Household::Email(email.to_lowercase());
        }
        if let Some(phone) = given(sender.phone).and_then(normalize_phone) {
            return Household::Phone(phone);
        }
        match given(sender.device_id) {
            Some(device) => Household::Device {
                client: client.to_string(),
                device: device.to_string(),
            },
            None => Household::Alone,
        }
    }

    /// The stored key (`phone:…`, `tg:123`, `o311:acct:…`, `email:…`,
    /// `o311:device:…`, `ticket:JN-…`); `ticket` names a household of its own.
    pub fn key(&self, ticket: &str) -> String {
        match self {
            Household::Phone(phone) => format!("phone:{}", digest(&["phone", phone])),
            Household::Chat(user_id) => format!("tg:{user_id}"),
            Household::Account { client, account } => {
                format!("o311:acct:{}", digest(&["account", client, account]))
            }
            Household::Email(email) => format!("email:{}", digest(&["email", email])),
            Household::Device { client, device } => {
                format!("o311:device:{}", digest(&["device", client, device]))
            }
            Household::Alone => format!("ticket:{ticket}"),
        }
    }
}

/// A field that says something: present and not blank.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// One phone number however it is written: separators dropped, `00` read
/// as `+`, a mainland mobile (11 digits from 1) or a number with its area
/// code (from 0) given the country code 86. `None` when it cannot be a
/// phone number (fewer than 7 or more than 15 digits).
pub fn normalize_phone(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let full = if raw.starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if digits.len() == 11 && digits.starts_with('1') {
        format!("+86{digits}")
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("+86{rest}")
    } else {
        digits
    };
    let count = full.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&count).then_some(full)
}

/// 96 bits of SHA-256 over the parts, as hex: enough to tell households
/// apart, and no contact detail in the clear.
fn digest(parts: &[&str]) -> String {
    let hash = Sha256::digest(parts.join("\n").as_bytes());
    hex::encode(&hash[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_phone_written_many_ways_is_one_number() {
        let want = Some("+8613912345678".to_string());
        for raw in [
            "13912345678",
            "139 1234 5678",
            "139-1234-5678",
            "+86 139 1234 5678",
            "008613912345678",
        ] {
            assert_eq!(normalize_phone(raw), want, "{raw}");
        }
        assert_eq!(
            normalize_phone("0531-8888-1234").as_deref(),
            Some("+8653188881234")
        );
        assert_eq!(normalize_phone("12345"), None);
    }

    #[test]
    fn a_chat_resident_with_their_own_phone_is_the_household_of_that_phone() {
        let chat = Household::of_chat(42, Some("139 1234 5678"));
        let app = Household::of_open311(
            "city",
            Open311Sender {
                phone: Some("+86-139-1234-5678"),
                ..Open311Sender::default()
            },
        );
        let call = Household::of_call(Some("13912345678"));
        assert_eq!(chat.key("A"), app.key("B"));
        assert_eq!(chat.key("A"), call.key("C"));
        assert!(!chat.key("A").contains("1234"), "no phone in the clear");
        assert_eq!(Household::of_chat(42, None).key("A"), "tg:42");
    }

    #[test]
    fn open311_takes_account_then_email_then_phone_then_device() {
        let sender = Open311Sender {
            account_id: Some("u-1"),
            email: Some("A@X.cn"),
            phone: Some("13912345678"),
            device_id: Some("d-9"),
        };
        let key = |s: Open311Sender| Household::of_open311("city", s).key("T");
        assert!(key(sender).starts_with("o311:acct:"));
        let no_account = Open311Sender {
            account_id: Some(" "),
            ..sender
        };
        assert!(key(no_account).starts_with("email:"));
        let phone = Open311Sender {
            email: None,
            ..no_account
        };
        assert!(key(phone).starts_with("phone:"));
        let device = Open311Sender {
            phone: None,
            ..phone
        };
        assert!(key(device).starts_with("o311:device:"));
        assert_eq!(key(Open311Sender::default()), "ticket:T");
    }

    #[test]
    fn accounts_of_different_clients_are_different_households() {
        let of = |client: &str| {
            Household::of_open311(
                client,
                Open311Sender {
                    account_id: Some("1"),
                    ..Open311Sender::default()
                },
            )
            .key("T")
        };
        assert_ne!(of("city"), of("app"));
        let email = |e: &str| {
            Household::of_open311(
                "city",
                Open311Sender {
                    email: Some(e),
                    ..Open311Sender::default()
                },
            )
            .key("T")
        };
        assert_eq!(email("Li@Example.cn"), email("li@example.cn"));
    }
}
