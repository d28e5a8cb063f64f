//! Open311's tables: API keys (only their SHA-256) and which reports a
//! client filed, and the public view of reports the API answers with: never
//! a resident's phone, name or chat.

use sqlx::any::AnyRow;

use super::error::{Context, Result};
use super::{Store, Tx};
use crate::domain::ReportId;

/// A report as Open311 shows it: facts only, nothing about the resident.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicReport {
    pub ticket: String,
    pub category: String,
    pub compound_text: String,
    pub address_detail: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: String,
    pub resolved: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The note of the latest resolve.
    pub status_notes: Option<String>,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for PublicReport {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        let status: String = row.try_get("status")?;
        Ok(PublicReport {
            ticket: row.try_get("ticket")?,
            category: row.try_get("category")?,
            compound_text: row.try_get("compound_text")?,
            address_detail: row.try_get("address_detail")?,
            latitude: row.try_get("latitude")?,
            longitude: row.try_get("longitude")?,
            description: row.try_get("description")?,
            resolved: status == "resolved",
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            status_notes: row.try_get("status_notes")?,
        })
    }
}

/// What `GET requests.json` asked for. Lists are comma-separated; empty
/// means any.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub tickets: Vec<String>,
    pub categories: Vec<String>,
    pub start_ms: i64,
    pub end_ms: i64,
    /// `Some(true)`: only closed (resolved); `Some(false)`: only open.
    pub closed: Option<bool>,
    pub limit: i64,
}

/// `$1`/`$2` are ",a,b," lists (or ""): the column must be one of them.
const PUBLIC_REPORTS: &str = "SELECT r.ticket, r.category, r.compound_text, r.address_detail,
        r.latitude, r.longitude, r.description, r.status, r.created_at, r.updated_at,
        (SELECT e.detail FROM report_events e WHERE e.report_id = r.id AND e.kind = 'resolved'
          ORDER BY e.id DESC LIMIT 1) AS status_notes
     FROM reports r
     WHERE ($1 = '' OR $1 LIKE '%,' || r.ticket || ',%')
       AND ($2 = '' OR $2 LIKE '%,' || r.category || ',%')
       AND r.created_at >= $3 AND r.created_at < $4
       AND ($5 = '' OR ($5 = 'closed' AND r.status = 'resolved')
                    OR ($5 = 'open' AND r.status <> 'resolved'))
     ORDER BY r.created_at DESC, r.id DESC LIMIT $6";

fn as_list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(",{},", items.join(","))
    }
}

impl Store {
    /// The client a key hash belongs to: stored keys (`hotline open311 key add`).
    pub async fn open311_client(&self, key_sha256: &str) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT client FROM open311_keys WHERE key_sha256 = $1")
            .bind(key_sha256)
            .fetch_optional(&self.pool)
            .await
            .context("looking up an Open311 key")
    }

    /// Reports matching `filter`, newest first.
    pub async fn public_reports(&self, filter: &RequestFilter) -> Result<Vec<PublicReport>> {
        let status = match filter.closed {
            None => "",
            Some(true) => "closed",
            Some(false) => "open",
        };
        sqlx::query_as(PUBLIC_REPORTS)
            .bind(as_list(&filter.tickets))
            .bind(as_list(&filter.categories))
            .bind(filter.start_ms)
            .bind(filter.end_ms)
            .bind(status)
            .bind(filter.limit)
            .fetch_all(&self.pool)
            .await
            .context("listing reports for Open311")
    }

    /// One report by ticket.
    pub async fn public_report(&self, ticket: &str) -> Result<Option<PublicReport>> {
        let filter = RequestFilter {
            tickets: vec![ticket.to_string()],
            start_ms: i64::MIN,
            end_ms: i64::MAX,
            limit: 1,
            ..RequestFilter::default()
        };
        Ok(self.public_reports(&filter).await?.pop())
    }
}

impl Tx {
    /// Creates or replaces `client`'s key.
    pub async fn set_open311_key(
        &mut self,
        client: &str,
        key_sha256: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO open311_keys (client, key_sha256, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (client) DO UPDATE SET key_sha256 = $2, created_at = $3",
        )
        .bind(client)
        .bind(key_sha256)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("storing an Open311 key")?;
        Ok(())
    }

    /// Records that `client` filed the report.
    pub async fn record_open311_request(
        &mut self,
        report_id: ReportId,
        client: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO open311_requests (report_id, client, created_at) VALUES ($1, $2, $3)",
        )
        .bind(report_id)
        .bind(client)
        .bind(now_ms)
        .execute(&mut *self.inner)
        .await
        .context("recording an Open311 request")?;
        Ok(())
    }
}
