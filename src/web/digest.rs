//! The daily digest: at `web.digest_at` (city time) the director and the
//! duty managers get yesterday's summary in Telegram, through the outbox:
//! counts, open escalations, the slowest acknowledgements, and a link to
//! the desk's chart. Whichever instance first claims the day sends it, once.
//! `hotline digest --date …` prints it.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::reports::reports_in;
use super::stats::summarize;
use crate::clock::{from_millis, to_millis};
use crate::config::Config;
use crate::domain::{Category, Lane, Lang, Role};
use crate::outbox::OutMessage;
use crate::store::Store;

/// The digest of `day` in `lang`.
pub async fn compose(
    store: &Store,
    config: &Config,
    day: NaiveDate,
    lang: Lang,
) -> anyhow::Result<String> {
    let rows = reports_in(store, config, day, day).await?;
    let tz = config.general.time_zone;
    let summary = summarize(&rows, tz, lang, |_| String::new());
    let open = store.open_escalations().await?;
    let mut slow: Vec<(String, i64)> = rows
        .iter()
        .filter_map(|r| {
            r.acknowledged_at
                .map(|at| (r.report.ticket.clone(), (at - r.report.created_at) / 60_000))
        })
        .collect();
    slow.sort_by_key(|(_, m)| -m);
    slow.truncate(3);
    let zh = lang == Lang::Zh;
    let mut lines = vec![if zh {
        format!("📊 {day} 热线日报：报修 {} 条", summary.total)
    } else {
        format!("📊 Hotline digest for {day}: {} reports", summary.total)
    }];
    for (category, n) in &summary.per_category {
        lines.push(format!("• {category}: {n}"));
    }
    let top: Vec<String> = summary
        .per_compound
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    if !top.is_empty() {
        lines.push(format!(
            "{}{}",
            if zh { "各小区：" } else { "Per compound: " },
            top.join(" · ")
        ));
    }
    lines.push(if zh {
        format!("未解决的升级：{} 个", open.len())
    } else {
        format!("Open escalations: {}", open.len())
    });
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
        lines.push(if zh {
            "确认最慢：".into()
        } else {
            "Slowest to acknowledge:".to_string()
        });
        for (ticket, minutes) in &slow {
            lines.push(format!("• {ticket}: {minutes} min"));
        }
    }
    if config.web.enabled {
        lines.push(format!(
            "{}/desk/reports?from={day}&to={day}",
            config.web.public_base()
        ));
    }
    Ok(lines.join("\n"))
}

/// The people who receive it: everyone in a director's or duty manager's rotation.
fn recipients(config: &Config) -> Vec<&crate::config::Person> {
    let mut ids: Vec<&str> = config
        .rotations
        .iter()
        .filter(|r| matches!(r.role, Role::Director | Role::DutyManager))
        .flat_map(|r| r.people.iter().map(String::as_str))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    config
        .people
        .iter()
        .filter(|p| ids.contains(&p.id.as_str()))
        .collect()
}

/// Sends yesterday's digest if it is time (within two hours after
/// `web.digest_at`) and nobody has yet; true when this call sent it.
pub async fn send_due(store: &Store, config: &Config, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let Ok(at) = NaiveTime::parse_from_str(&config.web.digest_at, "%H:%M") else {
        return Ok(false);
    };
    let local = now.with_timezone(&config.general.time_zone);
    let since = local.time().signed_duration_since(at);
    if since < Duration::zero() || since >= Duration::hours(2) {
        return Ok(false);
    }
    let day = local.date_naive() - Duration::days(1);
    let mut texts = Vec::new();
    for person in recipients(config) {
        texts.push((
            person.telegram_id,
            compose(store, config, day, person.lang).await?,
        ));
    }
    let now_ms = to_millis(now);
    let mut tx = store.begin().await?;
    if !tx.claim_digest(&day.to_string(), now_ms).await? {
        return Ok(false);
    }
    for (chat_id, text) in texts {
        tx.enqueue(Lane::Reply, &OutMessage::text(chat_id, text), now_ms)
            .await?;
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
