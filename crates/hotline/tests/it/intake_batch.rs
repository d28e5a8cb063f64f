//! Several updates committed in one transaction: a batch with one poisoned
//! update (a database trigger refuses it) still commits the others, in order,
//! and the poisoned one alone is given up.

use std::collections::HashSet;
use std::time::Duration;

use hotline::chat::{From, Incoming, Input, read_text};
use hotline::domain::ChatId;
use hotline_standin::FakeUser;
use sqlx::AnyPool;

use crate::helpers::TestApp;

/// Makes the database refuse to record `update_id` as handled, as a
/// poisoned update (one no attempt can commit) would.
async fn poison(url: &str, update_id: i64) -> AnyPool {
    sqlx::any::install_default_drivers();
    let pool = sqlx::pool::PoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let statements = if url.starts_with("sqlite:") {
        vec![format!(
            "CREATE TRIGGER poison BEFORE INSERT ON processed_updates
             WHEN NEW.update_id = {update_id} BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
        )]
    } else {
        vec![
            format!(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN
                 IF NEW.update_id = {update_id} THEN RAISE EXCEPTION 'poisoned'; END IF;
                 RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER poison BEFORE INSERT ON processed_updates
             FOR EACH ROW EXECUTE FUNCTION poison()"
                .to_string(),
        ]
    };
    for statement in statements {
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool
}

async fn handled(pool: &AnyPool) -> HashSet<i64> {
    sqlx::query_scalar::<_, i64>("SELECT update_id FROM processed_updates")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn typed(update_id: i64, user_id: i64, text: &str) -> Incoming {
    Incoming {
        update_id,
        user: Some(From {
            id: user_id,
            first_name: "居民".into(),
            language_code: Some("zh-hans".into()),
        }),
        chat_id: ChatId(user_id),
        private: true,
        input: Input::Text(text.into()),
    }
}

#[tokio::test]
async fn a_batch_with_one_poisoned_update_commits_the_ones_before_it_and_leaves_the_rest() {
    let mut app = TestApp::spawn().await;
    app.halt().await;
    let pool = poison(&app.config.database.url, 800_003).await;
    let chat = app.chat_layer();
    let batch: Vec<Incoming> = (1..=4)
        .map(|n| typed(800_000 + n, 3700 + n, "/help"))
        .collect();

    let outcome = chat.handle_batch(&batch).await;
    assert_eq!(outcome.committed(), 2, "the two before the poisoned one");
    let error = format!("{:#}", outcome.failed.expect("the third failed"));
    assert!(error.contains("poisoned"), "{error}");
    assert_eq!(handled(&pool).await, HashSet::from([800_001, 800_002]));

    // What the worker does next: the update after the poisoned one goes on.
    let rest = chat.handle_batch(&batch[3..]).await;
    assert_eq!((rest.committed(), rest.failed.is_none()), (1, true));
    assert_eq!(
        handled(&pool).await,
        HashSet::from([800_001, 800_002, 800_004])
    );

    app.resume().await;
    for resident in [3701, 3702, 3704] {
        app.standin
            .wait_for_shown(resident, Duration::from_secs(30), |s| !s.is_empty())
            .await
            .unwrap();
    }
    assert!(
        app.standin.shown(3703).is_empty(),
        "nothing for the poisoned"
    );
    app.stop().await;
}

#[tokio::test]
async fn while_polling_a_poisoned_update_is_given_up_and_the_updates_batched_with_it_are_answered()
{
    let mut app = TestApp::spawn().await;
    app.halt().await;
    // Chats 3801, 3817, 3833 and 3849 share a worker queue: fetched together
    // while the bot was away, they are handed over as one batch.
    let users: Vec<FakeUser> = [3801, 3817, 3833, 3849]
        .into_iter()
        .map(|id| FakeUser::new(id, "居民"))
        .collect();
    let ids: Vec<i64> = users
        .iter()
        .map(|u| app.standin.send_text(u, "/help"))
        .collect();
    let pool = poison(&app.config.database.url, ids[2]).await;
    app.resume().await;

    for user in [&users[0], &users[1], &users[3]] {
        app.standin
            .wait_for_shown(user.id, Duration::from_secs(60), |s| !s.is_empty())
            .await
            .unwrap();
    }
    assert!(app.standin.shown(users[2].id).is_empty());
    let done = handled(&pool).await;
    assert!([ids[0], ids[1], ids[3]].iter().all(|id| done.contains(id)));
    assert!(!done.contains(&ids[2]));
    app.stop().await;
}

/// What a chat was shown, as text and button labels, in order.
fn seen(app: &TestApp, chat_id: i64) -> Vec<String> {
    app.standin
        .shown(chat_id)
        .iter()
        .map(|m| {
            let buttons: Vec<&str> = m.inline.iter().flatten().map(|b| b.text.as_str()).collect();
            format!("{} {buttons:?}", m.text)
        })
        .collect()
}

/// A batch reads ahead and writes behind (`store::read_ahead`): a resident's
/// whole wizard and a flood past the rate limit, in one batch, must be
/// answered exactly as the same updates handled one transaction each.
#[tokio::test]
async fn a_wizard_and_a_flood_in_one_batch_are_answered_as_one_update_at_a_time() {
    let mut app = TestApp::spawn().await;
    app.halt().await;
    let chat = app.chat_layer();
    let mut script = vec!["阳光花园 3号楼2单元 从晚上十点开始整栋楼都没水了"];
    // 20 a minute are answered; the 21st hears "slow down", the rest nothing.
    script.extend(std::iter::repeat_n("还是没水", 23));
    let (batched, alone) = (3901, 3902);
    let updates = |user: i64, first_id: i64| -> Vec<Incoming> {
        (first_id..)
            .zip(&script)
            .map(|(id, text)| Incoming {
                input: read_text(text, "hotline_bot"),
                ..typed(id, user, text)
            })
            .collect()
    };
    let together = chat.handle_batch(&updates(batched, 900_000)).await;
    assert_eq!(
        (together.committed(), together.failed.is_none()),
        (script.len(), true)
    );
    for update in updates(alone, 910_000) {
        chat.handle(update).await.unwrap();
    }

    app.resume().await;
    let last = |first: i64| first + script.len() as i64 - 1;
    for (user, first) in [(batched, 900_000), (alone, 910_000)] {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !app
            .store()
            .update_settled(last(first), ChatId(user))
            .await
            .unwrap()
        {
            assert!(std::time::Instant::now() < deadline, "{user} not answered");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let (one_batch, one_by_one) = (seen(&app, batched), seen(&app, alone));
    assert!(
        one_by_one.iter().any(|m| m.contains("太快")),
        "the flood is told to slow down: {one_by_one:#?}"
    );
    assert_eq!(one_batch, one_by_one);
    let saved = app.store().dialogue_state(ChatId(batched)).await.unwrap();
    assert_eq!(
        saved,
        app.store().dialogue_state(ChatId(alone)).await.unwrap()
    );
    assert!(saved.is_some_and(|s| s.contains("阳光花园")));
    app.stop().await;
}
