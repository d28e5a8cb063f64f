//! The desk's search over every stored report, open and resolved: one
//! portable statement built from a parsed [`SearchTerm`], every value bound.
//! Pages run newest first by id (stable while reports arrive: the next page
//! starts below the last id shown). A ticket reads the unique index, a phone
//! the `phone_last4` index (migration 0024), dates `reports_created`; words
//! are `LIKE` over the rows those leave, newest first until a page is full.

use sqlx::AssertSqlSafe;

use super::error::{Context, Result};
use super::reports::report_columns;
use super::{ReportRow, Store};
use crate::domain::SearchTerm;

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
fn conditions(search: &Search) -> (String, Vec<Bound>) {
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
                clauses.push(format!(
                    "(LOWER(description) LIKE {p} ESCAPE '\\' \
                     OR LOWER(compound_text) LIKE {p} ESCAPE '\\' \
                     OR LOWER(address_detail) LIKE {p} ESCAPE '\\')"
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
    let clause = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (clause, values)
}

/// The whole statement: one more row than a page, to know there is a next.
fn statement(search: &Search) -> (String, Vec<Bound>) {
    let (clause, values) = conditions(search);
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
    statement(search).0
}

impl Store {
    /// One page of reports matching `search`, newest first; one more row
    /// than `limit` when there is a next page.
    pub async fn search_reports(&self, search: &Search) -> Result<Vec<ReportRow>> {
        let (sql, values) = statement(search);
        let mut query = sqlx::query_as::<_, ReportRow>(AssertSqlSafe(sql));
        for value in values {
            query = match value {
                Bound::Text(text) => query.bind(text),
                Bound::Int(n) => query.bind(n),
            };
        }
        query
            .fetch_all(&self.pool)
            .await
            .context("searching reports for the desk")
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
        };
        let (clause, values) = conditions(&search);
        assert_eq!(values.len(), 4, "{clause}");
        assert!(clause.contains("$1") && clause.contains("$4"), "{clause}");
        assert!(clause.contains("status <> 'resolved'"), "{clause}");
    }
}
