//! The hot queries stay flat in history: SQLite's plan for each finds its
//! rows through an index instead of reading a whole table (issue 10: with a
//! million stored reports, a table scan turned 51 ms into 391 ms).
//! Always on SQLite: plans are SQLite's `EXPLAIN QUERY PLAN`.

use hotline::store::{Store, hot_queries};

async fn sqlite_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plans.db").display());
    let store = Store::connect(&url, 1).await.unwrap();
    (dir, store)
}

/// A step that reads every row of a table. Scanning the partial index over
/// unresolved reports is fine: its size is the open work, not the history.
fn full_scan(step: &str) -> bool {
    step.starts_with("SCAN ")
        && !step.contains("USING INDEX reports_unresolved")
        && !step.contains("USING COVERING INDEX reports_unresolved")
        && !step.starts_with("SCAN CONSTANT ROW")
}

#[tokio::test]
async fn every_hot_query_reads_through_an_index() {
    let (_dir, store) = sqlite_store().await;
    let mut scans = Vec::new();
    for (name, sql) in hot_queries() {
        if name == "enqueue" {
            // Its plan also lists the foreign-key checks of the tables that
            // point at outbox rows, which run only for a pending violation:
            // checked on its own below.
            continue;
        }
        let plan = store.explain(sql).await.unwrap();
        if plan.iter().any(|step| full_scan(step)) {
            scans.push(format!("{name}: {plan:?}"));
        }
    }
    assert!(scans.is_empty(), "table scans:\n{}", scans.join("\n"));
}

#[tokio::test]
async fn the_open_report_count_reads_only_unresolved_reports() {
    let (_dir, store) = sqlite_store().await;
    let sql = hot_queries()
        .into_iter()
        .find(|(name, _)| *name == "open_report_count")
        .unwrap()
        .1;
    let plan = store.explain(sql).await.unwrap();
    assert!(
        plan.iter().any(|step| step.contains("reports_unresolved")),
        "{plan:?}"
    );
}

/// The delivery worker's due rows are read in send order from the heads'
/// index and the read stops after a page: no sort of the whole backlog
/// (issue 11: it walked every pending row on every pass).
#[tokio::test]
async fn the_due_outbox_rows_are_read_in_send_order_without_sorting_the_backlog() {
    let (_dir, store) = sqlite_store().await;
    let sql = hot_queries()
        .into_iter()
        .find(|(name, _)| *name == "outbox_due")
        .unwrap()
        .1;
    let plan = store.explain(sql).await.unwrap();
    assert!(
        plan.iter().any(|step| step.contains("outbox_heads")),
        "{plan:?}"
    );
    assert!(
        !plan.iter().any(|step| step.contains("TEMP B-TREE")),
        "{plan:?}"
    );
    assert!(
        !plan.iter().any(|step| step.contains("CORRELATED")),
        "{plan:?}"
    );
}

/// Writing a message finds its chat's earlier rows through the chat's
/// index: choosing `outbox_parked` instead walked every waiting row of every
/// chat on each insert (issue 11: intake fell from ~2,000 to ~200 updates/s
/// as the backlog grew).
#[tokio::test]
async fn writing_a_message_reads_only_its_chats_rows() {
    let (_dir, store) = sqlite_store().await;
    let sql = hot_queries()
        .into_iter()
        .find(|(name, _)| *name == "enqueue")
        .unwrap()
        .1;
    let plan = store.explain(sql).await.unwrap();
    assert!(
        plan.iter()
            .filter(|step| step.contains(" outbox "))
            .all(|step| step.contains("outbox_by_chat")),
        "{plan:?}"
    );
}

/// The desk's search (issue 23) finds a caller by phone, a ticket, or a
/// period through an index, newest first without sorting the history: a
/// million stored reports must not be read to find one caller's three.
#[tokio::test]
async fn the_desks_search_by_phone_ticket_or_period_reads_through_an_index() {
    use hotline::domain::SearchTerm;
    use hotline::store::{Search, StatusFilter, search_statement};
    let (_dir, store) = sqlite_store().await;
    let search = |text: &str, from_ms: Option<i64>| Search {
        term: SearchTerm::parse(text),
        status: StatusFilter::Any,
        from_ms,
        to_ms: from_ms.map(|f| f + 86_400_000),
        before_id: Some(1_000_000),
        limit: 50,
        word_window: hotline::store::WORD_WINDOW,
    };
    let cases = [
        ("last 4 digits", search("8000", None), "reports_phone_last4"),
        (
            "whole number",
            search("13800138000", None),
            "reports_phone_last4",
        ),
        (
            "ticket",
            search("JN-260209-0001", None),
            "sqlite_autoindex_reports",
        ),
        ("period", search("", Some(0)), "reports_created"),
    ];
    for (name, search, index) in cases {
        let sql: &'static str = Box::leak(search_statement(&search).into_boxed_str());
        let plan = store.explain(sql).await.unwrap();
        assert!(
            plan.iter().any(|step| step.contains(index)) && !plan.iter().any(|s| full_scan(s)),
            "{name}: {plan:?}"
        );
    }
}

/// The Reports page and the digest (issue 23) count a period in an index
/// over `created_at` that holds the counted columns: never a report's row,
/// never the whole history, no subquery per report; the time to resolve
/// seeks the index of `resolved` events; the overdue counts read only the
/// open reports' index entries (migration 0036).
#[tokio::test]
async fn the_period_figures_count_in_an_index_without_reading_reports() {
    let (_dir, store) = sqlite_store().await;
    let plan_of = |name: &str| {
        hot_queries()
            .into_iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
    };
    let period = "(created_at>? AND created_at<?)";
    for name in ["period_per_place", "period_per_quarter"] {
        let plan = store.explain(plan_of(name)).await.unwrap();
        assert!(
            plan.iter()
                .any(|s| s.starts_with("SEARCH reports USING COVERING INDEX") && s.contains(period)),
            "{name}: {plan:?}"
        );
    }
    for (name, index) in [
        ("period_acknowledged", "escalation_reports_by_report"),
        ("period_resolved", "report_events_resolved"),
    ] {
        let plan = store.explain(plan_of(name)).await.unwrap();
        assert!(
            plan.iter()
                .any(|s| s.starts_with("SEARCH r ") && s.contains(period))
                && plan.iter().any(|s| s.contains(index))
                && !plan
                    .iter()
                    .any(|s| full_scan(s) || s.contains("CORRELATED")),
            "{name}: {plan:?}"
        );
    }
    let overdue = store.explain(plan_of("overdue_counted")).await.unwrap();
    assert!(
        overdue
            .iter()
            .any(|s| s.contains("COVERING INDEX reports_unresolved_counted")),
        "{overdue:?}"
    );
}
