//! WeChat's XML pushes to the server URL, parsed once at the edge, and the
//! passive text reply. A push is a flat `<xml>` of named fields, each either
//! plain or in CDATA; only the fields the hotline uses are read.

/// One push from WeChat: who sent it, when, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    /// The account's own id (`gh_…`): the reply's sender.
    pub to: String,
    /// The resident's `openid` for this account.
    pub from: String,
    /// Seconds since the epoch, as WeChat stamped it.
    pub create_time: i64,
    pub kind: PushKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PushKind {
    /// Typed text, or a menu message's press (`bizmsgmenuid`).
    Text {
        msg_id: String,
        content: String,
        menu_id: Option<String>,
    },
    Image {
        msg_id: String,
        pic_url: String,
        media_id: String,
    },
    Location {
        msg_id: String,
        latitude: f64,
        longitude: f64,
        label: String,
    },
    /// Followed the account; `scene` when through a poster's QR code.
    Subscribe { scene: Option<String> },
    /// Scanned a poster's QR code while already following.
    Scan { scene: String },
    /// Pressed an item of the custom menu.
    Click { key: String },
    /// Any other message or event (voice, video, unsubscribe, …).
    Other { msg_type: String },
}

impl Push {
    /// What makes a retried push the same push: the `MsgId` of a message,
    /// the sender and time of an event (WeChat's own advice for events).
    pub fn dedup_key(&self) -> String {
        match &self.kind {
            PushKind::Text { msg_id, .. }
            | PushKind::Image { msg_id, .. }
            | PushKind::Location { msg_id, .. } => format!("msg:{msg_id}"),
            kind => format!("event:{}:{}:{kind:?}", self.from, self.create_time),
        }
    }
}

/// Why a body was not a push.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("not a WeChat push: {0} missing or malformed")]
pub struct BadPush(pub &'static str);

/// A push's fields; `MsgType` decides which are needed.
pub fn parse(xml: &str) -> Result<Push, BadPush> {
    let need = |name: &'static str| field(xml, name).ok_or(BadPush(name));
    let number = |name: &'static str| -> Result<f64, BadPush> {
        need(name)?.trim().parse().map_err(|_| BadPush(name))
    };
    let msg_type = need("MsgType")?;
    let kind = match msg_type.as_str() {
        "text" => PushKind::Text {
            msg_id: need("MsgId")?,
            content: need("Content")?,
            menu_id: field(xml, "bizmsgmenuid"),
        },
        "image" => PushKind::Image {
            msg_id: need("MsgId")?,
            pic_url: need("PicUrl")?,
            media_id: need("MediaId")?,
        },
        "location" => PushKind::Location {
            msg_id: need("MsgId")?,
            latitude: number("Location_X")?,
            longitude: number("Location_Y")?,
            label: field(xml, "Label").unwrap_or_default(),
        },
        "event" => event(xml, &need("Event")?),
        _ => PushKind::Other { msg_type },
    };
    Ok(Push {
        to: need("ToUserName")?,
        from: need("FromUserName")?,
        create_time: need("CreateTime")?
            .trim()
            .parse()
            .map_err(|_| BadPush("CreateTime"))?,
        kind,
    })
}

fn event(xml: &str, name: &str) -> PushKind {
    let key = field(xml, "EventKey").unwrap_or_default();
    match name.to_ascii_lowercase().as_str() {
        // A subscription through a poster carries `qrscene_<scene>`.
        "subscribe" => PushKind::Subscribe {
            scene: key.strip_prefix("qrscene_").map(str::to_owned),
        },
        "scan" => PushKind::Scan { scene: key },
        "click" => PushKind::Click { key },
        _ => PushKind::Other {
            msg_type: format!("event:{name}"),
        },
    }
}

/// The text of the first `<name>` element: CDATA as it is, plain text with
/// XML's five entities read.
pub fn field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    let inner = xml[start..end].trim();
    let mut out = String::new();
    let mut rest = inner;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&unescape(&rest[..at]));
        let body = &rest[at + 9..];
        let stop = body.find("]]>")?;
        out.push_str(&body[..stop]);
        rest = &body[stop + 3..];
    }
    out.push_str(&unescape(rest));
    Some(out)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `text` as CDATA, safe whatever it holds (a `]]>` is split across two).
pub fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// The passive reply: a text message back to `push`'s sender, in the HTTP
/// answer (WeChat shows it if it comes within 5 seconds).
pub fn text_reply(push: &Push, now_s: i64, content: &str) -> String {
    format!(
        "<xml><ToUserName>{}</ToUserName><FromUserName>{}</FromUserName>\
         <CreateTime>{now_s}</CreateTime><MsgType><![CDATA[text]]></MsgType>\
         <Content>{}</Content></xml>",
        cdata(&push.from),
        cdata(&push.to),
        cdata(content)
    )
}

/// The encrypted mode's envelope around an encrypted reply.
pub fn encrypted_reply(encrypt: &str, signature: &str, timestamp: &str, nonce: &str) -> String {
    format!(
        "<xml><Encrypt>{}</Encrypt><MsgSignature>{}</MsgSignature>\
         <TimeStamp>{}</TimeStamp><Nonce>{}</Nonce></xml>",
        cdata(encrypt),
        cdata(signature),
        cdata(timestamp),
        cdata(nonce)
    )
}

#[cfg(test)]
#[path = "push_tests.rs"]
mod tests;
