//! Typed settings, read from layers: the built-in `config/default.toml`, then an
//! optional override file, then `HOTLINE__SECTION__KEY` environment variables.
//!
//! Every error names where the bad value came from (file, built-in default or
//! environment variable) and its dotted key, because the person reading it is
//! an operator at night who must fix the right line in the right place.
//! The bot token is deliberately absent: it comes only from `TELOXIDE_TOKEN`.

mod describe;
mod layers;
mod validate;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use std::collections::BTreeMap;

use crate::domain::{Category, Lang, Role, ZoneKind};

/// `[gateway]` is defined beside its code (the phone fallback is one module).
pub use crate::gateway::{GatewayChannel, GatewayConfig, GatewayKind};

/// The built-in base layer; shipping it inside the binary means a bare
/// `hotline` with no files at all still starts with sane values.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// The source name used for errors in the built-in layer.
pub const DEFAULT_SOURCE: &str = "built-in default";

/// Prefix of environment variables that override settings.
pub const ENV_PREFIX: &str = "HOTLINE__";

/// All settings of the hotline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub general: General,
    pub database: Database,
    pub telegram: Telegram,
    pub limits: Limits,
    pub compounds: Vec<CompoundConfig>,
    pub roles: RoleNames,
    pub people: Vec<Person>,
    pub rotations: Vec<RotationConfig>,
    pub escalation: Escalation,
    pub delivery: Delivery,
    pub gateway: GatewayConfig,
}

/// How messages to staff are delivered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Delivery {
    /// No longer used: alerts are never held back to gather a burst (they
    /// merge only into one still waiting to be sent). Accepted, and ignored,
    /// so existing files still load.
    #[serde(with = "humantime_serde")]
    pub bundle_window: Duration,
    /// City-local "HH:MM-HH:MM": non-urgent staff notices wait until it ends.
    pub quiet_hours: String,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery {
            bundle_window: Duration::ZERO,
            quiet_hours: "22:00-07:00".to_owned(),
        }
    }
}

impl Delivery {
    /// The quiet hours as (start, end) local times; `validate` guarantees the format.
    pub fn quiet(&self) -> Option<(chrono::NaiveTime, chrono::NaiveTime)> {
        let (start, end) = self.quiet_hours.split_once('-')?;
        let parse = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
        Some((parse(start)?, parse(end)?))
    }
}

/// Display names of the on-call roles.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleNames {
    pub operator: String,
    pub duty_manager: String,
    pub director: String,
}

/// A member of staff: who may use manager actions and who can be paged.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Stable key rotations and overrides refer to.
    pub id: String,
    pub name: String,
    /// Their Telegram user id: the only way the bot recognises staff.
    pub telegram_id: i64,
    /// Telegram @username, to name them in chat commands (optional).
    #[serde(default)]
    pub username: Option<String>,
    /// For the SMS/voice fallback (optional).
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub lang: Lang,
}

/// Who holds a role when: hand-off instants (cron, city time zone) and the
/// ordered people who take turns, counted from `start`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationConfig {
    pub name: String,
    pub role: Role,
    /// Cron expressions with 5 fields (minute hour day month weekday) or 6
    /// (seconds first); weekdays by name (Mon-Fri).
    pub handoffs: Vec<String>,
    /// Person ids, in turn order.
    pub people: Vec<String>,
    /// City-local "YYYY-MM-DD HH:MM": the first person's shift starts here.
    pub start: String,
}

/// When and whom to page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Escalation {
    /// Unresolved reports of one category in one compound that open an escalation.
    pub thresholds: BTreeMap<Category, u32>,
    /// Categories where a single report pages at once.
    pub urgent: Vec<Category>,
    /// Categories that never page anyone (they wait for office hours).
    pub quiet: Vec<Category>,
    /// The chain: notify these roles, wait, go on to the next step.
    pub steps: Vec<EscalationStep>,
    /// The last step repeats this often until someone acknowledges.
    #[serde(with = "humantime_serde")]
    pub repeat_every: Duration,
    /// How often the engine looks for due work when nothing wakes it.
    #[serde(with = "humantime_serde")]
    pub tick: Duration,
    /// Per priority-zone kind: where its escalations start.
    pub zones: BTreeMap<ZoneKind, ZonePolicy>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    pub notify: Vec<Role>,
    /// How long to wait for an acknowledgement before the next step.
    #[serde(with = "humantime_serde")]
    pub wait: Duration,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZonePolicy {
    /// Roles paged at once, besides those of the starting step.
    #[serde(default)]
    pub notify: Vec<Role>,
    /// Index into `escalation.steps` where the walk starts.
    #[serde(default)]
    pub start_step: usize,
    /// Every alert says "no entry — handle by phone".
    #[serde(default)]
    pub no_entry: bool,
}

/// City-wide settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct General {
    /// Hand-offs and "today" are computed here, never in the server's zone.
    #[serde(deserialize_with = "deserialize_tz")]
    pub time_zone: chrono_tz::Tz,
    pub default_language: Lang,
    pub ticket_prefix: String,
}

/// Where state lives.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Database {
    /// May contain a password: [`Config::describe`] redacts it.
    pub url: String,
    pub max_connections: u32,
}

/// How the bot reaches Telegram (the token is not here on purpose).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Telegram {
    pub api_url: String,
    #[serde(with = "humantime_serde")]
    pub poll_timeout: Duration,
    pub mode: TelegramMode,
    /// Where the HTTP server (webhook and `/healthz`) listens; empty: none.
    pub webhook_listen: String,
    pub webhook_path: String,
    /// The public URL registered with setWebhook; empty: registered by hand.
    pub webhook_url: String,
}

/// How updates arrive: one box long-polls; several sit behind a load
/// balancer and receive Telegram's webhook posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TelegramMode {
    Polling,
    Webhook,
}

/// Protections against floods and oversized input.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Longer descriptions are stored truncated, not rejected.
    pub description_max_chars: usize,
    /// Longer addresses are stored truncated, not rejected.
    pub address_max_chars: usize,
    pub max_photos: usize,
    /// Per resident; beyond it they get one polite "slow down".
    pub messages_per_minute: u32,
    /// Per resident; beyond it /report is politely refused.
    pub reports_per_hour: u32,
}

/// One residential compound (小区) residents can pick.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompoundConfig {
    /// Stable key other settings and stored tickets refer to.
    pub id: String,
    pub name: String,
    /// Other names residents type; each belongs to one compound only.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub district: String,
}

impl Default for Config {
    /// Mirrors `config/default.toml` except `compounds`, which are data, not
    /// a default; a unit test keeps the two in step.
    fn default() -> Self {
        Config {
            general: General::default(),
            database: Database::default(),
            telegram: Telegram::default(),
            limits: Limits::default(),
            compounds: Vec::new(),
            roles: RoleNames::default(),
            people: Vec::new(),
            rotations: Vec::new(),
            escalation: Escalation::default(),
            delivery: Delivery::default(),
            gateway: GatewayConfig::default(),
        }
    }
}

impl Default for RoleNames {
    fn default() -> Self {
        RoleNames {
            operator: "热线值班台 Operator desk".to_owned(),
            duty_manager: "值班干部 Duty manager".to_owned(),
            director: "客服中心主任 Director".to_owned(),
        }
    }
}

impl RoleNames {
    pub fn of(&self, role: Role) -> &str {
        match role {
            Role::Operator => &self.operator,
            Role::DutyManager => &self.duty_manager,
            Role::Director => &self.director,
        }
    }
}

impl Default for Escalation {
    /// The story's numbers (DOMAIN.md): 5 outages or 3 quality reports in one
    /// compound; bursts and pump failures page at once; meters never do.
    fn default() -> Self {
        let zone = |no_entry| ZonePolicy {
            notify: vec![Role::DutyManager],
            start_step: 1,
            no_entry,
        };
        Escalation {
            thresholds: BTreeMap::from([(Category::Outage, 5), (Category::Quality, 3)]),
            urgent: vec![Category::Leak, Category::SecondarySupply],
            quiet: vec![Category::Meter, Category::Other],
            steps: vec![
                EscalationStep {
                    notify: vec![Role::DutyManager],
                    wait: Duration::from_secs(600),
                },
                EscalationStep {
                    notify: vec![Role::Director],
                    wait: Duration::from_secs(900),
                },
            ],
            repeat_every: Duration::from_secs(900),
            tick: Duration::from_secs(5),
            zones: BTreeMap::from([
                (ZoneKind::Hospital, zone(false)),
                (ZoneKind::CommandPost, zone(false)),
                (ZoneKind::Quarantine, zone(false)),
                (ZoneKind::ConfirmedCase, zone(true)),
            ]),
        }
    }
}

impl Default for General {
    fn default() -> Self {
        General {
            time_zone: chrono_tz::Asia::Shanghai,
            default_language: Lang::Zh,
            ticket_prefix: "JN".to_owned(),
        }
    }
}

impl Default for Database {
    fn default() -> Self {
        Database {
            url: "sqlite://hotline.db".to_owned(),
            max_connections: 4,
        }
    }
}

impl Default for Telegram {
    fn default() -> Self {
        Telegram {
            api_url: "https://api.telegram.org".to_owned(),
            poll_timeout: Duration::from_secs(10),
            mode: TelegramMode::Polling,
            webhook_listen: String::new(),
            webhook_path: "/telegram/webhook".to_owned(),
            webhook_url: String::new(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            description_max_chars: 1000,
            address_max_chars: 200,
            max_photos: 5,
            messages_per_minute: 20,
            reports_per_hour: 6,
        }
    }
}

/// Reads an IANA zone name; chrono-tz's own serde support is behind a feature
/// we do not need to enable for one field.
fn deserialize_tz<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "unknown time zone `{name}` (expected an IANA name such as \"Asia/Shanghai\")"
        ))
    })
}

/// A configuration problem, located by source and dotted key.
///
/// `key` is empty when the whole source is at fault (a missing file, a TOML
/// syntax error); the message then says where in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("config error in {source_name}: {}{message}", key_part(.key))]
pub struct ConfigError {
    /// A file path, "built-in default", or "environment variable HOTLINE__X__Y".
    pub source_name: String,
    /// Dotted path such as `limits.reports_per_hour` or `compounds[2].id`.
    pub key: String,
    pub message: String,
}

fn key_part(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("key `{key}`: ")
    }
}

impl ConfigError {
    /// Builds an error whose source is filled in later by the loader, which
    /// knows which layer set `key`; semantic checks only know the key.
    pub fn bad(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            source_name: "merged configuration".to_owned(),
            key: key.into(),
            message: message.into(),
        }
    }
}

impl Config {
    /// Embedded default, then `file` if given, then env vars
    /// `HOTLINE__SECTION__KEY=value` from the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = layers::process_env()?;
        Config::load_with_env(file, &env)
    }

    /// Like [`Config::load`] with an explicit environment, so tests never
    /// mutate the process environment. Variables without the
    /// `HOTLINE__` prefix are ignored.
    pub fn load_with_env(
        file: Option<&Path>,
        env: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        let mut stack = vec![layers::Layer::parse(DEFAULT_TOML, DEFAULT_SOURCE)?];
        if let Some(path) = file {
            stack.push(layers::Layer::read_file(path)?);
        }
        stack.extend(layers::env_layers(env)?);
        layers::build(&stack)
    }

    /// For tests: default + `toml_text` as if it were the override file
    /// named `name`, no environment.
    pub fn from_override_str(toml_text: &str, name: &str) -> Result<Config, ConfigError> {
        let stack = vec![
            layers::Layer::parse(DEFAULT_TOML, DEFAULT_SOURCE)?,
            layers::Layer::parse(toml_text, name)?,
        ];
        layers::build(&stack)
    }

    /// Checks rules serde cannot express. Errors carry the key only; the
    /// loader attributes them to the layer that set that key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        validate::config(self)
    }

    /// A human-readable summary for `hotline check-config`: every section,
    /// every compound, and never a secret (database passwords are masked).
    pub fn describe(&self) -> String {
        describe::config(self)
    }

    /// Finds a compound by id, name or alias (case- and space-insensitive),
    /// so a typed "sunshine garden" lands on the same compound as a button.
    pub fn find_compound(&self, text: &str) -> Option<&CompoundConfig> {
        let wanted = validate::normalize_label(text);
        self.compounds.iter().find(|c| {
            c.id == wanted
                || c.labels()
                    .any(|label| validate::normalize_label(label) == wanted)
        })
    }
}

impl CompoundConfig {
    /// The name followed by every alias: all the texts that mean this compound.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}
