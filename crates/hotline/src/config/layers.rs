//! Layers of TOML, their merge, and finding which layer set a given key.
//!
//! Attribution is the point of this module: after the merged table fails to
//! deserialize or validate at `limits.reports_per_hour`, the operator must be
//! told whether to fix the override file or an environment variable.

use std::path::Path;

use toml::{Table, Value};

use super::{Config, ConfigError, ENV_PREFIX};

mod repair;

/// One source of settings, already parsed.
#[derive(Debug, Clone)]
pub(super) struct Layer {
    pub(super) name: String,
    pub(super) table: Table,
}

impl Layer {
    /// Parses TOML text; a syntax error names the source and the line.
    pub(super) fn parse(text: &str, name: &str) -> Result<Layer, ConfigError> {
        let table = text
            .parse::<Table>()
            .map_err(|e| syntax_error(text, name, &e))?;
        Ok(Layer {
            name: name.to_owned(),
            table,
        })
    }

    /// Reads and parses an override file; a missing file is an error (a
    /// mistyped `--config` path must not silently fall back to defaults).
    pub(super) fn read_file(path: &Path) -> Result<Layer, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            source_name: name.clone(),
            key: String::new(),
            message: format!("cannot read file: {e}"),
        })?;
        Layer::parse(&text, &name)
    }
}

fn syntax_error(text: &str, name: &str, e: &toml::de::Error) -> ConfigError {
    let place = match e.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            format!(" at line {line}, column {col}")
        }
        None => String::new(),
    };
    ConfigError {
        source_name: name.to_owned(),
        key: String::new(),
        message: format!("TOML syntax error{place}: {}", e.message().trim()),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The process environment's `HOTLINE__*` variables. Unrelated variables
/// that are not valid Unicode are skipped instead of panicking.
pub(super) fn process_env() -> Result<Vec<(String, String)>, ConfigError> {
    let mut out = Vec::new();
    for (key, value) in std::env::vars_os() {
        let Some(key) = key.to_str().filter(|k| k.starts_with(ENV_PREFIX)) else {
            continue;
        };
        let value = value.into_string().map_err(|_| ConfigError {
            source_name: format!("environment variable {key}"),
            key: String::new(),
            message: "value is not valid UTF-8".to_owned(),
        })?;
        out.push((key.to_owned(), value));
    }
    Ok(out)
}

/// One layer per `HOTLINE__` variable, sorted by name so the result does not
/// depend on the order the OS lists them in.
pub(super) fn env_layers(env: &[(String, String)]) -> Result<Vec<Layer>, ConfigError> {
    let mut vars: Vec<&(String, String)> = env
        .iter()
        .filter(|(k, _)| k.starts_with(ENV_PREFIX))
        .collect();
    vars.sort();
    vars.into_iter().map(|(k, v)| env_layer(k, v)).collect()
}

fn env_layer(var: &str, raw: &str) -> Result<Layer, ConfigError> {
    let name = format!("environment variable {var}");
    let segments: Vec<String> = var[ENV_PREFIX.len()..]
        .split("__")
        .map(str::to_ascii_lowercase)
        .collect();
    if segments.iter().any(String::is_empty) {
        return Err(ConfigError {
            source_name: name,
            key: String::new(),
            message: "expected the form HOTLINE__SECTION__KEY".to_owned(),
        });
    }
    let mut value = env_value(raw);
    for segment in segments.into_iter().rev() {
        value = Value::Table(Table::from_iter([(segment, value)]));
    }
    let Value::Table(table) = value else {
        unreachable!("at least one segment wraps the value in a table")
    };
    Ok(Layer { name, table })
}

/// A TOML value if `raw` is exactly one (`3`, `true`, `["a"]`), else the
/// raw string, so `HOTLINE__DATABASE__URL=sqlite://x.db` needs no quotes.
fn env_value(raw: &str) -> Value {
    match format!("v = {raw}").parse::<Table>() {
        Ok(mut t) if t.len() == 1 => t.remove("v").unwrap_or_else(|| Value::from(raw)),
        _ => Value::String(raw.to_owned()),
    }
}

/// Merges `over` into `base`: tables key by key, anything else (arrays
/// included) replaced whole, so an override's compound list is the list.
fn merge(base: &mut Table, over: &Table) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Merges, deserializes and validates, attributing any error to a layer;
/// the first problem only (see [`check`] for all of them).
pub(super) fn build(stack: &[Layer]) -> Result<Config, ConfigError> {
    check(stack).map_err(|mut all| all.swap_remove(0))
}

/// Like [`build`], but finds every problem (never an empty list): after a
/// value that does not deserialize it puts the built-in default there (or
/// drops the key), tries again, and validates what results, so a new file
/// with three mistakes gets three messages in one run.
pub(super) fn check(stack: &[Layer]) -> Result<Config, Vec<ConfigError>> {
    let mut merged = Table::new();
    for layer in stack {
        merge(&mut merged, &layer.table);
    }
    let defaults = stack.first().map(|l| l.table.clone()).unwrap_or_default();
    let mut errors = Vec::new();
    let mut faithful = true;
    let config = loop {
        match serde_path_to_error::deserialize::<_, Config>(merged.clone()) {
            Ok(config) => break Some(config),
            Err(e) => {
                let problem = deserialize_problem(&e);
                let path = parse_key(&problem.key);
                errors.push(attribute(stack, problem));
                match repair::apply(&mut merged, &defaults, &path) {
                    _ if errors.len() >= MAX_ERRORS => break None,
                    repair::Outcome::Value => {}
                    repair::Outcome::Dropped => faithful = false,
                    repair::Outcome::Stuck => break None,
                }
            }
        }
    };
    // A dropped list entry would make others that refer to it look wrong
    // (a rotation naming a person whose entry was dropped): validate only
    // what the operator wrote, give or take replaced single values.
    if let Some(config) = config.as_ref().filter(|_| faithful) {
        let found = super::validate::config(config);
        errors.extend(found.into_iter().map(|e| attribute(stack, e)));
    }
    match config {
        Some(config) if errors.is_empty() => Ok(config),
        _ => Err(errors),
    }
}

/// Enough for any real file; a bound in case a repair never converges.
const MAX_ERRORS: usize = 50;

/// Turns a serde error into a keyed problem. A missing field is reported at
/// the enclosing table, so its name is moved from the message into the key,
/// where the operator looks for it (unknown fields already are in the path).
fn deserialize_problem(e: &serde_path_to_error::Error<toml::de::Error>) -> ConfigError {
    let mut key = e.path().to_string();
    if key == "." {
        key.clear();
    }
    let message = e.inner().message().trim().to_owned();
    if let Some(field) = missing_field(&message) {
        key = join_key(&key, field);
    }
    ConfigError::bad(key, message)
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

fn join_key(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
    }
}

/// Fills in `source_name` with the highest-priority layer that set the key.
fn attribute(stack: &[Layer], mut error: ConfigError) -> ConfigError {
    let path = parse_key(&error.key);
    let tables: Vec<(usize, &Table)> = stack
        .iter()
        .enumerate()
        .rev()
        .map(|(i, l)| (i, &l.table))
        .collect();
    let owner = owner_in_tables(&tables, &path).unwrap_or(0);
    error.source_name = stack
        .get(owner)
        .map_or_else(|| super::DEFAULT_SOURCE.to_owned(), |l| l.name.clone());
    error
}

/// One step of a dotted key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Parses `compounds[2].aliases[0]` into segments. Keys here are plain
/// identifiers, so no quoting rules are needed.
fn parse_key(key: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in key.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(name) = pieces.next().filter(|n| !n.is_empty()) {
            out.push(Segment::Key(name.to_owned()));
        }
        for index in pieces {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

/// The layer whose value ends up at `path` in the merged table. `tables` are
/// the layers contributing to the current table, highest priority first.
/// Mirrors [`merge`]: a key's contributors are the layers that set it, from
/// the top down to (excluding) the first whose value would have been
/// replaced rather than merged.
fn owner_in_tables(tables: &[(usize, &Table)], path: &[Segment]) -> Option<usize> {
    let Some((first, rest)) = path.split_first() else {
        return tables.first().map(|(i, _)| *i);
    };
    let Segment::Key(key) = first else {
        return tables.first().map(|(i, _)| *i);
    };
    let setters: Vec<(usize, &Value)> = tables
        .iter()
        .filter_map(|(i, t)| t.get(key).map(|v| (*i, v)))
        .collect();
    owner_in_values(&setters, rest).or_else(|| tables.first().map(|(i, _)| *i))
}

/// Continues [`owner_in_tables`] below one key, given every layer that set it.
fn owner_in_values(setters: &[(usize, &Value)], rest: &[Segment]) -> Option<usize> {
    let (top_layer, top_value) = *setters.first()?;
    match top_value {
        Value::Table(_) => {
            let tables: Vec<(usize, &Table)> = setters
                .iter()
                .map_while(|(i, v)| v.as_table().map(|t| (*i, t)))
                .collect();
            owner_in_tables(&tables, rest)
        }
        Value::Array(items) => match rest.split_first() {
            Some((Segment::Index(n), below)) => match items.get(*n) {
                Some(item) => owner_in_values(&[(top_layer, item)], below),
                None => Some(top_layer),
            },
            _ => Some(top_layer),
        },
        _ => Some(top_layer),
    }
}
