//! Staff onboarding without looking up ids by hand: `hotline staff invite
//! <person>` prints a one-time deep link `https://t.me/<bot>?start=s-<token>`
//! (random, single use, expiring; only its hash is stored); opening it sends
//! `/start s-<token>`, which links the opener's Telegram id to that person.
//! `[[people]].telegram_id` may then be left out of the config: at start
//! (and on every reload) [`apply`] fills it in from the links, and a new
//! link asks every instance to reload, so alerts and staff commands reach
//! the person within seconds. A `telegram_id` written in the config wins.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::to_millis;
use crate::config::Config;
use crate::domain::{ChatId, From, Lang, PersonId, Reply};
use crate::store::{Store, Tx};
use crate::texts::staffing as texts;

/// What a staff invite's start parameter begins with (posters use `c-`).
pub const START_PREFIX: &str = "s-";

/// The token of `/start s-<token>`, if that is what the arguments are.
pub fn start_token(args: &str) -> Option<&str> {
    let token = args.trim().strip_prefix(START_PREFIX)?;
    (!token.is_empty()).then_some(token)
}

/// Creates an invite for `person_id` and returns its link.
pub async fn invite(
    config: &Config,
    store: &Store,
    person_id: &PersonId,
    bot_username: &str,
    valid: Duration,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    if !config.people.iter().any(|p| &p.id == person_id) {
        anyhow::bail!("no [[people]] entry has id `{person_id}`");
    }
    let bot = bot_username.trim().trim_start_matches('@');
    anyhow::ensure!(!bot.is_empty(), "the bot's username is empty");
    let token = crate::secret::short_token();
    let hash = crate::secret::digest(&token);
    let now_ms = to_millis(now);
    let expires_at = now_ms + valid.as_millis() as i64;
    store
        .create_staff_invite(&hash, person_id, now_ms, expires_at)
        .await?;
    Ok(format!("https://t.me/{bot}?start={START_PREFIX}{token}"))
}

/// `/start s-<token>` from `user`: links them to the invite's person, once.
pub async fn redeem(
    tx: &mut Tx,
    config: &Config,
    user: &From,
    chat_id: ChatId,
    token: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> anyhow::Result<Reply> {
    let refused = || Ok(Reply::say(chat_id, texts::invite_refused(lang)));
    // An account that is already someone else in the config is never moved.
    if config
        .people
        .iter()
        .any(|p| p.telegram_id == user.id && p.telegram_id != 0)
    {
        tracing::info!(
            user_id = user.id,
            "staff invite refused: already configured staff"
        );
        return refused();
    }
    let hash = crate::secret::digest(token);
    let now_ms = to_millis(now);
    let person_id = match tx.redeem_staff_invite(&hash, user.id, now_ms).await? {
        Ok(person_id) => person_id,
        Err(why) => {
            tracing::info!(user_id = user.id, ?why, "staff invite refused");
            return refused();
        }
    };
    let Some(person) = config.people.iter().find(|p| p.id == person_id) else {
        tracing::warn!(%person_id, "staff invite for a person no longer configured");
        return refused();
    };
    tx.request_reload_in_tx(now_ms).await?;
    tracing::info!(user_id = user.id, %person_id, "staff account linked");
    Ok(Reply::say(
        chat_id,
        texts::invite_linked(lang, &person.name),
    ))
}

/// Fills in `telegram_id` for people the config leaves without one, from
/// the accounts linked through invites. An id that another person already
/// has is not taken (the config's own ids win).
pub fn apply(config: &mut Config, links: &[(PersonId, i64)]) {
    for (person_id, telegram_id) in links {
        let taken = config.people.iter().any(|p| p.telegram_id == *telegram_id);
        let Some(person) = config.people.iter_mut().find(|p| p.id == *person_id) else {
            continue;
        };
        if person.telegram_id != 0 {
            continue;
        }
        if taken {
            tracing::warn!(
                %person_id,
                telegram_id,
                "linked account is another person's; ignored"
            );
            continue;
        }
        person.telegram_id = *telegram_id;
    }
}

/// [`apply`] with the links stored in `store`.
pub async fn with_links(store: &Store, mut config: Config) -> anyhow::Result<Config> {
    let links = store.staff_links().await?;
    apply(&mut config, &links);
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Config {
        Config::from_override_str(
            "[[people]]\nid = \"a\"\nname = \"A\"\ntelegram_id = 11\n\
             [[people]]\nid = \"b\"\nname = \"B\"\n\
             [[people]]\nid = \"c\"\nname = \"C\"\n",
            "test",
        )
        .unwrap()
    }

    #[test]
    fn links_fill_only_missing_ids_and_never_take_anothers() {
        let mut config = site();
        let links = [
            ("a".into(), 99),
            ("b".into(), 22),
            ("c".into(), 11),
            ("gone".into(), 33),
        ];
        apply(&mut config, &links);
        let ids: Vec<i64> = config.people.iter().map(|p| p.telegram_id).collect();
        assert_eq!(ids, [11, 22, 0], "the config wins; a taken id is not used");
    }

    #[test]
    fn only_staff_start_parameters_are_tokens() {
        assert_eq!(start_token("s-abc"), Some("abc"));
        assert_eq!(start_token(" s-abc "), Some("abc"));
        assert_eq!(start_token("s-"), None);
        assert_eq!(start_token("c-yanshan"), None);
        assert_eq!(start_token(""), None);
    }
}
