//! Per-person notification rules, beside the phone steps that follow them:
//! which rules apply to a person, the robot a step goes through, how a
//! robot's steps share one message, and the one-time acknowledge link that
//! every text beyond Telegram carries.

use std::time::Duration;

use super::Escalator;
use crate::config::Person;
use crate::domain::{EscalationId, OutMessage, ReachStep, Reachee};
use crate::gateway::providers::robot::MAX_ROBOT_CHARS;
use crate::gateway::{Gateway, GatewayChannel, GatewayKind, MAX_TEXT_CHARS, RobotKind, shorten};
use crate::oncall::{NotifyRule, Via};
use crate::reach;
use crate::secret;
use crate::store::Tx;
use crate::texts::reach as texts;

/// A person's rules, or the site-wide default that matches the behaviour
/// before per-person rules: `gateway.channel` once `gateway.after` passed.
pub(crate) fn rules_of(person: &Person, gateway: &Gateway) -> Vec<NotifyRule> {
    if !person.notify.is_empty() {
        return person.notify.clone();
    }
    let telegram = NotifyRule::new(Via::Telegram, Duration::ZERO);
    if gateway.kind() == GatewayKind::None {
        return vec![telegram]; // only a robot is configured: rules name it
    }
    let via = match gateway.channel() {
        GatewayChannel::Sms => Via::Sms,
        GatewayChannel::Voice => Via::Voice,
    };
    vec![telegram, NotifyRule::new(via, gateway.after())]
}

/// The robot a step goes through, if any.
pub(crate) fn robot(via: Via) -> Option<RobotKind> {
    match via {
        Via::Wecom => Some(RobotKind::Wecom),
        Via::Dingtalk => Some(RobotKind::Dingtalk),
        Via::Feishu => Some(RobotKind::Feishu),
        _ => None,
    }
}

/// Between two alerts of one robot message.
const SEPARATOR: &str = "\n\n———\n\n";

/// A robot's unsent message with one more step: its text added, its person
/// @-mentioned too. `None` when the result would not fit in one robot
/// message (the step then gets a message of its own).
pub(crate) fn join(
    pending: OutMessage,
    to: &Reachee,
    text: &str,
    step: &ReachStep,
) -> Option<OutMessage> {
    let OutMessage::Reach {
        chat_id,
        channel,
        to: mut people,
        text: mut joined,
        mut steps,
    } = pending
    else {
        return None;
    };
    joined.push_str(SEPARATOR);
    joined.push_str(text.trim());
    if joined.chars().count() > MAX_ROBOT_CHARS - 200 {
        return None; // room kept for the mentions
    }
    if !people.iter().any(|p| p.person_id == to.person_id) {
        people.push(to.clone());
    }
    steps.push(step.clone());
    Some(OutMessage::Reach {
        chat_id,
        channel,
        to: people,
        text: joined,
        steps,
    })
}

impl Escalator {
    /// `text` with a new one-time link at its end (the alert shortened so
    /// the link is never cut off), when `reach.public_url` is set. The link
    /// is written in `tx`, with the text it goes out in.
    pub(crate) async fn with_ack_link(
        &self,
        tx: &mut Tx,
        text: String,
        escalation_id: EscalationId,
        person: &Person,
        now_ms: i64,
    ) -> anyhow::Result<String> {
        let cfg = &self.config.reach;
        let Some(public_url) = &cfg.public_url else {
            return Ok(text);
        };
        let token = secret::short_token();
        let hash = secret::digest(&token);
        let expires = now_ms + cfg.link_ttl.as_millis() as i64;
        tx.create_ack_link(&hash, escalation_id, &person.id, now_ms, expires)
            .await?;
        let line = texts::link_line(person.lang, &reach::link(public_url.as_str(), &token));
        let room = MAX_TEXT_CHARS.saturating_sub(line.chars().count());
        Ok(format!("{}{line}", shorten(text.trim(), room)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChatId, ReachChannel};

    fn reachee(id: &str) -> Reachee {
        Reachee {
            person_id: id.into(),
            name: id.into(),
            phone: Some("+8613900000011".into()),
            feishu_id: None,
        }
    }

    fn step(escalation_id: EscalationId, person: &str) -> ReachStep {
        ReachStep {
            escalation_id,
            person_id: person.into(),
            why: "no acknowledgement".into(),
        }
    }

    fn message(text: &str) -> OutMessage {
        OutMessage::Reach {
            chat_id: ChatId(-(1 << 62)),
            channel: ReachChannel::Wecom,
            to: vec![reachee("wang")],
            text: text.into(),
            steps: vec![step(EscalationId(1), "wang")],
        }
    }

    #[test]
    fn a_step_joins_a_robot_message_mentioning_each_person_once() {
        let joined = join(
            message("升级 #1"),
            &reachee("wang"),
            "升级 #2",
            &step(EscalationId(2), "wang"),
        );
        let Some(OutMessage::Reach {
            to, text, steps, ..
        }) = joined
        else {
            panic!("joined")
        };
        assert_eq!(to.len(), 1);
        assert_eq!(steps.len(), 2);
        assert!(
            text.starts_with("升级 #1") && text.ends_with("升级 #2"),
            "{text}"
        );
        let joined = join(
            message("升级 #1"),
            &reachee("li"),
            "升级 #3",
            &step(EscalationId(3), "li"),
        );
        let Some(OutMessage::Reach { to, .. }) = joined else {
            panic!("joined")
        };
        assert_eq!(to.len(), 2);
    }

    #[test]
    fn a_step_that_would_not_fit_gets_a_message_of_its_own() {
        let long = "很".repeat(MAX_ROBOT_CHARS - 300);
        assert!(
            join(
                message(&long),
                &reachee("wang"),
                &"长".repeat(200),
                &step(EscalationId(2), "wang")
            )
            .is_none()
        );
    }
}
