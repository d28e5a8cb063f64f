//! Typed settings, read from layers: the built-in `config/default.toml`, then an
//! optional override file, then `HOTLINE__SECTION__KEY` environment variables.
//!
//! Every error names where the bad value came from (file, built-in default or
//! environment variable) and its dotted key, because the person reading it is
//! an operator at night who must fix the right line in the right place.
//! The bot token is deliberately absent: it comes only from `TELOXIDE_TOKEN`.

mod cron_fields;
mod describe;
mod describe_more;
mod desk;
mod desk_url;
mod duty_group;
mod escalation;
mod gateway;
mod health;
mod heartbeat;
mod layers;
mod local_time;
mod notify;
mod open311;
mod people;
mod phone_replies;
mod proxy;
mod reach;
mod retention;
mod rotation;
mod sections;
mod supervision;
mod validate;
mod validate_duty_groups;
mod validate_gateway;
mod validate_open311;
mod validate_paging;
mod validate_staffing;
mod values;
mod wechat;

#[cfg(test)]
mod tests;

use std::path::Path;

use serde::Deserialize;

pub use escalation::{Escalation, EscalationStep, StartPolicy, Starts, ZonePolicy};
pub use sections::{CompoundConfig, Database, Delivery, General, Limits, Telegram, TelegramMode};
pub use sections::{Log, LogFormat, Web};
pub use validate_staffing::ConfigWarning;

pub use desk::DeskConfig;
pub use desk_url::PLAIN_HTTP as DESK_OVER_PLAIN_HTTP;
pub use duty_group::{DutyGroupConfig, DutyGroupMode};
pub use gateway::{GatewayChannel, GatewayConfig, GatewayEnv, GatewayKind};
pub use health::HealthConfig;
pub use heartbeat::HeartbeatConfig;
/// `[gateway]` is defined beside its code (the phone fallback is one module).
/// `roles`, `people` and `rotations` belong to on-call, which parses them.
pub use local_time::{parse_handoff, parse_local, parse_until};
pub use notify::{NotifyRule, Via};
pub use open311::{ConfiguredKey, Open311Config};
pub use people::{Person, RoleNames, RotationConfig, SettingError, Staff};
pub use phone_replies::PhoneRepliesConfig;
pub use proxy::{Proxy, masked as masked_proxy};
pub use reach::ReachConfig;
pub use retention::RetentionConfig;
pub use rotation::{Rotation, Turn, parse_all as parse_rotations};
pub use supervision::{PromiseConfig, SupervisionConfig};
pub use values::{HttpUrl, QuietHours, TimeOfDay};
pub use wechat::{WechatConfig, WechatTemplates};

/// The built-in base layer; shipping it inside the binary means a bare
/// `hotline` with no files at all still starts with sane values. It is the
/// only place defaults are written down.
pub const DEFAULT_TOML: &str = include_str!("../../../config/default.toml");

/// The source name used for errors in the built-in layer.
pub const DEFAULT_SOURCE: &str = "built-in default";

/// Prefix of environment variables that override settings.
pub const ENV_PREFIX: &str = "HOTLINE__";

/// All settings of the hotline. Every key is required here; the built-in
/// layer (`config/default.toml`) supplies each one, so an override file
/// names only what it changes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub general: General,
    pub database: Database,
    pub telegram: Telegram,
    pub limits: Limits,
    #[serde(default)]
    pub compounds: Vec<CompoundConfig>,
    pub roles: RoleNames,
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub rotations: Vec<RotationConfig>,
    pub escalation: Escalation,
    pub delivery: Delivery,
    pub gateway: GatewayConfig,
    pub open311: Open311Config,
    pub retention: RetentionConfig,
    /// `[reach]`: acknowledge links (issue 15), defined beside its code.
    #[serde(default)]
    pub reach: ReachConfig,
    /// `[wechat]`: the WeChat Official Account (issue 28), beside its code.
    #[serde(default)]
    pub wechat: WechatConfig,
    pub phone_replies: PhoneRepliesConfig,
    pub heartbeat: HeartbeatConfig,
    pub duty_group: DutyGroupConfig,
    /// More duty groups, e.g. one per role (`[[duty_groups]]`).
    #[serde(default)]
    pub duty_groups: Vec<DutyGroupConfig>,
    pub web: Web,
    /// `[desk]`: calls taken at the desk (SMS receipts).
    #[serde(default)]
    pub desk: DeskConfig,
    /// `[health]`: the heartbeat's limits and `/healthz`'s own address.
    pub health: HealthConfig,
    /// `[supervision]`: promised times (督办) and who supervises them.
    pub supervision: SupervisionConfig,
    /// `[log]`: text or JSON lines.
    #[serde(default)]
    pub log: Log,
}

impl Default for Config {
    /// The built-in `config/default.toml`, nothing else.
    fn default() -> Self {
        let stack = [layers::Layer::parse(DEFAULT_TOML, DEFAULT_SOURCE)
            .expect("the built-in default.toml parses (a unit test checks it)")];
        layers::build(&stack).expect("the built-in default.toml is valid (a unit test checks it)")
    }
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

impl From<SettingError> for ConfigError {
    fn from(e: SettingError) -> ConfigError {
        ConfigError::bad(e.key, e.message)
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

    /// Like [`Config::load`], but every problem, not just the first: what
    /// `hotline check-config` prints (never an empty list on `Err`).
    pub fn check(file: Option<&Path>) -> Result<Config, Vec<ConfigError>> {
        let env: Vec<(String, String)> = layers::process_env().map_err(|e| vec![e])?;
        Config::check_with_env(file, &env)
    }

    /// [`Config::check`] with an explicit environment (for tests).
    pub fn check_with_env(
        file: Option<&Path>,
        env: &[(String, String)],
    ) -> Result<Config, Vec<ConfigError>> {
        let mut stack =
            vec![layers::Layer::parse(DEFAULT_TOML, DEFAULT_SOURCE).map_err(|e| vec![e])?];
        if let Some(path) = file {
            stack.push(layers::Layer::read_file(path).map_err(|e| vec![e])?);
        }
        stack.extend(layers::env_layers(env).map_err(|e| vec![e])?);
        layers::check(&stack)
    }

    /// Valid settings that would page nobody (no people, a paged role
    /// without a rotation): `check-config` prints them and still exits 0.
    pub fn warnings(&self) -> Vec<ConfigWarning> {
        validate_staffing::warnings(self)
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
        match validate::config(self).into_iter().next() {
            Some(first) => Err(first),
            None => Ok(()),
        }
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
