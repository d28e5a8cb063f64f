//! Parsing what staff write: hand-off crons in the config, city-local times,
//! and the end of a `/cover … until …`. Errors are short sentences because a
//! manager reads them in chat, often on a phone at night.

use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;
use cron::Schedule;

/// An example shown in every hand-off error, so the fix is one copy away.
const CRON_EXAMPLE: &str = "\"30 8 * * Mon-Fri\"";

/// Parses a hand-off cron: 5 fields (minute hour day month weekday) get "0 "
/// prepended; 6 or 7 fields are taken as is; `@daily` etc. are accepted.
///
/// Numbered weekdays are rejected: the cron library counts Sunday = 1, so
/// the familiar "1-5" would silently mean Sunday to Thursday.
pub fn parse_handoff(expr: &str) -> Result<Schedule, String> {
    let trimmed = expr.trim();
    let full = if trimmed.starts_with('@') {
        trimmed.to_owned()
    } else {
        with_seconds(trimmed)?
    };
    if let Some(weekdays) = full.split_whitespace().nth(5) {
        reject_numbered_weekdays(weekdays)?;
    }
    // The library's own message shows its 6-field form, which the operator
    // never wrote: bounds are checked first, anything else gets the format.
    if !trimmed.starts_with('@') {
        let fields: Vec<&str> = full.split_whitespace().collect();
        let written = if fields.len() > trimmed.split_whitespace().count() {
            &fields[1..]
        } else {
            &fields[..]
        };
        super::cron_fields::check(written)
            .map_err(|why| format!("`{trimmed}`: {why}; expected e.g. {CRON_EXAMPLE}"))?;
    }
    Schedule::from_str(&full).map_err(|_| {
        format!(
            "`{trimmed}` is not a valid cron expression: 5 fields (minute hour day month weekday), \
             e.g. {CRON_EXAMPLE}"
        )
    })
}

/// Normalises to the 6/7-field form the cron library requires.
fn with_seconds(expr: &str) -> Result<String, String> {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    match fields.len() {
        5 => Ok(format!("0 {}", fields.join(" "))),
        6 | 7 => Ok(fields.join(" ")),
        n => Err(format!(
            "`{expr}` has {n} fields; expected 5 (minute hour day month weekday), e.g. {CRON_EXAMPLE}"
        )),
    }
}

/// Digits after a `/` are a step, not a day, so only the part before it counts.
fn reject_numbered_weekdays(field: &str) -> Result<(), String> {
    let numbered = field
        .split(',')
        .filter_map(|part| part.split('/').next())
        .any(|days| days.chars().any(|c| c.is_ascii_digit()));
    if numbered {
        Err(format!(
            "weekday field `{field}` uses numbers; this cron counts Sunday = 1 (so 1-5 is Sun-Thu): \
             write names such as Mon-Fri or Sat,Sun"
        ))
    } else {
        Ok(())
    }
}

/// "YYYY-MM-DD HH:MM" in the city's zone, as an instant.
pub fn parse_local(text: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let naive = NaiveDateTime::parse_from_str(&normalize(text), "%Y-%m-%d %H:%M")
        .map_err(|_| format!("`{}` is not a time like \"2026-02-14 08:00\"", text.trim()))?;
    local_to_utc(naive, tz)
}

/// A wall-clock time in `tz`. In a repeated hour (clocks going back) the
/// first occurrence is meant; a skipped hour (clocks going forward) is an
/// error rather than a silent guess.
pub(super) fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> Result<DateTime<Utc>, String> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.to_utc()),
        LocalResult::Ambiguous(first, _) => Ok(first.to_utc()),
        LocalResult::None => Err(format!(
            "{} does not exist in {} (the clocks skip it)",
            naive.format("%Y-%m-%d %H:%M"),
            tz.name()
        )),
    }
}

/// The end of a cover, as a manager types it after `until`:
/// "2026-02-15 08:00", "02-15 08:00" (this year, or next if passed),
/// "18:00" (the next such time, today or tomorrow) or a duration from now
/// ("8h", "90m", "1h 30m"). Full-width colons from Chinese keyboards are fine.
/// The result is always after `now`.
pub fn parse_until(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, String> {
    let text = normalize(text);
    if text.is_empty() {
        return Err("until when? e.g. \"18:00\", \"2026-02-15 08:00\" or \"8h\"".to_owned());
    }
    let at = if let Ok(d) = humantime::parse_duration(&text) {
        after_duration(d, now)?
    } else if let Ok(t) = NaiveTime::parse_from_str(&text, "%H:%M") {
        next_time_of_day(t, now, tz)?
    } else if let Some(at) = month_day_time(&text, now, tz) {
        at?
    } else {
        parse_local(&text, tz).map_err(|_| {
            format!("`{text}` is not a time: write \"18:00\", \"2026-02-15 08:00\" or \"8h\"")
        })?
    };
    if at <= now {
        return Err(format!("`{text}` has already passed"));
    }
    Ok(at)
}

/// Trims and turns full-width colons into ASCII ones.
fn normalize(text: &str) -> String {
    text.trim().replace('：', ":")
}

fn after_duration(d: std::time::Duration, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if d.is_zero() {
        return Err("the duration must be longer than zero".to_owned());
    }
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .ok_or_else(|| "that duration is too long".to_owned())
}

/// Today at `time` if that is still ahead, else tomorrow.
fn next_time_of_day(time: NaiveTime, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, String> {
    let today = now.with_timezone(&tz).date_naive();
    let at = local_to_utc(today.and_time(time), tz)?;
    if at > now {
        return Ok(at);
    }
    let tomorrow = today + Days::new(1);
    local_to_utc(tomorrow.and_time(time), tz)
}

/// "MM-DD HH:MM": this year, or next year when it has passed. `None` when
/// the text is not of that shape, so other forms can be tried.
fn month_day_time(text: &str, now: DateTime<Utc>, tz: Tz) -> Option<Result<DateTime<Utc>, String>> {
    let (day, time) = text.split_once(' ')?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    if day.matches('-').count() != 1 {
        return None;
    }
    let year = now.with_timezone(&tz).year();
    let on = |y: i32| NaiveDate::parse_from_str(&format!("{y}-{day}"), "%Y-%m-%d").ok();
    let this_year = on(year)?;
    Some(local_to_utc(this_year.and_time(time), tz).and_then(|at| {
        if at > now {
            return Ok(at);
        }
        let next = on(year + 1).ok_or_else(|| format!("`{text}` has already passed"))?;
        local_to_utc(next.and_time(time), tz)
    }))
}
