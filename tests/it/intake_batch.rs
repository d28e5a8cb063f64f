//! Several updates committed in one transaction: a batch with one poisoned
//! update (a database trigger refuses it) still commits the others, in order,
//! and the poisoned one alone is given up.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use hotline::chat::{Chat, From, Incoming, Input, Wakes};
use hotline::telegram::standin::FakeUser;
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
        chat_id: user_id,
        private: true,
        input: Input::Text(text.into()),
    }
}

#[tokio::test]
async fn a_batch_with_one_poisoned_update_commits_the_ones_before_it_and_leaves_the_rest() {
    let mut app = TestApp::spawn().await;
    app.halt().await;
    let pool = poison(&app.config.database.url, 800_003).await;
    let chat = Chat::new(
        app.store().clone(),
        Arc::new(app.config.clone()),
        Arc::new(app.config.oncall().unwrap()),
        Arc::new(app.clock.clone()),
        Wakes::default(),
        "hotline_bot".into(),
    );
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
