//! The daily digest: at `web.digest_at` (city time) the director and the
//! duty managers get yesterday's summary in Telegram, through the outbox:
//! the chart of the week's reports per day as a photo (yesterday in orange),
//! with the counts, open escalations and slowest acknowledgements as its
//! caption (or, when they are longer than a caption may be, as a message
//! after it), and a link to the desk. Whichever instance first claims the
//! day sends it, once. `hotline digest --date … [--png chart.png]` prints it.

use crate::texts::Label;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::chart;
use super::reports::{figures_in, per_day_in};
use super::stats::summarize;
use crate::clock::{from_millis, to_millis};
use crate::config::Config;
use crate::domain::{Category, ChatId, Lane, Lang, PersonId, Role};
use crate::outbox::OutMessage;
use crate::outbox::limits::{MAX_CAPTION_UNITS, units};
use crate::store::Store;
use crate::texts::digest as texts;

/// The digest of `day` in `lang`.
pub async fn compose(
    store: &Store,
    config: &Config,
    day: NaiveDate,
    lang: Lang,
) -> anyhow::Result<String> {
    let figures = figures_in(store, config, day, day).await?;
    let tz = config.general.time_zone;
    let summary = summarize(&figures, tz, lang, |_| String::new());
    let open = store.open_escalations().await?;
    let mut slow: Vec<(String, i64)> = figures
        .acknowledged
        .iter()
        .map(|(ticket, created, at)| (ticket.clone(), (at - created) / 60_000))
        .collect();
    slow.sort_by_key(|(_, m)| -m);
    slow.truncate(3);
    let mut lines = vec![texts::headline(lang, day, summary.total)];
    for (category, n) in &summary.per_category {
        lines.push(format!("• {category}: {n}"));
    }
    let top: Vec<String> = summary
        .per_compound
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    if !top.is_empty() {
        lines.push(format!("{}{}", texts::per_compound(lang), top.join(" · ")));
    }
    lines.push(texts::open_escalations(lang, open.len()));
    lines.extend(overdue_lines(store, config, day, lang).await?);
    for (id, compound, category, _, opened) in &open {
        let category = Category::from_code(category)
            .unwrap_or(Category::Other)
            .label(lang);
        let since = from_millis(*opened)
            .with_timezone(&tz)
            .format("%m-%d %H:%M");
        lines.push(format!("🚨#{id} {compound} · {category} · {since}"));
    }
    if !slow.is_empty() {
        lines.push(texts::slowest(lang).to_string());
        for (ticket, m) in &slow {
            lines.push(texts::minutes(lang, ticket, *m));
        }
    }
    if config.web.enabled {
        lines.push(format!(
            "{}/desk/reports?from={day}&to={day}",
            config.desk_url().base()
        ));
    }
    Ok(lines.join("\n"))
}

/// 督办: the tickets still unresolved that were past a promised time when
/// `day` ended (city time), per category and compound.
async fn overdue_lines(
    store: &Store,
    config: &Config,
    day: NaiveDate,
    lang: Lang,
) -> anyhow::Result<Vec<String>> {
    let tz = config.general.time_zone;
    let midnight = (day + Duration::days(1)).and_time(NaiveTime::MIN);
    let end = midnight
        .and_local_timezone(tz)
        .earliest()
        .map_or(i64::MAX, |t| to_millis(t.to_utc()));
    let counts = crate::supervision::overdue_counts(store, config, end, lang).await?;
    Ok(crate::supervision::digest_lines(lang, &counts))
}

/// The days the chart shows: the digest's day and the six before it.
const CHART_DAYS: i64 = 7;

/// The chart of reports per day for the week ending on `day`, `day` highlighted.
pub async fn chart_png(store: &Store, config: &Config, day: NaiveDate) -> anyhow::Result<Vec<u8>> {
    let from = day - Duration::days(CHART_DAYS - 1);
    let per_day = per_day_in(store, config, from, day).await?;
    Ok(chart::png(&chart::days(&per_day, from, day, Some(day))))
}

/// What one person gets: the chart with the digest as its caption, or,
/// when the digest is longer than Telegram allows a caption to be, the
/// chart under the digest's first line and the whole digest after it.
pub fn messages(chat_id: ChatId, text: &str, png: &[u8]) -> Vec<OutMessage> {
    let image = |caption: &str| OutMessage::Image {
        chat_id,
        png: png.to_vec(),
        caption: caption.to_string(),
    };
    if units(text) <= MAX_CAPTION_UNITS {
        return vec![image(text)];
    }
    let headline = text.lines().next().unwrap_or_default();
    vec![image(headline), OutMessage::text(chat_id, text)]
}

/// The people who receive it: everyone in a director's or duty manager's rotation.
fn recipients(config: &Config) -> Vec<&crate::config::Person> {
    let mut ids: Vec<&PersonId> = config
        .rotations
        .iter()
        .filter(|r| matches!(r.role, Role::Director | Role::DutyManager))
        .flat_map(|r| r.people.iter())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    config
        .people
        .iter()
        .filter(|p| ids.contains(&&p.id))
        .collect()
}

/// Sends yesterday's digest if it is time (within two hours after
/// `web.digest_at`) and nobody has yet; true when this call sent it.
pub async fn send_due(store: &Store, config: &Config, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let Some(at) = config.web.digest_at.map(|at| at.time()) else {
        return Ok(false);
    };
    let local = now.with_timezone(&config.general.time_zone);
    let since = local.time().signed_duration_since(at);
    if since < Duration::zero() || since >= Duration::hours(2) {
        return Ok(false);
    }
    let day = local.date_naive() - Duration::days(1);
    let png = chart_png(store, config, day).await?;
    let mut out = Vec::new();
    for person in recipients(config) {
        let text = compose(store, config, day, person.lang).await?;
        out.extend(messages(person.chat(), &text, &png));
    }
    let now_ms = to_millis(now);
    let mut tx = store.begin().await?;
    if !tx.claim_digest(&day.to_string(), now_ms).await? {
        return Ok(false);
    }
    for message in &out {
        tx.enqueue(Lane::Reply, message, now_ms).await?;
    }
    tx.commit().await?;
    tracing::info!(%day, "daily digest sent");
    Ok(true)
}

/// Checks every half minute; ends once the store is closed.
pub fn spawn(
    store: Store,
    config: std::sync::Arc<Config>,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    outbox: std::sync::Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while store.ping().await.is_ok() {
            match send_due(&store, &config, clock.now()).await {
                Ok(true) => outbox.notify_one(),
                Ok(false) => {}
                Err(error) => tracing::warn!(error = format!("{error:#}"), "daily digest failed"),
            }
            tokio::time::sleep(StdDuration::from_secs(30)).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_digest_is_the_charts_caption() {
        let sent = messages(ChatId(7), "📊 2026-02-09\n• 停水: 2", b"png");
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].text_shown(), Some("📊 2026-02-09\n• 停水: 2"));
    }

    #[test]
    fn a_long_digest_follows_the_chart_in_full() {
        let long = format!("📊 headline\n{}", "🚨#1 燕山小区 · 停水\n".repeat(80));
        let sent = messages(ChatId(7), &long, b"png");
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].text_shown(), Some("📊 headline"));
        assert_eq!(sent[1].text_shown(), Some(long.as_str()));
    }
}
