//! Bounds of each field of a hand-off cron, checked before the cron library
//! sees it: the library reports in its own 6-field form ("0 61 8 * * *"),
//! names bounds wrongly ("Minutes must be less than 59" for 61) and counts
//! weekdays from Sunday = 1. The operator wrote 5 fields, so every message
//! here names the field as they wrote it: "minute must be 0–59".

/// A field's name and inclusive bounds, in the order written.
type Field = (&'static str, u32, u32);

const SECOND: Field = ("second", 0, 59);
const FIVE: [Field; 5] = [
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    // Numbered weekdays are refused elsewhere; names are left to the library.
    ("weekday", 0, 7),
];
const YEAR: Field = ("year", 1970, 2099);

/// Checks every number in `fields` (5, 6 with seconds first, or 7 with a
/// year last) against its field's bounds; steps must be at least 1.
pub(super) fn check(fields: &[&str]) -> Result<(), String> {
    let names: Vec<Field> = match fields.len() {
        5 => FIVE.to_vec(),
        6 => [&[SECOND][..], &FIVE].concat(),
        _ => [&[SECOND][..], &FIVE, &[YEAR]].concat(),
    };
    for (text, field) in fields.iter().zip(names) {
        check_field(text, field)?;
    }
    Ok(())
}

/// One field: comma-separated parts, each `*`, `N`, `N-M`, with an optional
/// `/step`. Names (Jan, Mon) and other text pass to the library.
fn check_field(text: &str, (name, min, max): Field) -> Result<(), String> {
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (part, None),
        };
        for number in range.split('-').filter_map(|n| n.parse::<u64>().ok()) {
            if number < u64::from(min) || number > u64::from(max) {
                let within = match text.parse::<u64>() {
                    Ok(_) => format!("not {number}"),
                    Err(_) => format!("`{text}` has {number}"),
                };
                return Err(format!("{name} must be {min}–{max}, {within}"));
            }
        }
        if step.and_then(|s| s.parse::<u64>().ok()) == Some(0) {
            return Err(format!("the step in {name} `{text}` must be at least 1"));
        }
    }
    Ok(())
}
