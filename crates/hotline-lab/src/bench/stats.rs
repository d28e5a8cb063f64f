//! Latency samples and percentiles, small enough to read at a glance.
//!
//! A sample may be censored: an alert that was never sent before the run
//! stopped has no latency, only a lower bound. Such samples sort after every
//! measured one and print as `> bound`, so a percentile that lands on one says
//! honestly that it is at least that long rather than inventing a figure.

use std::cmp::Ordering;
use std::time::Duration;

/// One alert's latency, or how long it had waited when the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    Sent(Duration),
    NotSent { waited: Duration },
}

impl Sample {
    pub fn sent(self) -> Option<Duration> {
        match self {
            Sample::Sent(d) => Some(d),
            Sample::NotSent { .. } => None,
        }
    }
}

impl Ord for Sample {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Sample::Sent(a), Sample::Sent(b)) => a.cmp(b),
            (Sample::Sent(_), Sample::NotSent { .. }) => Ordering::Less,
            (Sample::NotSent { .. }, Sample::Sent(_)) => Ordering::Greater,
            (Sample::NotSent { waited: a }, Sample::NotSent { waited: b }) => a.cmp(b),
        }
    }
}

impl PartialOrd for Sample {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sample::Sent(d) => write!(f, "{}", secs(*d)),
            Sample::NotSent { waited } => write!(f, "> {} (not sent)", secs(*waited)),
        }
    }
}

/// Nearest-rank percentile (`q` in 0..=1): with few samples p99 is simply the
/// largest, which the output says rather than interpolating a false precision.
pub fn percentile<T: Ord + Copy>(samples: &[T], q: f64) -> Option<T> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// `p50 197 ms · p99 1.10 s · max 1.20 s (n = 120)`: every percentile with
/// the number of samples beside it, so a "p99" of five samples is seen for
/// what it is.
pub fn dist<T: Ord + Copy + std::fmt::Display>(samples: &[T]) -> String {
    let n = samples.len();
    let show = |q: f64| percentile(samples, q).map_or("-".to_owned(), |s| s.to_string());
    let max = samples
        .iter()
        .max()
        .map_or("-".to_owned(), ToString::to_string);
    let note = if (1..100).contains(&n) {
        ", p99 = max"
    } else {
        ""
    };
    format!(
        "p50 {} · p99 {} · max {max} (n = {n}{note})",
        show(0.5),
        show(0.99)
    )
}

/// `12.3 MB`.
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

/// `0.123 s`, `12.3 s`, `123 s`: three significant figures are plenty here.
pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else if s < 100.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.0} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_and_censored_samples_sort_last() {
        let ms = |n| Sample::Sent(Duration::from_millis(n));
        let samples = [
            ms(300),
            Sample::NotSent {
                waited: Duration::from_secs(90),
            },
            ms(100),
            ms(200),
        ];
        assert_eq!(percentile(&samples, 0.5), Some(ms(200)));
        assert_eq!(
            percentile(&samples, 0.99),
            Some(Sample::NotSent {
                waited: Duration::from_secs(90)
            })
        );
        assert_eq!(percentile::<Sample>(&[], 0.5), None);
        assert_eq!(percentile(&[ms(7)], 0.99), Some(ms(7)));
        assert_eq!(secs(Duration::from_millis(412)), "412 ms");
        assert_eq!(secs(Duration::from_millis(12_346)), "12.35 s");
        assert_eq!(
            dist(&[ms(100), ms(300)]),
            "p50 100 ms · p99 300 ms · max 300 ms (n = 2, p99 = max)"
        );
    }
}
