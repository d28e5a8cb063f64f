//! Past, resolved work seeded in bulk, for the benchmarks' history scenario
//! (`hotline bench flood --history N`): does the report that crosses a
//! threshold cost more to commit when a million reports came before it?
//!
//! The seed is shaped like a utility's past year: every block of 100 reports
//! shares a compound and a category and belonged to one escalation (resolved),
//! whose alert went out through the outbox to a manager's chat. So the tables
//! the hot path reads (`reports`, `escalation_reports`, `escalation_alerts`,
//! `outbox`) all grow with history, as they would in production.
//!
//! Speed is the point (1,000,000 reports within a minute or two on SQLite):
//! each chunk is a handful of `INSERT … SELECT` statements over a recursive
//! row counter, in one transaction, with explicit ids (so the link tables can
//! be filled by arithmetic instead of lookups). The statements are portable:
//! on PostgreSQL the id sequences are moved past the seeded ids afterwards.

use anyhow::Context;
use sqlx::AssertSqlSafe;

use crate::db::LabDb;
use hotline::store::Backend;

/// Reports per escalation in the seeded history.
const BLOCK: i64 = 100;
/// Reports per transaction.
const CHUNK: i64 = 100_000;
/// History residents' user ids start here (far from real and benchmark ids).
const HISTORY_USER_BASE: i64 = 50_000_000;
/// Distinct residents the history is spread over.
const HISTORY_USERS: i64 = 100_000;

/// What to seed.
#[derive(Debug, Clone)]
pub struct HistorySeed {
    pub reports: i64,
    /// (compound id, compound name) the past reports are spread over.
    pub compounds: Vec<(String, String)>,
    /// Category codes, e.g. `outage`.
    pub categories: Vec<&'static str>,
    /// Who received the past alerts: (person id, chat id).
    pub alerted: (String, i64),
    /// The newest seeded report is this old (epoch ms); older ones spread back a year.
    pub until_ms: i64,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryCounts {
    pub reports: i64,
    pub escalations: i64,
}

impl LabDb {
    /// Seeds `seed.reports` resolved reports (and their escalations and alerts)
    /// in chunks of 100,000, each in one transaction.
    pub async fn seed_history(&self, seed: &HistorySeed) -> anyhow::Result<HistoryCounts> {
        anyhow::ensure!(!seed.compounds.is_empty(), "history needs compounds");
        anyhow::ensure!(!seed.categories.is_empty(), "history needs categories");
        let mut counts = HistoryCounts::default();
        let mut done = 0;
        while done < seed.reports {
            let n = CHUNK.min(seed.reports - done);
            let n = n + (BLOCK - n % BLOCK) % BLOCK;
            counts.escalations += self.seed_chunk(seed, done, n).await?;
            counts.reports += n;
            done += n;
        }
        if self.backend == Backend::Postgres {
            for table in ["reports", "escalations", "outbox"] {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                );
                sqlx::query(AssertSqlSafe(sql))
                    .execute(&self.pool)
                    .await
                    .context("moving the id sequences past the seeded history")?;
            }
        }
        Ok(counts)
    }

    /// One transaction: `n` reports (a multiple of [`BLOCK`]) numbered from
    /// `first` in the whole seed; returns the escalations written.
    async fn seed_chunk(&self, seed: &HistorySeed, first: i64, n: i64) -> anyhow::Result<i64> {
        let mut tx = self.pool.begin().await?;
        let mut bases = Vec::new();
        for table in ["reports", "escalations", "outbox"] {
            let sql = format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}");
            let base: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_one(&mut *tx)
                .await
                .with_context(|| format!("reading the largest id of {table}"))?;
            bases.push(base);
        }
        let (report_base, escalation_base, outbox_base) = (bases[0], bases[1], bases[2]);
        let blocks = n / BLOCK;
        // One year back from `until_ms`, spread evenly over the whole seed.
        let step_ms = (365 * 24 * 3_600_000 / seed.reports.max(1)).max(1);
        let oldest = seed.until_ms - seed.reports * step_ms;
        let compound = case_of(
            "((n.i / 100) % {n})",
            &seed
                .compounds
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>(),
        );
        let compound_name = case_of(
            "((n.i / 100) % {n})",
            &seed
                .compounds
                .iter()
                .map(|(_, name)| name.as_str())
                .collect::<Vec<_>>(),
        );
        let category = case_of("((n.i / 100) % {n})", &seed.categories);
        let counter = "WITH RECURSIVE n(i) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
                       SELECT i + 1 FROM n WHERE i + 1 < $2)";
        let reports = format!(
            "{counter} INSERT INTO reports (id, ticket, resident_user_id, resident_chat_id, \
             resident_lang, category, compound_id, compound_text, address_detail, description, \
             status, created_at, updated_at) \
             SELECT $3 + n.i - $1 + 1, 'H-' || CAST($3 + n.i - $1 + 1 AS TEXT), \
             {HISTORY_USER_BASE} + n.i % {HISTORY_USERS}, {HISTORY_USER_BASE} + n.i % {HISTORY_USERS}, \
             'zh', {category}, {compound}, {compound_name}, '1号楼', '历史报修', 'resolved', \
             $4 + n.i * $5, $4 + n.i * $5 + 7200000 FROM n"
        );
        sqlx::query(AssertSqlSafe(reports))
            .bind(first)
            .bind(first + n)
            .bind(report_base)
            .bind(oldest)
            .bind(step_ms)
            .execute(&mut *tx)
            .await
            .context("seeding past reports")?;
        // Escalations: one per block, counted by block number in `n.i`.
        let esc_compound = compound.replace("(n.i / 100)", "n.i");
        let esc_name = compound_name.replace("(n.i / 100)", "n.i");
        let esc_category = category.replace("(n.i / 100)", "n.i");
        let escalations = format!(
            "{counter} INSERT INTO escalations (id, compound_id, compound_text, category, reason, \
             no_entry, status, step, repeats, report_count, threshold, opened_at, acknowledged_at, \
             acknowledged_by, resolved_at, resolved_by, updated_at) \
             SELECT $3 + n.i - $1 + 1, {esc_compound}, {esc_name}, {esc_category}, 'threshold', 0, \
             'resolved', 1, 0, {BLOCK}, 5, $4 + n.i * $5, $4 + n.i * $5 + 60000, 'history', \
             $4 + n.i * $5 + 3600000, 'history', $4 + n.i * $5 + 3600000 FROM n"
        );
        let first_block = first / BLOCK;
        sqlx::query(AssertSqlSafe(escalations))
            .bind(first_block)
            .bind(first_block + blocks)
            .bind(escalation_base)
            .bind(oldest)
            .bind(step_ms * BLOCK)
            .execute(&mut *tx)
            .await
            .context("seeding past escalations")?;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1)
             INSERT INTO escalation_reports (escalation_id, report_id)
             SELECT $2 + n.i / 100 + 1, $3 + n.i + 1 FROM n",
        )
        .bind(n)
        .bind(escalation_base)
        .bind(report_base)
        .execute(&mut *tx)
        .await
        .context("linking past reports to their escalations")?;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1)
             INSERT INTO outbox (id, lane, chat_id, payload, status, attempts, next_attempt_at,
                                 telegram_message_id, created_at, sent_at)
             SELECT $2 + n.i + 1, 0, $3, '{}', 'sent', 1, $4, n.i + 1, $4, $4 FROM n",
        )
        .bind(blocks)
        .bind(outbox_base)
        .bind(seed.alerted.1)
        .bind(oldest)
        .execute(&mut *tx)
        .await
        .context("seeding past alert messages")?;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1)
             INSERT INTO escalation_alerts (escalation_id, outbox_id, person_id, chat_id, phoned_at)
             SELECT $2 + n.i + 1, $3 + n.i + 1, $4, $5, $6 FROM n",
        )
        .bind(blocks)
        .bind(escalation_base)
        .bind(outbox_base)
        .bind(&seed.alerted.0)
        .bind(seed.alerted.1)
        .bind(oldest)
        .execute(&mut *tx)
        .await
        .context("seeding past alerts")?;
        tx.commit().await?;
        Ok(blocks)
    }
}

/// `CASE <key> WHEN 0 THEN 'a' WHEN 1 THEN 'b' … END`, with `{n}` in `key`
/// replaced by the number of values. Values are quoted as SQL literals.
fn case_of(key: &str, values: &[&str]) -> String {
    let key = key.replace("{n}", &values.len().to_string());
    let arms: String = values
        .iter()
        .enumerate()
        .map(|(k, v)| format!(" WHEN {k} THEN '{}'", v.replace('\'', "''")))
        .collect();
    format!("CASE {key}{arms} END")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A fresh database: on `HOTLINE_TEST_POSTGRES`'s server if set, else SQLite.
    pub(crate) async fn database(dir: &std::path::Path) -> String {
        let Some(server) = std::env::var("HOTLINE_TEST_POSTGRES")
            .ok()
            .filter(|s| !s.is_empty())
        else {
            return format!("sqlite://{}", dir.join("h.db").display());
        };
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let name = format!("hotline_t_{:016x}", fastrand::u64(..));
        let mut admin = sqlx::AnyConnection::connect(&server).await.unwrap();
        let create = AssertSqlSafe(format!("CREATE DATABASE {name}"));
        sqlx::query(create).execute(&mut admin).await.unwrap();
        let _ = admin.close().await;
        let mut url = url::Url::parse(&server).unwrap();
        url.set_path(&name);
        url.to_string()
    }

    #[tokio::test]
    async fn seeded_history_is_resolved_and_linked() {
        let dir = tempfile::tempdir().unwrap();
        let url = database(dir.path()).await;
        // The bot's store creates and migrates the database; the lab only seeds it.
        hotline::store::Store::connect(&url, 1)
            .await
            .unwrap()
            .close()
            .await;
        let store = LabDb::connect(&url, 1).await.unwrap();
        let seed = HistorySeed {
            reports: 250,
            compounds: vec![
                ("yanshan".into(), "燕山小区".into()),
                ("o'brien".into(), "O'Brien".into()),
            ],
            categories: vec!["outage", "quality"],
            alerted: ("wang".into(), 900011),
            until_ms: 1_700_000_000_000,
        };
        let counts = store.seed_history(&seed).await.unwrap();
        assert_eq!(
            counts,
            HistoryCounts {
                reports: 300,
                escalations: 3
            }
        );
        let count = |sql: &'static str| {
            let store = store.clone();
            async move {
                let n: i64 = sqlx::query_scalar(sql)
                    .fetch_one(&store.pool)
                    .await
                    .unwrap();
                n
            }
        };
        let resolved = "SELECT COUNT(*) FROM reports WHERE status = 'resolved'";
        assert_eq!(count(resolved).await, 300);
        let second_block = "SELECT COUNT(*) FROM reports WHERE compound_id = 'o''brien' AND id > 100 AND id <= 200";
        assert_eq!(count(second_block).await, 100);
        // A second seed continues the ids instead of colliding with them.
        store.seed_history(&seed).await.unwrap();
        assert_eq!(count(resolved).await, 600);
        assert_eq!(count("SELECT COUNT(*) FROM escalation_reports").await, 600);
        let alerts = "SELECT COUNT(*) FROM escalation_alerts a JOIN outbox o ON o.id = a.outbox_id";
        assert_eq!(count(alerts).await, 6);
        // Ids handed out later follow the seeded ones (PostgreSQL: the sequences moved).
        let next: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (lane, chat_id, payload, status, next_attempt_at, created_at)
             VALUES (1, 1, '{}', 'sent', 0, 0) RETURNING id",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap();
        assert_eq!(next, 7);
    }
}
