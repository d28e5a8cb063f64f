//! What the hall bench asks, page by page: the pages and their targets,
//! and the seeded draw of phones, tickets, words and calls.

use std::time::Duration;

use anyhow::Context;
use reqwest::StatusCode;

use super::client::{Answer, Operator};
use crate::db::LabDb;
use crate::hall_seed::{DESCRIPTIONS, HallSeed, PHONES, phone};

/// Words residents wrote (each in a twelfth of the seeded descriptions or more).
const WORDS: [&str; 4] = ["漏水", "水表", "水压", "停水"];
/// A word nobody wrote: the search reads its whole window and finds nothing.
const ABSENT_WORD: &str = "消防栓";
const CATEGORIES: [&str; 7] = [
    "outage",
    "quality",
    "low_pressure",
    "leak",
    "secondary_supply",
    "meter",
    "other",
];

/// A page the bench measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Queue,
    SearchPhone,
    SearchLast4,
    SearchTicket,
    SearchWord,
    SearchAbsentWord,
    Ticket,
    Reports,
    Call,
}

impl Page {
    pub const ALL: [Page; 9] = [
        Page::Queue,
        Page::SearchPhone,
        Page::SearchLast4,
        Page::SearchTicket,
        Page::SearchWord,
        Page::SearchAbsentWord,
        Page::Ticket,
        Page::Reports,
        Page::Call,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Page::Queue => "queue (GET /desk)",
            Page::SearchPhone => "search by phone",
            Page::SearchLast4 => "search by last 4 digits",
            Page::SearchTicket => "search by ticket",
            Page::SearchWord => "search by a word",
            Page::SearchAbsentWord => "search by a word nobody wrote",
            Page::Ticket => "ticket page",
            Page::Reports => "reports page",
            Page::Call => "submitting a call (POST)",
        }
    }

    /// Issue 23's targets.
    pub fn target(self) -> Duration {
        match self {
            Page::Call => Duration::from_millis(100),
            _ => Duration::from_millis(200),
        }
    }
}

/// One request and the status it should get.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    /// A form to POST; a GET when `None`.
    pub form: Option<Vec<(&'static str, String)>>,
    pub expect: StatusCode,
}

impl Request {
    fn get(path: String) -> Request {
        Request {
            path,
            form: None,
            expect: StatusCode::OK,
        }
    }

    pub async fn send(&self, operator: &Operator) -> anyhow::Result<Answer> {
        match &self.form {
            None => operator.get(&self.path).await,
            Some(form) => {
                let mut form: Vec<(&str, String)> = form.clone();
                form.push(("csrf", operator.csrf.clone()));
                operator.post(&self.path, &form).await
            }
        }
    }
}

/// Stored tickets drawn evenly over the seeded reports.
pub async fn tickets(db: &LabDb, reports: i64, n: usize, seed: u64) -> anyhow::Result<Vec<String>> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x71c);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = rng.i64(1..=reports.max(1));
        let ticket: String = sqlx::query_scalar("SELECT ticket FROM reports WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .with_context(|| format!("reading report {id}'s ticket"))?;
        out.push(ticket);
    }
    Ok(out)
}

fn encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `n` requests for `page`, drawn with `rng`.
pub fn requests(
    page: Page,
    n: usize,
    tickets: &[String],
    seed: &HallSeed,
    rng: &mut fastrand::Rng,
) -> Vec<Request> {
    let search = |q: &str| Request::get(format!("/desk/search?q={}", encoded(q)));
    (0..n.max(1))
        .map(|k| match page {
            Page::Queue => Request::get("/desk".into()),
            Page::SearchPhone => search(&phone(rng.i64(0..PHONES))),
            Page::SearchLast4 => {
                let number = phone(rng.i64(0..PHONES));
                search(&number[number.len() - 4..])
            }
            Page::SearchTicket => search(&tickets[k % tickets.len()]),
            Page::SearchWord => search(WORDS[rng.usize(..WORDS.len())]),
            Page::SearchAbsentWord => search(ABSENT_WORD),
            Page::Ticket => Request::get(format!("/desk/ticket/{}", tickets[k % tickets.len()])),
            Page::Reports => Request::get("/desk/reports".into()),
            Page::Call => call(seed, rng),
        })
        .collect()
}

/// A call from a seeded caller about a compound and category drawn from all.
fn call(seed: &HallSeed, rng: &mut fastrand::Rng) -> Request {
    let (_, compound) = &seed.compounds[rng.usize(..seed.compounds.len())];
    let form = vec![
        ("phone", phone(rng.i64(0..PHONES))),
        ("compound", compound.clone()),
        (
            "detail",
            format!("{}号楼{}单元", rng.u32(1..=30), rng.u32(1..=6)),
        ),
        (
            "category",
            CATEGORIES[rng.usize(..CATEGORIES.len())].to_owned(),
        ),
        (
            "description",
            DESCRIPTIONS[rng.usize(..DESCRIPTIONS.len())].to_owned(),
        ),
    ];
    Request {
        path: "/desk/call".into(),
        form: Some(form),
        expect: StatusCode::SEE_OTHER,
    }
}
