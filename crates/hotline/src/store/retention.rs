//! Retention: erasing residents' contact details once their reports are long
//! resolved (the facts stay for statistics), deleting old delivery records,
//! and `/forget`, a resident's own erasure (for WeChat residents also
//! `super::wechat_retention`).

use super::Tx;
use super::error::{Context, Result, StoreError};
use crate::domain::ReportId;

/// What a purge removed (or, dry, would remove).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Reports whose phone and photos were erased.
    pub report_contacts: i64,
    /// Residents whose name was erased.
    pub resident_names: i64,
    pub outbox_rows: i64,
    pub update_ids: i64,
    /// Photos WeChat residents sent, no longer referred to.
    pub wechat_photos: i64,
    /// WeChat's push keys and forgotten residents' openids.
    pub wechat_ids: i64,
}

// Each pair: the rows a purge touches (`$1` the cut-off), then the change.
const COUNT_CONTACTS: &str =
    "SELECT COUNT(*) FROM reports WHERE status = 'resolved' AND updated_at < $1
     AND (phone IS NOT NULL OR photo_file_ids <> '[]')";
const ERASE_CONTACTS: &str =
    "UPDATE reports SET phone = NULL, phone_for = NULL, photo_file_ids = '[]'
     WHERE status = 'resolved' AND updated_at < $1
     AND (phone IS NOT NULL OR photo_file_ids <> '[]')";

/// A name goes once the resident is quiet and every report of theirs is
/// resolved before the cut-off.
const COUNT_NAMES: &str =
    "SELECT COUNT(*) FROM residents s WHERE s.first_name <> '' AND s.updated_at < $1
     AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.resident_user_id = s.user_id
                     AND NOT (r.status = 'resolved' AND r.updated_at < $1))";
const ERASE_NAMES: &str =
    "UPDATE residents SET first_name = '' WHERE first_name <> '' AND updated_at < $1
     AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.resident_user_id = residents.user_id
                     AND NOT (r.status = 'resolved' AND r.updated_at < $1))";

/// Sent rows an alert or a pending notice still points at are kept.
const COUNT_OUTBOX: &str = "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at < $1
     AND id NOT IN (SELECT outbox_id FROM escalation_alerts)
     AND id NOT IN (SELECT outbox_id FROM escalation_notices)";
const DELETE_OUTBOX: &str = "DELETE FROM outbox WHERE status = 'sent' AND sent_at < $1
     AND id NOT IN (SELECT outbox_id FROM escalation_alerts)
     AND id NOT IN (SELECT outbox_id FROM escalation_notices)";

const COUNT_UPDATES: &str = "SELECT COUNT(*) FROM processed_updates WHERE processed_at < $1";
const DELETE_UPDATES: &str = "DELETE FROM processed_updates WHERE processed_at < $1";

/// One kind of purge: count it, do it, with which cut-off, and what it is.
type Step = (&'static str, &'static str, bool, &'static str);

const STEPS: [Step; 4] = [
    (
        COUNT_CONTACTS,
        ERASE_CONTACTS,
        true,
        "erasing old contact details",
    ),
    (
        COUNT_NAMES,
        ERASE_NAMES,
        true,
        "erasing old residents' names",
    ),
    (
        COUNT_OUTBOX,
        DELETE_OUTBOX,
        false,
        "deleting old outbox rows",
    ),
    (
        COUNT_UPDATES,
        DELETE_UPDATES,
        false,
        "deleting old update ids",
    ),
];

impl Tx {
    /// Purges what is older than the cut-offs (epoch ms); with `dry` only
    /// counts it.
    pub async fn purge(
        &mut self,
        contact_cutoff: i64,
        delivery_cutoff: i64,
        dry: bool,
    ) -> Result<Purged> {
        let mut counts = [0i64; 4];
        for (i, (count, change, contact, what)) in STEPS.into_iter().enumerate() {
            let cutoff = if contact {
                contact_cutoff
            } else {
                delivery_cutoff
            };
            counts[i] = if dry {
                sqlx::query_scalar(count)
                    .bind(cutoff)
                    .fetch_one(&mut *self.inner)
                    .await
                    .context(what)?
            } else {
                let done = sqlx::query(change)
                    .bind(cutoff)
                    .execute(&mut *self.inner)
                    .await
                    .context(what)?;
                done.rows_affected() as i64
            };
        }
        if !dry {
            // A push's answer is looked up only while WeChat may retry the
            // push (seconds): its links go with the update ids.
            sqlx::query("DELETE FROM chat_answers WHERE created_at < $1")
                .bind(delivery_cutoff)
                .execute(&mut *self.inner)
                .await
                .context("deleting old answers' links")?;
        }
        let wechat = self
            .purge_wechat(contact_cutoff, delivery_cutoff, dry)
            .await?;
        Ok(Purged {
            report_contacts: counts[0],
            resident_names: counts[1],
            outbox_rows: counts[2],
            update_ids: counts[3],
            wechat_photos: wechat.photos,
            wechat_ids: wechat.ids,
        })
    }

    /// `/forget`: erases the resident's name and the phone on every report of
    /// theirs (and a WeChat resident's unsent photos and events' keys); each
    /// open report keeps a note that they asked. Returns how
    /// many reports were touched.
    pub async fn forget_resident(&mut self, user_id: i64, now_ms: i64) -> Result<i64> {
        sqlx::query("UPDATE residents SET first_name = '' WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.inner)
            .await
            .context("erasing a resident's name")?;
        let open: Vec<ReportId> = sqlx::query_scalar(
            "SELECT id FROM reports WHERE resident_user_id = $1 AND status <> 'resolved' ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&mut *self.inner)
        .await
        .context("finding a resident's open reports")?;
        let done = sqlx::query(
            "UPDATE reports SET phone = NULL, phone_for = NULL WHERE resident_user_id = $1",
        )
        .bind(user_id)
        .execute(&mut *self.inner)
        .await
        .context("erasing a resident's phone numbers")?;
        self.forget_wechat(user_id).await?;
        let actor = crate::domain::Actor::Resident(user_id);
        let note = crate::domain::Detail::ResidentAsked.code();
        for id in open {
            self.add_report_event(
                id,
                crate::domain::ReportEventKind::Forgotten,
                &actor,
                &note,
                now_ms,
            )
            .await?;
        }
        Ok(done.rows_affected() as i64)
    }
}

impl super::Store {
    /// A consistent copy of a SQLite database while it is in use
    /// (`VACUUM INTO`, one read transaction); `path` must not exist.
    /// PostgreSQL has `pg_dump` (see the README).
    pub async fn backup_into(&self, path: &std::path::Path) -> Result<()> {
        if self.backend != super::Backend::Sqlite {
            return Err(StoreError::Backup(
                "hotline backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)"
                    .into(),
            ));
        }
        if path.exists() {
            return Err(StoreError::Backup(format!(
                "{} exists already",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Backup("the path is not UTF-8".into()))?;
        // An empty 0600 file, which VACUUM INTO fills: the copy is as private as the original.
        super::create_private(path)
            .map_err(|e| StoreError::Backup(format!("creating {}: {e}", path.display())))?;
        let sql = format!("VACUUM INTO '{}'", target.replace('\'', "''"));
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await
            .context("copying the database (VACUUM INTO)")?;
        Ok(())
    }
}
