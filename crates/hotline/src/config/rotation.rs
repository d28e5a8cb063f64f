//! One rotation, parsed: its hand-off instants and whose turn it is.

use std::iter::Peekable;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;
use cron::{Schedule, ScheduleIterator};

use super::local_time::{parse_handoff, parse_local};
use super::people::{Person, RotationConfig, SettingError};
use crate::domain::{PersonId, Role};

/// Hand-offs closer together than this are surely a typo (`* 8 * * *` fires
/// every minute of 08:00), and the bound keeps counting turns from `start`
/// cheap: at most 8,760 hand-offs per year of history.
const MIN_GAP: Duration = Duration::hours(1);

/// How many hand-offs after `start` are checked against [`MIN_GAP`].
const GAP_SAMPLE: usize = 200;

#[derive(Debug, Clone)]
pub struct Rotation {
    pub name: String,
    pub role: Role,
    handoffs: Vec<Schedule>,
    pub people: Vec<PersonId>,
    start: DateTime<Utc>,
    tz: Tz,
}

/// Whose turn it is in one rotation at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    /// Hand-offs since `start`: the turn goes to `people[count % len]`.
    pub count: usize,
    /// The last hand-off at or before the instant, or `start`.
    pub since: DateTime<Utc>,
}

impl Rotation {
    /// Parses `rotations[i]`; every error names the offending key.
    pub fn parse(
        i: usize,
        r: &RotationConfig,
        tz: Tz,
        people: &[Person],
    ) -> Result<Rotation, SettingError> {
        let key = |field: &str| format!("rotations[{i}].{field}");
        if r.name.trim().is_empty() {
            return Err(SettingError::new(key("name"), "must not be empty"));
        }
        let start = parse_local(&r.start, tz).map_err(|m| SettingError::new(key("start"), m))?;
        let handoffs = parse_schedules(i, &r.handoffs)?;
        check_people(i, &r.people, people)?;
        let rotation = Rotation {
            name: r.name.clone(),
            role: r.role,
            handoffs,
            people: r.people.clone(),
            start,
            tz,
        };
        rotation.check_fires(i, &r.handoffs)?;
        Ok(rotation)
    }

    /// Whose turn it is at `at`; `None` before `start`. A hand-off exactly
    /// at `at` has already happened. Walks every hand-off since `start`,
    /// stopping at `at`, so the cost grows with the rotation's age only.
    pub fn turn(&self, at: DateTime<Utc>) -> Option<Turn> {
        if at < self.start {
            return None;
        }
        let mut turn = Turn {
            count: 0,
            since: self.start,
        };
        for t in self.handoffs_after(self.start).take_while(|t| *t <= at) {
            turn = Turn {
                count: turn.count + 1,
                since: t,
            };
        }
        Some(turn)
    }

    /// The person whose turn `turn` is.
    pub fn person(&self, turn: Turn) -> &PersonId {
        &self.people[turn.count % self.people.len()]
    }

    /// The first change of holder strictly after `after`: `start` if still
    /// ahead, else the next hand-off.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.start > after {
            return Some(self.start);
        }
        // Start a day early so a repeated wall-clock time just before
        // `after` is recognised as a repeat, as in `turn`.
        let from = (after - Duration::days(1)).max(self.start);
        self.handoffs_after(from).find(|t| *t > after)
    }

    /// All hand-offs strictly after `from`, merged from every cron, in order.
    fn handoffs_after(&self, from: DateTime<Utc>) -> Handoffs<'_> {
        let local = from.with_timezone(&self.tz);
        Handoffs {
            sources: self
                .handoffs
                .iter()
                .map(|s| s.after(&local).peekable())
                .collect(),
            last_local: None,
        }
    }

    /// Each cron must fire after `start` (`0 0 30 2 *` never does), and
    /// hand-offs must be at least [`MIN_GAP`] apart.
    fn check_fires(&self, i: usize, exprs: &[String]) -> Result<(), SettingError> {
        let local = self.start.with_timezone(&self.tz);
        for (j, schedule) in self.handoffs.iter().enumerate() {
            if schedule.after(&local).next().is_none() {
                let msg = format!(
                    "`{}` never fires after start {}",
                    exprs[j],
                    self.start.with_timezone(&self.tz).format("%Y-%m-%d %H:%M")
                );
                return Err(SettingError::new(
                    format!("rotations[{i}].handoffs[{j}]"),
                    msg,
                ));
            }
        }
        let sample: Vec<DateTime<Utc>> = self.handoffs_after(self.start).take(GAP_SAMPLE).collect();
        match sample.windows(2).find(|w| w[1] - w[0] < MIN_GAP) {
            None => Ok(()),
            Some(w) => Err(SettingError::new(
                format!("rotations[{i}].handoffs"),
                format!(
                    "hand-offs at {} and {} are less than an hour apart",
                    w[0].with_timezone(&self.tz).format("%Y-%m-%d %H:%M"),
                    w[1].with_timezone(&self.tz).format("%Y-%m-%d %H:%M"),
                ),
            )),
        }
    }
}

fn parse_schedules(i: usize, exprs: &[String]) -> Result<Vec<Schedule>, SettingError> {
    if exprs.is_empty() {
        return Err(SettingError::new(
            format!("rotations[{i}].handoffs"),
            "needs at least one hand-off time, e.g. \"30 8 * * Mon-Fri\"",
        ));
    }
    exprs
        .iter()
        .enumerate()
        .map(|(j, e)| {
            parse_handoff(e)
                .map_err(|m| SettingError::new(format!("rotations[{i}].handoffs[{j}]"), m))
        })
        .collect()
}

fn check_people(i: usize, people: &[PersonId], staff: &[Person]) -> Result<(), SettingError> {
    if people.is_empty() {
        return Err(SettingError::new(
            format!("rotations[{i}].people"),
            "needs at least one person id",
        ));
    }
    for (j, id) in people.iter().enumerate() {
        if !staff.iter().any(|p| &p.id == id) {
            return Err(SettingError::new(
                format!("rotations[{i}].people[{j}]"),
                format!("unknown person `{id}` (not among [[people]] ids)"),
            ));
        }
    }
    Ok(())
}

/// A k-way merge of several crons' instants. Two crons firing at the same
/// instant make one hand-off, and a wall-clock time repeated when clocks go
/// back (01:30 twice in November in New York) makes one hand-off too, or a
/// rotation would skip a person every autumn.
struct Handoffs<'a> {
    sources: Vec<Peekable<ScheduleIterator<'a, Tz>>>,
    last_local: Option<NaiveDateTime>,
}

impl Iterator for Handoffs<'_> {
    type Item = DateTime<Utc>;

    fn next(&mut self) -> Option<DateTime<Utc>> {
        loop {
            let next = self
                .sources
                .iter_mut()
                .filter_map(|s| s.peek().cloned())
                .min()?;
            for source in &mut self.sources {
                source.next_if_eq(&next);
            }
            let local = next.naive_local();
            if self.last_local.replace(local) != Some(local) {
                return Some(next.to_utc());
            }
        }
    }
}

/// Every rotation parsed (the rotations' validation), names unique: they
/// appear in `/oncall` and in stored history, so they must tell rotations
/// apart. Fails with the first problem; [`check_all`] lists them all.
pub fn parse_all(
    rotations: &[RotationConfig],
    people: &[Person],
    tz: Tz,
) -> Result<Vec<Rotation>, SettingError> {
    let (parsed, errors) = parse_each(rotations, people, tz);
    errors.into_iter().next().map_or(Ok(parsed), Err)
}

/// Every rotation's first problem, rotation by rotation, then duplicate
/// names: `check-config` shows a file with three bad rotations three errors
/// in one run, not one at a time.
pub fn check_all(rotations: &[RotationConfig], people: &[Person], tz: Tz) -> Vec<SettingError> {
    parse_each(rotations, people, tz).1
}

fn parse_each(
    rotations: &[RotationConfig],
    people: &[Person],
    tz: Tz,
) -> (Vec<Rotation>, Vec<SettingError>) {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in rotations.iter().enumerate() {
        match Rotation::parse(i, r, tz, people) {
            Ok(rotation) => parsed.push(rotation),
            Err(e) => errors.push(e),
        }
    }
    for (i, r) in rotations.iter().enumerate() {
        if let Some(first) = rotations[..i].iter().position(|o| o.name == r.name) {
            errors.push(SettingError::new(
                format!("rotations[{i}].name"),
                format!("duplicate name `{}` (also rotations[{first}])", r.name),
            ));
        }
    }
    (parsed, errors)
}
