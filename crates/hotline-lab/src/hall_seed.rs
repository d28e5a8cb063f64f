//! A year of the hall's reports seeded in bulk, for `hotline-lab bench hall`
//! (issue 23): a million stored reports, the newest ones still open, shaped
//! like what the desk searches — tickets of the city's form numbered per
//! day, chat residents and callers, callers' phones (a pool of 50,000
//! numbers, their household digests computed as the bot computes them),
//! compounds, buildings and units, descriptions from a small vocabulary.
//!
//! Each city-local day is one `INSERT … SELECT` over a recursive row counter
//! (its tickets `JN-<day>-0001…`), a month of days per transaction, so the
//! bot (running meanwhile) never waits long on the write lock. The newest
//! `open` reports stay open, in categories without a threshold (low
//! pressure, meter, other: an open backlog no rule would have left without
//! an escalation); the rest are resolved. Ids are left to the database, so
//! PostgreSQL's sequences stay right. Days end yesterday: today's ticket
//! counter is the bot's.
//!
//! Not seeded (the tables the measured pages read by report id through an
//! index, whose size does not change the cost): timelines, call records,
//! escalations.

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use hotline::domain::Household;
use sqlx::{AssertSqlSafe, Connection};

use crate::db::LabDb;

/// Distinct callers' phones.
pub const PHONES: i64 = 50_000;
/// Chat residents' user ids start here (far from the demo's and the benches').
const CHAT_USER_BASE: i64 = 60_000_000;
/// Phones per `INSERT` (three values each, far below either database's limit).
const PHONES_PER_INSERT: usize = 1000;
/// Days per transaction.
const DAYS_PER_TX: usize = 30;

/// Words residents and callers use; the bench searches for some of them.
pub const DESCRIPTIONS: [&str; 12] = [
    "家里没水了，一直没来",
    "水龙头出黄水，有铁锈味",
    "楼上水压很低，洗不了澡",
    "楼道里水管漏水",
    "水表不转了",
    "小区水泵房有异响",
    "早上停水到现在",
    "自来水有漂白粉味",
    "地下室爆管，水很大",
    "水表箱盖子坏了",
    "热水器打不着火，水压不够",
    "No water since this morning",
];

/// What to seed.
#[derive(Debug, Clone)]
pub struct HallSeed {
    pub reports: i64,
    /// The newest this many stay open.
    pub open: i64,
    /// (compound id, compound name).
    pub compounds: Vec<(String, String)>,
    pub ticket_prefix: String,
    pub tz: Tz,
    /// The seeded year ends at the start of this instant's city-local day.
    pub now: DateTime<Utc>,
}

/// The `n`-th caller's phone, normalised as the desk stores it.
pub fn phone(n: i64) -> String {
    format!("+86139{:08}", (n.rem_euclid(PHONES) * 7919) % 100_000_000)
}

impl LabDb {
    /// Seeds `seed.reports` reports over the year before today.
    pub async fn seed_hall(&self, seed: &HallSeed) -> anyhow::Result<()> {
        anyhow::ensure!(!seed.compounds.is_empty(), "the hall needs compounds");
        let mut conn = self.pool.acquire().await?;
        sqlx::query(
            "CREATE TEMP TABLE bench_phones (k BIGINT PRIMARY KEY, phone TEXT, household TEXT)",
        )
        .execute(&mut *conn)
        .await
        .context("creating the phones' table")?;
        let mut tx = conn.begin().await?;
        for first in (0..PHONES).step_by(PHONES_PER_INSERT) {
            let ks: Vec<i64> = (first..(first + PHONES_PER_INSERT as i64).min(PHONES)).collect();
            let rows: Vec<String> = (0..ks.len())
                .map(|j| format!("(${}, ${}, ${})", 3 * j + 1, 3 * j + 2, 3 * j + 3))
                .collect();
            let sql = format!(
                "INSERT INTO bench_phones (k, phone, household) VALUES {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for k in ks {
                let number = phone(k);
                let household = Household::of_call(Some(&number)).key("");
                query = query.bind(k).bind(number).bind(household);
            }
            query
                .execute(&mut *tx)
                .await
                .context("writing the phones")?;
        }
        tx.commit().await?;
        let days = days(seed);
        let sql = day_statement(seed);
        for month in days.chunks(DAYS_PER_TX) {
            let mut tx = conn.begin().await?;
            for day in month {
                sqlx::query(AssertSqlSafe(sql.clone()))
                    .bind(day.first)
                    .bind(day.end)
                    .bind(day.start_ms)
                    .bind(day.step_ms)
                    .bind(format!("{}-{}-", seed.ticket_prefix, day.key))
                    .bind(seed.reports - seed.open)
                    .execute(&mut *tx)
                    .await
                    .with_context(|| format!("seeding the reports of {}", day.key))?;
            }
            tx.commit().await?;
        }
        sqlx::query("DROP TABLE bench_phones")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// One city-local day of the seed: reports `first..end` of the whole seed.
#[derive(Debug, Clone, PartialEq)]
struct Day {
    key: String,
    first: i64,
    end: i64,
    start_ms: i64,
    step_ms: i64,
}

/// The year's days, each with its share of the reports, evenly spread
/// (days without a report left out).
fn days(seed: &HallSeed) -> Vec<Day> {
    let local = seed.now.with_timezone(&seed.tz).date_naive();
    let mut out = Vec::new();
    for d in 0..365 {
        let (first, end) = (d * seed.reports / 365, (d + 1) * seed.reports / 365);
        if first == end {
            continue;
        }
        let date = local - Duration::days(365 - d);
        let midnight = date.and_hms_opt(0, 0, 0).expect("midnight");
        let start = seed
            .tz
            .from_local_datetime(&midnight)
            .earliest()
            .expect("a city midnight");
        out.push(Day {
            key: date.format("%y%m%d").to_string(),
            first,
            end,
            start_ms: start.timestamp_millis(),
            step_ms: 86_400_000 / (end - first),
        });
    }
    out
}

/// One day's statement. `$1..$2` numbers the reports, `$3` the day's start,
/// `$4` the step between reports, `$5` the tickets' prefix, `$6` the first
/// report that stays open.
fn day_statement(seed: &HallSeed) -> String {
    let n = seed.compounds.len();
    let arms = |pick: fn(&(String, String)) -> &str| -> String {
        let arms: String = seed
            .compounds
            .iter()
            .enumerate()
            .map(|(k, c)| format!(" WHEN {k} THEN '{}'", pick(c).replace('\'', "''")))
            .collect();
        format!("CASE ((n.i * 31) % {n}){arms} END")
    };
    let (compound, name) = (arms(|c| &c.0), arms(|c| &c.1));
    let words: String = DESCRIPTIONS
        .iter()
        .enumerate()
        .map(|(k, d)| format!(" WHEN {k} THEN '{d}'"))
        .collect();
    let description = format!("CASE ((n.i * 7) % {}){words} END", DESCRIPTIONS.len());
    format!(
        "WITH RECURSIVE n(i) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
         SELECT i + 1 FROM n WHERE i + 1 < $2)
         INSERT INTO reports (ticket, resident_user_id, resident_chat_id, resident_lang, category,
             compound_id, compound_text, address_detail, description, phone, household, status,
             created_at, updated_at)
         SELECT $5 || CASE WHEN n.i - $1 + 1 < 10000
                          THEN SUBSTR(CAST(10000 + n.i - $1 + 1 AS TEXT), 2)
                          ELSE CAST(n.i - $1 + 1 AS TEXT) END,
             CASE WHEN n.i % 10 < 3 THEN 0 ELSE {CHAT_USER_BASE} + (n.i * 13) % 200000 END,
             CASE WHEN n.i % 10 < 3 THEN 0 ELSE {CHAT_USER_BASE} + (n.i * 13) % 200000 END,
             'zh',
             CASE WHEN n.i >= $6 THEN
                 CASE n.i % 3 WHEN 0 THEN 'low_pressure' WHEN 1 THEN 'meter' ELSE 'other' END
             ELSE CASE n.i % 7 WHEN 0 THEN 'outage' WHEN 1 THEN 'quality'
                 WHEN 2 THEN 'low_pressure' WHEN 3 THEN 'leak' WHEN 4 THEN 'secondary_supply'
                 WHEN 5 THEN 'meter' ELSE 'other' END END,
             {compound}, {name},
             CAST(n.i % 30 + 1 AS TEXT) || '号楼' || CAST(n.i % 6 + 1 AS TEXT) || '单元',
             {description},
             CASE WHEN n.i % 10 < 4 THEN p.phone END,
             CASE WHEN n.i % 10 < 4 THEN p.household
                  ELSE 'tg:' || CAST({CHAT_USER_BASE} + (n.i * 13) % 200000 AS TEXT) END,
             CASE WHEN n.i < $6 THEN 'resolved' WHEN n.i % 5 = 0 THEN 'acknowledged' ELSE 'new' END,
             $3 + (n.i - $1) * $4,
             $3 + (n.i - $1) * $4 + CASE WHEN n.i < $6 THEN 7200000 ELSE 0 END
         FROM n JOIN bench_phones p ON p.k = n.i % {PHONES}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_ends_yesterday_and_numbers_every_report_once() {
        let seed = HallSeed {
            reports: 1000,
            open: 10,
            compounds: vec![("a".into(), "A".into())],
            ticket_prefix: "JN".into(),
            tz: chrono_tz::Asia::Shanghai,
            now: Utc.with_ymd_and_hms(2026, 12, 7, 6, 0, 0).unwrap(),
        };
        let days = days(&seed);
        assert_eq!(days.last().unwrap().key, "261206");
        assert_eq!(days.last().unwrap().end, 1000);
        assert!(days.windows(2).all(|w| w[0].end == w[1].first));
        assert_eq!((days[0].key.as_str(), days[0].first), ("251207", 0));
        assert_eq!(phone(PHONES + 3), phone(3));
        assert!(hotline::domain::household::normalize_phone(&phone(7)) == Some(phone(7)));
    }

    #[tokio::test]
    async fn a_seeded_hall_is_searchable_by_ticket_phone_and_household() {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::history::tests::database(dir.path()).await;
        hotline::store::Store::connect(&url, 1)
            .await
            .unwrap()
            .close()
            .await;
        let db = LabDb::connect(&url, 1).await.unwrap();
        let seed = HallSeed {
            reports: 2000,
            open: 100,
            compounds: vec![
                ("yanshan".into(), "燕山小区".into()),
                ("o'b".into(), "O'B".into()),
            ],
            ticket_prefix: "JN".into(),
            tz: chrono_tz::Asia::Shanghai,
            now: Utc.with_ymd_and_hms(2026, 12, 7, 6, 0, 0).unwrap(),
        };
        db.seed_hall(&seed).await.unwrap();
        let count = |sql: &'static str| {
            let db = db.clone();
            async move {
                let n: i64 = sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap();
                n
            }
        };
        assert_eq!(count("SELECT COUNT(*) FROM reports").await, 2000);
        let open = "SELECT COUNT(*) FROM reports WHERE status <> 'resolved' \
                    AND category IN ('low_pressure', 'meter', 'other')";
        assert_eq!(count(open).await, 100);
        assert_eq!(
            count("SELECT COUNT(*) FROM reports WHERE ticket = 'JN-261206-0001'").await,
            1
        );
        let own =
            "SELECT COUNT(*) FROM reports WHERE phone IS NOT NULL AND household LIKE 'phone:%'";
        assert_eq!(count(own).await, 800);
        let household = Household::of_call(Some(&phone(0))).key("");
        let first: String = sqlx::query_scalar("SELECT household FROM reports WHERE id = 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(first, household);
    }

    /// Seeds a file for looking at query plans by hand:
    /// `HALL_DB=/tmp/hall.db HALL_REPORTS=1000000 cargo test -p hotline-lab
    /// --lib seed_a_hall_file -- --ignored`.
    #[tokio::test]
    #[ignore]
    async fn seed_a_hall_file() {
        let path = std::env::var("HALL_DB").unwrap();
        let reports = std::env::var("HALL_REPORTS").map_or(1_000_000, |n| n.parse().unwrap());
        let url = format!("sqlite://{path}");
        hotline::store::Store::connect(&url, 1)
            .await
            .unwrap()
            .close()
            .await;
        let db = LabDb::connect(&url, 1).await.unwrap();
        let config = hotline::config::Config::from_override_str("", "defaults").unwrap();
        let seed = HallSeed {
            reports,
            open: 10_000,
            compounds: config
                .compounds
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect(),
            ticket_prefix: "JN".into(),
            tz: chrono_tz::Asia::Shanghai,
            now: Utc::now(),
        };
        db.seed_hall(&seed).await.unwrap();
    }
}
