//! The supervisor (督办) in `doctor`: whoever holds the `supervisor` role is
//! told of tickets past a promised time. The role is never paged, so a
//! stretch with nobody holding it loses no alert (the queue and `/overdue`
//! still show overdue tickets): a warning naming the stretch, not a failure.

use chrono::{DateTime, Utc};

use super::{HORIZON_DAYS, Report, coverage};
use crate::config::Config;
use crate::domain::Role;
use crate::oncall::{OnCall, Override};

/// Warns when promised times are set but nobody holds the `supervisor`
/// role somewhere in `window` (or no rotation serves it at all).
pub(super) fn check(
    report: &mut Report,
    config: &Config,
    oncall: &OnCall,
    (from, until): (DateTime<Utc>, DateTime<Utc>),
    overrides: &[Override],
) {
    let role = Role::Supervisor;
    if config.supervision.promised.is_empty() {
        return;
    }
    if !config.rotations.iter().any(|r| r.role == role) {
        return report.warn(
            "supervisor",
            format!(
                "no rotation has role = \"{role}\": nobody is told of tickets past a \
                 promised time ([supervision]); the queue and /overdue still show them"
            ),
        );
    }
    let tz = config.general.time_zone;
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let gaps = coverage::gaps(oncall, &[role], from, until, overrides);
    for gap in &gaps {
        let to = gap
            .until
            .map_or(format!("beyond {HORIZON_DAYS} days"), &local);
        report.warn(
            "supervisor",
            format!(
                "{role} ({}) has nobody from {} to {to} ({}): overdue tickets are told to nobody then",
                config.roles.of(role),
                local(gap.from),
                tz.name()
            ),
        );
    }
    if gaps.is_empty() {
        report.ok(
            "supervisor",
            format!("someone is told of overdue tickets for the next {HORIZON_DAYS} days"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oncall::parse_local;

    const ROTA: &str = r#"
[[people]]
id = "boss"
name = "Boss"
telegram_id = 2
[[rotations]]
name = "boss"
role = "director"
handoffs = ["0 8 * * Mon"]
people = ["boss"]
start = "2026-03-01 08:00"
"#;

    const SUPERVISION: &str = r#"
[[people]]
id = "zhou"
name = "Zhou"
telegram_id = 3
[[rotations]]
name = "supervision"
role = "supervisor"
handoffs = ["0 8 * * Mon"]
people = ["zhou"]
start = "2026-03-05 08:00"
"#;

    fn run(text: &str) -> Report {
        let config = crate::config::Config::from_override_str(text, "rota.toml").unwrap();
        let oncall = config.oncall().unwrap();
        let from = parse_local("2026-03-02 12:00", config.general.time_zone).unwrap();
        let until = from + chrono::Duration::days(HORIZON_DAYS);
        let mut report = Report::default();
        check(&mut report, &config, &oncall, (from, until), &[]);
        report
    }

    #[test]
    fn no_supervisor_rotation_is_a_warning_not_a_failure() {
        let report = run(ROTA);
        assert!(report.healthy());
        let text = report.render();
        assert!(
            text.contains("warn supervisor no rotation has role = \"supervisor\""),
            "{text}"
        );
    }

    #[test]
    fn a_stretch_without_a_supervisor_is_named_as_a_warning() {
        let report = run(&format!("{ROTA}{SUPERVISION}"));
        assert!(report.healthy());
        let text = report.render();
        assert!(
            text.contains("warn supervisor supervisor (督办员 Supervisor) has nobody from 2026-03-02 12:00 to 2026-03-05 08:00"),
            "{text}"
        );
    }
}
