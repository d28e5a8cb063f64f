//! The text of `/oncall` and `hotline oncall`: shown to staff only, so it
//! carries phone numbers (the point is to be able to call the person). It
//! tells the truth about presence: a scheduled person marked away is shown
//! as away, with the colleague who takes their alerts (or that nobody can).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Utc, Weekday};
use chrono_tz::Tz;

use super::{Holder, OnCall, Override};
use crate::config::{Config, Person};
use crate::domain::{Lang, Role};
use crate::texts::pick;
use crate::texts::staff as texts;

/// For each role: who holds it at `at`, how to reach them, whether they
/// cover for someone, whether they are away (`away`: person ids) and who
/// stands in, and the next hand-off; times in the city's zone.
pub fn render(
    config: &Config,
    oncall: &OnCall,
    at: DateTime<Utc>,
    overrides: &[Override],
    away: &[String],
    lang: Lang,
) -> String {
    let tz = oncall.time_zone();
    let mut out = match lang {
        Lang::Zh => format!("📋 值班表 {}（{}）\n", when(at, tz, lang), tz.name()),
        Lang::En => format!("📋 On call at {} ({})\n", when(at, tz, lang), tz.name()),
    };
    for role in Role::ALL {
        let holder = oncall.holder(role, at, overrides);
        out.push('\n');
        role_block(
            &mut out,
            config,
            role,
            holder.as_ref(),
            overrides,
            away,
            lang,
        );
        if holder.as_ref().is_some_and(|h| away.contains(&h.person_id)) {
            stand_in(&mut out, config, oncall, role, at, overrides, away, lang);
        }
        if let Some(next) = next_news(oncall, role, at, overrides, holder.as_ref()) {
            let label = pick(lang, "下次交接：", "next hand-off: ");
            let _ = writeln!(out, "   {label}{}", when(next, tz, lang));
        }
    }
    out
}

/// The next change of who holds `role`, if it hands the role to someone
/// else: a "hand-off" back to the same person (a one-person rotation's
/// yearly tick) is noise, not news.
fn next_news(
    oncall: &OnCall,
    role: Role,
    at: DateTime<Utc>,
    overrides: &[Override],
    holder: Option<&Holder>,
) -> Option<DateTime<Utc>> {
    let next = oncall.next_change(role, at, overrides)?;
    let then = oncall.holder(role, next, overrides).map(|h| h.person_id);
    (then.as_deref() != holder.map(|h| h.person_id.as_str())).then_some(next)
}

fn role_block(
    out: &mut String,
    config: &Config,
    role: Role,
    holder: Option<&Holder>,
    overrides: &[Override],
    away: &[String],
    lang: Lang,
) {
    let _ = writeln!(out, "• {}", config.roles.of(role));
    let Some(holder) = holder else {
        let _ = writeln!(out, "   {}", pick(lang, "（无人值班）", "(nobody on call)"));
        return;
    };
    let mark = if away.contains(&holder.person_id) {
        format!(" {}", texts::oncall_away(lang))
    } else {
        String::new()
    };
    let _ = writeln!(out, "   {}{mark}", contact(config, &holder.person_id));
    let set_by = holder
        .via_override
        .and_then(|id| overrides.iter().find(|o| o.id == id))
        .map(|o| name(config, &o.created_by));
    if let Some(set_by) = set_by {
        let scheduled = name(config, &holder.scheduled);
        let _ = match lang {
            Lang::Zh => writeln!(out, "   （代 {scheduled} 值班，{set_by} 安排）"),
            Lang::En => writeln!(out, "   (covering for {scheduled}, set by {set_by})"),
        };
    }
}

/// Who takes the alerts of an away holder: the next present person of the
/// same rotation, as alerts are routed (or nobody).
#[allow(clippy::too_many_arguments)]
fn stand_in(
    out: &mut String,
    config: &Config,
    oncall: &OnCall,
    role: Role,
    at: DateTime<Utc>,
    overrides: &[Override],
    away: &[String],
    lang: Lang,
) {
    let line = match oncall.present_holder(role, at, overrides, away) {
        Some(stand_in) => texts::oncall_stand_in(lang, &contact(config, &stand_in.person_id)),
        None => texts::oncall_nobody_present(lang).to_owned(),
    };
    let _ = writeln!(out, "{line}");
}

/// Name, @username and phone, whichever are known.
fn contact(config: &Config, id: &str) -> String {
    let Some(p) = person(config, id) else {
        return id.to_owned();
    };
    let mut line = p.name.clone();
    if let Some(username) = &p.username {
        let _ = write!(line, " @{}", username.trim_start_matches('@'));
    }
    if let Some(phone) = &p.phone {
        let _ = write!(line, " ☎ {phone}");
    }
    line
}

/// A person's name, or the raw id if the config no longer knows them (an
/// override stored before someone left must still render).
fn name(config: &Config, id: &str) -> String {
    person(config, id).map_or_else(|| id.to_owned(), |p| p.name.clone())
}

fn person<'a>(config: &'a Config, id: &str) -> Option<&'a Person> {
    config.people.iter().find(|p| p.id == id)
}

/// "2026-02-14 23:00 周六" / "Sat 2026-02-14 23:00": the weekday matters
/// because rotations are weekly.
fn when(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    let stamp = local.format("%Y-%m-%d %H:%M");
    match lang {
        Lang::Zh => format!("{stamp} {}", weekday_zh(local.weekday())),
        Lang::En => format!("{} {stamp}", local.format("%a")),
    }
}

fn weekday_zh(day: Weekday) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][day.num_days_from_monday() as usize]
}
