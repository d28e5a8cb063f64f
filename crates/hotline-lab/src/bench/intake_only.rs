//! `hotline bench residents --intake-only`: the intake alone. The stand-in's
//! limits are off and residents do not wait for prompts: each injects its
//! updates at its start time (its one message, or `/report`, the place and the
//! description), leaving its dialogue open. The run counts the updates the
//! bot has handled (its `processed_updates`) every half second until all are
//! handled, and prints the rate beside the offered one; the bot's peak RSS is
//! then the memory of that many open dialogues.

use std::time::{Duration, Instant};

use super::Variant;
use super::report::Figures;
use super::residents::{PROGRESS_EVERY, ResidentsArgs, defaults, script, spec};
use super::run::Harness;
use super::stats::secs;
use hotline_standin::FakeUser;

/// One variant, intake alone: updates injected blind, handled counted.
pub(super) async fn measure(args: &ResidentsArgs, variant: &Variant) -> anyhow::Result<Figures> {
    let c = &args.common;
    let plans = script(args, &defaults()?);
    let mut h = Harness::start("intake", &spec(), variant, false, c).await?;
    let standin = h.standin.clone();
    let t0 = h.t0;
    let mut injector = tokio::spawn(async move {
        let mut injected = 0_usize;
        for p in plans {
            tokio::time::sleep_until((t0 + p.start).into()).await;
            let user = FakeUser::new(p.user_id, "居民");
            match &p.one_message {
                Some(text) => {
                    standin.send_text(&user, text);
                    injected += 1;
                }
                None => {
                    standin.send_text(&user, "/report");
                    standin.send_text(&user, &format!("{} {}", p.compound, p.detail));
                    standin.send_text(&user, &p.description);
                    injected += 3;
                }
            }
        }
        (injected, t0.elapsed())
    });
    let deadline = t0 + c.window() + c.drain_timeout;
    let mut samples: Vec<(Duration, i64)> = Vec::new();
    let mut next_progress = Instant::now() + PROGRESS_EVERY;
    let mut injected = None;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let handled = h.observer.handled_updates().await?;
        samples.push((t0.elapsed(), handled));
        if injected.is_none() && injector.is_finished() {
            injected = Some((&mut injector).await?);
        }
        let all_in = injected.is_some_and(|(n, _)| handled as usize >= n);
        if all_in || Instant::now() >= deadline {
            break;
        }
        if Instant::now() >= next_progress {
            next_progress += PROGRESS_EVERY;
            h.progress(&format!("updates handled {handled}"))?;
        }
    }
    let (injected, injecting) = injected.unwrap_or((0, Duration::ZERO));
    let done = h.finish()?;
    let mut f = Figures::new(&variant.name);
    let handled = samples.last().map_or(0, |s| s.1);
    let first = samples
        .iter()
        .find(|s| s.1 > 0)
        .map_or(Duration::ZERO, |s| s.0);
    let last = samples.last().map_or(Duration::ZERO, |s| s.0);
    f.add(
        "updates",
        format!(
            "{injected} injected in {} ({:.0}/s offered), {handled} handled",
            secs(injecting),
            injected as f64 / injecting.as_secs_f64().max(0.001)
        ),
    );
    f.add(
        "handled per second",
        format!(
            "{:.0}/s from the first handled to the last look ({}); best 2 s: {:.0}/s",
            handled as f64 / last.saturating_sub(first).as_secs_f64().max(0.001),
            secs(last.saturating_sub(first)),
            best_rate(&samples, Duration::from_secs(2))
        ),
    );
    f.add(
        "note",
        "if the handled rate equals the offered rate the bot kept up: a lower bound; raise --residents or shorten --seconds",
    );
    f.add_delivery_and_cost(&done.calls, done.bot, done.bench, done.wall);
    done.clean_up().await;
    Ok(f)
}

/// The highest rate over any window of at least `span` between two looks.
fn best_rate(samples: &[(Duration, i64)], span: Duration) -> f64 {
    let mut best = 0.0_f64;
    for (i, (t1, n1)) in samples.iter().enumerate() {
        if let Some((t0, n0)) = samples[..i].iter().rev().find(|(t0, _)| *t1 - *t0 >= span) {
            best = best.max((n1 - n0) as f64 / (*t1 - *t0).as_secs_f64());
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_rate_is_over_at_least_the_span() {
        let samples = [
            (Duration::from_secs(0), 0),
            (Duration::from_secs(1), 3000),
            (Duration::from_secs(2), 4000),
        ];
        assert_eq!(best_rate(&samples, Duration::from_secs(2)), 2000.0);
    }
}
