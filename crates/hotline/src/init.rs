//! `hotline init`: writes a complete, commented starter configuration for a
//! small service centre — a SQLite file, the city's time zone, compounds to
//! fill in, a desk rotation, weekday and weekend duty rotations, a director
//! and a supervisor (督办) — so a new site starts from a file that passes
//! `check-config` and pages real people, not from an empty staff list.
//!
//! What cannot be guessed (the city, its time zone, the ticket prefix, the
//! director) comes from flags or, on a terminal, from a question; otherwise
//! the answer is a default. `config/example.toml` is this output with the
//! defaults (a unit test keeps them equal).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};

/// What `hotline init` needs to know; `None` means "ask, or take the default".
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InitOptions {
    /// Where to write the file.
    #[arg(long, short, default_value = "hotline.toml")]
    pub output: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Never ask; take defaults for what the flags do not say.
    #[arg(long)]
    pub no_input: bool,
    /// The city, for the file's comments (default: Jinan).
    #[arg(long)]
    pub city: Option<String>,
    /// IANA time zone of the city (default: Asia/Shanghai).
    #[arg(long)]
    pub time_zone: Option<String>,
    /// Ticket prefix, 1 to 6 ASCII letters or digits (default: from the city).
    #[arg(long)]
    pub prefix: Option<String>,
    /// SQLite database file, or a postgres:// URL (default:
    /// /var/lib/hotline/hotline.db).
    #[arg(long)]
    pub db: Option<String>,
    /// The director's name (default: 主任 Director).
    #[arg(long)]
    pub director: Option<String>,
    /// The director's numeric Telegram user id (default: a placeholder to replace).
    #[arg(long)]
    pub director_telegram_id: Option<i64>,
}

/// The answers, all known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub city: String,
    pub time_zone: String,
    pub prefix: String,
    pub db: String,
    pub director: String,
    pub director_telegram_id: i64,
}

impl Default for Answers {
    fn default() -> Self {
        Answers {
            city: "Jinan".to_owned(),
            time_zone: "Asia/Shanghai".to_owned(),
            prefix: "JN".to_owned(),
            db: "/var/lib/hotline/hotline.db".to_owned(),
            director: "李主任 (director)".to_owned(),
            director_telegram_id: 100_000_099,
        }
    }
}

/// Runs `hotline init`: gathers answers, writes the file, checks it.
pub fn run(opts: &InitOptions) -> anyhow::Result<()> {
    if opts.output.exists() && !opts.force {
        bail!(
            "{} exists; pass --force to replace it",
            opts.output.display()
        );
    }
    let interactive = !opts.no_input && std::io::stdin().is_terminal();
    let answers = gather(opts, interactive)?;
    std::fs::write(&opts.output, render(&answers))
        .with_context(|| format!("while writing {}", opts.output.display()))?;
    if let Err(errors) = crate::config::Config::check(Some(&opts.output)) {
        let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
        bail!("the written file does not check:\n{}", all.join("\n"));
    }
    println!("wrote {}", opts.output.display());
    println!(
        "next: put your compounds and staff (their Telegram user ids) in it, then\n  \
         hotline check-config --config {0}\n  \
         TELOXIDE_TOKEN=... hotline run --config {0}",
        opts.output.display()
    );
    Ok(())
}

/// Flags first; then, on a terminal, a question per missing answer.
pub fn gather(opts: &InitOptions, interactive: bool) -> anyhow::Result<Answers> {
    let d = Answers::default();
    // A flag's answer is checked once; a typed one is asked again until it passes.
    let answer = |flag: Option<String>,
                  question: &str,
                  default: &str,
                  check: &dyn Fn(&str) -> Result<(), String>|
     -> anyhow::Result<String> {
        if let Some(given) = flag {
            check(&given).map_err(anyhow::Error::msg)?;
            return Ok(given);
        }
        if !interactive {
            return Ok(default.to_owned());
        }
        loop {
            let typed = prompt(question, default)?;
            match check(&typed) {
                Ok(()) => return Ok(typed),
                Err(why) => println!("  {why}"),
            }
        }
    };
    let any = |_: &str| Ok(());
    let city = answer(opts.city.clone(), "City", &d.city, &any)?;
    let time_zone = answer(
        opts.time_zone.clone(),
        "Time zone (IANA, e.g. Asia/Shanghai)",
        &d.time_zone,
        &check_time_zone,
    )?;
    let prefix = answer(
        opts.prefix.clone(),
        "Ticket prefix (1-6 letters or digits)",
        &prefix_for(&city),
        &check_prefix,
    )?;
    let db = answer(
        opts.db.clone(),
        "SQLite database file, or a postgres:// URL",
        &d.db,
        &check_db,
    )?;
    let director = answer(
        opts.director.clone(),
        "The director's name",
        &d.director,
        &any,
    )?;
    let id = answer(
        opts.director_telegram_id.map(|id| id.to_string()),
        "The director's Telegram user id (numeric; ask @userinfobot)",
        &d.director_telegram_id.to_string(),
        &|text| {
            text.trim()
                .parse::<i64>()
                .map(drop)
                .map_err(|_| format!("`{text}` is not a numeric Telegram user id"))
        },
    )?;
    Ok(Answers {
        city,
        time_zone,
        prefix: prefix.to_ascii_uppercase(),
        db,
        director,
        director_telegram_id: id.trim().parse()?,
    })
}

fn check_time_zone(tz: &str) -> Result<(), String> {
    tz.parse::<chrono_tz::Tz>()
        .map(drop)
        .map_err(|_| format!("`{tz}` is not an IANA time zone such as Asia/Shanghai"))
}

/// A path, a `sqlite:` URL or a PostgreSQL URL; any other scheme (a typo
/// like `postgre://`, or `mysql://`) is refused rather than written as a
/// SQLite file named after it.
fn check_db(db: &str) -> Result<(), String> {
    if db.trim().is_empty() {
        return Err("the database must not be empty".to_owned());
    }
    match db.split_once("://") {
        None | Some(("sqlite" | "postgres" | "postgresql", _)) => Ok(()),
        Some((other, _)) => Err(format!(
            "`{other}://` is not a database hotline can use: give a SQLite file path \
             (like /var/lib/hotline/hotline.db) or a postgres:// URL"
        )),
    }
}

/// The `[database] url` for an answer: URLs as given, a path as `sqlite://`.
fn db_url(db: &str) -> String {
    let url = ["sqlite:", "postgres://", "postgresql://"];
    if url.iter().any(|scheme| db.starts_with(scheme)) {
        db.to_owned()
    } else {
        format!("sqlite://{db}")
    }
}

fn check_prefix(prefix: &str) -> Result<(), String> {
    if (1..=6).contains(&prefix.len()) && prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(format!(
            "ticket prefix `{prefix}` must be 1 to 6 ASCII letters or digits"
        ))
    }
}

/// "Jinan" → "JN": the first letter and the next consonant, as Chinese
/// cities abbreviate their pinyin; "HL" when the city gives nothing.
fn prefix_for(city: &str) -> String {
    let letters: Vec<char> = city
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let Some(first) = letters.first() else {
        return "HL".to_owned();
    };
    let second = letters[1..]
        .iter()
        .find(|c| !"AEIOU".contains(**c))
        .or(letters.get(1));
    second.map_or(first.to_string(), |s| format!("{first}{s}"))
}

fn prompt(question: &str, default: &str) -> anyhow::Result<String> {
    print!("{question} [{default}]: ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim();
    Ok(if line.is_empty() { default } else { line }.to_owned())
}

/// The starter file. Placeholders a site must replace say so in capitals.
pub fn render(a: &Answers) -> String {
    let mut out = TEMPLATE.to_owned();
    for (key, value) in [
        ("{city}", a.city.clone()),
        ("{time_zone}", toml_string(&a.time_zone)),
        ("{prefix}", toml_string(&a.prefix)),
        ("{db_url}", toml_string(&db_url(&a.db))),
        ("{director}", toml_string(&a.director)),
        ("{director_id}", a.director_telegram_id.to_string()),
    ] {
        out = out.replace(key, &value);
    }
    out
}

/// A TOML basic string (quotes and backslashes escaped).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

const TEMPLATE: &str = include_str!("init/starter.toml");

#[cfg(test)]
mod tests;
