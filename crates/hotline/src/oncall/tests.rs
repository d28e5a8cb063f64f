use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::{America::New_York, Asia::Shanghai};

use super::*;
use crate::config::Config;
use crate::domain::Lang;

const DEMO: &str = include_str!("../../../../config/demo.toml");

fn demo() -> Config {
    Config::from_override_str(DEMO, "config/demo.toml").unwrap()
}

fn demo_oncall() -> OnCall {
    demo().oncall().unwrap()
}

/// A Shanghai wall-clock time.
fn at(text: &str) -> DateTime<Utc> {
    parse_local(text, Shanghai).unwrap()
}

fn who(oncall: &OnCall, role: Role, when: &str) -> Option<String> {
    oncall
        .holder(role, at(when), &[])
        .map(|h| h.person_id.to_string())
}

fn cover(id: i64, person: &str, replaces: &str, from: &str, to: &str) -> Override {
    Override {
        id,
        person_id: person.into(),
        replaces: replaces.into(),
        starts_at: at(from),
        ends_at: at(to),
        created_by: "director".into(),
    }
}

// Weekend: hand-offs each Saturday 08:00 counted from Sat 2026-01-03
// (cadre-a). Saturdays: 01-03 a, 01-10 b, 01-17 c, 01-24 d, 01-31 a,
// 02-07 b, 02-14 c. So Sat 02-14 to Mon 02-16 08:30 is cadre-c (郑干部).
#[test]
fn weekend_cadre_by_counting_saturdays() {
    let oc = demo_oncall();
    let dm = Role::DutyManager;
    assert_eq!(who(&oc, dm, "2026-02-14 23:00").as_deref(), Some("cadre-c"));
    assert_eq!(who(&oc, dm, "2026-02-15 09:00").as_deref(), Some("cadre-c"));
    assert_eq!(who(&oc, dm, "2026-02-08 12:00").as_deref(), Some("cadre-b"));
    let h = oc.holder(dm, at("2026-02-15 09:00"), &[]).unwrap();
    assert_eq!(
        (h.rotation.as_str(), h.since),
        ("weekend", at("2026-02-14 08:00"))
    );
}

// Weekday: wang from Mon 01-05 08:30 (turn 0), then 10 hand-offs a week
// (Mon-Fri at 08:30 and 17:30). Mon 02-16 is 6 weeks later: 08:30 is turn
// 60 (wang), 17:30 turn 61 (zhao); Fri 02-20 17:30 is turn 69 (wang).
#[test]
fn weekday_duty_by_counting_handoffs() {
    let oc = demo_oncall();
    let dm = Role::DutyManager;
    assert_eq!(who(&oc, dm, "2026-02-16 09:00").as_deref(), Some("wang"));
    assert_eq!(who(&oc, dm, "2026-02-16 18:00").as_deref(), Some("zhao"));
    assert_eq!(who(&oc, dm, "2026-02-20 20:00").as_deref(), Some("wang"));
    assert_eq!(who(&oc, dm, "2026-01-05 08:30").as_deref(), Some("wang"));
    assert_eq!(who(&oc, dm, "2026-01-05 17:30").as_deref(), Some("zhao"));
}

// Fri 02-13 17:30 is turn 59 (sun): the night shift runs into the weekend
// until the weekend rotation's hand-off at Sat 08:00.
#[test]
fn friday_night_holds_until_saturday_morning() {
    let oc = demo_oncall();
    let dm = Role::DutyManager;
    assert_eq!(who(&oc, dm, "2026-02-13 17:29").as_deref(), Some("zhao"));
    let night = oc.holder(dm, at("2026-02-14 07:59"), &[]).unwrap();
    assert_eq!(night.person_id.as_str(), "sun");
    assert_eq!(
        (night.rotation.as_str(), night.since),
        ("weekday", at("2026-02-13 17:30"))
    );
    assert_eq!(who(&oc, dm, "2026-02-14 08:00").as_deref(), Some("cadre-c"));
}

#[test]
fn override_beats_rotation_until_its_end() {
    let oc = demo_oncall();
    let dm = Role::DutyManager;
    let overrides = [cover(
        7,
        "wang",
        "sun",
        "2026-02-13 20:00",
        "2026-02-14 02:00",
    )];
    let h = oc.holder(dm, at("2026-02-13 21:00"), &overrides).unwrap();
    assert_eq!(h.person_id.as_str(), "wang");
    assert_eq!(h.scheduled.as_str(), "sun");
    assert_eq!(h.via_override, Some(7));
    assert_eq!(h.since, at("2026-02-13 20:00"));
    let after = oc.holder(dm, at("2026-02-14 02:00"), &overrides).unwrap();
    assert_eq!(
        (after.person_id.as_str(), after.via_override),
        ("sun", None)
    );
    let before = oc.holder(dm, at("2026-02-13 19:59"), &overrides).unwrap();
    assert_eq!(before.person_id.as_str(), "sun");
}

#[test]
fn newest_override_wins_and_others_are_ignored() {
    let oc = demo_oncall();
    let overrides = [
        cover(3, "zhao", "sun", "2026-02-13 18:00", "2026-02-14 08:00"),
        cover(9, "wang", "sun", "2026-02-13 18:00", "2026-02-14 08:00"),
        cover(
            12,
            "zhao",
            "cadre-c",
            "2026-02-13 18:00",
            "2026-02-14 08:00",
        ),
    ];
    let h = oc
        .holder(Role::DutyManager, at("2026-02-13 23:00"), &overrides)
        .unwrap();
    assert_eq!((h.person_id.as_str(), h.via_override), ("wang", Some(9)));
    // The operator desk is not affected by duty-manager overrides.
    let desk = oc
        .holder(Role::Operator, at("2026-02-13 23:00"), &overrides)
        .unwrap();
    assert_eq!(desk.via_override, None);
}

#[test]
fn nobody_before_any_start() {
    let oc = demo_oncall();
    for role in Role::ALL {
        assert_eq!(who(&oc, role, "2025-12-31 23:59"), None);
    }
    // Weekend starts Sat 01-03 08:00, weekday Mon 01-05 08:30.
    assert_eq!(who(&oc, Role::DutyManager, "2026-01-03 07:59"), None);
    assert_eq!(
        who(&oc, Role::DutyManager, "2026-01-03 08:00").as_deref(),
        Some("cadre-a")
    );
    assert_eq!(
        who(&oc, Role::DutyManager, "2026-01-05 08:29").as_deref(),
        Some("cadre-a")
    );
}

#[test]
fn next_handoff_is_strictly_after() {
    let oc = demo_oncall();
    let dm = Role::DutyManager;
    assert_eq!(
        oc.next_handoff(dm, at("2026-02-14 23:00")),
        Some(at("2026-02-16 08:30"))
    );
    assert_eq!(
        oc.next_handoff(dm, at("2026-02-13 17:30")),
        Some(at("2026-02-14 08:00"))
    );
    assert_eq!(
        oc.next_handoff(dm, at("2026-01-01 00:00")),
        Some(at("2026-01-03 08:00"))
    );
    assert_eq!(
        oc.next_handoff(Role::Director, at("2026-02-14 23:00")),
        Some(at("2027-01-01 00:00"))
    );
}

#[test]
fn next_change_counts_override_edges() {
    let oc = demo_oncall();
    let dm = Role::DutyManager;
    let overrides = [cover(
        1,
        "wang",
        "sun",
        "2026-02-13 21:00",
        "2026-02-14 02:00",
    )];
    let change = |t| oc.next_change(dm, at(t), &overrides);
    assert_eq!(change("2026-02-13 18:00"), Some(at("2026-02-13 21:00")));
    assert_eq!(change("2026-02-13 21:00"), Some(at("2026-02-14 02:00")));
    assert_eq!(change("2026-02-14 02:00"), Some(at("2026-02-14 08:00")));
    // The desk's next change ignores a duty manager's cover.
    let desk = oc.next_change(Role::Operator, at("2026-02-13 20:30"), &overrides);
    assert_eq!(desk, Some(at("2026-02-14 08:00")));
}

const NEW_YORK: &str = r#"
[general]
time_zone = "America/New_York"

[[people]]
id = "a"
name = "A"
telegram_id = 1

[[people]]
id = "b"
name = "B"
telegram_id = 2

[[people]]
id = "c"
name = "C"
telegram_id = 3

[[rotations]]
name = "mornings"
role = "duty_manager"
handoffs = ["30 8 * * *"]
people = ["a", "b"]
start = "2026-03-07 08:30"

[[rotations]]
name = "nights"
role = "operator"
handoffs = ["30 1 * * *"]
people = ["a", "b", "c"]
start = "2026-10-31 01:30"
"#;

// Clocks go forward on Sun 2026-03-08 in New York: the 08:30 hand-off is at
// 12:30 UTC that day (EDT), an hour earlier in UTC than the day before.
#[test]
fn handoffs_follow_local_time_across_dst() {
    let config = Config::from_override_str(NEW_YORK, "ny.toml").unwrap();
    let oc = config.oncall().unwrap();
    let utc = |h, m| Utc.with_ymd_and_hms(2026, 3, 8, h, m, 0).unwrap();
    let dm = Role::DutyManager;
    assert_eq!(oc.next_handoff(dm, utc(0, 0)), Some(utc(12, 30)));
    assert_eq!(
        oc.holder(dm, utc(12, 29), &[]).unwrap().person_id.as_str(),
        "a"
    );
    assert_eq!(
        oc.holder(dm, utc(12, 30), &[]).unwrap().person_id.as_str(),
        "b"
    );
    let day_before = Utc.with_ymd_and_hms(2026, 3, 7, 13, 30, 0).unwrap();
    assert_eq!(oc.holder(dm, day_before, &[]).unwrap().since, day_before);
}

// Clocks go back on Sun 2026-11-01: 01:30 happens twice (05:30 and 06:30
// UTC). That is one hand-off, not two, or a person would be skipped.
#[test]
fn repeated_wall_clock_time_is_one_handoff() {
    let config = Config::from_override_str(NEW_YORK, "ny.toml").unwrap();
    let oc = config.oncall().unwrap();
    let utc = |d, h| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
    let op = Role::Operator;
    assert_eq!(
        oc.holder(op, utc(1, 7), &[]).unwrap().person_id.as_str(),
        "b"
    );
    assert_eq!(
        oc.holder(op, utc(2, 7), &[]).unwrap().person_id.as_str(),
        "c"
    );
    assert_eq!(
        oc.next_handoff(op, utc(1, 5) + Duration::minutes(40)),
        Some(utc(2, 6) + Duration::minutes(30))
    );
}

#[test]
fn handoff_crons_with_five_or_six_fields() {
    let five = parse_handoff("30 8 * * Mon-Fri").unwrap();
    let six = parse_handoff("0 30 8 * * Mon-Fri").unwrap();
    assert!(five.timeunitspec_eq(&six));
    assert!(parse_handoff("@daily").is_ok());
    assert!(parse_handoff("0 8 * * Sat,Sun").is_ok());
}

#[test]
fn numbered_weekdays_and_garbage_are_rejected() {
    let e = parse_handoff("30 8 * * 1-5").unwrap_err();
    assert!(e.contains("Mon-Fri") && e.contains("Sunday = 1"), "{e}");
    assert!(
        parse_handoff("0 30 8 * * 2")
            .unwrap_err()
            .contains("Mon-Fri")
    );
    let e = parse_handoff("every day at eight").unwrap_err();
    assert!(
        e.contains("fields") && e.contains("30 8 * * Mon-Fri"),
        "{e}"
    );
    let e = parse_handoff("30 25 * * Mon").unwrap_err();
    assert!(e.contains("hour must be 0–23"), "{e}");
    let e = parse_handoff("30 8 * * Mon-Fry").unwrap_err();
    assert!(
        e.contains("not a valid cron") && e.contains("minute hour"),
        "{e}"
    );
    assert!(
        !e.contains("0 30 8"),
        "never the library's 6-field form: {e}"
    );
}

#[test]
fn cron_bounds_are_named_as_the_operator_wrote_five_fields() {
    for (expr, expected) in [
        ("61 8 * * Mon", "minute must be 0–59"),
        ("0 24 * * Mon", "hour must be 0–23"),
        ("0 8 0 * *", "day of month must be 1–31"),
        ("0 8 1 13 *", "month must be 1–12"),
        ("0 8-30 * * *", "hour must be 0–23"),
        ("*/0 8 * * *", "step in minute"),
        ("61 30 8 * * Mon", "second must be 0–59"),
    ] {
        let e = parse_handoff(expr).unwrap_err();
        assert!(e.contains(expected), "{expr}: {e}");
        assert!(!e.contains("less than"), "{expr}: {e}");
    }
    assert!(parse_handoff("59 23 31 12 Sun").is_ok());
    assert!(parse_handoff("0 8 1-7 Jan-Mar Mon").is_ok());
}

#[test]
fn bad_cron_in_override_file_names_file_and_key() {
    let text = DEMO.replace("\"30 17 * * Mon-Fri\"", "\"30 17 * * 1-5\"");
    let e = Config::from_override_str(&text, "site.toml").unwrap_err();
    assert_eq!(
        (e.source_name.as_str(), e.key.as_str()),
        ("site.toml", "rotations[1].handoffs[1]")
    );
    assert!(e.message.contains("Mon-Fri"), "{}", e.message);
}

#[test]
fn rotation_errors_name_their_keys() {
    let cases = [
        (
            DEMO.replace("\"zhao\", \"sun\"", "\"zhao\", \"qian\""),
            "rotations[1].people[2]",
        ),
        (DEMO.replace("[\"director\"]", "[]"), "rotations[3].people"),
        (
            DEMO.replace("\"2026-01-03 08:00\"", "\"2026-01-03\""),
            "rotations[2].start",
        ),
        (
            DEMO.replace("\"0 0 1 1 *\"", "\"0 0 30 2 *\""),
            "rotations[3].handoffs[0]",
        ),
        (
            DEMO.replace("\"0 8 * * Sat\"", "\"*/20 8 * * Sat\""),
            "rotations[2].handoffs",
        ),
        (
            DEMO.replace("name = \"weekend\"", "name = \"weekday\""),
            "rotations[2].name",
        ),
        (
            DEMO.replace("[\"0 8 * * *\", \"0 20 * * *\"]", "[]"),
            "rotations[0].handoffs",
        ),
    ];
    for (text, key) in cases {
        let e = Config::from_override_str(&text, "site.toml").unwrap_err();
        assert_eq!(
            (e.source_name.as_str(), e.key.as_str()),
            ("site.toml", key),
            "{}",
            e.message
        );
    }
}

#[test]
fn parse_local_rejects_other_shapes() {
    assert_eq!(
        parse_local("2026-02-14 08:00", Shanghai).unwrap(),
        Utc.with_ymd_and_hms(2026, 2, 14, 0, 0, 0).unwrap()
    );
    assert!(parse_local("14/02/2026 08:00", Shanghai).is_err());
    let gap = parse_local("2026-03-08 02:30", New_York).unwrap_err();
    assert!(gap.contains("does not exist"), "{gap}");
}

#[test]
fn until_accepts_times_dates_and_durations() {
    let now = at("2026-02-14 23:00");
    let until = |t: &str| parse_until(t, now, Shanghai);
    assert_eq!(until("23:30"), Ok(at("2026-02-14 23:30")));
    assert_eq!(until("08:30"), Ok(at("2026-02-15 08:30")));
    assert_eq!(until("23:00"), Ok(at("2026-02-15 23:00")));
    assert_eq!(until("18：00"), Ok(at("2026-02-15 18:00")));
    assert_eq!(until("2026-02-16 08:30"), Ok(at("2026-02-16 08:30")));
    assert_eq!(until("02-16 08:30"), Ok(at("2026-02-16 08:30")));
    assert_eq!(until("01-02 08:00"), Ok(at("2027-01-02 08:00")));
    assert_eq!(until("8h"), Ok(now + Duration::hours(8)));
    assert_eq!(until("90m"), Ok(now + Duration::minutes(90)));
    assert_eq!(until(" 1h 30m "), Ok(now + Duration::minutes(90)));
}

#[test]
fn until_errors_are_short_sentences() {
    let now = at("2026-02-14 23:00");
    let until = |t: &str| parse_until(t, now, Shanghai).unwrap_err();
    assert!(until("2026-02-01 08:00").contains("already passed"));
    assert!(until("tomorrow-ish").contains("18:00"));
    assert!(until("").contains("until when"));
    assert!(until("0s").contains("zero"));
    assert!(until("25:00").contains("not a time"));
}

#[test]
fn render_names_holders_covers_and_next_handoffs() {
    let config = demo();
    let oc = config.oncall().unwrap();
    let overrides = [cover(
        4,
        "wang",
        "cadre-c",
        "2026-02-14 20:00",
        "2026-02-15 08:00",
    )];
    let zh = render(&oc, at("2026-02-14 23:00"), &overrides, &[], Lang::Zh);
    for needle in [
        "2026-02-14 23:00 周六",
        "值班干部",
        "王科长 @wang_duty ☎ +8613900000011",
        "代 郑干部 值班，李主任 安排",
        "下次交接：2026-02-15 08:00",
        "陈静 (desk)",
    ] {
        assert!(zh.contains(needle), "missing {needle} in\n{zh}");
    }
    let en = render(&oc, at("2026-02-14 23:00"), &[], &[], Lang::En);
    for needle in [
        "Sat 2026-02-14 23:00",
        "郑干部 @zheng_cadre",
        "next hand-off: Mon 2026-02-16 08:30",
        "李主任",
    ] {
        assert!(en.contains(needle), "missing {needle} in\n{en}");
    }
    // A one-person rotation has no hand-off worth announcing.
    assert!(!en.contains("2027-01-01"), "{en}");
    let early = render(&oc, at("2025-12-01 12:00"), &[], &[], Lang::En);
    assert!(early.contains("(nobody on call)"), "{early}");
}

#[test]
fn render_shows_a_persons_notification_rules() {
    let mut config = demo();
    let wang = config
        .people
        .iter_mut()
        .find(|p| p.id.as_str() == "wang")
        .unwrap();
    wang.notify = vec![
        super::NotifyRule::new(super::Via::Sms, std::time::Duration::from_secs(60)),
        super::NotifyRule::new(super::Via::Voice, std::time::Duration::from_secs(180)),
    ];
    let oc = config.oncall().unwrap();
    let overrides = [cover(
        4,
        "wang",
        "cadre-c",
        "2026-02-14 20:00",
        "2026-02-15 08:00",
    )];
    let zh = render(&oc, at("2026-02-14 23:00"), &overrides, &[], Lang::Zh);
    assert!(
        zh.contains("⏰ 提醒方式：sms after 1m, voice after 3m"),
        "{zh}"
    );
}
