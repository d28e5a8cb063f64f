//! Pushes to the bot's server URL, made and signed as WeChat makes them
//! (plain mode: `signature` = SHA-1 of the sorted Token, timestamp and
//! nonce). Each push first opens the resident's quota for
//! customer-service messages, as the action does at WeChat. A passive
//! reply in the answer (a text; its `weixin://bizmsgmenu` links are menu
//! items) is shown to the resident, outside the quota.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sha1::{Digest as _, Sha1};

use super::{EVENT_QUOTA, MESSAGE_QUOTA, WechatShown, WechatStandIn};

/// The account's own id, the pushes' `ToUserName`.
pub const ACCOUNT: &str = "gh_hotline0001";

/// How the bot answered a push.
#[derive(Debug, Clone, PartialEq)]
pub struct PushAnswer {
    pub status: u16,
    pub body: String,
}

impl PushAnswer {
    /// Answered as WeChat expects: 200 with `success` (or a passive reply).
    pub fn ok(&self) -> bool {
        self.status == 200
    }
}

pub(super) fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// `signature` of WeChat's plain mode.
pub fn signature(parts: &[&str]) -> String {
    let mut sorted = parts.to_vec();
    sorted.sort_unstable();
    hex::encode(Sha1::digest(sorted.concat().as_bytes()))
}

impl WechatStandIn {
    /// The resident typed `content`: opens 5 messages within 48 hours.
    pub async fn text(&self, openid: &str, content: &str) -> anyhow::Result<PushAnswer> {
        let fields = format!(
            "<MsgType>{}</MsgType><Content>{}</Content>",
            cdata("text"),
            cdata(content)
        );
        self.push(openid, MESSAGE_QUOTA, fields, true).await
    }

    /// The resident pressed the item `id` (`content`) of a menu message: a
    /// text with `bizmsgmenuid`, counted by WeChat as a menu click (3 within
    /// a minute).
    pub async fn press(&self, openid: &str, id: &str, content: &str) -> anyhow::Result<PushAnswer> {
        let fields = format!(
            "<MsgType>{}</MsgType><Content>{}</Content><bizmsgmenuid>{}</bizmsgmenuid>",
            cdata("text"),
            cdata(content),
            id
        );
        self.push(openid, EVENT_QUOTA, fields, true).await
    }

    /// The item of the last menu message shown to `openid` whose content
    /// contains `label`, pressed.
    pub async fn press_labelled(&self, openid: &str, label: &str) -> anyhow::Result<PushAnswer> {
        let menus = self.shown(openid);
        let item = menus
            .iter()
            .rev()
            .find(|m| !m.menu.is_empty())
            .and_then(|m| m.menu.iter().find(|(_, c)| c.contains(label)).cloned());
        let Some((id, content)) = item else {
            anyhow::bail!("no menu item {label:?} shown to {openid}: {menus:#?}");
        };
        self.press(openid, &id, &content).await
    }

    /// The resident followed the account.
    pub async fn subscribe(&self, openid: &str) -> anyhow::Result<PushAnswer> {
        self.push(openid, EVENT_QUOTA, event("subscribe", ""), false)
            .await
    }

    /// The resident followed the account by scanning a poster with `scene`
    /// (WeChat's `EventKey` is then `qrscene_<scene>`).
    pub async fn subscribe_scanned(&self, openid: &str, scene: &str) -> anyhow::Result<PushAnswer> {
        let key = format!("qrscene_{scene}");
        self.push(openid, EVENT_QUOTA, event("subscribe", &key), false)
            .await
    }

    /// The resident, already following, scanned a poster with `scene`.
    pub async fn scan(&self, openid: &str, scene: &str) -> anyhow::Result<PushAnswer> {
        self.push(openid, EVENT_QUOTA, event("SCAN", scene), false)
            .await
    }

    /// The resident pressed the custom menu's item `key`.
    pub async fn click(&self, openid: &str, key: &str) -> anyhow::Result<PushAnswer> {
        self.push(openid, EVENT_QUOTA, event("CLICK", key), false)
            .await
    }

    pub(super) async fn push(
        &self,
        openid: &str,
        quota: (u32, Duration),
        fields: String,
        message: bool,
    ) -> anyhow::Result<PushAnswer> {
        let now = self.shared.now();
        let (url, msg_id) = self.open_quota(openid, quota, now)?;
        let msg_id = match message {
            true => format!("<MsgId>{msg_id}</MsgId>"),
            false => String::new(),
        };
        let xml = format!(
            "<xml><ToUserName>{}</ToUserName><FromUserName>{}</FromUserName>\
             <CreateTime>{}</CreateTime>{fields}{msg_id}</xml>",
            cdata(ACCOUNT),
            cdata(openid),
            now.timestamp()
        );
        let answer = self.post(&url, now, xml).await?;
        if let Some(shown) = passive(&answer, now) {
            self.shared
                .state()
                .shown
                .entry(openid.to_owned())
                .or_default()
                .push(shown);
            self.shared.changed();
        }
        Ok(answer)
    }

    fn open_quota(
        &self,
        openid: &str,
        (count, validity): (u32, Duration),
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, u64)> {
        let mut state = self.shared.state();
        let Some(url) = state.server_url.clone() else {
            anyhow::bail!("WeChat stand-in: set_server_url first");
        };
        let until = now + chrono::Duration::from_std(validity)?;
        state
            .quotas
            .entry(openid.to_owned())
            .or_default()
            .push((count, until));
        state.next_msg_id += 1;
        Ok((url, 24_000_000_000_000_000 + state.next_msg_id))
    }

    async fn post(&self, url: &str, now: DateTime<Utc>, xml: String) -> anyhow::Result<PushAnswer> {
        let timestamp = now.timestamp().to_string();
        let nonce = fastrand::u32(..).to_string();
        let signature = signature(&[&self.shared.token, &timestamp, &nonce]);
        let query = format!("signature={signature}&timestamp={timestamp}&nonce={nonce}");
        let response = reqwest::Client::new()
            .post(format!("{url}?{query}"))
            .header("content-type", "text/xml")
            .body(xml)
            .timeout(Duration::from_secs(30))
            .send()
            .await?;
        Ok(PushAnswer {
            status: response.status().as_u16(),
            body: response.text().await?,
        })
    }
}

fn event(name: &str, key: &str) -> String {
    format!(
        "<MsgType>{}</MsgType><Event>{}</Event><EventKey>{}</EventKey>",
        cdata("event"),
        cdata(name),
        cdata(key)
    )
}

/// The passive text reply in `answer`, as the resident sees it: the text
/// without its `weixin://bizmsgmenu` links, which become menu items.
fn passive(answer: &PushAnswer, at: DateTime<Utc>) -> Option<WechatShown> {
    let body = answer.body.trim();
    if !answer.ok() || !body.starts_with("<xml>") {
        return None;
    }
    let content = between(body, "<Content><![CDATA[", "]]></Content>")?;
    let content = content.replace("]]]]><![CDATA[>", "]]>");
    let mut text = Vec::new();
    let mut menu = Vec::new();
    for line in content.lines() {
        let link = line.strip_prefix("<a href=\"weixin://bizmsgmenu?msgmenucontent=");
        match link.and_then(|l| l.split_once("&msgmenuid=")) {
            Some((label, rest)) => {
                let id = rest.split_once('"').map_or(rest, |(id, _)| id);
                menu.push((id.to_owned(), label.to_owned()));
            }
            None => text.push(line),
        }
    }
    let kind = if menu.is_empty() { "text" } else { "msgmenu" };
    Some(WechatShown {
        at,
        kind: kind.to_owned(),
        text: text.join("\n").trim().to_owned(),
        menu,
        template_id: None,
        data: serde_json::Value::Null,
        passive: true,
    })
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].rfind(end)? + from;
    Some(&text[from..to])
}
