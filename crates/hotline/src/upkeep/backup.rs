//! `hotline backup FILE`: a consistent copy of the SQLite database, safe
//! while the bot runs (SQLite's `VACUUM INTO` reads one snapshot).

use std::path::Path;

use crate::config::Config;
use crate::store::Store;

pub async fn run(config: &Config, file: &Path) -> anyhow::Result<()> {
    let store = Store::open_existing(&config.database.url).await?;
    let result = store.backup_into(file).await;
    store.close().await;
    result?;
    println!("backup written to {}", file.display());
    Ok(())
}
