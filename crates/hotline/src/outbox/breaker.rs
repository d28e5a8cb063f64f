//! Telegram out of reach: when a Telegram send gets no answer at all (connection
//! refused or reset, no answer within the send timeout) and no other call
//! was answered since it started (one hung call among answered ones is a
//! fault of that call, not an outage), the worker stops
//! sending to Telegram and tries one message (the first due, so an alert
//! when there is one) every [`PROBE_EVERY`]. The rows themselves wait due,
//! in their order, without counting attempts (`retry`), so when a probe is
//! answered the backlog leaves in the usual order: alerts first. Until no
//! alert is due any more after that, other Telegram messages wait for them
//! (the recovery drains alerts, then the rest). Notifications beyond
//! Telegram (texts, calls, robots) and WeChat residents' messages are not
//! held, and WeChat out of reach trips nothing here.

use std::time::{Duration, Instant};

use super::DeliveryError;

/// How often a message is tried while Telegram cannot be reached.
pub const PROBE_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Default)]
pub(super) struct Breaker {
    /// Since when Telegram has not answered; None while it answers.
    down_since: Option<Instant>,
    /// When Telegram last answered a call (success or refusal alike).
    last_answer: Option<Instant>,
    /// When the next probe may start.
    next_probe: Option<Instant>,
    /// A probe is under way.
    probing: bool,
    /// Telegram answered again and alerts are still due: they go first.
    pub recovering: bool,
}

impl Breaker {
    /// Whether a Telegram send may start now; how long until one may if not.
    pub fn allows(&self, now: Instant) -> Result<(), Duration> {
        match (self.down_since, self.next_probe) {
            (None, _) => Ok(()),
            _ if self.probing => Err(PROBE_EVERY),
            (Some(_), Some(at)) if at > now => Err(at - now),
            (Some(_), _) => Ok(()),
        }
    }

    /// A send started: while down, it is the one probe.
    pub fn started(&mut self) {
        self.probing |= self.down_since.is_some();
    }

    /// A picked send was not claimed after all (another worker took it).
    pub fn cancelled(&mut self) {
        self.probing = false;
    }

    /// How a Telegram send started at `started` went.
    pub fn settled<T>(
        &mut self,
        outcome: &Result<T, DeliveryError>,
        started: Instant,
        now: Instant,
    ) {
        self.probing = false;
        if matches!(outcome, Err(DeliveryError::Unreachable(_))) {
            if self.down_since.is_none() && self.last_answer.is_some_and(|at| at >= started) {
                return; // others were answered meanwhile: this call's fault
            }
            if self.down_since.is_none() {
                tracing::warn!(
                    "Telegram cannot be reached; sending one message every {PROBE_EVERY:?} until it answers"
                );
                self.down_since = Some(now);
            }
            self.next_probe = Some(now + PROBE_EVERY);
            return;
        }
        self.last_answer = Some(now);
        if let Some(since) = self.down_since.take() {
            tracing::info!(down_for = ?now - since, "Telegram answers again; alerts first");
            self.next_probe = None;
            self.recovering = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_lets_one_probe_through_at_a_time_and_an_answer_ends_it() {
        let t0 = Instant::now();
        let mut b = Breaker::default();
        assert!(b.allows(t0).is_ok());
        b.started();
        b.settled::<()>(&Err(DeliveryError::Unreachable("refused".into())), t0, t0);
        assert_eq!(b.allows(t0), Err(PROBE_EVERY));
        let later = t0 + PROBE_EVERY;
        assert!(b.allows(later).is_ok());
        b.started();
        assert!(b.allows(later).is_err(), "one probe at a time");
        b.settled::<()>(&Ok(()), later, later);
        assert!(b.allows(later).is_ok());
        assert!(b.recovering);
    }

    #[test]
    fn one_hung_call_while_others_are_answered_is_no_outage() {
        let t0 = Instant::now();
        let mut b = Breaker::default();
        let answered = t0 + Duration::from_millis(300);
        b.settled::<()>(&Ok(()), t0, answered);
        let hang = Err(DeliveryError::Unreachable("no answer within 5s".into()));
        b.settled::<()>(&hang, t0, t0 + Duration::from_secs(5));
        assert!(
            b.allows(t0 + Duration::from_secs(5)).is_ok(),
            "still sending"
        );
        let later = t0 + Duration::from_secs(6);
        b.settled::<()>(&hang, later, later + Duration::from_secs(5));
        assert!(
            b.allows(later + Duration::from_secs(5)).is_err(),
            "nothing answered since"
        );
    }
}
