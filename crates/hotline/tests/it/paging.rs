//! Nobody left unpaged: a step with nobody present moves on at once, the
//! director is the last resort, the phone gateway's `per_minute` holds in
//! every 60-second window, and `/oncall` and `/cover` tell the truth.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hotline::domain::{Category, Detail, Role, TimelineKind};
use hotline_standin::sms::FakeGateway;
use hotline_standin::texts;

use crate::driver::WAIT;
use crate::helpers::{STAFF, TestApp, alerts};

/// The weekday duty managers of config/demo.toml, who hold the role on the
/// test's Monday night, in turn order.
const WEEKDAY: [&str; 3] = ["wang", "zhao", "sun"];

/// Everything logged on this test's thread (the test runtime has one), as text.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    fn lines(&self, level: &str, containing: &str) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned();
        text.lines()
            .filter(|l| l.contains(level) && l.contains(containing))
            .map(str::to_owned)
            .collect()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Marks these people away, each with their own `/away`.
async fn all_away(app: &TestApp, ids: &[&str]) {
    for id in ids {
        let person = app.config.people.iter().find(|p| p.id.as_str() == *id);
        let person = person.unwrap();
        let answer = app.staff(person).send("/away").await.unwrap();
        assert!(answer[0].text.contains("外出"), "{:?}", texts(&answer));
    }
}

#[tokio::test]
async fn with_the_whole_duty_rotation_away_an_urgent_report_pages_the_next_step_at_once() {
    let app = TestApp::spawn_with(STAFF).await;
    let director = app.on_call(Role::Director);
    all_away(&app, &WEEKDAY).await;

    app.seed_reports(9000, 1, Category::Leak, "yanshan").await;
    // The clock is not moved: the 10-minute wait of the empty step is skipped.
    app.standin
        .wait_for_shown(director.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let e = &app.store().all_escalations().await.unwrap()[0];
    assert_eq!(e.step, 1, "the walk stands at the director's step");
    let timeline = app.store().timeline(e.id).await.unwrap();
    let kinds: Vec<&str> = timeline.iter().map(|t| t.kind.code()).collect();
    assert_eq!(
        kinds,
        ["opened", "unstaffed", "escalated", "notified"],
        "{timeline:?}"
    );
    let unstaffed = &timeline[1];
    assert!(
        unstaffed.target == "duty_manager"
            && matches!(
                Detail::from_code(&unstaffed.detail),
                Some(Detail::AllAway { .. })
            ),
        "why nobody: {unstaffed:?}"
    );
    assert!(
        matches!(
            Detail::from_code(&timeline[2].detail),
            Some(Detail::NobodyAtStep { from: 1, .. })
        ),
        "{:?}",
        timeline[2]
    );
    assert_eq!(timeline[3].target, director.id.as_str());
    let opened_at = timeline[0].at;
    assert!(
        timeline[3].at - opened_at < 1000,
        "paged within a second of opening: {timeline:?}"
    );
    for id in WEEKDAY {
        let person = app.config.people.iter().find(|p| p.id.as_str() == id);
        let person = person.unwrap();
        assert!(alerts(&app.standin.shown(person.telegram_id)).is_empty());
    }
    app.stop().await;
}

#[tokio::test]
async fn with_nobody_present_at_any_step_the_directors_person_is_paged_and_an_error_logged() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn_with(STAFF).await;
    let director = app.on_call(Role::Director);
    all_away(&app, &WEEKDAY).await;
    all_away(&app, &[director.id.as_str()]).await;

    app.seed_reports(9100, 1, Category::SecondarySupply, "shungeng")
        .await;
    app.standin
        .wait_for_shown(director.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let e = &app.store().all_escalations().await.unwrap()[0];
    let timeline = app.store().timeline(e.id).await.unwrap();
    let last = timeline.last().unwrap();
    assert!(
        last.kind == TimelineKind::Notified
            && last.target == director.id.as_str()
            && Detail::from_code(&last.detail) == Some(Detail::LastResort),
        "{timeline:?}"
    );
    let errors = logs.lines("ERROR", "paging the director regardless of away");
    assert_eq!(errors.len(), 1, "one error logged: {errors:?}");
    app.stop().await;
}

/// Ten urgent escalations in ten different places (five compounds, two categories).
async fn ten_urgent_escalations(app: &TestApp) {
    let compounds = ["yangguang", "quancheng", "yanshan", "shungeng", "baimashan"];
    let mut user = 9200;
    for compound in compounds {
        for category in [Category::Leak, Category::SecondarySupply] {
            app.seed_reports(user, 1, category, compound).await;
            user += 1;
        }
    }
}

#[tokio::test]
async fn the_phone_gateway_never_takes_more_than_per_minute_in_any_sixty_seconds() {
    let (logs, _guard) = Logs::capture();
    let gateway = FakeGateway::start().await.unwrap();
    let config = format!(
        "{STAFF}\n[gateway]\nkind = \"http\"\nurl = \"{}/sms\"\nafter = \"5m\"\nper_minute = 2\n\
         body = '{{\"to\": \"{{phone}}\", \"esc\": \"{{escalation}}\"}}'\n",
        gateway.url()
    );
    let app = TestApp::spawn_with(&config).await;
    gateway.set_clock(crate::helpers::clock_fn(&app.clock));
    let duty = app.on_call(Role::DutyManager);
    ten_urgent_escalations(&app).await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            (1..=10).all(|id| {
                alerts(s)
                    .iter()
                    .any(|m| m.text.contains(&format!("#{id} ")))
            })
        })
        .await
        .unwrap();
    while app.store().outbox_counts().await.unwrap().sending > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Five minutes unanswered: all ten are due for the phone at once.
    app.clock.advance(chrono::Duration::minutes(6));
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while gateway.requests().len() < 10 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} pages sent",
            gateway.requests().len()
        );
        app.tick();
        tokio::time::sleep(Duration::from_millis(150)).await;
        app.clock.advance(chrono::Duration::seconds(10));
    }
    let requests = gateway.requests();
    let times: Vec<_> = requests.iter().map(|r| r.at).collect();
    for (i, start) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .filter(|t| **t - *start < chrono::Duration::seconds(60))
            .count();
        assert!(
            in_window <= 2,
            "{in_window} requests in 60 s from {start}: {times:?}"
        );
    }
    let mut phoned: Vec<i64> = requests
        .iter()
        .take(10)
        .map(|r| r.json().unwrap()["esc"].as_str().unwrap().parse().unwrap())
        .collect();
    phoned.sort_unstable();
    assert_eq!(
        phoned,
        (1..=10).collect::<Vec<i64>>(),
        "every page sent once"
    );
    let waits = logs.lines("WARN", "rate limited");
    assert!(
        waits.len() <= 8,
        "\"rate limited\" logged once per waiting page, not every tick: {}",
        waits.len()
    );
    app.stop().await;
}

#[tokio::test]
async fn oncall_shows_an_away_person_and_who_stands_in_for_them() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let at = WEEKDAY.iter().position(|id| *id == duty.id.as_str());
    let at = at.unwrap();
    let next_id = WEEKDAY[(at + 1) % WEEKDAY.len()];
    let next = app.config.people.iter().find(|p| p.id.as_str() == next_id);
    let next = next.unwrap();
    all_away(&app, &[duty.id.as_str()]).await;

    let director = app.on_call(Role::Director);
    let shown = app.staff(&director).send("/oncall").await.unwrap();
    let text = &shown[0].text;
    let away_line = text
        .lines()
        .find(|l| l.contains(&duty.name))
        .expect("the scheduled manager is listed");
    assert!(away_line.contains("外出"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("代为接收告警") && l.contains(&next.name)),
        "the stand-in: {text}"
    );
    app.stop().await;
}

#[tokio::test]
async fn cover_until_a_time_already_passed_is_refused_with_the_reason() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let refused = app
        .staff(&duty)
        .send("/cover @wu_cadre until 2026-02-09 08:00")
        .await
        .unwrap();
    assert!(
        refused[0].text.contains("已经过去"),
        "{:?}",
        texts(&refused)
    );
    assert!(
        app.store().all_escalations().await.unwrap().is_empty(),
        "nothing else happened"
    );
    app.stop().await;
}

#[tokio::test]
async fn hotline_oncall_shows_an_away_person_and_who_stands_in_for_them() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    all_away(&app, &[duty.id.as_str()]).await;
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/demo.toml");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        // Away counts from when it was marked (the test clock runs from
        // 23:00:00), so ask about a moment after it.
        .args(["--config", demo, "oncall", "--at", "2026-02-09 23:30"])
        .env_remove("HOTLINE_CONFIG")
        .env("HOTLINE__DATABASE__URL", &app.config.database.url)
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.lines()
            .any(|l| l.contains(&duty.name) && l.contains("外出")),
        "{text}"
    );
    assert!(text.contains("代为接收告警"), "{text}");
    app.stop().await;
}
