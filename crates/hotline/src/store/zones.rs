//! The `zones` table: priority zones managers add and remove from chat. A
//! removed or expired zone keeps its row (with who removed it).

use sqlx::any::AnyRow;

use super::Tx;
use super::error::{Context, Result, parse_code};
use crate::domain::{PersonId, ZoneKind};

/// A priority zone.
#[derive(Debug, Clone)]
pub struct ZoneRow {
    pub id: i64,
    pub compound_id: String,
    /// Empty: the whole compound.
    pub address: String,
    pub kind: ZoneKind,
    pub expires_at: Option<i64>,
    pub created_by: PersonId,
    pub created_at: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for ZoneRow {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        let kind: String = row.try_get("kind")?;
        Ok(ZoneRow {
            id: row.try_get("id")?,
            compound_id: row.try_get("compound_id")?,
            address: row.try_get("address")?,
            kind: parse_code("zone kind", &kind, ZoneKind::from_code)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            expires_at: row.try_get("expires_at")?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

macro_rules! zone_columns {
    () => {
        "id, compound_id, address, kind, expires_at, created_by, created_at"
    };
}

/// A compound's active zones, newest first (hot: every report from a known compound).
pub const ACTIVE_ZONES_OF_COMPOUND: &str = concat!(
    "SELECT ",
    zone_columns!(),
    " FROM zones WHERE compound_id = $1 AND removed_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
      ORDER BY id DESC"
);

impl Tx {
    /// The active zone on a compound: a whole-compound zone, or one whose
    /// address the report's address contains. The most recent wins.
    pub async fn active_zone(
        &mut self,
        compound_id: &str,
        address: &str,
        now_ms: i64,
    ) -> Result<Option<ZoneRow>> {
        let zones: Vec<ZoneRow> = sqlx::query_as(ACTIVE_ZONES_OF_COMPOUND)
            .bind(compound_id)
            .bind(now_ms)
            .fetch_all(&mut *self.inner)
            .await
            .context("looking up the compound's priority zones")?;
        let norm = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
        let address = norm(address);
        Ok(zones
            .into_iter()
            .find(|z| z.address.is_empty() || address.contains(&norm(&z.address))))
    }

    pub async fn add_zone(
        &mut self,
        compound_id: &str,
        address: &str,
        kind: ZoneKind,
        expires_at: Option<i64>,
        by: &PersonId,
        now_ms: i64,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO zones (compound_id, address, kind, expires_at, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(compound_id)
        .bind(address)
        .bind(kind.code())
        .bind(expires_at)
        .bind(by)
        .bind(now_ms)
        .fetch_one(&mut *self.inner)
        .await
        .context("adding a priority zone")
    }

    /// False when there is no such active zone.
    pub async fn remove_zone(&mut self, id: i64, by: &PersonId, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE zones SET removed_at = $2, removed_by = $3 WHERE id = $1 AND removed_at IS NULL",
        )
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(&mut *self.inner)
        .await
        .context("removing a priority zone")?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn active_zones(&mut self, now_ms: i64) -> Result<Vec<ZoneRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            zone_columns!(),
            " FROM zones WHERE removed_at IS NULL AND (expires_at IS NULL OR expires_at > $1)
              ORDER BY compound_id, id"
        ))
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await
        .context("listing active priority zones")
    }

    /// Marks zones past their expiry as removed (by "expired"); returns their ids.
    pub async fn expire_zones(&mut self, now_ms: i64) -> Result<Vec<i64>> {
        sqlx::query_scalar(
            "UPDATE zones SET removed_at = $1, removed_by = 'expired'
             WHERE removed_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $1 RETURNING id",
        )
        .bind(now_ms)
        .fetch_all(&mut *self.inner)
        .await
        .context("expiring priority zones")
    }
}

#[cfg(feature = "testkit")]
impl super::Store {
    /// For tests: every zone ever added as (id, kind, removed_by).
    pub async fn zones_with_removed(&self) -> Result<Vec<(i64, String, Option<String>)>> {
        sqlx::query_as("SELECT id, kind, removed_by FROM zones ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .context("listing zones")
    }
}
