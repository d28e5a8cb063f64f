use std::io::Write as _;
use std::time::Duration;

use super::*;
use crate::domain::{ChatId, Lang};

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn override_err(text: &str) -> ConfigError {
    Config::from_override_str(text, "site.toml").expect_err("override should be rejected")
}

fn temp_file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

#[test]
fn defaults_load_with_documented_values() {
    let c = Config::load_with_env(None, &[]).unwrap();
    assert_eq!(c.general.time_zone, chrono_tz::Asia::Shanghai);
    assert_eq!(c.general.default_language, Lang::Zh);
    assert_eq!(c.general.ticket_prefix, "JN");
    assert_eq!(c.database.url, "sqlite://hotline.db");
    assert_eq!(c.database.max_connections, 4);
    assert_eq!(c.telegram.api_url.as_str(), "https://api.telegram.org");
    assert_eq!(c.telegram.poll_timeout, Duration::from_secs(10));
    assert_eq!(c.limits.description_max_chars, 1000);
    assert_eq!(c.limits.address_max_chars, 200);
    assert_eq!(c.limits.max_photos, 5);
    assert_eq!(c.limits.messages_per_minute, 20);
    assert_eq!(c.limits.reports_per_hour, 6);
    assert!(c.compounds.len() >= 6);
    assert_eq!(c.compounds[0].id, "yangguang");
    assert_eq!(c.compounds[0].name, "阳光花园小区");
}

#[test]
fn rust_defaults_match_default_toml() {
    let loaded = Config::load_with_env(None, &[]).unwrap();
    let rust = Config {
        compounds: loaded.compounds.clone(),
        ..Config::default()
    };
    assert_eq!(loaded, rust);
}

#[test]
fn override_changes_one_key_and_keeps_the_rest() {
    let c = Config::from_override_str("[limits]\nreports_per_hour = 3\n", "site.toml").unwrap();
    assert_eq!(c.limits.reports_per_hour, 3);
    assert_eq!(c.limits.messages_per_minute, 20);
    assert_eq!(c.database.url, "sqlite://hotline.db");
    assert!(c.compounds.len() >= 6);
}

#[test]
fn override_file_is_read_from_disk() {
    let f = temp_file("[database]\nurl = \"postgres://hotline@db/hotline\"\n");
    let c = Config::load_with_env(Some(f.path()), &[]).unwrap();
    assert_eq!(c.database.url, "postgres://hotline@db/hotline");
    assert_eq!(c.database.max_connections, 4);
}

#[test]
fn override_compounds_replace_the_list() {
    let text = "[[compounds]]\nid = \"lvjing\"\nname = \"绿景嘉园\"\n";
    let c = Config::from_override_str(text, "site.toml").unwrap();
    assert_eq!(c.compounds.len(), 1);
    assert_eq!(c.compounds[0].district, "");
    assert!(c.compounds[0].aliases.is_empty());
}

#[test]
fn env_overrides_file_and_default() {
    let f = temp_file("[limits]\nreports_per_hour = 4\n");
    let vars = env(&[
        ("HOTLINE__LIMITS__REPORTS_PER_HOUR", "3"),
        ("HOTLINE__DATABASE__URL", "postgres://u:pw@db/hotline"),
        ("HOTLINE__TELEGRAM__POLL_TIMEOUT", "30s"),
        ("PATH", "/usr/bin"),
    ]);
    let c = Config::load_with_env(Some(f.path()), &vars).unwrap();
    assert_eq!(c.limits.reports_per_hour, 3);
    assert_eq!(c.database.url, "postgres://u:pw@db/hotline");
    assert_eq!(c.telegram.poll_timeout, Duration::from_secs(30));
    assert_eq!(c.limits.max_photos, 5);
}

#[test]
fn env_error_names_the_variable() {
    let vars = env(&[("HOTLINE__LIMITS__REPORTS_PER_HOUR", "many")]);
    let e = Config::load_with_env(None, &vars).unwrap_err();
    assert_eq!(
        e.source_name,
        "environment variable HOTLINE__LIMITS__REPORTS_PER_HOUR"
    );
    assert_eq!(e.key, "limits.reports_per_hour");
}

#[test]
fn env_without_key_is_rejected() {
    let e = Config::load_with_env(None, &env(&[("HOTLINE__LIMITS__", "3")])).unwrap_err();
    assert_eq!(e.source_name, "environment variable HOTLINE__LIMITS__");
}

#[test]
fn typo_key_names_file_and_key() {
    let e = override_err("[limits]\nreports_per_houre = 3\n");
    assert_eq!(e.source_name, "site.toml");
    assert_eq!(e.key, "limits.reports_per_houre");
    let shown = e.to_string();
    assert!(shown.contains("site.toml") && shown.contains("limits.reports_per_houre"));
}

#[test]
fn typo_section_names_the_section() {
    let e = override_err("[limit]\nreports_per_hour = 3\n");
    assert_eq!(
        (e.source_name.as_str(), e.key.as_str()),
        ("site.toml", "limit")
    );
}

#[test]
fn wrong_type_names_the_key() {
    let e = override_err("[limits]\nreports_per_hour = \"many\"\n");
    assert_eq!(e.source_name, "site.toml");
    assert_eq!(e.key, "limits.reports_per_hour");
}

#[test]
fn duplicate_compound_id_names_the_second() {
    let text =
        "[[compounds]]\nid = \"a\"\nname = \"甲\"\n[[compounds]]\nid = \"a\"\nname = \"乙\"\n";
    let e = override_err(text);
    assert_eq!(e.source_name, "site.toml");
    assert_eq!(e.key, "compounds[1].id");
}

#[test]
fn missing_compound_name_names_the_field() {
    let e = override_err("[[compounds]]\nid = \"a\"\n");
    assert_eq!(e.source_name, "site.toml");
    assert_eq!(e.key, "compounds[0].name");
}

#[test]
fn shared_alias_is_rejected() {
    let text = "[[compounds]]\nid = \"a\"\nname = \"甲\"\naliases = [\"花园\"]\n\
                [[compounds]]\nid = \"b\"\nname = \"乙\"\naliases = [\"x\", \"花园\"]\n";
    assert_eq!(override_err(text).key, "compounds[1].aliases[1]");
}

#[test]
fn empty_compound_name_is_rejected() {
    let e = override_err("[[compounds]]\nid = \"a\"\nname = \" \"\n");
    assert_eq!(e.key, "compounds[0].name");
}

#[test]
fn bad_time_zone_names_the_key() {
    let e = override_err("[general]\ntime_zone = \"Asia/Jinan\"\n");
    assert_eq!(e.source_name, "site.toml");
    assert_eq!(e.key, "general.time_zone");
    assert!(e.message.contains("Asia/Jinan"));
}

#[test]
fn semantic_rules_name_their_keys() {
    let cases = [
        (
            "[general]\nticket_prefix = \"JN-2\"",
            "general.ticket_prefix",
        ),
        ("[database]\nurl = \"mysql://x\"", "database.url"),
        (
            "[database]\nmax_connections = 0",
            "database.max_connections",
        ),
        (
            "[telegram]\napi_url = \"api.telegram.org\"",
            "telegram.api_url",
        ),
        ("[limits]\nmax_photos = 0", "limits.max_photos"),
        (
            "[[compounds]]\nid = \"Bad Id\"\nname = \"x\"",
            "compounds[0].id",
        ),
    ];
    for (text, key) in cases {
        let e = override_err(text);
        assert_eq!((e.source_name.as_str(), e.key.as_str()), ("site.toml", key));
    }
}

#[test]
fn syntax_error_names_the_file_and_line() {
    let e = override_err("[limits]\nreports_per_hour = = 3\n");
    assert_eq!(e.source_name, "site.toml");
    assert!(e.message.contains("line 2"), "{}", e.message);
}

#[test]
fn missing_override_file_is_an_error() {
    let path = std::path::Path::new("/nonexistent/hotline.toml");
    let e = Config::load_with_env(Some(path), &[]).unwrap_err();
    assert_eq!(e.source_name, "/nonexistent/hotline.toml");
}

#[test]
fn error_in_untouched_key_is_blamed_on_default_layer() {
    let stack = [
        layers::Layer::parse(
            &DEFAULT_TOML.replace("max_photos = 5", "max_photos = 0"),
            DEFAULT_SOURCE,
        )
        .unwrap(),
        layers::Layer::parse("[limits]\nreports_per_hour = 2\n", "site.toml").unwrap(),
    ];
    let e = layers::build(&stack).unwrap_err();
    assert_eq!(
        (e.source_name.as_str(), e.key.as_str()),
        (DEFAULT_SOURCE, "limits.max_photos")
    );
}

#[test]
fn example_override_is_valid() {
    let c = Config::from_override_str(
        include_str!("../../../../config/example.toml"),
        "example.toml",
    )
    .unwrap();
    // `hotline init`'s starter file (issue 16): one SQLite file, staff for
    // every role, so nothing is paged into the void; only its REPLACE
    // placeholders warn (issue 25).
    assert!(c.database.url.starts_with("sqlite:"));
    assert_eq!(c.limits.messages_per_minute, 20);
    let warnings = c.warnings();
    assert!(!warnings.is_empty());
    assert!(
        warnings.iter().all(|w| w.message.contains("placeholder")),
        "{warnings:?}"
    );
}

#[test]
fn describe_lists_everything_but_hides_passwords() {
    let vars = env(&[(
        "HOTLINE__DATABASE__URL",
        "postgres://hot:s3cret@db/x?password=s3cret",
    )]);
    let c = Config::load_with_env(None, &vars).unwrap();
    let text = c.describe();
    for needle in [
        "[general]",
        "[database]",
        "[telegram]",
        "[limits]",
        "阳光花园小区",
        "Asia/Shanghai",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
    assert!(!text.contains("s3cret"), "{text}");
    assert!(text.contains("postgres://hot:***@db/x"), "{text}");
}

#[test]
fn find_compound_by_alias_ignores_case_and_spaces() {
    let c = Config::load_with_env(None, &[]).unwrap();
    assert_eq!(c.find_compound("sunshine  garden").unwrap().id, "yangguang");
    assert_eq!(c.find_compound("阳光花园").unwrap().id, "yangguang");
    assert!(c.find_compound("nowhere").is_none());
}

const DEMO: &str = include_str!("../../../../config/demo.toml");

#[test]
fn demo_staff_is_valid() {
    let c = Config::from_override_str(DEMO, "config/demo.toml").unwrap();
    assert_eq!(c.people.len(), 11);
    assert_eq!(c.rotations.len(), 5);
}

#[test]
fn people_rules_name_their_keys() {
    let cases = [
        (
            DEMO.replace("id = \"zhao\"", "id = \"wang\""),
            "people[3].id",
        ),
        (
            DEMO.replace("id = \"cadre-d\"", "id = \" \""),
            "people[8].id",
        ),
        (
            DEMO.replace("telegram_id = 900012", "telegram_id = 900011"),
            "people[3].telegram_id",
        ),
        (
            DEMO.replace("name = \"赵科长\"", "name = \"\""),
            "people[3].name",
        ),
    ];
    for (text, key) in cases {
        let e = override_err(&text);
        assert_eq!(
            (e.source_name.as_str(), e.key.as_str()),
            ("site.toml", key),
            "{}",
            e.message
        );
    }
}

#[test]
fn escalation_rules_name_their_keys() {
    let cases = [
        ("[escalation]\nsteps = []", "escalation.steps"),
        (
            "[escalation]\nthresholds = { outage = 0 }",
            "escalation.thresholds.outage",
        ),
        (
            "[escalation]\nurgent = [\"leak\", \"meter\"]",
            "escalation.urgent[1]",
        ),
        (
            "[escalation.zones.confirmed_case]\nstart_step = 2",
            "escalation.zones.confirmed_case.start_step",
        ),
        (
            "[[escalation.steps]]\nnotify = []\nwait = \"5m\"",
            "escalation.steps[0].notify",
        ),
        ("[escalation]\ntick = \"0s\"", "escalation.tick"),
    ];
    for (text, key) in cases {
        let e = override_err(text);
        assert_eq!(
            (e.source_name.as_str(), e.key.as_str()),
            ("site.toml", key),
            "{}",
            e.message
        );
    }
}

#[test]
fn errors_inside_map_entries_name_the_entry() {
    let cases = [
        (
            "[escalation]\nthresholds = { outage = \"five\" }",
            "escalation.thresholds.outage",
        ),
        (
            "[escalation]\nthresholds = { quality = -1 }",
            "escalation.thresholds.quality",
        ),
        (
            "[escalation.zones.hospital]\nstart_step = \"one\"",
            "escalation.zones.hospital.start_step",
        ),
        (
            "[escalation.zones.quarantine]\nnotify = [\"mayor\"]",
            "escalation.zones.quarantine.notify[0]",
        ),
        (
            "[escalation.zones.command_post]\nstart = 1",
            "escalation.zones.command_post.start",
        ),
    ];
    for (text, key) in cases {
        let e = override_err(text);
        assert_eq!(
            (e.source_name.as_str(), e.key.as_str()),
            ("site.toml", key),
            "{}",
            e.message
        );
        assert!(!e.to_string().contains('?'), "{e}");
    }
}

#[test]
fn unknown_map_keys_are_named_with_the_known_ones() {
    let e = override_err("[escalation]\nthresholds = { outgae = 5 }");
    assert_eq!(e.key, "escalation.thresholds.outgae");
    assert!(
        e.message.contains("unknown category `outgae`"),
        "{}",
        e.message
    );
    assert!(e.message.contains("outage, quality"), "{}", e.message);
    let e = override_err("[escalation.zones.hospitl]\nstart_step = 1");
    assert_eq!(
        (e.source_name.as_str(), e.key.as_str()),
        ("site.toml", "escalation.zones.hospitl")
    );
    assert!(e.message.contains("unknown zone kind"), "{}", e.message);
}

#[test]
fn delivery_keys_are_documented_in_default_toml() {
    for key in [
        "[delivery]",
        "bundle_window = \"0s\"",
        "quiet_hours = \"22:00-07:00\"",
    ] {
        assert!(DEFAULT_TOML.contains(key), "default.toml lacks {key}");
    }
    let c = Config::default();
    assert_eq!(c.delivery.bundle_window, Duration::ZERO);
    let quiet = c.delivery.quiet_hours.expect("parsed quiet hours");
    assert_eq!(quiet.to_string(), "22:00-07:00");
}

#[test]
fn urgent_and_quiet_conflict_is_explained() {
    let e = override_err("[escalation]\nurgent = [\"meter\"]");
    assert!(
        e.message.contains("`meter`") && e.message.contains("escalation.quiet[0]"),
        "{}",
        e.message
    );
}

#[test]
fn describe_shows_staff_rotations_and_escalation() {
    let c = Config::from_override_str(DEMO, "config/demo.toml").unwrap();
    let text = c.describe();
    for needle in [
        "[people] 11 configured",
        "郑干部",
        "rotates in: weekend (duty_manager)",
        "[rotations] 5 configured",
        "supervisor             whoever holds \"supervisor\" (rotations: supervision)",
        "30 8 * * Mon-Fri | 30 17 * * Mon-Fri",
        "cadre-a -> cadre-b -> cadre-c -> cadre-d",
        "[escalation]",
        "outage=5, quality=3",
        "notify director, wait 15m, then repeat every 15m",
        "no entry",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
    // Phones stay out of a summary that may be pasted anywhere.
    assert!(!text.contains("+8613900000011"), "{text}");
}

#[test]
fn gateway_defaults_are_off_and_documented() {
    let g = Config::load_with_env(None, &[]).unwrap().gateway;
    assert_eq!(g.kind, GatewayKind::None);
    assert_eq!(g.method, "POST");
    assert_eq!(g.auth_header, "Authorization");
    assert_eq!(g.auth_env, "HOTLINE_GATEWAY_AUTH");
    assert_eq!(g.content_type, "application/json");
    assert_eq!(g.body, r#"{"to": "{phone}", "text": "{text}"}"#);
    assert_eq!(g.channel, GatewayChannel::Sms);
    assert_eq!(g.per_minute, 10);
    assert_eq!(g.after, Duration::from_secs(300));
    assert_eq!(g.timeout, Duration::from_secs(10));
}

#[test]
fn gateway_twilio_override_loads() {
    let text = "[gateway]\nkind = \"twilio\"\nurl = \"https://api.twilio.com\"\nfrom = \"+15005550006\"\nchannel = \"voice\"\nafter = \"2m\"\n";
    let c = Config::from_override_str(text, "site.toml").unwrap();
    assert_eq!(c.gateway.kind, GatewayKind::Twilio);
    assert_eq!(c.gateway.channel, GatewayChannel::Voice);
    assert_eq!(c.gateway.after, Duration::from_secs(120));
    let env = env(&[("HOTLINE__GATEWAY__PER_MINUTE", "0")]);
    let e = Config::load_with_env(None, &env).unwrap_err();
    assert_eq!(e.key, "gateway.per_minute");
    assert!(
        e.source_name.contains("HOTLINE__GATEWAY__PER_MINUTE"),
        "{e}"
    );
}

#[test]
fn gateway_rules_name_their_keys() {
    let http = "[gateway]\nkind = \"http\"\nurl = \"https://sms.example/send\"\n";
    let twilio = "[gateway]\nkind = \"twilio\"\nurl = \"https://api.twilio.com\"\n";
    let cases = [
        ("[gateway]\nkind = \"pager\"".to_owned(), "gateway.kind"),
        (
            "[gateway]\nkind = \"twilio\"\nurl = \"api.twilio.com\"".to_owned(),
            "gateway.url",
        ),
        (format!("{twilio}from = \"\""), "gateway.from"),
        (format!("{http}body = \"  \""), "gateway.body"),
        (format!("{http}body = \"to={{phon}}\""), "gateway.body"),
        (format!("{http}body = \"{{text}}\""), "gateway.body"),
        (format!("{http}method = \"DELETE\""), "gateway.method"),
        (
            format!("{http}auth_header = \"X Key\""),
            "gateway.auth_header",
        ),
        (format!("{http}auth_env = \"\""), "gateway.auth_env"),
        (format!("{http}channel = \"fax\""), "gateway.channel"),
        ("[gateway]\nper_minute = 0".to_owned(), "gateway.per_minute"),
        ("[gateway]\ntimeout = \"0s\"".to_owned(), "gateway.timeout"),
    ];
    for (text, key) in cases {
        let e = override_err(&text);
        assert_eq!(
            (e.source_name.as_str(), e.key.as_str()),
            ("site.toml", key),
            "{text}: {}",
            e.message
        );
    }
    // The empty url is the built-in default's: the loader blames that layer,
    // and the message says why it matters now.
    let e = override_err("[gateway]\nkind = \"http\"");
    assert_eq!(e.key, "gateway.url");
    assert!(
        e.message.contains("required when gateway.kind = \"http\""),
        "{e}"
    );
    let ok = format!("{http}body = \"\"\"{{\"to\": \"{{phone}}\"}}\"\"\"");
    assert!(Config::from_override_str(&ok, "site.toml").is_ok(), "{ok}");
}

#[test]
fn describe_shows_gateway_without_secrets() {
    let text =
        "[gateway]\nkind = \"http\"\nurl = \"https://sms.example/send?apikey=k-999&to={phone}\"\n";
    let c = Config::from_override_str(text, "site.toml").unwrap();
    let out = c.describe();
    assert!(out.contains("[gateway]"), "{out}");
    assert!(out.contains("https://sms.example/send"), "{out}");
    assert!(out.contains("$HOTLINE_GATEWAY_AUTH"), "{out}");
    assert!(!out.contains("k-999"), "{out}");
}

#[test]
fn webhook_mode_needs_a_listen_address() {
    let e = override_err("[telegram]\nmode = \"webhook\"\n");
    assert!(e.to_string().contains("telegram.webhook_listen"), "{e}");
    let e = override_err("[telegram]\nwebhook_listen = \"localhost\"\n");
    assert!(e.to_string().contains("telegram.webhook_listen"), "{e}");
    let c = Config::from_override_str(
        "[telegram]\nmode = \"webhook\"\nwebhook_listen = \"0.0.0.0:8080\"\n",
        "site.toml",
    )
    .unwrap();
    assert_eq!(c.telegram.mode, TelegramMode::Webhook);
    assert_eq!(c.telegram.webhook_path, "/telegram/webhook");
}

#[test]
fn the_channel_is_a_numeric_chat_id_and_its_name_goes_in_the_link() {
    let ok = Config::from_override_str(
        "[telegram]\nchannel = \"-1001234567890\"\nchannel_link = \"@jinan_water\"\n",
        "site.toml",
    )
    .unwrap();
    assert_eq!(ok.telegram.channel_id(), Some(ChatId(-1_001_234_567_890)));
    assert_eq!(Config::default().telegram.channel_id(), None);
    let e = Config::from_override_str("[telegram]\nchannel = \"@jinan_water\"\n", "site.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("telegram.channel") && e.contains("channel_link"),
        "{e}"
    );
}

#[test]
fn paid_broadcasts_are_off_by_default_and_need_a_cap_when_on() {
    let t = Config::default().telegram;
    assert!(!t.paid_broadcast && t.paid_broadcast_daily_cap >= 1);
    let e = Config::from_override_str(
        "[telegram]\npaid_broadcast = true\npaid_broadcast_daily_cap = 0\n",
        "site.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("telegram.paid_broadcast_daily_cap"), "{e}");
}

#[test]
fn three_mistakes_give_three_errors_in_one_run() {
    let text = "[limits]\nreports_per_hour = \"many\"\n\
                [general]\nticket_prefx = \"JN\"\n\
                [database]\nmax_connections = 0\n";
    let f = temp_file(text);
    let errors = Config::check_with_env(Some(f.path()), &[]).expect_err("three mistakes");
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    for key in [
        "limits.reports_per_hour",
        "general.ticket_prefx",
        "database.max_connections",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let name = f.path().display().to_string();
    assert!(errors.iter().all(|e| e.source_name == name), "{errors:#?}");
}

#[test]
fn a_missing_field_in_one_entry_does_not_hide_other_mistakes() {
    // (`telegram_id` may be omitted: a person linked through an invite.)
    let text = "[[people]]\nid = \"wang\"\ntelegram_id = 1\n\
                [limits]\nmax_photos = -1\n";
    let errors = Config::check_with_env(Some(temp_file(text).path()), &[]).unwrap_err();
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert!(keys.contains(&"people[0].name"), "{keys:?}");
    assert!(keys.contains(&"limits.max_photos"), "{keys:?}");
}

#[test]
fn a_config_with_no_people_loads_but_warns_that_it_pages_nobody() {
    let c = Config::from_override_str("", "site.toml").unwrap();
    let warnings = c.warnings();
    let keys: Vec<&str> = warnings.iter().map(|w| w.key.as_str()).collect();
    assert!(keys.contains(&"people"), "{warnings:?}");
    assert!(
        keys.contains(&"escalation.steps[0].notify"),
        "duty manager has no rotation: {warnings:?}"
    );
    assert!(warnings[0].to_string().starts_with("WARNING"));
    let demo = Config::from_override_str(DEMO, "config/demo.toml").unwrap();
    assert_eq!(demo.warnings(), vec![], "the demo's staff cover every role");
}

#[test]
fn a_notify_step_without_its_provider_is_refused_with_its_key() {
    let staff = "[[people]]\nid = \"w\"\nname = \"W\"\ntelegram_id = 1\nphone = \"+8613900000011\"\n\
                 notify = [{ via = \"telegram\" }, { via = \"wecom\", after = \"1m\" }]\n";
    let e = Config::from_override_str(staff, "test").unwrap_err();
    assert_eq!(e.key, "people[0].notify[1].via", "{e}");
    assert!(e.message.contains("gateway.wecom_url"), "{e}");
    let ok = format!(
        "{staff}[gateway]\nwecom_url = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send\"\n"
    );
    let c = Config::from_override_str(&ok, "test").unwrap();
    assert_eq!(c.people[0].notify.len(), 2);
}

#[test]
fn the_desk_needs_a_real_address_and_a_short_link_life() {
    let e = override_err("[web]\nenabled = true\nlisten = \"localhost\"\n");
    assert!(e.to_string().contains("web.listen"), "{e}");
    let e = override_err("[web]\nbase_url = \"desk.example.org\"\n");
    assert!(e.to_string().contains("web.base_url"), "{e}");
    let e = override_err("[web]\nlink_ttl = \"1day\"\n");
    assert!(e.to_string().contains("web.link_ttl"), "{e}");
    assert!(!Config::default().web.enabled, "off by default");
}
