//! The pager as an operator runs it, through the real binary: `doctor`
//! while the bot runs, after a SIGHUP with a bad file and after the bot was
//! killed; `hotline reload` waiting for the answer; data commands that
//! refuse to guess which database they mean.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use hotline_standin::{StandIn, StandInOptions};

fn hotline() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.env_remove("HOTLINE_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("HOTLINE__DATABASE__URL");
    cmd
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn doctor(config: &Path, standin: &StandIn) -> Output {
    hotline()
        .arg("doctor")
        .arg("--config")
        .arg(config)
        .env("TELOXIDE_TOKEN", standin.token())
        .output()
        .unwrap()
}

/// Runs `doctor` until its output contains `wanted` (or `within` passes).
fn doctor_until(config: &Path, standin: &StandIn, wanted: &str, within: Duration) -> Output {
    let deadline = Instant::now() + within;
    loop {
        let out = doctor(config, standin);
        if text(&out).contains(wanted) || Instant::now() > deadline {
            return out;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_tells_a_running_bot_from_a_refused_reload_and_a_killed_bot() {
    let standin = StandIn::start(StandInOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hotline.toml");
    let site = format!(
        "[database]\nurl = \"sqlite://{}\"\n[telegram]\napi_url = \"{}\"\n\
         [health]\nlisten = \"127.0.0.1:0\"\nstale_after = \"2s\"\n",
        dir.path().join("hotline.db").display(),
        standin.api_url()
    );
    std::fs::write(&config, &site).unwrap();
    let mut bot = tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("run")
        .arg("--config")
        .arg(&config)
        .env_remove("HOTLINE_CONFIG")
        .env("TELOXIDE_TOKEN", standin.token())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while standin.calls_to("getUpdates").is_empty() {
        assert!(Instant::now() < deadline, "the bot never polled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let config2 = config.clone();
    let standin2 = standin.clone();
    let blocking = move |wanted: &'static str, secs: u64| {
        let (config, standin) = (config2.clone(), standin2.clone());
        tokio::task::spawn_blocking(move || {
            doctor_until(&config, &standin, wanted, Duration::from_secs(secs))
        })
    };

    let running = blocking("ok   bot", 10).await.unwrap();
    assert!(
        text(&running).contains("ok   bot        running"),
        "{}",
        text(&running)
    );

    // `hotline reload` waits until the bot has taken the settings.
    let cfg = config.clone();
    let reload = tokio::task::spawn_blocking(move || {
        hotline()
            .arg("reload")
            .arg("--config")
            .arg(&cfg)
            .output()
            .unwrap()
    });
    let reload = reload.await.unwrap();
    assert!(reload.status.success(), "{}", text(&reload));
    assert!(text(&reload).contains("reload taken"), "{}", text(&reload));

    // A bad file, then SIGHUP: the bot keeps its settings, doctor fails.
    let bad = format!("{site}[general]\ntime_zone = \"Asia/Beijing\"\n");
    std::fs::write(&config, bad).unwrap();
    let pid = bot.id().unwrap().to_string();
    let hup = Command::new("kill").args(["-HUP", &pid]).status().unwrap();
    assert!(hup.success());
    let url = format!("sqlite://{}", dir.path().join("hotline.db").display());
    let observer = hotline::store::Store::connect(&url, 1).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !observer.liveness().await.unwrap()[0].reload_refused() {
        assert!(
            Instant::now() < deadline,
            "the refusal never reached the heartbeat"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // `hotline reload` with the bad file exits non-zero (it reads the file first).
    let cfg = config.clone();
    let reload = hotline()
        .arg("reload")
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(reload.status.code(), Some(2), "{}", text(&reload));
    // Even with the file mended, doctor fails until a reload is taken:
    // the running settings are still the old ones.
    std::fs::write(&config, &site).unwrap();
    let refused = blocking("reload was refused", 20).await.unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("the last reload was refused")
            && text(&refused).contains("time_zone"),
        "{}",
        text(&refused)
    );
    observer.close().await;

    // Killed: within `health.stale_after` doctor says it is not running.
    bot.start_kill().unwrap();
    bot.wait().await.unwrap();
    let dead = blocking("not running", 20).await.unwrap();
    assert_eq!(dead.status.code(), Some(1), "{}", text(&dead));
    assert!(
        text(&dead).contains("FAIL bot") && text(&dead).contains("did it crash?"),
        "{}",
        text(&dead)
    );
}

#[test]
fn backup_export_and_digest_refuse_without_a_config_and_create_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = hotline()
        .current_dir(dir.path())
        .args(["backup", "out.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("no configuration found"),
        "{}",
        text(&out)
    );
    for args in [
        &["export", "--from", "2026-02-01", "--to", "2026-02-09"][..],
        &["digest", "--date", "2026-02-09"][..],
        &["purge", "--dry-run"][..],
    ] {
        let out = hotline()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    // A configuration naming a database that is not there.
    let config = dir.path().join("site.toml");
    let missing = dir.path().join("missing.db");
    let site = format!("[database]\nurl = \"sqlite://{}\"\n", missing.display());
    std::fs::write(&config, site).unwrap();
    let out = hotline()
        .current_dir(dir.path())
        .arg("--config")
        .arg(&config)
        .args(["backup", "out.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("does not exist"), "{}", text(&out));
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files, vec!["site.toml".to_owned()], "nothing created");
}

#[tokio::test]
async fn the_database_its_wal_and_a_backup_are_readable_by_their_owner_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hotline.db");
    let url = format!("sqlite://{}", db.display());
    let store = hotline::store::Store::connect(&url, 1).await.unwrap();
    store.request_reload(1).await.unwrap();
    let copy = dir.path().join("copy.db");
    let backup = hotline()
        .args(["backup"])
        .arg(&copy)
        .env("HOTLINE__DATABASE__URL", &url)
        .output()
        .unwrap();
    assert!(backup.status.success(), "{}", text(&backup));
    for file in [db.clone(), dir.path().join("hotline.db-wal"), copy] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is {mode:o}", file.display());
    }
    store.close().await;
}

#[test]
fn the_shipped_cron_jobs_print_only_on_failure_and_keep_the_exit_code() {
    let cron = include_str!("../../../../deploy/hotline-doctor.cron");
    assert!(!cron.contains("|| true"), "the exit code is kept");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hotline.db");
    let env = dir.path().join("env");
    std::fs::write(&env, "TELOXIDE_TOKEN=\n").unwrap();
    let jobs: Vec<String> = (cron.lines())
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit() || c == '*'))
        // Minute, hour, day, month, weekday, user: the command follows.
        .map(|l| l.splitn(7, ' ').nth(6).unwrap().to_owned())
        .map(|c| c.replace("/usr/local/bin/hotline", env!("CARGO_BIN_EXE_hotline")))
        .map(|c| c.replace("/etc/hotline/env", env.to_str().unwrap()))
        .collect();
    assert_eq!(jobs.len(), 2, "{cron}");
    let run = |job: &str| {
        Command::new("/bin/sh")
            .args(["-c", job])
            .env_remove("HOTLINE_CONFIG")
            .env(
                "HOTLINE__DATABASE__URL",
                format!("sqlite://{}", db.display()),
            )
            .output()
            .unwrap()
    };
    // A database the bot never ran against: both jobs fail, and say why.
    let url = format!("sqlite://{}", db.display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        hotline::store::Store::connect(&url, 1)
            .await
            .unwrap()
            .close()
            .await
    });
    for job in &jobs {
        let out = run(job);
        assert_eq!(out.status.code(), Some(1), "{job}: {}", text(&out));
        assert!(text(&out).contains("no heartbeat"), "{job}: {}", text(&out));
    }
}
