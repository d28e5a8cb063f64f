//! The `hotline` binary as an operator meets it: config checks and logs.

use std::process::{Command, Stdio};

fn hotline() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.env_remove("HOTLINE_CONFIG")
        .env_remove("TELOXIDE_TOKEN");
    cmd
}

#[test]
fn check_config_prints_what_it_loaded() {
    let out = hotline().arg("check-config").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("Asia/Shanghai") && stdout.contains("阳光花园小区"),
        "{stdout}"
    );
    assert!(stdout.contains("configuration OK"));
    for section in ["[web]", "[desk]", "[log]", "[health]", "heartbeat"] {
        assert!(stdout.contains(section), "{section} in {stdout}");
    }
}

#[test]
fn a_broken_config_file_names_the_file_and_the_key_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(&file, "[limits]\nreports_per_hour = \"many\"\n").unwrap();
    let out = hotline()
        .arg("check-config")
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("site.toml") && stderr.contains("limits.reports_per_hour"),
        "{stderr}"
    );

    std::fs::write(
        &file,
        "[[compounds]]\nid = \"a\"\nname = \"甲\"\n[[compounds]]\nid = \"a\"\nname = \"乙\"\n",
    )
    .unwrap();
    let out = hotline()
        .args(["check-config", "-c"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("compounds[1].id"),
        "{stderr}"
    );
}

#[test]
fn run_without_a_token_says_how_to_get_one() {
    let out = hotline().arg("run").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("TELOXIDE_TOKEN"),
        "{stderr}"
    );
}

#[test]
fn oncall_at_names_the_weekend_cadre_on_saturday_night_and_sunday_morning() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/demo.toml");
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("none.db").display());
    let at = |when: &str| {
        let out = hotline()
            .args(["--config", demo, "oncall", "--at", when])
            .env("HOTLINE__DATABASE__URL", &db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Saturdays since 2026-01-03: the 7th is 02-14, so the third cadre (郑) of four.
    let saturday = at("2026-02-14 23:00");
    assert!(
        saturday.contains("郑干部") && saturday.contains("李主任"),
        "{saturday}"
    );
    let sunday = at("2026-02-15 09:00");
    assert!(sunday.contains("郑干部"), "{sunday}");
    let next_saturday = at("2026-02-21 09:00");
    assert!(next_saturday.contains("冯干部"), "{next_saturday}");
    let monday = at("2026-02-16 09:00");
    assert!(
        !monday.contains("干部 @"),
        "a weekday manager on Monday morning: {monday}"
    );
}

#[test]
fn a_broken_cron_expression_is_reported_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rota.toml");
    let rota = "[[people]]\nid = \"a\"\nname = \"A\"\ntelegram_id = 1\n\n[[rotations]]\nname = \"r\"\nrole = \"duty_manager\"\nhandoffs = [\"0 8 * * Sat\", \"30 8 * * 1-5\"]\npeople = [\"a\"]\nstart = \"2026-01-03 08:00\"\n";
    std::fs::write(&file, rota).unwrap();
    let out = hotline()
        .arg("check-config")
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("rota.toml") && stderr.contains("rotations[0].handoffs[1]"),
        "{stderr}"
    );

    std::fs::write(&file, "[escalation]\nurgent = [\"meter\"]\n").unwrap();
    let out = hotline()
        .arg("check-config")
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("escalation.urgent"),
        "a broken rule: {stderr}"
    );
}

#[test]
fn a_bad_threshold_names_its_category_not_a_question_mark() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(&file, "[escalation]\nthresholds = { outage = \"five\" }\n").unwrap();
    let out = hotline()
        .arg("check-config")
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("site.toml") && stderr.contains("escalation.thresholds.outage"),
        "{stderr}"
    );
    assert!(!stderr.contains("thresholds.?"), "{stderr}");
}

#[test]
fn init_writes_a_starter_file_that_check_config_passes_warning_only_of_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("qingdao.toml");
    let out = hotline()
        .args([
            "init",
            "--no-input",
            "--city",
            "Qingdao",
            "--prefix",
            "QD",
            "-o",
        ])
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("ticket_prefix = \"QD\"") && text.contains("[[rotations]]"));

    let out = hotline()
        .arg("check-config")
        .arg("-c")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("configuration OK"), "{stdout}");
    let warnings = stdout.lines().filter(|l| l.starts_with("WARNING"));
    assert!(
        warnings.clone().count() > 0 && warnings.into_iter().all(|l| l.contains("placeholder")),
        "only the REPLACE placeholders warn: {stdout}"
    );

    let again = hotline()
        .args(["init", "--no-input", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing file is kept without --force"
    );
}

#[test]
fn three_mistakes_get_three_messages_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(
        &file,
        "[limits]\nreports_per_hour = \"many\"\n\
         [general]\ntime_zone = \"Asia/Jinan\"\n\
         [[compounds]]\nid = \"Bad Id\"\nname = \"甲\"\n",
    )
    .unwrap();
    let out = hotline()
        .arg("check-config")
        .arg("-c")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for key in [
        "limits.reports_per_hour",
        "general.time_zone",
        "compounds[0].id",
    ] {
        assert!(
            stderr.contains(&format!("site.toml: key `{key}`")),
            "{key}: {stderr}"
        );
    }
    assert!(stderr.contains("3 errors found"), "{stderr}");
}

#[test]
fn a_config_with_no_people_passes_with_a_clear_warning() {
    let out = hotline().arg("check-config").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "warnings exit 0: {stdout}");
    assert!(
        stdout.contains("WARNING: key `people`") && stdout.contains("page nobody"),
        "{stdout}"
    );
    assert!(stdout.contains("WARNING(S)"), "{stdout}");
}
