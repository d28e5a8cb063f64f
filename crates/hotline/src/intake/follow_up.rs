//! A resident following up: `/my` lists their reports, `/status <ticket>`
//! shows one.

use super::Residents;
use crate::clock::from_millis;
use crate::domain::{Category, Lang, Ticket};
use crate::store::{ReportRow, Tx};
use crate::texts;

impl Residents {
    pub(super) async fn my_reports(
        &self,
        tx: &mut Tx,
        user_id: i64,
        lang: Lang,
    ) -> anyhow::Result<String> {
        let reports = tx.reports_of_resident(user_id, 10).await?;
        if reports.is_empty() {
            return Ok(texts::no_reports(lang).to_string());
        }
        let lines: Vec<String> = reports.iter().map(|r| report_line(r, lang)).collect();
        Ok(format!(
            "{}\n{}",
            texts::my_reports_header(lang),
            lines.join("\n")
        ))
    }

    pub(super) async fn status(
        &self,
        tx: &mut Tx,
        user_id: i64,
        args: &str,
        lang: Lang,
    ) -> anyhow::Result<String> {
        if args.trim().is_empty() {
            return Ok(format!(
                "{}\n\n{}",
                texts::status_usage(lang),
                self.my_reports(tx, user_id, lang).await?
            ));
        }
        let found = match Ticket::parse(args) {
            Some(ticket) => tx.resident_report(user_id, &ticket).await?,
            None => None,
        };
        let Some(r) = found else {
            return Ok(texts::ticket_not_found(lang).to_string());
        };
        let when = from_millis(r.created_at).with_timezone(&self.config.general.time_zone);
        let category = r.category().unwrap_or(Category::Other);
        let place = format!("{} {}", r.compound_text, r.address_detail);
        Ok(texts::status_detail(
            lang,
            &r.ticket,
            category,
            place.trim(),
            r.status(),
            &when.format("%Y-%m-%d %H:%M").to_string(),
        ))
    }
}

fn report_line(r: &ReportRow, lang: Lang) -> String {
    let place = format!("{} {}", r.compound_text, r.address_detail);
    texts::report_line(
        lang,
        &r.ticket,
        r.category().unwrap_or(Category::Other),
        place.trim(),
        r.status(),
    )
}
