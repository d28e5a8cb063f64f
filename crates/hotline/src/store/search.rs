//! The desk's search over every stored report, open and resolved: one
//! portable statement built from a parsed [`SearchTerm`], every value bound.
//! Pages run newest first by id (stable while reports arrive: the next page
//! starts below the last id shown). A ticket reads the unique index, a phone
//! the `phone_last4` index (migration 0024), dates `reports_created`; words
//! are `LIKE` over the rows those leave, newest first until a page is full,
//! reading at most [`WORD_WINDOW`] ids per page: a word nobody wrote costs
//! one window (about 0.1 s on SQLite), not the whole history (1 s to 3 s
//! over a million reports), and the page offers to look further back.
//! `LOWER` only for words with Latin letters (PostgreSQL's `LIKE` minds case;
//! Chinese has none, and `LOWER` on every row triples the cost).

use sqlx::AssertSqlSafe;

use super::error::{Context, Result};
use super::reports::report_columns;
use super::{ReportRow, Store};
use crate::domain::SearchTerm;

/// The ids one page of a word search reads at most.
pub const WORD_WINDOW: i64 = 100_000;

/// Which reports, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    Any,
    Open,
    Resolved,
}

/// One search and one page of it.
#[derive(Debug, Clone)]
pub struct Search {
    pub term: SearchTerm,
    pub status: StatusFilter,
    /// Created at or after (ms).
    pub from_ms: Option<i64>,
    /// Created before (ms).
    pub to_ms: Option<i64>,
    /// Only ids below this one: the page after the one that ended there.
    pub before_id: Option<i64>,
    pub limit: i64,
    /// Ids a word search reads per page ([`WORD_WINDOW`]; tests use less).
    pub word_window: i64,
}

/// One page of a search.
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// Newest first, at most `limit`.
    pub reports: Vec<ReportRow>,
    /// Where the next page starts (ids below this one); `None` when nothing
    /// older is left to read.
    pub next_before: Option<i64>,
}

/// A value bound into the statement.
enum Bound {
    Text(String),
    Int(i64),
}

/// `%word%` with `LIKE`'s own characters taken literally (escape `\`).
fn contains(word: &str) -> String {
    let mut escaped = String::from("%");
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

/// The `WHERE` clause and its values.
fn conditions(search: &Search, floor: Option<i64>) -> (String, Vec<Bound>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Bound> = Vec::new();
    let bind = |values: &mut Vec<Bound>, value: Bound| {
        values.push(value);
        format!("${}", values.len())
    };
    match &search.term {
        SearchTerm::Everything => {}
        SearchTerm::Ticket(ticket) => {
            let p = bind(&mut values, Bound::Text(ticket.as_str().to_string()));
            clauses.push(format!("ticket = {p}"));
        }
        SearchTerm::PhoneEnd(last4) => {
            let p = bind(&mut values, Bound::Text(last4.clone()));
            clauses.push(format!("phone_last4 = {p}"));
        }
        SearchTerm::Phone { last4, national } => {
            let p = bind(&mut values, Bound::Text(last4.clone()));
            let q = bind(&mut values, Bound::Text(format!("%{national}")));
            clauses.push(format!(
                "phone_last4 = {p} AND REPLACE(REPLACE(phone, ' ', ''), '-', '') LIKE {q}"
            ));
        }
        SearchTerm::Words(words) => {
            for word in words {
                let p = bind(&mut values, Bound::Text(contains(word)));
                let column = |name: &str| match word.chars().any(|c| c.is_ascii_alphabetic()) {
                    true => format!("LOWER({name}) LIKE {p} ESCAPE '\\'"),
                    false => format!("{name} LIKE {p} ESCAPE '\\'"),
                };
                clauses.push(format!(
                    "({} OR {} OR {})",
                    column("description"),
                    column("compound_text"),
                    column("address_detail")
                ));
            }
        }
    }
    match search.status {
        StatusFilter::Any => {}
        StatusFilter::Open => clauses.push("status <> 'resolved'".into()),
        StatusFilter::Resolved => clauses.push("status = 'resolved'".into()),
    }
    let mut range = |op: &str, value: Option<i64>, column: &str| {
        if let Some(v) = value {
            let p = bind(&mut values, Bound::Int(v));
            clauses.push(format!("{column} {op} {p}"));
        }
    };
    range(">=", search.from_ms, "created_at");
    range("<", search.to_ms, "created_at");
    range("<", search.before_id, "id");
    range(">=", floor, "id");
    let clause = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (clause, values)
}

/// The whole statement: one more row than a page, to know there is a next.
fn statement(search: &Search, floor: Option<i64>) -> (String, Vec<Bound>) {
    let (clause, values) = conditions(search, floor);
    let sql = format!(
        "SELECT {} FROM reports{clause} ORDER BY id DESC LIMIT {}",
        report_columns!(),
        search.limit.clamp(1, 500) + 1
    );
    (sql, values)
}

/// For the query-plan tests: the statement a search runs.
#[cfg(feature = "testkit")]
pub fn search_statement(search: &Search) -> String {
    statement(search, None).0
}

impl Store {
    /// One page of reports matching `search`, newest first.
    pub async fn search_reports(&self, search: &Search) -> Result<SearchPage> {
        let floor = match search.term {
            SearchTerm::Words(_) => {
                let top = match search.before_id {
                    Some(id) => id,
                    None => self.newest_report_id().await? + 1,
                };
                Some((top - search.word_window.max(1)).max(1))
            }
            _ => None,
        };
        let (sql, values) = statement(search, floor);
        let mut query = sqlx::query_as::<_, ReportRow>(AssertSqlSafe(sql));
        for value in values {
            query = match value {
                Bound::Text(text) => query.bind(text),
                Bound::Int(n) => query.bind(n),
            };
        }
        let mut reports = query
            .fetch_all(&self.pool)
            .await
            .context("searching reports for the desk")?;
        let limit = usize::try_from(search.limit.clamp(1, 500)).unwrap_or(1);
        let next_before = if reports.len() > limit {
            reports.truncate(limit);
            reports.last().map(|r| r.id.0)
        } else {
            floor.filter(|f| *f > 1)
        };
        Ok(SearchPage {
            reports,
            next_before,
        })
    }

    async fn newest_report_id(&self) -> Result<i64> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM reports")
            .fetch_one(&self.pool)
            .await
            .context("reading the newest report's id")?;
        Ok(id.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_characters_are_taken_literally() {
        assert_eq!(contains("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn every_value_is_bound_in_order() {
        let search = Search {
            term: SearchTerm::parse("漏水 泉城"),
            status: StatusFilter::Open,
            from_ms: Some(1),
            to_ms: None,
            before_id: Some(9),
            limit: 20,
            word_window: WORD_WINDOW,
        };
        let (clause, values) = conditions(&search, Some(1));
        assert_eq!(values.len(), 5, "{clause}");
        assert!(clause.contains("$1") && clause.contains("$5"), "{clause}");
        assert!(!clause.contains("LOWER"), "Chinese has no case: {clause}");
        assert!(clause.contains("status <> 'resolved'"), "{clause}");
    }
}
