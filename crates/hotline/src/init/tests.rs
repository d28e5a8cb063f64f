use super::*;
use crate::config::Config;

#[test]
fn the_starter_file_checks_clean_warning_only_of_its_placeholders() {
    let text = render(&Answers::default());
    let config = Config::from_override_str(&text, "hotline.toml").unwrap();
    let warnings = config.warnings();
    let keys: Vec<&str> = warnings.iter().map(|w| w.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "people[0].name",
            "people[1].name",
            "people[2].name",
            "people[3].name",
            "people[4].name",
            "people[5].name",
            "people[7].name",
            "compounds[0]",
            "compounds[1]"
        ],
        "the starter pages someone for every role; only its REPLACE placeholders warn"
    );
    assert_eq!(config.database.url, "sqlite:///var/lib/hotline/hotline.db");
    assert_eq!(config.rotations.len(), 5);
    assert!(config.oncall().is_ok());
}

#[test]
fn config_example_toml_is_the_starter_file() {
    assert_eq!(
        include_str!("../../../../config/example.toml"),
        render(&Answers::default()),
        "regenerate it: hotline init --no-input --force -o config/example.toml"
    );
}

#[test]
fn answers_from_flags_reach_the_file() {
    let opts = InitOptions {
        city: Some("Qingdao".into()),
        time_zone: Some("Asia/Shanghai".into()),
        db: Some("/srv/qd \"hotline\".db".into()),
        director: Some("王主任".into()),
        director_telegram_id: Some(4242),
        ..InitOptions::default()
    };
    let answers = gather(&opts, false).unwrap();
    assert_eq!(answers.prefix, "QN");
    let config = Config::from_override_str(&render(&answers), "qd.toml").unwrap();
    assert_eq!(config.general.ticket_prefix, "QN");
    assert_eq!(config.database.url, "sqlite:///srv/qd \"hotline\".db");
    let director = config
        .people
        .iter()
        .find(|p| p.id.as_str() == "director")
        .unwrap();
    assert_eq!(
        (director.name.as_str(), director.telegram_id),
        ("王主任", 4242)
    );
}

#[test]
fn a_bad_time_zone_or_prefix_from_flags_is_refused() {
    let tz = InitOptions {
        time_zone: Some("China/Jinan".into()),
        ..InitOptions::default()
    };
    assert!(
        gather(&tz, false)
            .unwrap_err()
            .to_string()
            .contains("China/Jinan")
    );
    let prefix = InitOptions {
        prefix: Some("TOO-LONG".into()),
        ..InitOptions::default()
    };
    assert!(gather(&prefix, false).is_err());
}

#[test]
fn prefixes_follow_the_city_name() {
    assert_eq!(prefix_for("Jinan"), "JN");
    assert_eq!(prefix_for("Qingdao"), "QN");
    assert_eq!(prefix_for("济南"), "HL");
}

#[test]
fn a_postgres_url_from_db_is_written_as_is_and_a_bad_scheme_refused() {
    let opts = InitOptions {
        db: Some("postgres://hotline@db/hotline".into()),
        ..InitOptions::default()
    };
    let config = Config::from_override_str(&render(&gather(&opts, false).unwrap()), "h.toml");
    assert_eq!(
        config.unwrap().database.url,
        "postgres://hotline@db/hotline"
    );
    let bad = InitOptions {
        db: Some("mysql://hotline@db/hotline".into()),
        ..InitOptions::default()
    };
    let e = gather(&bad, false).unwrap_err().to_string();
    assert!(e.contains("mysql://") && e.contains("postgres://"), "{e}");
}
