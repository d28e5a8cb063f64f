//! The `reports` table and each report's history (`report_events`): what a
//! resident filed, their own view of it, and the rate limit's count.

use crate::domain::{ChatId, ReportId};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use sqlx::any::AnyRow;

use super::error::{Context, Result, parse_code};
use super::{Store, Tx};
use crate::clock::to_millis;
use crate::domain::{
    Actor, Category, CompoundRef, Household, Lang, PersonId, ReportEventKind, ReportStatus, Ticket,
};

/// A confirmed report, as the wizard hands it to the store.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub resident_user_id: i64,
    pub resident_chat_id: ChatId,
    pub resident_lang: Lang,
    pub category: Category,
    pub compound: CompoundRef,
    pub address_detail: String,
    pub location: Option<(f64, f64)>,
    pub description: String,
    pub description_truncated: bool,
    pub photo_file_ids: Vec<String>,
    pub phone: Option<String>,
    /// Who stands behind it, decided by the channel that took it: what a
    /// threshold counts.
    pub household: Household,
}

/// A stored report.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: ReportId,
    pub ticket: String,
    pub resident_user_id: i64,
    pub resident_chat_id: ChatId,
    pub resident_lang: String,
    pub category: String,
    pub compound_id: Option<String>,
    pub compound_text: String,
    pub address_detail: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: String,
    pub description_truncated: i64,
    pub photo_file_ids: String,
    pub phone: Option<String>,
    /// The phone came on someone else's contact card: their name.
    pub phone_for: Option<String>,
    pub status: ReportStatus,
    pub created_at: i64,
    pub updated_at: i64,
    /// The member of staff it was assigned to (`/assign`).
    pub assigned_to: Option<PersonId>,
    /// Its household's key (`phone:…`, `tg:…`, …); `None` only for rows
    /// written outside the store (seeded history).
    pub household: Option<String>,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for ReportRow {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        let status: String = row.try_get("status")?;
        Ok(ReportRow {
            id: row.try_get("id")?,
            ticket: row.try_get("ticket")?,
            resident_user_id: row.try_get("resident_user_id")?,
            resident_chat_id: row.try_get("resident_chat_id")?,
            resident_lang: row.try_get("resident_lang")?,
            category: row.try_get("category")?,
            compound_id: row.try_get("compound_id")?,
            compound_text: row.try_get("compound_text")?,
            address_detail: row.try_get("address_detail")?,
            latitude: row.try_get("latitude")?,
            longitude: row.try_get("longitude")?,
            description: row.try_get("description")?,
            description_truncated: row.try_get("description_truncated")?,
            photo_file_ids: row.try_get("photo_file_ids")?,
            phone: row.try_get("phone")?,
            phone_for: row.try_get("phone_for")?,
            status: parse_code("report status", &status, ReportStatus::from_code)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            assigned_to: row.try_get("assigned_to")?,
            household: row.try_get("household")?,
        })
    }
}

impl ReportRow {
    pub fn category(&self) -> Option<Category> {
        Category::from_code(&self.category)
    }

    pub fn status(&self) -> ReportStatus {
        self.status
    }

    pub fn photos(&self) -> Vec<String> {
        serde_json::from_str(&self.photo_file_ids).unwrap_or_default()
    }
}

/// The columns a [`ReportRow`] reads, as a literal so queries are `&'static str`.
macro_rules! report_columns {
    () => {
        "id, ticket, resident_user_id, resident_chat_id, resident_lang, category, \
         compound_id, compound_text, address_detail, latitude, longitude, description, \
         description_truncated, photo_file_ids, phone, phone_for, status, created_at, updated_at, \
         assigned_to, household"
    };
}
pub(super) use report_columns;

/// Reports a resident filed since `$2` (hot: the rate limit, every /report).
pub const COUNT_REPORTS_SINCE: &str =
    "SELECT COUNT(*) FROM reports WHERE resident_user_id = $1 AND created_at >= $2";

/// A resident's own reports, newest first (`/my`).
pub const REPORTS_OF_RESIDENT: &str = concat!(
    "SELECT ",
    report_columns!(),
    " FROM reports WHERE resident_user_id = $1 ORDER BY id DESC LIMIT $2"
);

impl Tx {
    /// Stores a report with the next ticket number of the city-local day, and
    /// its `created` event.
    pub async fn create_report(
        &mut self,
        report: &NewReport,
        now: DateTime<Utc>,
        tz: Tz,
        ticket_prefix: &str,
    ) -> Result<(ReportId, Ticket)> {
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO ticket_counters (day, last_seq) VALUES ($1, 1)
             ON CONFLICT (day) DO UPDATE SET last_seq = ticket_counters.last_seq + 1
             RETURNING last_seq",
        )
        .bind(Ticket::day_key(now, tz))
        .fetch_one(&mut *self.inner)
        .await
        .context("allocating a ticket number")?;
        let ticket = Ticket::new(ticket_prefix, now, tz, seq);
        let now_ms = to_millis(now);
        let id: ReportId = sqlx::query_scalar(
            "INSERT INTO reports (ticket, resident_user_id, resident_chat_id, resident_lang, category,
                compound_id, compound_text, address_detail, latitude, longitude, description,
                description_truncated, photo_file_ids, phone, status, created_at, updated_at, household)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17)
             RETURNING id",
        )
        .bind(ticket.as_str())
        .bind(report.resident_user_id)
        .bind(report.resident_chat_id)
        .bind(report.resident_lang.code())
        .bind(report.category.code())
        .bind(report.compound.matched_id())
        .bind(report.compound.display_name())
        .bind(&report.address_detail)
        .bind(report.location.map(|l| l.0))
        .bind(report.location.map(|l| l.1))
        .bind(&report.description)
        .bind(i64::from(report.description_truncated))
        .bind(serde_json::to_string(&report.photo_file_ids).context("encoding photo ids")?)
        .bind(&report.phone)
        .bind(ReportStatus::New.code())
        .bind(now_ms)
        .bind(report.household.key(ticket.as_str()))
        .fetch_one(&mut *self.inner)
        .await
        .context("storing the report")?;
        let actor = Actor::Resident(report.resident_user_id);
        self.add_report_event(id, ReportEventKind::Created, &actor, "", now_ms)
            .await?;
        Ok((id, ticket))
    }

    /// Marks the report's phone as given for someone else (`name` is on
    /// the contact card the resident shared).
    pub async fn set_phone_for(&mut self, report_id: ReportId, name: &str) -> Result<()> {
        sqlx::query("UPDATE reports SET phone_for = $1 WHERE id = $2")
            .bind(name)
            .bind(report_id)
            .execute(&mut *self.inner)
            .await
            .context("noting whose number a report's phone is")?;
        Ok(())
    }

    pub async fn count_reports_since(&mut self, user_id: i64, since_ms: i64) -> Result<i64> {
        sqlx::query_scalar(COUNT_REPORTS_SINCE)
            .bind(user_id)
            .bind(since_ms)
            .fetch_one(&mut *self.inner)
            .await
            .context("counting the resident's recent reports")
    }

    /// The resident's own reports, newest first. Never anyone else's.
    pub async fn reports_of_resident(
        &mut self,
        user_id: i64,
        limit: i64,
    ) -> Result<Vec<ReportRow>> {
        sqlx::query_as(REPORTS_OF_RESIDENT)
            .bind(user_id)
            .bind(limit)
            .fetch_all(&mut *self.inner)
            .await
            .context("listing the resident's reports")
    }

    /// A report by ticket, only if it belongs to this resident.
    pub async fn resident_report(
        &mut self,
        user_id: i64,
        ticket: &Ticket,
    ) -> Result<Option<ReportRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports WHERE ticket = $1 AND resident_user_id = $2"
        ))
        .bind(ticket.as_str())
        .bind(user_id)
        .fetch_optional(&mut *self.inner)
        .await
        .context("reading the resident's report")
    }
}

/// Reads for the demo and the benchmark.
impl Store {
    pub async fn all_reports(&self) -> Result<Vec<ReportRow>> {
        sqlx::query_as(concat!(
            "SELECT ",
            report_columns!(),
            " FROM reports ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await
        .context("listing reports")
    }

    /// The stored dialogue JSON of a chat (state lives in the database).
    pub async fn dialogue_state(&self, chat_id: ChatId) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = $1")
            .bind(chat_id)
            .fetch_optional(&self.pool)
            .await
            .context("reading a dialogue")
    }
}

#[cfg(feature = "testkit")]
impl Store {
    /// For tests: a report's history as (kind, actor, detail), oldest first.
    pub async fn report_events(
        &self,
        report_id: ReportId,
    ) -> Result<Vec<(String, String, String)>> {
        sqlx::query_as(
            "SELECT kind, actor, detail FROM report_events WHERE report_id = $1 ORDER BY id",
        )
        .bind(report_id)
        .fetch_all(&self.pool)
        .await
        .context("reading a report's history")
    }
}
