//! `hotline doctor`: knowing that paging works before it is needed. Checks
//! the bot token (`getMe`), the database (reachable, migrations applied),
//! that every paged role has a holder at every moment of the next 14 days
//! (a gap is named with its time; the supervisor's, who is told of overdue
//! tickets and never paged, is a warning, not a failure), that everyone who may be paged has
//! started the bot or can be phoned, that the phone gateway answers, and
//! that every contact method in people's rules is configured and reachable,
//! and which proxy the Telegram client goes through (password masked).
//! The schedule checks also run at start-up, as log warnings. It also reads
//! the running bot's heartbeat (`liveness`): a stopped bot is a failure.

pub mod coverage;
pub mod liveness;
mod proxy;
pub mod reach;
mod supervisor;
mod telegram;

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::config::{Config, GatewayKind};
use crate::oncall::Override;
use crate::store::Store;

/// How far ahead the rotations are checked.
pub const HORIZON_DAYS: i64 = 14;

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub ok: bool,
    /// Works, but not as the site probably wants (`ok` stays true).
    pub warning: bool,
    pub check: &'static str,
    pub detail: String,
}

/// Everything `doctor` found; unhealthy when any check failed.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    fn ok(&mut self, check: &'static str, detail: impl Into<String>) {
        self.findings.push(Finding {
            ok: true,
            warning: false,
            check,
            detail: detail.into(),
        });
    }

    fn fail(&mut self, check: &'static str, detail: impl Into<String>) {
        self.findings.push(Finding {
            ok: false,
            warning: false,
            check,
            detail: detail.into(),
        });
    }

    fn warn(&mut self, check: &'static str, detail: impl Into<String>) {
        self.findings.push(Finding {
            ok: true,
            warning: true,
            check,
            detail: detail.into(),
        });
    }

    pub fn healthy(&self) -> bool {
        self.findings.iter().all(|f| f.ok)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let mark = match (f.ok, f.warning) {
                (false, _) => "FAIL",
                (true, true) => "warn",
                (true, false) => "ok  ",
            };
            let _ = writeln!(out, "{mark} {:<10} {}", f.check, f.detail);
        }
        let verdict = if self.healthy() {
            "paging looks ready"
        } else {
            "paging has problems"
        };
        let _ = writeln!(out, "{verdict}");
        out
    }
}

/// Runs every check. `token` is the bot token (`TELOXIDE_TOKEN`).
pub async fn run(config: &Config, token: Option<&str>, now: DateTime<Utc>) -> Report {
    let mut report = Report::default();
    telegram::check(&mut report, config, token).await;
    let store = match Store::connect(&config.database.url, 2).await {
        Ok(store) => {
            report.ok("database", "reachable, migrations applied");
            Some(store)
        }
        Err(error) => {
            report.fail("database", format!("{error:#}"));
            None
        }
    };
    let overrides = match &store {
        Some(store) => store
            .current_overrides(now.timestamp_millis())
            .await
            .unwrap_or_default(),
        None => Vec::new(),
    };
    // Accounts linked through `hotline staff invite` count as configured.
    let linked = match &store {
        Some(store) => crate::staff::invite::with_links(store, config.clone())
            .await
            .unwrap_or_else(|_| config.clone()),
        None => config.clone(),
    };
    let wall_ms = Utc::now().timestamp_millis();
    liveness::check(&mut report, config, store.as_ref(), wall_ms).await;
    schedule(&mut report, config, now, &overrides);
    reachable(&mut report, &linked, store.as_ref(), &overrides).await;
    gateway(&mut report, config).await;
    let contacts = reach::check(config, |k| std::env::var(k).ok()).await;
    report.findings.extend(contacts.findings);
    report
}

/// The schedule checks, logged at start: a gap in the rotations is better
/// found now than at 3 a.m.
pub async fn log_at_start(config: &Config, store: &Store, now: DateTime<Utc>) {
    let overrides = store
        .current_overrides(now.timestamp_millis())
        .await
        .unwrap_or_default();
    for problem in schedule_problems(config, now, &overrides) {
        tracing::warn!(%problem, "paging check (see `hotline doctor`)");
    }
    // Unlinked people get their own line below, with the command to link them.
    let warnings = config.warnings().into_iter();
    for warning in warnings.filter(|w| !w.key.ends_with(".telegram_id")) {
        tracing::warn!(key = %warning.key, "{}", warning.message);
    }
    for person in config.people.iter().filter(|p| p.telegram_id == 0) {
        tracing::warn!(person = %person.id, "not linked yet: `hotline staff invite {}` prints a link", person.id);
    }
}

/// The schedule checks alone (no network), for the log at start-up:
/// failures and warnings.
pub fn schedule_problems(
    config: &Config,
    now: DateTime<Utc>,
    overrides: &[Override],
) -> Vec<String> {
    let mut report = Report::default();
    schedule(&mut report, config, now, overrides);
    report
        .findings
        .into_iter()
        .filter(|f| !f.ok || f.warning)
        .map(|f| f.detail)
        .collect()
}

fn schedule(report: &mut Report, config: &Config, now: DateTime<Utc>, overrides: &[Override]) {
    let oncall = match config.oncall() {
        Ok(oncall) => oncall,
        Err(error) => return report.fail("rotations", error.to_string()),
    };
    let tz = config.general.time_zone;
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let until = now + chrono::Duration::days(HORIZON_DAYS);
    let roles = coverage::paged_roles(config);
    let gaps = coverage::gaps(&oncall, &roles, now, until, overrides);
    for gap in &gaps {
        let to = gap
            .until
            .map_or(format!("beyond {HORIZON_DAYS} days"), &local);
        report.fail(
            "rotations",
            format!(
                "{} ({}) has nobody from {} to {to} ({})",
                gap.role.code(),
                config.roles.of(gap.role),
                local(gap.from),
                tz.name()
            ),
        );
    }
    if gaps.is_empty() {
        report.ok(
            "rotations",
            format!("every paged role is held for the next {HORIZON_DAYS} days"),
        );
    }
    supervisor::check(report, config, &oncall, (now, until), overrides);
}

async fn reachable(
    report: &mut Report,
    config: &Config,
    store: Option<&Store>,
    overrides: &[Override],
) {
    let roles = coverage::paged_roles(config);
    let phones = config.gateway.kind != GatewayKind::None;
    let mut problems = 0;
    for id in coverage::paged_people(config, &roles, overrides) {
        let Some(person) = config.people.iter().find(|p| p.id == id) else {
            continue;
        };
        let started = match store {
            Some(store) => store.has_written(person.telegram_id).await.unwrap_or(false),
            None => false,
        };
        let by_phone = phones && person.phone.is_some();
        if person.telegram_id == 0 {
            let how = match by_phone {
                true => "reachable by phone only",
                false => "cannot be reached",
            };
            let detail = format!(
                "{} ({}) is not linked yet (no Telegram id; `hotline staff invite {}`): {how}",
                person.name, person.id, person.id
            );
            match by_phone {
                true => report.ok("people", detail),
                false => {
                    problems += 1;
                    report.fail("people", detail);
                }
            }
            continue;
        }
        if !started && !by_phone {
            problems += 1;
            report.fail(
                "people",
                format!(
                    "{} ({}) never started the bot (Telegram id {}) and cannot be phoned",
                    person.name, person.id, person.telegram_id
                ),
            );
        } else if !started {
            report.ok(
                "people",
                format!(
                    "{} ({}) never started the bot; reachable by phone only",
                    person.name, person.id
                ),
            );
        }
    }
    if problems == 0 {
        report.ok("people", "everyone who may be paged can be reached");
    }
}

/// Any HTTP answer from the gateway's host counts: the point is that it is
/// up and reachable, without sending anyone a message.
async fn gateway(report: &mut Report, config: &Config) {
    let g = &config.gateway;
    if g.kind == GatewayKind::None {
        report.ok("gateway", "not configured (Telegram only)");
        return;
    }
    let origin = url::Url::parse(g.url.split('{').next().unwrap_or(""))
        .map(|u| u.origin().ascii_serialization());
    let Ok(origin) = origin else {
        return report.fail("gateway", "gateway.url is not a URL");
    };
    let client = reqwest::Client::builder().timeout(g.timeout).build();
    let answer = match client {
        Ok(client) => client.get(&origin).send().await,
        Err(error) => return report.fail("gateway", error.to_string()),
    };
    match answer {
        Ok(r) => report.ok(
            "gateway",
            format!("{origin} answered HTTP {}", r.status().as_u16()),
        ),
        Err(error) => report.fail(
            "gateway",
            format!("{origin} unreachable: {}", error.without_url()),
        ),
    }
}
