//! What retention and `/forget` remove for WeChat residents besides what
//! they remove for every resident (`super::retention`): the photos kept for
//! them (`wechat_photos`), the push keys that recognise WeChat's retries
//! (`wechat_ids` kind 'push'; an event's key holds the sender's openid) and
//! the openids of residents retention forgets.
//!
//! - The purge deletes a kept photo once no report refers to it and it is
//!   older than the contact cut-off (a resolved report's photos are erased
//!   first; a photo sent outside a report never is referred to); push keys
//!   older than the delivery cut-off, like recorded update ids; and the
//!   openid of a resident quiet since the contact cut-off with every report
//!   resolved before it (the one whose name goes): their chat id then leads
//!   to no one, and writing again makes them a new resident.
//! - `/forget` deletes the photos the resident sent that no report refers
//!   to (a report being written is dropped) and rewrites their events' push
//!   keys without the openid. The openid itself stays while they have open
//!   reports to be told about, as a Telegram resident's user id stays; their
//!   reports' photos stay for staff like a Telegram resident's.

use super::Tx;
use super::error::{Context, Result};

/// The first WeChat resident's user id: 2^53 (`crate::domain::ChatId`).
const WECHAT_BASE: i64 = crate::domain::ChatId::WECHAT_BASE;

/// A photo no report refers to (`photo_file_ids` holds `"wechat:<id>"`).
const UNREFERRED: &str = "NOT EXISTS (SELECT 1 FROM reports r
     WHERE r.photo_file_ids LIKE '%\"wechat:' || wechat_photos.id || '\"%')";
/// A photo no report refers to once the purge erased the photos of
/// reports resolved before the cut-off `$1` (so a dry run counts it too).
const UNREFERRED_AFTER: &str = "NOT EXISTS (SELECT 1 FROM reports r
     WHERE r.photo_file_ids LIKE '%\"wechat:' || wechat_photos.id || '\"%'
     AND NOT (r.status = 'resolved' AND r.updated_at < $1))";

/// WeChat's residents' user ids are 2^53 + their openid's number.
const OPENID_GONE: &str = "kind = 'openid' AND seen_at < $1
     AND NOT EXISTS (SELECT 1 FROM residents s
                     WHERE s.user_id = 9007199254740992 + wechat_ids.id AND s.updated_at >= $1)
     AND NOT EXISTS (SELECT 1 FROM reports r
                     WHERE r.resident_user_id = 9007199254740992 + wechat_ids.id
                     AND NOT (r.status = 'resolved' AND r.updated_at < $1))
     AND NOT EXISTS (SELECT 1 FROM outbox o
                     WHERE o.chat_id = 9007199254740992 + wechat_ids.id
                     AND o.status IN ('pending', 'sending'))";

/// What the purge removed for WeChat residents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WechatPurged {
    pub photos: i64,
    /// Push keys and openids.
    pub ids: i64,
}

impl Tx {
    /// The WeChat part of the purge (see the module); with `dry` only counts.
    pub(super) async fn purge_wechat(
        &mut self,
        contact_cutoff: i64,
        delivery_cutoff: i64,
        dry: bool,
    ) -> Result<WechatPurged> {
        let photos = format!("FROM wechat_photos WHERE created_at < $1 AND {UNREFERRED_AFTER}");
        let pushes = "FROM wechat_ids WHERE kind = 'push' AND seen_at < $1".to_owned();
        let openids = format!("FROM wechat_ids WHERE {OPENID_GONE}");
        let photos = self.purge_rows(&photos, contact_cutoff, dry).await?;
        let pushes = self.purge_rows(&pushes, delivery_cutoff, dry).await?;
        let openids = self.purge_rows(&openids, contact_cutoff, dry).await?;
        Ok(WechatPurged {
            photos,
            ids: pushes + openids,
        })
    }

    /// Counts (`dry`) or deletes the rows `from` (`FROM … WHERE …`, `$1`
    /// the cut-off) selects.
    async fn purge_rows(&mut self, from: &str, cutoff: i64, dry: bool) -> Result<i64> {
        if dry {
            let sql = format!("SELECT COUNT(*) {from}");
            return sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(cutoff)
                .fetch_one(&mut *self.inner)
                .await
                .context("counting old WeChat records");
        }
        let sql = format!("DELETE {from}");
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(cutoff)
            .execute(&mut *self.inner)
            .await
            .context("deleting old WeChat records")?;
        Ok(done.rows_affected() as i64)
    }

    /// The WeChat part of `/forget` for `user_id` (see the module); nothing
    /// for a Telegram resident.
    pub(super) async fn forget_wechat(&mut self, user_id: i64) -> Result<()> {
        let photos = format!("DELETE FROM wechat_photos WHERE resident = $1 AND {UNREFERRED}");
        sqlx::query(sqlx::AssertSqlSafe(photos))
            .bind(user_id)
            .execute(&mut *self.inner)
            .await
            .context("deleting a resident's unsent WeChat photos")?;
        let Some(number) = user_id.checked_sub(WECHAT_BASE).filter(|n| *n >= 0) else {
            return Ok(());
        };
        let openid: Option<String> =
            sqlx::query_scalar("SELECT key FROM wechat_ids WHERE kind = 'openid' AND id = $1")
                .bind(number)
                .fetch_optional(&mut *self.inner)
                .await
                .context("reading a resident's openid")?;
        let Some(openid) = openid else {
            return Ok(());
        };
        // `event:<openid>:<time>:…` (`crate::wechat::push::Push::dedup_key`).
        let prefix = format!("event:{openid}:");
        let like = prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let keys: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, key FROM wechat_ids WHERE kind = 'push' AND key LIKE $1 ESCAPE '\\'",
        )
        .bind(format!("{like}%"))
        .fetch_all(&mut *self.inner)
        .await
        .context("finding a resident's WeChat events")?;
        for (id, _) in keys.iter().filter(|(_, key)| key.starts_with(&prefix)) {
            sqlx::query("UPDATE wechat_ids SET key = $1 WHERE id = $2")
                .bind(format!("forgotten:{id}"))
                .bind(id)
                .execute(&mut *self.inner)
                .await
                .context("forgetting a resident's WeChat event")?;
        }
        Ok(())
    }
}
