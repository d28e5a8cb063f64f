//! `turns`: the On call page's stretches, against the demo's rotations
//! (see `oncall/tests.rs` for how its hand-offs are counted).

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;

use super::{Turn, turns};
use crate::config::Config;
use crate::domain::{PersonId, Role};
use crate::oncall::{Override, parse_local};

fn at(text: &str) -> DateTime<Utc> {
    parse_local(text, Shanghai).unwrap()
}

fn turn(person: &str, from: &str, to: &str, covers: Option<&str>) -> Turn {
    Turn {
        person_id: Some(person.into()),
        starts: at(from),
        ends: at(to),
        covers: covers.map(PersonId::from),
    }
}

#[test]
fn a_cover_splits_the_weekend_cadres_stretch_and_monday_goes_to_the_weekday_duty() {
    let config = include_str!("../../../../config/demo.toml");
    let oncall = Config::from_override_str(config, "config/demo.toml")
        .unwrap()
        .oncall()
        .unwrap();
    let cover = Override {
        id: 1,
        person_id: "zhao".into(),
        replaces: "cadre-c".into(),
        starts_at: at("2026-02-15 12:00"),
        ends_at: at("2026-02-15 18:00"),
        created_by: "director".into(),
    };
    let (from, until) = (at("2026-02-14 09:00"), at("2026-02-16 12:00"));
    let got = turns(&oncall, Role::DutyManager, from, until, &[cover]);
    let want = vec![
        turn("cadre-c", "2026-02-14 09:00", "2026-02-15 12:00", None),
        turn(
            "zhao",
            "2026-02-15 12:00",
            "2026-02-15 18:00",
            Some("cadre-c"),
        ),
        turn("cadre-c", "2026-02-15 18:00", "2026-02-16 08:30", None),
        turn("wang", "2026-02-16 08:30", "2026-02-16 12:00", None),
    ];
    assert_eq!(got, want);
}
