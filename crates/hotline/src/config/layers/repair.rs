//! Getting past one bad value so the next can be found: `check-config`
//! reports every mistake of a file in one run, but serde stops at the first.
//! The bad value is replaced by the built-in default at the same key, or
//! dropped when there is none (an unknown key); as a last resort the list
//! entry holding it is dropped.

use toml::{Table, Value};

use super::Segment;

/// What [`apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// A single value replaced by its default, or an unknown key removed.
    Value,
    /// A whole list entry removed (the config no longer says what was meant).
    Dropped,
    /// Nothing to change: give up.
    Stuck,
}

/// Repairs `merged` at `path`, the key of a deserialization error.
pub(super) fn apply(merged: &mut Table, defaults: &Table, path: &[Segment]) -> Outcome {
    if path.is_empty() {
        return Outcome::Stuck;
    }
    if let Some(default) = lookup(defaults, path)
        && lookup(merged, path) != Some(default)
    {
        let default = default.clone();
        return match slot(merged, path) {
            Some(place) => {
                place.set(default);
                Outcome::Value
            }
            None => Outcome::Stuck,
        };
    }
    if lookup(merged, path).is_some()
        && let Some(place) = slot(merged, path)
    {
        place.remove();
        return Outcome::Value;
    }
    drop_entry(merged, path)
}

/// Removes the innermost list entry on `path` (a required key missing from
/// a `[[people]]` entry, say).
fn drop_entry(merged: &mut Table, path: &[Segment]) -> Outcome {
    let Some(last) = path.iter().rposition(|s| matches!(s, Segment::Index(_))) else {
        return Outcome::Stuck;
    };
    match slot(merged, &path[..=last]) {
        Some(place) => {
            place.remove();
            Outcome::Dropped
        }
        None => Outcome::Stuck,
    }
}

fn lookup<'a>(table: &'a Table, path: &[Segment]) -> Option<&'a Value> {
    let (Segment::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut value = table.get(first)?;
    for segment in rest {
        value = match (segment, value) {
            (Segment::Key(k), Value::Table(t)) => t.get(k)?,
            (Segment::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Where the last segment of a path lives: a key of a table (which may be
/// absent) or an existing entry of a list.
enum Slot<'a> {
    Key(&'a mut Table, String),
    Entry(&'a mut Vec<Value>, usize),
}

impl Slot<'_> {
    fn set(self, value: Value) {
        match self {
            Slot::Key(t, k) => {
                t.insert(k, value);
            }
            Slot::Entry(a, i) => a[i] = value,
        }
    }

    fn remove(self) {
        match self {
            Slot::Key(t, k) => {
                t.remove(&k);
            }
            Slot::Entry(a, i) => {
                a.remove(i);
            }
        }
    }
}

fn slot<'a>(table: &'a mut Table, path: &[Segment]) -> Option<Slot<'a>> {
    match path {
        [Segment::Key(k)] => Some(Slot::Key(table, k.clone())),
        [Segment::Key(k), rest @ ..] => slot_in(table.get_mut(k)?, rest),
        _ => None,
    }
}

fn slot_in<'a>(value: &'a mut Value, path: &[Segment]) -> Option<Slot<'a>> {
    match (value, path) {
        (Value::Table(t), _) => slot(t, path),
        (Value::Array(a), [Segment::Index(i), rest @ ..]) if *i < a.len() => match rest {
            [] => Some(Slot::Entry(a, *i)),
            _ => slot_in(&mut a[*i], rest),
        },
        _ => None,
    }
}
