//! The lab's own handle on a bot's database: a plain pool for the lab's
//! statements — history seeding ([`crate::history`]), zones, and the
//! benchmarks' reads of a run ([`crate::reads`]). Those statements are
//! tooling, so they live here and not in the bot's store. It never migrates:
//! the bot under test (the current one or a baseline binary, whose schema may
//! be older) creates and migrates its own database.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use hotline::store::Backend;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

#[derive(Clone, Debug)]
pub struct LabDb {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

impl LabDb {
    /// Opens the database at `url`, which the bot has created.
    pub async fn connect(url: &str, connections: u32) -> anyhow::Result<LabDb> {
        sqlx::any::install_default_drivers();
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
        Ok(LabDb { pool, backend })
    }

    /// Adds a priority zone, as a manager would from chat.
    pub async fn add_zone(
        &self,
        compound_id: &str,
        kind: &str,
        by: &str,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO zones (compound_id, address, kind, expires_at, created_by, created_at)
             VALUES ($1, '', $2, NULL, $3, $4)",
        )
        .bind(compound_id)
        .bind(kind)
        .bind(by)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .context("adding a priority zone")?;
        Ok(())
    }

    /// Outbox rows Telegram refused for good.
    pub async fn failed_messages(&self) -> anyhow::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
            .fetch_one(&self.pool)
            .await
            .context("counting failed outbox rows")
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
