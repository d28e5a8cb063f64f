//! The pacer's limits, in real time (short sleeps, generous bounds).
use super::*;
use crate::domain::ChatId;

#[test]
fn a_bucket_allows_its_burst_then_paces() {
    let mut b = Bucket::full(3.0);
    for _ in 0..3 {
        assert!(b.wait(1.0, 3.0).is_zero());
        b.take();
    }
    let wait = b.wait(1.0, 3.0);
    assert!(
        wait > Duration::from_millis(900) && wait <= Duration::from_secs(1),
        "{wait:?}"
    );
}

#[test]
fn the_overall_window_keeps_headroom_under_the_limit() {
    let mut p = Pacer::new(Pacing::default());
    p.spread = Bucket::full(100.0);
    for chat in 0..28 {
        assert!(p.global.wait(limit(30.0, GLOBAL_HEADROOM)).is_zero());
        p.take(ChatId(chat));
    }
    assert!(
        !p.wait(ChatId(99), Lane::Reply).is_zero(),
        "28 = 95 % of 30 in one second"
    );
}

#[test]
fn sends_to_many_chats_are_spread_over_the_second() {
    let mut p = Pacer::new(Pacing::default());
    for chat in 0..3 {
        assert!(p.wait(ChatId(chat), Lane::Reply).is_zero(), "chat {chat}");
        p.take(ChatId(chat));
    }
    let wait = p.wait(ChatId(99), Lane::Reply);
    assert!(
        wait > Duration::from_millis(30) && wait <= Duration::from_millis(36),
        "one every 1/28.5 s: {wait:?}"
    );
}

#[test]
fn paid_broadcasts_do_not_use_the_overall_budget() {
    let mut p = Pacer::new(Pacing::default());
    for chat in 0..500 {
        assert!(p.wait_paid(ChatId(chat)).is_zero(), "chat {chat}");
        p.take_paid(ChatId(chat));
    }
    assert!(
        p.wait(ChatId(999), Lane::Reply).is_zero(),
        "ordinary sends still have theirs"
    );
    p.take_paid(ChatId(7));
    p.take_paid(ChatId(7));
    assert!(
        !p.wait_paid(ChatId(7)).is_zero(),
        "a chat's own limit still holds"
    );
}

#[test]
fn retry_after_holds_the_chat_exactly_that_long() {
    let mut p = Pacer::new(Pacing::default());
    p.hold(ChatId(7), Duration::from_secs(1));
    let wait = p.wait(ChatId(7), Lane::Alert);
    assert!(
        wait > Duration::from_millis(900) && wait <= Duration::from_secs(1),
        "{wait:?}"
    );
}

#[test]
fn the_last_token_of_a_chats_burst_is_kept_for_an_alert() {
    let mut p = Pacer::new(Pacing::default());
    for _ in 0..2 {
        assert!(p.chat_wait(ChatId(5), Lane::Reply).is_zero());
        p.chats.get_mut(&ChatId(5)).unwrap().take();
    }
    assert!(
        !p.chat_wait(ChatId(5), Lane::Reply).is_zero(),
        "a reply waits"
    );
    assert!(
        p.chat_wait(ChatId(5), Lane::Alert).is_zero(),
        "an alert goes at once"
    );
}
