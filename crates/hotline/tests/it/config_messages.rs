//! What `hotline check-config` and `hotline init` tell an operator setting up
//! a site, through the real binary: every bad rotation at once, cron bounds
//! in the 5-field form they wrote, a PostgreSQL URL from `init --db`, and a
//! warning for staff still named REPLACE.

use std::path::Path;
use std::process::{Command, Output};

fn hotline() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.env_remove("HOTLINE_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("HOTLINE__DATABASE__URL");
    cmd
}

fn check_config(file: &Path) -> (Output, String, String) {
    let out = hotline()
        .arg("check-config")
        .arg("-c")
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

const PERSON: &str = "[[people]]\nid = \"a\"\nname = \"A\"\ntelegram_id = 1\n";

fn rotation(name: &str, handoff: &str, person: &str, start: &str) -> String {
    format!(
        "\n[[rotations]]\nname = \"{name}\"\nrole = \"duty_manager\"\nhandoffs = [\"{handoff}\"]\n\
         people = [\"{person}\"]\nstart = \"{start}\"\n"
    )
}

#[test]
fn three_bad_rotations_are_three_errors_in_one_run_each_with_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rota.toml");
    let text = [
        PERSON.to_owned(),
        rotation("good", "0 8 * * Mon", "a", "2026-01-05 08:00"),
        rotation("bad-cron", "61 8 * * Mon", "a", "2026-01-05 08:00"),
        rotation("bad-person", "0 8 * * Tue", "nobody", "2026-01-05 08:00"),
        rotation("bad-start", "0 8 * * Wed", "a", "the fifth of January"),
    ]
    .concat();
    std::fs::write(&file, text).unwrap();
    let (out, _, stderr) = check_config(&file);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("3 errors found"), "{stderr}");
    for key in [
        "rotations[1].handoffs[0]",
        "rotations[2].people[0]",
        "rotations[3].start",
    ] {
        let line = stderr.lines().find(|l| l.contains(key));
        assert!(
            line.is_some_and(|l| l.contains("rota.toml")),
            "{key} with the file in {stderr}"
        );
    }
}

#[test]
fn a_cron_minute_of_61_is_named_in_the_five_field_form_with_the_right_bound() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rota.toml");
    let text = PERSON.to_owned() + &rotation("r", "61 8 * * Mon-Fri", "a", "2026-01-05 08:00");
    std::fs::write(&file, text).unwrap();
    let (out, _, stderr) = check_config(&file);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("rotations[0].handoffs[0]") && stderr.contains("minute must be 0–59"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("less than") && !stderr.contains("0 61 8"),
        "never the library's bound or 6-field form: {stderr}"
    );
}

#[test]
fn init_with_a_postgres_url_writes_it_and_the_file_checks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hotline.toml");
    let init = hotline()
        .args([
            "init",
            "--no-input",
            "--db",
            "postgres://hotline@db/hotline",
            "-o",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("url = \"postgres://hotline@db/hotline\""),
        "{text}"
    );
    assert!(!text.contains("sqlite://postgres"), "{text}");
    let (out, stdout, stderr) = check_config(&file);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("postgres://hotline@db/hotline"), "{stdout}");

    let refused = hotline()
        .args([
            "init",
            "--no-input",
            "--force",
            "--db",
            "mysql://db/hotline",
            "-o",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && stderr.contains("`mysql://` is not a database"),
        "{stderr}"
    );
}

#[test]
fn check_config_warns_of_the_starter_files_placeholder_staff() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hotline.toml");
    let init = hotline()
        .args(["init", "--no-input", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(init.status.success());
    let (out, stdout, stderr) = check_config(&file);
    assert!(out.status.success(), "placeholders are no error: {stderr}");
    let line = stdout
        .lines()
        .find(|l| l.contains("people[0].name"))
        .unwrap_or_else(|| panic!("a warning for people[0]: {stdout}"));
    assert!(
        line.starts_with("WARNING") && line.contains("REPLACE desk operator 1"),
        "{line}"
    );
    assert!(stdout.contains("WARNING(S) above"), "{stdout}");
}
