//! The sections `check-config` used to leave out: `[web]`, `[desk]`, `[log]`,
//! `[health]` and `[supervision]`, so the summary shows every section an operator may set.

use std::fmt::Write as _;

use super::Config;

pub(super) fn sections(out: &mut String, c: &Config) {
    let w = &c.web;
    let d = |d: std::time::Duration| humantime::format_duration(d).to_string();
    let _ = writeln!(out, "[web]");
    let _ = writeln!(out, "  {:<22} {}", "enabled", w.enabled);
    if w.enabled {
        let _ = writeln!(out, "  {:<22} {}", "listen", w.listen);
        let _ = writeln!(out, "  {:<22} {}", "links point at", c.desk_url().base());
        let _ = writeln!(out, "  {:<22} {}", "session_idle", d(w.session_idle));
        let _ = writeln!(out, "  {:<22} {}", "link_ttl", d(w.link_ttl));
    }
    let digest = w.digest_at.map_or("off".to_owned(), |at| at.to_string());
    let _ = writeln!(out, "  {:<22} {digest}", "digest_at");
    let _ = writeln!(out, "[desk]");
    let receipts = match c.desk.sms_receipts {
        true => "on: callers are texted their ticket and its resolution",
        false => "off",
    };
    let _ = writeln!(out, "  {:<22} {receipts}", "sms_receipts");
    let _ = writeln!(out, "[log]");
    let format = format!("{:?}", c.log.format).to_lowercase();
    let _ = writeln!(out, "  {:<22} {format}", "format");
    let h = &c.health;
    let _ = writeln!(out, "[health]");
    let listen = h.listen.map_or("off".to_owned(), |at| at.to_string());
    let _ = writeln!(
        out,
        "  {:<22} {listen} (when neither the desk nor the webhook runs)",
        "listen"
    );
    let _ = writeln!(out, "  {:<22} {}", "stale_after", d(h.stale_after));
    let _ = writeln!(
        out,
        "  {:<22} {}",
        "telegram_down_after",
        d(h.telegram_down_after)
    );
    let _ = writeln!(
        out,
        "  {:<22} {}",
        "engine_stuck_after",
        d(h.engine_stuck_after)
    );
    supervision(out, c);
}

/// `[supervision]`: each promise, and who is told when one is missed.
fn supervision(out: &mut String, c: &Config) {
    let s = &c.supervision;
    let d = |d: std::time::Duration| humantime::format_duration(d).to_string();
    let _ = writeln!(out, "[supervision]");
    let role = crate::domain::Role::Supervisor;
    let rotas: Vec<&str> = (c.rotations.iter().filter(|r| r.role == role))
        .map(|r| r.name.as_str())
        .collect();
    let who = match rotas.is_empty() {
        true => format!(
            "nobody: no rotation has role \"{role}\" (the queue and /overdue still show overdue tickets)"
        ),
        false => format!("whoever holds \"{role}\" (rotations: {})", rotas.join(", ")),
    };
    let _ = writeln!(out, "  {:<22} {who}", "supervisor");
    for (category, p) in &s.promised {
        let promise = format!(
            "acknowledge within {}, resolve within {}",
            d(p.acknowledge),
            d(p.resolve)
        );
        let _ = writeln!(out, "  {:<22} {promise}", category);
    }
}
