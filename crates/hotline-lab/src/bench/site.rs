//! The deployment a benchmark runs against: the demo's staff and rotations
//! (`config/demo.toml`), the built-in compounds plus generated ones, priority
//! zones for some of them, a fresh SQLite file, and the stand-in's address —
//! written as an ordinary override file, which the bot process reads with
//! `--config` as a real site's would be.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::db::LabDb;
use crate::history::HistorySeed;
use hotline::config::Config;
use hotline::domain::ZoneKind;

/// First characters of generated compound names (no 山: "燕山" and "白马山" exist).
const FIRST: [&str; 12] = [
    "东", "西", "南", "北", "金", "银", "青", "红", "柳", "松", "梅", "竹",
];
/// Second characters.
const SECOND: [&str; 12] = [
    "湖", "河", "林", "苑", "园", "桥", "庄", "湾", "岭", "港", "溪", "坡",
];
/// The demo's staff and rotations (the same file `hotline demo` uses).
const DEMO_TOML: &str = include_str!("../../../../config/demo.toml");
/// Who "created" the benchmark's zones.
const ZONE_AUTHOR: &str = "bench";

/// The demo's staff without rotations of roles an older bot does not know
/// (`supervisor`, since 督办 became a role): a baseline binary reads the same
/// file, and a benchmark pages nobody of that role anyway.
fn staff_any_baseline_reads(demo: &str) -> String {
    let mut blocks = demo.split("\n[[").map(str::to_owned).collect::<Vec<_>>();
    blocks.retain(|b| !(b.starts_with("rotations]]") && b.contains("role = \"supervisor\"")));
    blocks.join("\n[[")
}

/// A compound the benchmark generated (the built-in ones come from default.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compound {
    pub id: String,
    pub name: String,
}

/// `n` generated compounds: `bench-001` "东湖小区", `bench-002` "东河小区", …
pub fn generated_compounds(n: usize) -> anyhow::Result<Vec<Compound>> {
    anyhow::ensure!(
        n <= FIRST.len() * SECOND.len(),
        "at most {} generated compounds",
        FIRST.len() * SECOND.len()
    );
    Ok((0..n)
        .map(|i| Compound {
            id: format!("bench-{:03}", i + 1),
            name: format!(
                "{}{}小区",
                FIRST[i / SECOND.len()],
                SECOND[i % SECOND.len()]
            ),
        })
        .collect())
}

/// What a run's site is made of.
#[derive(Debug, Clone)]
pub struct SiteSpec {
    pub generated: Vec<Compound>,
    /// Generated compounds that are hospitals (a priority zone whose reports
    /// page the director at once).
    pub hospitals: Vec<String>,
    /// Past resolved reports to seed before the bot starts.
    pub history: i64,
    /// More TOML tables appended to the override (not `[telegram]`, which
    /// the site writes), e.g. the outage run's gateway and Open311.
    pub extra: String,
    /// More lines for the `[telegram]` table, e.g. `webhook_listen`.
    pub telegram_extra: String,
}

/// A written site: the override file, the database, the parsed config.
pub struct Site {
    pub dir: PathBuf,
    pub config_path: PathBuf,
    pub db_url: String,
    pub config: Config,
}

impl Site {
    /// Writes the override file into `dir`; the bot creates the database.
    /// `api_url` is the stand-in's.
    pub async fn create(dir: &Path, spec: &SiteSpec, api_url: &str) -> anyhow::Result<Site> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let db_url = format!("sqlite://{}", dir.join("bench.db").display());
        let text = override_text(spec, &db_url, api_url)?;
        let config_path = dir.join("bench.toml");
        std::fs::write(&config_path, &text)
            .with_context(|| format!("writing {}", config_path.display()))?;
        let config = Config::from_override_str(&text, &config_path.display().to_string())
            .map_err(|e| anyhow::anyhow!("the generated config is invalid: {e}"))?;
        Ok(Site {
            dir: dir.to_path_buf(),
            config_path,
            db_url,
            config,
        })
    }
}

/// The override: demo staff, every compound (an array in an override replaces
/// the default one, so the built-in six are repeated), the hospital zone
/// policy, the database and the stand-in.
fn override_text(spec: &SiteSpec, db_url: &str, api_url: &str) -> anyhow::Result<String> {
    let defaults = Config::from_override_str("", "defaults")
        .map_err(|e| anyhow::anyhow!("the built-in defaults are invalid: {e}"))?;
    let mut text =
        String::from("# Written by `hotline bench`: demo staff plus generated compounds.\n");
    text.push_str(&staff_any_baseline_reads(DEMO_TOML));
    writeln!(text, "\n[database]\nurl = {}", toml_str(db_url))?;
    writeln!(text, "\n[telegram]\napi_url = {}", toml_str(api_url))?;
    text.push_str(&spec.telegram_extra);
    // The story: "Reports from priority zones escalate immediately, even a
    // single one, straight to the director." A second manager's chat, too.
    writeln!(
        text,
        "\n[escalation.zones.hospital]\nstart_step = 1\nnotify = [\"director\"]"
    )?;
    for c in &defaults.compounds {
        writeln!(
            text,
            "\n[[compounds]]\nid = {}\nname = {}\naliases = [{}]\ndistrict = {}",
            toml_str(&c.id),
            toml_str(&c.name),
            c.aliases
                .iter()
                .map(|a| toml_str(a))
                .collect::<Vec<_>>()
                .join(", "),
            toml_str(&c.district)
        )?;
    }
    for c in &spec.generated {
        writeln!(
            text,
            "\n[[compounds]]\nid = {}\nname = {}\ndistrict = \"历下区\"",
            toml_str(&c.id),
            toml_str(&c.name)
        )?;
    }
    text.push_str(&spec.extra);
    Ok(text)
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// Hospitals as zones (as a manager would add them from chat), and history,
/// into the database the bot under test created.
pub async fn seed(store: &LabDb, spec: &SiteSpec, config: &Config) -> anyhow::Result<()> {
    let now_ms = chrono::Utc::now().timestamp_millis();
    if !spec.hospitals.is_empty() {
        for id in &spec.hospitals {
            let kind = ZoneKind::Hospital.code();
            store.add_zone(id, kind, ZONE_AUTHOR, now_ms).await?;
        }
    }
    if spec.history > 0 {
        let started = std::time::Instant::now();
        let manager = config
            .people
            .iter()
            .find(|p| p.id.as_str() == "wang")
            .or(config.people.first())
            .context("no staff to have received the past alerts")?;
        let seed = HistorySeed {
            reports: spec.history,
            compounds: config
                .compounds
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect(),
            categories: vec!["outage", "quality", "low_pressure", "leak", "meter"],
            alerted: (manager.id.to_string(), manager.telegram_id),
            until_ms: now_ms - 24 * 3_600_000,
        };
        let counts = store.seed_history(&seed).await?;
        eprintln!(
            "seeded history: {} reports, {} escalations in {:.1} s",
            counts.reports,
            counts.escalations,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_keeps_the_default_compounds_and_adds_the_generated() {
        let spec = SiteSpec {
            generated: generated_compounds(144).unwrap(),
            hospitals: vec![],
            history: 0,
            extra: String::new(),
            telegram_extra: String::new(),
        };
        let text = override_text(&spec, "sqlite:///tmp/x.db", "http://127.0.0.1:1/").unwrap();
        let config = Config::from_override_str(&text, "bench").unwrap();
        assert_eq!(config.compounds.len(), 6 + 144);
        assert_eq!(config.telegram.api_url.as_str(), "http://127.0.0.1:1/");
        assert!(config.find_compound("燕山").is_some());
        assert!(
            !text.contains("role = \"supervisor\"") && config.rotations.len() == 4,
            "every baseline reads the staff"
        );
        assert_eq!(
            config.find_compound("竹坡小区").map(|c| c.id.as_str()),
            Some("bench-144")
        );
        assert!(generated_compounds(145).is_err());
    }
}
