//! What the binary's one-shot subcommands do: each opens the store (or
//! asks Telegram), does one thing and prints it — `export`, `digest`,
//! `oncall`, `staff invite`, `purge`, `reload`. Kept out of `main.rs`, which
//! only parses the command line and starts the app.

use std::path::PathBuf;

use crate::config::Config;
use crate::domain::{Lang, PersonId};
use crate::oncall;

/// `hotline export`: the CSV on stdout.
pub async fn export(
    config: &Config,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> anyhow::Result<()> {
    use std::io::Write;
    let csv = crate::web::reports::export_csv(config, from, to).await?;
    std::io::stdout().write_all(csv.as_bytes())?;
    Ok(())
}

/// `hotline digest`: the day's digest on stdout, its chart into `png`.
pub async fn digest(
    config: &Config,
    date: chrono::NaiveDate,
    lang: &str,
    png: Option<PathBuf>,
) -> anyhow::Result<()> {
    let lang = Lang::parse(lang).unwrap_or(Lang::Zh);
    let store = crate::store::Store::open_existing(&config.database.url).await?;
    println!(
        "{}",
        crate::web::digest::compose(&store, config, date, lang).await?
    );
    if let Some(path) = png {
        let chart = crate::web::digest::chart_png(&store, config, date).await?;
        std::fs::write(&path, chart)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    store.close().await;
    Ok(())
}

/// `hotline oncall`: prints who holds each role at `--at`, with the overrides stored in the
/// database (none if the SQLite file does not exist yet).
pub async fn print_oncall(config: &Config, at: Option<&str>, lang: &str) -> anyhow::Result<()> {
    let lang = Lang::parse(lang).ok_or_else(|| anyhow::anyhow!("--lang must be zh or en"))?;
    let tz = config.general.time_zone;
    let at = match at {
        Some(text) => oncall::parse_local(text, tz).map_err(|e| anyhow::anyhow!("--at: {e}"))?,
        None => chrono::Utc::now(),
    };
    let rotations = config.oncall()?;
    let url = &config.database.url;
    let sqlite_file = url
        .strip_prefix("sqlite://")
        .map(|rest| rest.split('?').next().unwrap_or(rest));
    let (overrides, away) = match sqlite_file {
        Some(path) if !std::path::Path::new(path).exists() => (Vec::new(), Vec::new()),
        _ => {
            let store = crate::store::Store::connect(url, 1).await?;
            let mut tx = store.begin().await?;
            let found = (
                tx.current_overrides(at.timestamp_millis()).await?,
                tx.away_people(at.timestamp_millis()).await?,
            );
            tx.commit().await?;
            found
        }
    };
    println!(
        "{}",
        oncall::render(&rotations, at, &overrides, &away, lang)
    );
    Ok(())
}

/// `hotline staff invite PERSON`: the link on stdout.
pub async fn staff_invite(
    config: &Config,
    person: &PersonId,
    bot: Option<String>,
    valid: std::time::Duration,
) -> anyhow::Result<()> {
    let bot = match bot {
        Some(bot) => bot,
        None => {
            // An empty TELOXIDE_TOKEN (a blank line in an environment file) is unset.
            let token = std::env::var("TELOXIDE_TOKEN").ok();
            let token = token.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
                anyhow::anyhow!("give --bot <username> (or set TELOXIDE_TOKEN to ask Telegram)")
            })?;
            let telegram = crate::telegram::connect(&token, &config.telegram)?;
            telegram.identify().await?.username
        }
    };
    let store = crate::store::Store::connect(&config.database.url, 1).await?;
    let now = chrono::Utc::now();
    let link = crate::staff::invite::invite(config, &store, person, &bot, valid, now).await;
    store.close().await;
    let name = config
        .people
        .iter()
        .find(|p| &p.id == person)
        .map(|p| p.name.as_str());
    let valid = humantime::format_duration(valid).to_string();
    println!(
        "{}",
        crate::texts::staffing::invite_printed(name.unwrap_or(person.as_str()), &link?, &valid)
    );
    Ok(())
}

/// `hotline desk link PERSON`: a one-time desk sign-in link on stdout, for
/// a configured member of staff, without Telegram (when it is down, or for
/// someone who has no account). Works once, for `web.link_ttl`, like the
/// links `/desk` sends; the database keeps only its digest.
pub async fn desk_link(config: &Config, person: &PersonId) -> anyhow::Result<()> {
    let web = &config.web;
    anyhow::ensure!(web.enabled, "the desk is off: set [web] enabled = true");
    let staff = config.people.iter().find(|p| &p.id == person);
    let Some(staff) = staff else {
        anyhow::bail!("no [[people]] entry with id = \"{person}\"");
    };
    let token = crate::secret::random_token();
    let now_ms = crate::clock::to_millis(chrono::Utc::now());
    let ttl_ms = i64::try_from(web.link_ttl.as_millis()).unwrap_or(i64::MAX);
    let store = crate::store::Store::connect(&config.database.url, 1).await?;
    let mut tx = store.begin().await?;
    let hash = crate::secret::digest(&token);
    tx.create_desk_token(&hash, &staff.id, now_ms, now_ms.saturating_add(ttl_ms))
        .await?;
    tx.commit().await?;
    store.close().await;
    let link = format!("{}/desk/signin?t={token}", config.desk_url().base());
    let minutes = web.link_ttl.as_secs().div_ceil(60);
    println!(
        "{}",
        crate::texts::desk::desk_link_printed(&staff.name, &link, minutes)
    );
    Ok(())
}

/// `hotline purge [--dry-run]`.
pub async fn purge(config: &Config, dry: bool) -> anyhow::Result<()> {
    use crate::upkeep::purge;
    let store = crate::store::Store::open_existing(&config.database.url).await?;
    let purged = purge::purge(&store, &config.retention, chrono::Utc::now(), dry).await;
    store.close().await;
    println!("{}", purge::describe(&purged?, dry));
    Ok(())
}

/// `hotline reload`: every instance re-reads its settings within seconds;
/// waits for the answer (`crate::health::reload_wait`).
pub async fn request_reload(config: &Config) -> anyhow::Result<()> {
    crate::health::reload_wait::request_and_wait(config, crate::health::reload_wait::WAIT).await
}
