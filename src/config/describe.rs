//! The `hotline check-config` summary. Output may be pasted into a chat or
//! a ticket, so anything that could be a secret is masked.

use std::fmt::Write as _;

use super::{CompoundConfig, Config};

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
    let poll = humantime::format_duration(c.telegram.poll_timeout);
    row(&mut out, "poll_timeout", poll);
    limits(&mut out, c);
    compounds(&mut out, &c.compounds);
    out
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
