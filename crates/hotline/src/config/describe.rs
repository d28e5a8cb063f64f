//! The `hotline check-config` summary. Output may be pasted into a chat or
//! a ticket, so anything that could be a secret is masked.

use std::fmt::Write as _;

use super::{CompoundConfig, Config, Escalation};
use crate::domain::{ChatId, PersonId};

pub(super) fn config(c: &Config) -> String {
    let mut out = String::new();
    let g = &c.general;
    section(&mut out, "general");
    row(&mut out, "time_zone", g.time_zone.name());
    row(&mut out, "default_language", g.default_language.code());
    row(&mut out, "ticket_prefix", &g.ticket_prefix);
    section(&mut out, "database");
    row(&mut out, "url", redact_url(&c.database.url));
    row(&mut out, "max_connections", c.database.max_connections);
    section(&mut out, "telegram");
    row(&mut out, "api_url", &c.telegram.api_url);
    if let Some(proxy) = &c.telegram.proxy {
        row(&mut out, "proxy", proxy.masked());
    }
    let poll = humantime::format_duration(c.telegram.poll_timeout);
    row(&mut out, "poll_timeout", poll);
    row(
        &mut out,
        "mode",
        format!("{:?}", c.telegram.mode).to_lowercase(),
    );
    if let Some(listen) = c.telegram.webhook_listen {
        row(&mut out, "webhook_listen", listen);
        row(&mut out, "webhook_path", &c.telegram.webhook_path);
    }
    if let Some(url) = &c.telegram.webhook_url {
        row(&mut out, "webhook_url", url);
    }
    limits(&mut out, c);
    compounds(&mut out, &c.compounds);
    people(&mut out, c);
    rotations(&mut out, c);
    escalation(&mut out, c);
    gateway(&mut out, &c.gateway);
    open311(&mut out, c);
    super::describe_more::sections(&mut out, c);
    paging(&mut out, c);
    out
}

/// Phone replies, the duty group and the heartbeat. The heartbeat URL is
/// shown by host only: such URLs usually carry a secret check id.
fn paging(out: &mut String, c: &Config) {
    section(out, "paging");
    let r = &c.phone_replies;
    let replies = match r.enabled {
        true => format!("on: {}{}/sms and /voice", display(&r.public_url), r.path),
        false => "off".to_owned(),
    };
    row(out, "phone_replies", replies);
    let groups: Vec<String> = std::iter::once(&c.duty_group)
        .chain(&c.duty_groups)
        .filter(|g| g.chat_id != ChatId(0))
        .map(|g| {
            let roles = match g.roles.is_empty() {
                true => "every alert".to_owned(),
                false => (g.roles.iter().map(|r| r.code()).collect::<Vec<_>>()).join(", "),
            };
            format!("chat {} ({:?}; {roles})", g.chat_id, g.mode).to_lowercase()
        })
        .collect();
    let groups = match groups.is_empty() {
        true => "none".to_owned(),
        false => groups.join("; "),
    };
    row(out, "duty_group", groups);
    let h = &c.heartbeat;
    let beat = match h.url.as_ref().map(super::HttpUrl::host) {
        Some(host) => format!("{host} every {}", humantime::format_duration(h.every)),
        None => "none".to_owned(),
    };
    row(out, "heartbeat", beat);
}

fn limits(out: &mut String, c: &Config) {
    let l = &c.limits;
    section(out, "limits");
    row(out, "description_max_chars", l.description_max_chars);
    row(out, "address_max_chars", l.address_max_chars);
    row(out, "max_photos", l.max_photos);
    row(out, "messages_per_minute", l.messages_per_minute);
    row(out, "reports_per_hour", l.reports_per_hour);
}

/// An optional value as written, or nothing.
fn display(value: &Option<impl std::fmt::Display>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn section(out: &mut String, name: &str) {
    let _ = writeln!(out, "[{name}]");
}

fn row(out: &mut String, key: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "  {key:<22} {value}");
}

fn compounds(out: &mut String, list: &[CompoundConfig]) {
    let _ = writeln!(out, "[compounds] {} configured", list.len());
    for c in list {
        let _ = write!(out, "  {:<16} {}", c.id, c.name);
        if !c.district.is_empty() {
            let _ = write!(out, " ({})", c.district);
        }
        if !c.aliases.is_empty() {
            let _ = write!(out, "; aliases: {}", c.aliases.join(", "));
        }
        out.push('\n');
    }
}

/// Phones are left out: this summary may be pasted where residents or
/// outsiders read it; `/oncall` (staff only) shows them.
fn people(out: &mut String, c: &Config) {
    let _ = writeln!(out, "[people] {} configured", c.people.len());
    for p in &c.people {
        let telegram = match p.telegram_id {
            0 => "not linked yet".to_owned(),
            id => id.to_string(),
        };
        let _ = write!(out, "  {:<16} {} (telegram {telegram})", p.id, p.name);
        if let Some(username) = &p.username {
            let _ = write!(out, " @{username}");
        }
        let _ = write!(out, " [{}]", p.lang.code());
        let serves: Vec<String> = c
            .rotations
            .iter()
            .filter(|r| r.people.contains(&p.id))
            .map(|r| format!("{} ({})", r.name, r.role))
            .collect();
        if !serves.is_empty() {
            let _ = write!(out, "; rotates in: {}", serves.join(", "));
        }
        out.push('\n');
    }
}

fn rotations(out: &mut String, c: &Config) {
    let _ = writeln!(
        out,
        "[rotations] {} configured (times in {})",
        c.rotations.len(),
        c.general.time_zone.name()
    );
    for r in &c.rotations {
        let role = c.roles.of(r.role);
        let _ = writeln!(
            out,
            "  {:<16} {} = {role}, from {}",
            r.name, r.role, r.start
        );
        let _ = writeln!(out, "    handoffs: {}", r.handoffs.join(" | "));
        let people: Vec<&str> = r.people.iter().map(PersonId::as_str).collect();
        let _ = writeln!(out, "    people:   {}", people.join(" -> "));
    }
}

fn escalation(out: &mut String, c: &Config) {
    let e = &c.escalation;
    section(out, "escalation");
    let thresholds: Vec<String> = e
        .thresholds
        .iter()
        .map(|(cat, n)| format!("{}={n}", cat.code()))
        .collect();
    row(out, "thresholds", thresholds.join(", "));
    row(out, "urgent", codes(e.urgent.iter().map(|c| c.code())));
    row(out, "quiet", codes(e.quiet.iter().map(|c| c.code())));
    steps(out, e);
    row(out, "tick", humantime::format_duration(e.tick));
    let reasons = [
        ("threshold", &e.start.threshold),
        ("urgent", &e.start.urgent),
    ];
    for (reason, start) in reasons {
        let line = format!(
            "start at step {}; pages first: {}",
            start.start_step,
            first_paged(c, start.start_step, &start.notify)
        );
        row(out, &format!("on {reason}"), line);
    }
    for (kind, zone) in &e.zones {
        let mut line = format!(
            "start at step {}; pages first: {}",
            zone.start_step,
            first_paged(c, zone.start_step, &zone.notify)
        );
        if zone.no_entry {
            line.push_str("; no entry, handle by phone");
        }
        row(out, &format!("zone {}", kind.code()), line);
    }
}

/// The roles an escalation starting at `step` pages at once (the step's
/// and the reason's extra ones), each with its configured name.
fn first_paged(c: &Config, step: usize, extra: &[crate::domain::Role]) -> String {
    let mut roles: Vec<crate::domain::Role> = c
        .escalation
        .steps
        .get(step)
        .map(|s| s.notify.clone())
        .unwrap_or_default();
    for role in extra {
        if !roles.contains(role) {
            roles.push(*role);
        }
    }
    let named: Vec<String> = roles
        .iter()
        .map(|r| format!("{} ({})", r.code(), c.roles.of(*r)))
        .collect();
    codes(named.iter().map(String::as_str))
}

fn steps(out: &mut String, e: &Escalation) {
    let last = e.steps.len().saturating_sub(1);
    for (i, step) in e.steps.iter().enumerate() {
        let roles = codes(step.notify.iter().map(|r| r.code()));
        let wait = humantime::format_duration(step.wait);
        let mut line = format!("notify {roles}, wait {wait}");
        if i == last {
            let every = humantime::format_duration(e.repeat_every);
            let _ = write!(line, ", then repeat every {every} until acknowledged");
        }
        row(out, &format!("step {i}"), line);
    }
}

fn codes<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = items.collect();
    if list.is_empty() {
        "(none)".to_owned()
    } else {
        list.join(", ")
    }
}

/// Masks the password in `scheme://user:password@host/...` and any
/// `password=` query parameter; the rest stays visible for debugging.
pub(super) fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = redact_userinfo(base);
    if let Some(q) = query {
        out.push('?');
        out.push_str(&redact_query(q));
    }
    out
}

fn redact_userinfo(base: &str) -> String {
    let Some((scheme, rest)) = base.split_once("://") else {
        return base.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            let masked = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{masked}@{host}{path}")
        }
        None => base.to_owned(),
    }
}

fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The secret's variable is named, never read; the URL's query is left out
/// because some providers take an API key there.
fn gateway(out: &mut String, g: &super::GatewayConfig) {
    section(out, "gateway");
    row(out, "kind", g.kind.code());
    if g.kind == super::GatewayKind::None {
        return;
    }
    let url = redact_url(g.url.split('?').next().unwrap_or(""));
    row(out, "url", url);
    if g.kind == super::GatewayKind::Twilio {
        row(out, "channel", g.channel.code());
    }
    row(
        out,
        "auth_env",
        format!("${} (value not shown)", g.auth_env),
    );
    let after = humantime::format_duration(g.after);
    let limit = format!("page by phone after {after}; at most {}/min", g.per_minute);
    row(out, "after", limit);
}

/// Keys are counted, never shown (not even their hashes).
fn open311(out: &mut String, c: &Config) {
    section(out, "open311");
    row(out, "enabled", c.open311.enabled);
    if c.open311.enabled {
        row(out, "base_url", display(&c.open311.base_url));
        row(out, "keys in config", c.open311.keys.len());
        row(out, "requests_per_minute", c.open311.requests_per_minute);
        let per_address = c.open311.requests_per_address_per_hour;
        row(out, "requests_per_address_per_hour", per_address);
    }
    let r = &c.retention;
    section(out, "retention");
    row(
        out,
        "contact_after",
        humantime::format_duration(r.contact_after),
    );
    row(
        out,
        "delivery_after",
        humantime::format_duration(r.delivery_after),
    );
    row(out, "daily", r.daily);
}
