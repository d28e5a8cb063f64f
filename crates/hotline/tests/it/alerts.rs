//! Alerts to a manager: sent at once, merged only into one still waiting,
//! and never over Telegram's sizes — a flood of escalations becomes a
//! summary with a full list that pages through every one of them.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use hotline::clock::Clock;
use hotline::domain::{Category, CompoundRef, Lang, Role};
use hotline::escalation::Escalator;
use hotline::store::NewReport;
use hotline_standin::Shown;
use hotline_standin::texts;

use crate::helpers::{STAFF, TestApp, alerts};

const WAIT: Duration = Duration::from_secs(30);

/// Stores urgent reports as confirmed reports would be, all in ONE
/// transaction: their alerts are written together, so they are waiting
/// together when the sender first looks.
async fn urgent_at_once(app: &TestApp, first_user: i64, places: Vec<(CompoundRef, Category)>) {
    let config = Arc::new(app.config.clone());
    let oncall = Arc::new(config.oncall().unwrap());
    let escalator = Escalator::new(config.clone(), oncall);
    let mut tx = app.store().begin().await.unwrap();
    for (i, (compound, category)) in places.into_iter().enumerate() {
        let user = first_user + i as i64;
        let report = NewReport {
            resident_user_id: user,
            resident_chat_id: user,
            resident_lang: Lang::Zh,
            category,
            compound,
            address_detail: "1号楼".into(),
            location: None,
            description: "管道爆了，水漫到楼道里".into(),
            description_truncated: false,
            photo_file_ids: vec![],
            phone: Some("+8613800000000".into()),
            household: hotline::domain::Household::Chat(user),
        };
        let now = app.clock.now();
        let (id, _) = tx
            .create_report(&report, now, config.general.time_zone, "JN")
            .await
            .unwrap();
        escalator
            .on_report(&mut tx, id, &report, now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

fn matched(app: &TestApp, id: &str) -> CompoundRef {
    let c = app.config.compounds.iter().find(|c| c.id == id).unwrap();
    CompoundRef::Matched {
        id: c.id.clone(),
        name: c.name.clone(),
    }
}

/// The escalation numbers a message names ("#12 …").
fn numbers(text: &str) -> BTreeSet<i64> {
    text.split('#')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

#[tokio::test]
async fn several_alerts_for_one_manager_within_seconds_become_one_message() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    let places = ["yanshan", "shungeng", "quancheng", "shanda-xincun"]
        .into_iter()
        .map(|id| (matched(&app, id), Category::Leak))
        .collect();
    urgent_at_once(&app, 1500, places).await;
    let shown = app
        .standin
        .wait_for_shown(duty.telegram_id, WAIT, |shown| {
            (1..=4).all(|id| {
                alerts(shown)
                    .iter()
                    .any(|m| m.text.contains(&format!("#{id} ")))
            })
        })
        .await
        .unwrap();
    assert!(
        alerts(&shown).len() < 4,
        "bundled: {} messages for 4 alerts",
        alerts(&shown).len()
    );
    let bundle = alerts(&shown)
        .into_iter()
        .find(|m| m.text.contains("同时发生"))
        .expect("a bundle");
    assert!(
        bundle
            .inline
            .iter()
            .flatten()
            .any(|b| b.text.starts_with("✅ #")),
        "numbered buttons"
    );
    app.stop().await;
}

/// How long each alert row of `chat_id` was held before it was due (ms).
async fn holds(app: &TestApp, chat_id: i64) -> Vec<i64> {
    let pool = sqlx::AnyPool::connect(&app.config.database.url)
        .await
        .unwrap();
    let held: Vec<i64> = sqlx::query_scalar(
        "SELECT o.next_attempt_at - o.created_at FROM outbox o
         WHERE o.chat_id = $1 AND o.id IN (SELECT outbox_id FROM escalation_alerts)
         ORDER BY o.id",
    )
    .bind(chat_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    held
}

#[tokio::test]
async fn a_second_alert_to_the_same_manager_within_three_seconds_is_not_held() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    urgent_at_once(&app, 1700, vec![(matched(&app, "yanshan"), Category::Leak)]).await;
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    // Within the old 3-second bundle window (the test clock has not moved).
    urgent_at_once(
        &app,
        1710,
        vec![(matched(&app, "shungeng"), Category::Leak)],
    )
    .await;
    let shown = app
        .standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 2)
        .await
        .unwrap();
    assert!(
        alerts(&shown)[1].text.contains("#2 "),
        "{:?}",
        texts(&shown)
    );
    assert_eq!(
        holds(&app, duty.telegram_id).await,
        [0, 0],
        "each alert was due the moment it was written"
    );
    app.stop().await;
}

/// Every message the bot sent or edited keeps to Telegram's sizes.
fn assert_within_telegrams_sizes(app: &TestApp) {
    for call in app.standin.calls() {
        if !matches!(call.method.as_str(), "sendmessage" | "editmessagetext") {
            continue;
        }
        let text = call.body["text"].as_str().unwrap_or_default();
        assert!(
            text.chars().count() <= 4096,
            "{} chars",
            text.chars().count()
        );
        let rows = call.body["reply_markup"]["inline_keyboard"].as_array();
        let buttons: Vec<&serde_json::Value> = rows
            .into_iter()
            .flatten()
            .flat_map(|r| r.as_array().unwrap())
            .collect();
        assert!(buttons.len() <= 100, "{} buttons", buttons.len());
        for b in buttons {
            let data = b["callback_data"].as_str().unwrap_or_default();
            assert!(data.len() <= 64, "callback data {data:?}");
        }
    }
}

fn message(shown: &[Shown], id: i32) -> Shown {
    shown.iter().find(|m| m.message_id == id).unwrap().clone()
}

#[tokio::test]
async fn three_hundred_escalations_for_one_manager_arrive_complete_as_a_summary_and_a_full_list() {
    let app = TestApp::spawn_with(STAFF).await;
    let duty = app.on_call(Role::DutyManager);
    // Urgent reports from 300 places the bot does not know: 300 escalations.
    let places = (0..300)
        .map(|i| {
            let raw = format!("第{i}号未登记小区（新建安置区）");
            (CompoundRef::Unmatched { raw }, Category::Leak)
        })
        .collect();
    urgent_at_once(&app, 20_000, places).await;
    let shown = app
        .standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| {
            alerts(s).iter().any(|m| m.text.contains("300 个升级"))
        })
        .await
        .unwrap();
    assert_eq!(alerts(&shown).len(), 1, "one summary: {:?}", texts(&shown));
    let summary = alerts(&shown)[0];
    assert!(summary.text.contains("300 个小区"), "{}", summary.text);

    let manager = app.staff(&duty);
    let list = manager.press("完整列表").await.unwrap();
    assert_eq!(list.len(), 1, "{:?}", texts(&list));
    let list_id = list[0].message_id;
    let mut seen = numbers(&list[0].text);
    let mut pages = 1;
    while manager
        .find_button("下一页")
        .is_ok_and(|(id, _)| id == list_id)
    {
        manager.press("下一页").await.unwrap();
        let page = message(&manager.shown(), list_id);
        assert!(page.edited, "the list turns its page in place");
        seen.extend(numbers(&page.text));
        pages += 1;
        assert!(pages <= 30, "the list never ends");
    }
    assert_eq!(seen, (1..=300).collect(), "every escalation is on the list");
    assert_within_telegrams_sizes(&app);

    // A button on the list acts on its escalation.
    manager.press("✅ #").await.unwrap();
    let acknowledged = app
        .store()
        .all_escalations()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.status.code() == "acknowledged")
        .count();
    assert_eq!(acknowledged, 1);
    app.stop().await;
}
