//! Commands that touch data never guess. Without `--config` the binary
//! reads `HOTLINE_CONFIG`, then the documented default
//! [`DEFAULT_CONFIG`] if that file exists; `backup`, `export`, `digest`,
//! `purge` and `reload` refuse to run (exit 2) when none of these names a
//! file and no `HOTLINE__DATABASE__URL` names the database either, or when
//! the SQLite database does not exist: they would otherwise read (or
//! create) `./hotline.db` and report an empty hotline as if it were real.

use std::path::{Path, PathBuf};

use crate::config::Config;

/// Where an installed hotline's settings live (the Debian-style layout
/// `deploy/` ships).
pub const DEFAULT_CONFIG: &str = "/etc/hotline/hotline.toml";

/// The file to read: the one given (`--config` or `HOTLINE_CONFIG`), else
/// [`DEFAULT_CONFIG`] when it exists, else none (built-in defaults).
pub fn config_path(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| {
        let default = Path::new(DEFAULT_CONFIG);
        default.exists().then(|| default.to_path_buf())
    })
}

/// Why a data command must not run, or `Ok` when it may.
pub fn data_command_ready(
    config: &Config,
    file: Option<&Path>,
    env_names_db: bool,
) -> Result<(), String> {
    if file.is_none() && !env_names_db {
        return Err(format!(
            "no configuration found: pass --config FILE, set HOTLINE_CONFIG, or create {DEFAULT_CONFIG} \
             (without one this command would read ./hotline.db, an empty database)"
        ));
    }
    if let Some(path) = crate::store::sqlite_path(&config.database.url)
        && !path.exists()
    {
        return Err(crate::store::missing_database(&path, &config.database.url));
    }
    Ok(())
}
