//! The text of `/oncall` and `hotline oncall`: shown to staff only, so it
//! carries phone numbers (the point is to be able to call the person). It
//! tells the truth about presence: a scheduled person marked away is shown
//! as away, with the colleague who takes their alerts (or that nobody can).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use super::{Holder, OnCall, Override, Person, Staff};
use crate::domain::{Lang, PersonId, Role};
use crate::texts::oncall as texts;

/// For each role: who holds it at `at`, how to reach them, whether they
/// cover for someone, whether they are away (`away`: person ids) and who
/// stands in, and the next hand-off; times in the city's zone.
pub fn render(
    oncall: &OnCall,
    at: DateTime<Utc>,
    overrides: &[Override],
    away: &[PersonId],
    lang: Lang,
) -> String {
    let tz = oncall.time_zone();
    let mut out = texts::header(lang, &when(at, tz, lang), tz.name());
    for role in Role::ALL {
        let holder = oncall.holder(role, at, overrides);
        out.push('\n');
        role_block(
            &mut out,
            oncall.staff(),
            role,
            holder.as_ref(),
            overrides,
            away,
            lang,
        );
        if holder.as_ref().is_some_and(|h| away.contains(&h.person_id)) {
            let line = match oncall.present_holder(role, at, overrides, away) {
                Some(stand_in) => {
                    texts::stand_in(lang, &contact(oncall.staff(), &stand_in.person_id))
                }
                None => texts::nobody_present(lang).to_owned(),
            };
            let _ = writeln!(out, "{line}");
        }
        if let Some(next) = next_news(oncall, role, at, overrides, holder.as_ref()) {
            let label = texts::next_handoff(lang);
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
    (then.as_ref() != holder.map(|h| &h.person_id)).then_some(next)
}

fn role_block(
    out: &mut String,
    staff: &Staff,
    role: Role,
    holder: Option<&Holder>,
    overrides: &[Override],
    away: &[PersonId],
    lang: Lang,
) {
    let _ = writeln!(out, "• {}", staff.roles.of(role));
    let Some(holder) = holder else {
        let _ = writeln!(out, "   {}", texts::nobody(lang));
        return;
    };
    let mark = if away.contains(&holder.person_id) {
        format!(" {}", texts::away(lang))
    } else {
        String::new()
    };
    let _ = writeln!(out, "   {}{mark}", contact(staff, &holder.person_id));
    if let Some(p) = person(staff, &holder.person_id).filter(|p| !p.notify.is_empty()) {
        let rules = super::notify::describe(&p.notify);
        let _ = writeln!(out, "   {}", crate::texts::reach::rules_line(lang, &rules));
    }
    let set_by = holder
        .via_override
        .and_then(|id| overrides.iter().find(|o| o.id == id))
        .map(|o| name(staff, &o.created_by));
    if let Some(set_by) = set_by {
        let scheduled = name(staff, &holder.scheduled);
        let _ = writeln!(out, "   {}", texts::covering(lang, &scheduled, &set_by));
    }
}

/// Name, @username and phone, whichever are known.
fn contact(staff: &Staff, id: &PersonId) -> String {
    let Some(p) = person(staff, id) else {
        return id.to_string();
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
fn name(staff: &Staff, id: &PersonId) -> String {
    person(staff, id).map_or_else(|| id.to_string(), |p| p.name.clone())
}

fn person<'a>(staff: &'a Staff, id: &PersonId) -> Option<&'a Person> {
    staff.person(id)
}

/// "2026-02-14 23:00 周六" / "Sat 2026-02-14 23:00": the weekday matters
/// because rotations are weekly.
fn when(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    let stamp = local.format("%Y-%m-%d %H:%M");
    match lang {
        Lang::Zh => format!(
            "{stamp} {}",
            texts::weekday_zh(local.weekday().num_days_from_monday())
        ),
        Lang::En => format!("{} {stamp}", local.format("%a")),
    }
}
