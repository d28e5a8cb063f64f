//! Open311's tables: API keys (only their SHA-256) and which reports a
//! client filed, and the public view of reports the API answers with: never
//! a resident's phone, name or chat.

use sqlx::any::AnyRow;

use super::error::{Context, Result};
use super::{Store, Tx};
use crate::domain::ReportId;

/// A report as Open311 shows it: facts only. `names` are the resident's
/// names, for masking them in the public fields, never shown.
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
    /// The chat's first name and the contact card's owner, when known.
    pub names: Vec<String>,
    /// Given by the Open311 client that filed it.
    pub address_id: Option<String>,
    pub media_url: Option<String>,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for PublicReport {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        let status: String = row.try_get("status")?;
        let names: [Option<String>; 2] = [row.try_get("first_name")?, row.try_get("phone_for")?];
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
            names: names
                .into_iter()
                .flatten()
                .filter(|n| !n.is_empty())
                .collect(),
            address_id: row.try_get("address_id")?,
            media_url: row.try_get("media_url")?,
        })
    }
}

/// What `GET requests.json` asked for; empty lists mean any. Tickets, when
/// given, override every other filter (the spec).
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

const PUBLIC_COLUMNS: &str = "SELECT r.ticket, r.category, r.compound_text, r.address_detail,
        r.latitude, r.longitude, r.description, r.status, r.created_at, r.updated_at,
        (SELECT e.detail FROM report_events e WHERE e.report_id = r.id AND e.kind = 'resolved'
          ORDER BY e.id DESC LIMIT 1) AS status_notes,
        (SELECT p.first_name FROM residents p WHERE p.user_id = r.resident_user_id) AS first_name,
        r.phone_for, o.address_id, o.media_url
     FROM reports r LEFT JOIN open311_requests o ON o.report_id = r.id";

/// `$first, $first+1, …` for `n` values bound one by one.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The statement for `filter`: exact matches through bound values.
fn public_reports_sql(filter: &RequestFilter) -> String {
    if !filter.tickets.is_empty() {
        let ids = placeholders(1, filter.tickets.len());
        let limit = filter.tickets.len() + 1;
        return format!(
            "{PUBLIC_COLUMNS} WHERE r.ticket IN ({ids})
             ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}"
        );
    }
    let categories = match filter.categories.len() {
        0 => String::new(),
        n => format!(" AND r.category IN ({})", placeholders(4, n)),
    };
    let limit = filter.categories.len() + 4;
    format!(
        "{PUBLIC_COLUMNS} WHERE r.created_at >= $1 AND r.created_at < $2
           AND ($3 = '' OR ($3 = 'closed' AND r.status = 'resolved')
                        OR ($3 = 'open' AND r.status <> 'resolved'))
           {categories}
         ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}"
    )
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
        let sql = public_reports_sql(filter);
        // Only placeholders are formatted in; every value is bound.
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        if filter.tickets.is_empty() {
            let status = match filter.closed {
                None => "",
                Some(true) => "closed",
                Some(false) => "open",
            };
            query = query.bind(filter.start_ms).bind(filter.end_ms).bind(status);
            for category in &filter.categories {
                query = query.bind(category);
            }
        } else {
            for ticket in &filter.tickets {
                query = query.bind(ticket);
            }
        }
        query
            .bind(filter.limit)
            .fetch_all(&self.pool)
            .await
            .context("listing reports for Open311")
    }

    /// One report by ticket, matched exactly.
    pub async fn public_report(&self, ticket: &str) -> Result<Option<PublicReport>> {
        let filter = RequestFilter {
            tickets: vec![ticket.to_string()],
            limit: 1,
            ..RequestFilter::default()
        };
        Ok(self.public_reports(&filter).await?.pop())
    }

    /// The media URL an Open311 client gave with a report (shown to staff
    /// as a link; never fetched).
    pub async fn open311_media_url(&self, report_id: ReportId) -> Result<Option<String>> {
        let url: Option<Option<String>> =
            sqlx::query_scalar("SELECT media_url FROM open311_requests WHERE report_id = $1")
                .bind(report_id)
                .fetch_optional(&self.pool)
                .await
                .context("reading an Open311 media URL")?;
        Ok(url.flatten())
    }
}

/// A posted request's fields kept beside its report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Open311Given {
    pub address_id: Option<String>,
    pub media_url: Option<String>,
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

    /// Records that `client` filed the report, with what it gave that the
    /// report has no column for.
    pub async fn record_open311_request(
        &mut self,
        report_id: ReportId,
        client: &str,
        given: &Open311Given,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO open311_requests (report_id, client, created_at, address_id, media_url)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(report_id)
        .bind(client)
        .bind(now_ms)
        .bind(given.address_id.as_deref())
        .bind(given.media_url.as_deref())
        .execute(&mut *self.inner)
        .await
        .context("recording an Open311 request")?;
        Ok(())
    }
}
