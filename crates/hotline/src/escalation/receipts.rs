//! Texts to callers: a call taken at the desk may ask for an SMS receipt
//! with its ticket number and an SMS when it is resolved (`[desk]
//! sms_receipts`). Both are outbox rows written in the fact's transaction,
//! sent through the gateway like a manager's page (one row per number,
//! keyed by it, so a caller's texts keep their order).

use crate::domain::ChatId;
use crate::domain::household::normalize_phone;
use crate::domain::reach::reach_key;
use crate::domain::{Lane, Lang, OutMessage, ReachChannel, Reachee};
use crate::store::{ReportRow, Tx};

/// Queues an SMS to a caller's number (as stored on the report).
pub(crate) async fn text_caller(
    tx: &mut Tx,
    phone: &str,
    text: String,
    now_ms: i64,
) -> anyhow::Result<()> {
    let number = normalize_phone(phone).unwrap_or_else(|| phone.to_owned());
    let message = OutMessage::Reach {
        chat_id: reach_key("phone", &number),
        channel: ReachChannel::Sms,
        to: vec![Reachee {
            // Not a configured person: the caller, by the receipt's own key.
            person_id: "caller".into(),
            name: String::new(),
            phone: Some(number),
            feishu_id: None,
        }],
        text,
        steps: vec![],
    };
    tx.enqueue(Lane::Reply, &message, now_ms).await?;
    Ok(())
}

/// The callers among `reports` who asked for texts hear it is resolved.
pub(crate) async fn tell_callers_resolved(
    tx: &mut Tx,
    reports: &[ReportRow],
    note: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    // A call has no chat: only those can have asked for texts.
    for report in reports.iter().filter(|r| r.resident_chat_id == ChatId(0)) {
        let Some(phone) = report.phone.as_deref().filter(|p| !p.is_empty()) else {
            continue;
        };
        if !tx.call_texts_caller(report.id).await? {
            continue;
        }
        let lang = Lang::parse(&report.resident_lang).unwrap_or_default();
        let text = crate::texts::call::sms_resolved(lang, &report.ticket, note);
        text_caller(tx, phone, text, now_ms).await?;
    }
    Ok(())
}
