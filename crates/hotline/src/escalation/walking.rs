//! Walking the chain: when a step's wait runs out (or a manager presses
//! "Escalate now") the next step is paged. A step whose roles have nobody
//! present cannot be answered, so it counts as not answered at once: the walk
//! goes on to the next step in the same transaction and says why on the
//! timeline. When even the last step has nobody, the director's configured
//! person is paged regardless of `/away`, and an error is logged.

use chrono::{DateTime, Utc};

use super::Escalator;
use super::chain::{self, Walk};
use crate::clock::to_millis;
use crate::config::Person;
use crate::domain::{Detail, EscalationId, EscalationStatus, PersonId, Role, TimelineKind};
use crate::store::{EscalationRow, Tx};

impl Escalator {
    /// The engine's work for one escalation whose wait ran out.
    pub async fn advance(
        &self,
        tx: &mut Tx,
        id: EscalationId,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.step(tx, id, now, None).await.map(|_| ())
    }

    /// Takes the next step now, or (`forced_by` a manager pressing "Escalate
    /// now") before the wait is over. False when the escalation is not open.
    pub(super) async fn step(
        &self,
        tx: &mut Tx,
        id: EscalationId,
        now: DateTime<Utc>,
        forced_by: Option<&Person>,
    ) -> anyhow::Result<bool> {
        let now_ms = to_millis(now);
        let Some(esc) = tx.escalation(id).await? else {
            return Ok(false);
        };
        let due = esc.next_action_at.is_some_and(|at| at <= now_ms) || forced_by.is_some();
        if esc.status != EscalationStatus::Open || !due {
            return Ok(false);
        }
        let walk = Walk {
            step: esc.step.max(0) as usize,
            repeats: esc.repeats.max(0) as u32,
        };
        let action = chain::next(walk, &self.config.escalation);
        let step = action.walk.step + 1;
        let (target, why) = match forced_by {
            Some(person) => (
                person.id.as_str(),
                Detail::EscalatedBy {
                    person: person.id.clone(),
                    step,
                },
            ),
            None => (
                "",
                Detail::NoAck {
                    minutes: (now_ms - esc.updated_at) / 60_000,
                    step,
                },
            ),
        };
        let why = why.code();
        tx.add_timeline(id, action.kind, target, &why, now_ms)
            .await?;
        let reached = self
            .notify_step(tx, &esc, action.walk, action.notify, now)
            .await?;
        let next = now_ms + Self::ms(chain::wait_after(reached, &self.config.escalation));
        tx.set_walk(
            id,
            reached.step as i64,
            i64::from(reached.repeats),
            next,
            now_ms,
        )
        .await?;
        Ok(true)
    }

    /// Pages `roles` for the step `walk`; while nobody could be paged, goes on
    /// to the next step at once. Returns the step that reached someone (or
    /// the last step, where the director is paged as a last resort).
    pub(super) async fn notify_step(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        mut walk: Walk,
        mut roles: Vec<Role>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Walk> {
        let now_ms = to_millis(now);
        loop {
            if self.notify(tx, esc, &roles, now).await? > 0 {
                return Ok(walk);
            }
            let steps = self.config.escalation.steps.len();
            if walk.step + 1 >= steps {
                self.last_resort(tx, esc, now).await?;
                return Ok(walk);
            }
            let action = chain::next(walk, &self.config.escalation);
            let why = Detail::NobodyAtStep {
                from: walk.step + 1,
                to: action.walk.step + 1,
            }
            .code();
            tx.add_timeline(esc.id, action.kind, "", &why, now_ms)
                .await?;
            walk = action.walk;
            roles = action.notify;
        }
    }

    /// Pages whoever holds each role now and is present; a role nobody can
    /// answer is on the timeline with the reason. Returns how many were paged.
    async fn notify(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        roles: &[Role],
        now: DateTime<Utc>,
    ) -> anyhow::Result<usize> {
        let now_ms = to_millis(now);
        let overrides = tx.current_overrides(now_ms).await?;
        let away = tx.away_people(now_ms).await?;
        let mut paged: Vec<PersonId> = Vec::new();
        let mut to_groups: Vec<&Person> = Vec::new();
        for role in roles.iter().filter(|r| r.is_paged()) {
            let instead = self.groups.instead(*role);
            let Some(holder) = self.oncall.present_holder(*role, now, &overrides, &away) else {
                let why = match self.oncall.holder(*role, now, &overrides) {
                    Some(h) => Detail::AllAway {
                        person: h.person_id,
                        rotation: h.rotation.to_string(),
                    },
                    None => Detail::NoRotation,
                }
                .code();
                tx.add_timeline(esc.id, TimelineKind::Unstaffed, role.code(), &why, now_ms)
                    .await?;
                continue;
            };
            if paged.contains(&holder.person_id) {
                continue;
            }
            let Some(person) = self.person(&holder.person_id) else {
                continue;
            };
            if !instead {
                self.page(tx, esc, person, now_ms).await?;
            }
            tx.add_timeline(
                esc.id,
                TimelineKind::Notified,
                person.id.as_str(),
                role.code(),
                now_ms,
            )
            .await?;
            paged.push(holder.person_id);
            for group in self.groups.wanting(*role) {
                if !to_groups.iter().any(|g| g.id == group.id) {
                    to_groups.push(group);
                }
            }
        }
        for group in to_groups {
            self.page(tx, esc, group, now_ms).await?;
            tx.add_timeline(
                esc.id,
                TimelineKind::Notified,
                group.id.as_str(),
                "duty group",
                now_ms,
            )
            .await?;
        }
        Ok(paged.len())
    }

    /// Nobody present at any step: the director's configured person (by the
    /// rotation and overrides, whether away or not) is paged all the same.
    async fn last_resort(
        &self,
        tx: &mut Tx,
        esc: &EscalationRow,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let now_ms = to_millis(now);
        let overrides = tx.current_overrides(now_ms).await?;
        let director = self
            .oncall
            .holder(Role::Director, now, &overrides)
            .and_then(|h| self.person(&h.person_id));
        let Some(person) = director else {
            tracing::error!(
                escalation_id = esc.id.0,
                "nobody present at any step and no director on the rota: nobody paged"
            );
            tx.add_timeline(
                esc.id,
                TimelineKind::Unstaffed,
                Role::Director.code(),
                &Detail::NoDirector.code(),
                now_ms,
            )
            .await?;
            return Ok(());
        };
        tracing::error!(
            escalation_id = esc.id.0,
            person = %person.id,
            "nobody present at any step of the chain: paging the director regardless of away"
        );
        self.page(tx, esc, person, now_ms).await?;
        let why = Detail::LastResort.code();
        tx.add_timeline(
            esc.id,
            TimelineKind::Notified,
            person.id.as_str(),
            &why,
            now_ms,
        )
        .await?;
        Ok(())
    }
}
