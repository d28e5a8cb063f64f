//! Opening a database that must already exist: the one-shot commands that
//! read or copy data (`backup`, `export`, `digest`, `purge`, `reload`)
//! never create an empty SQLite file as a side effect, which would make a
//! mistyped path look like an empty hotline.

use std::path::{Path, PathBuf};

use super::{Backend, Store};

/// The file a `sqlite:` URL names; `None` for another backend or an
/// in-memory database.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// Creates `path` empty and readable by its owner alone (0600), unless it
/// exists: SQLite gives the WAL and shared-memory files the database
/// file's mode, and `VACUUM INTO` fills an empty file, so residents' data
/// is never readable by other local users, whatever the umask.
pub fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The refusal when a configured SQLite file is missing: one wording for
/// `Store::open_existing` and the data commands' guard (`upkeep/guard.rs`).
pub fn missing_database(path: &Path, url: &str) -> String {
    format!(
        "the database {} does not exist (database.url = {url:?}); is this the right configuration?",
        path.display()
    )
}

impl Store {
    /// Like [`Store::connect`], but fails (naming the file) when the SQLite
    /// database does not exist instead of creating it.
    pub async fn open_existing(url: &str) -> anyhow::Result<Store> {
        if Backend::of_url(url)? == Backend::Sqlite
            && let Some(path) = sqlite_path(url)
        {
            anyhow::ensure!(path.exists(), missing_database(&path, url));
            let sep = if url.contains('?') { '&' } else { '?' };
            if !url.contains("mode=") {
                return Ok(Store::connect(&format!("{url}{sep}mode=rw"), 2).await?);
            }
        }
        Ok(Store::connect(url, 2).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn the_file_of_a_sqlite_url_is_found_with_or_without_slashes_and_options() {
        let p = |u| sqlite_path(u).map(|p| p.display().to_string());
        assert_eq!(p("sqlite://hotline.db").as_deref(), Some("hotline.db"));
        assert_eq!(
            p("sqlite:/var/lib/h.db?mode=rwc").as_deref(),
            Some("/var/lib/h.db")
        );
        assert_eq!(p("sqlite::memory:"), None);
        assert_eq!(p("postgres://db/hotline"), None);
    }
}
