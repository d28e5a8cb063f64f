//! The lab's own handle on a bot's database: the bot's [`Store`] (which
//! migrates it and answers the bot's own reads) beside a plain pool for the
//! lab's statements — history seeding ([`crate::history`]) and the
//! benchmarks' reads of a finished run ([`crate::reads`]). Those statements
//! are tooling, so they live here and not in the bot's store.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use hotline::store::{Backend, Store};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

#[derive(Clone, Debug)]
pub struct LabDb {
    pub store: Store,
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

impl LabDb {
    /// Opens (and migrates, through the bot's store) the database at `url`.
    pub async fn connect(url: &str, connections: u32) -> anyhow::Result<LabDb> {
        let store = Store::connect(url, connections).await?;
        let backend = Backend::of_url(url)?;
        let options = AnyConnectOptions::from_str(url).context("parsing the database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .context("connecting to the database")?;
        Ok(LabDb {
            store,
            pool,
            backend,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.store.close().await;
    }
}
