//! What a run prints: one block of labelled figures per variant, then the
//! variants side by side, so a ratio is read off one run rather than
//! remembered from another.

use std::time::Duration;

use super::managers::is_message;
use super::process::Usage;
use super::stats::{mb, secs};
use hotline_standin::Call;

/// One variant's figures, in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub variant: String,
    pub rows: Vec<(String, String)>,
}

impl Figures {
    pub fn new(variant: &str) -> Figures {
        Figures {
            variant: variant.to_owned(),
            rows: Vec::new(),
        }
    }

    pub fn add(&mut self, label: &str, value: impl Into<String>) {
        self.rows.push((label.to_owned(), value.into()));
    }

    pub fn render(&self) -> String {
        let width = self.rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        let mut out = format!("── {} ──\n", self.variant);
        for (label, value) in &self.rows {
            out.push_str(&format!("{label:<width$}  {value}\n"));
        }
        out
    }

    /// What Telegram saw and what the bot process cost: the rows every
    /// scenario prints.
    pub fn add_delivery_and_cost(
        &mut self,
        calls: &[Call],
        bot: Usage,
        bench: Usage,
        wall: Duration,
    ) {
        let messages: Vec<&Call> = calls.iter().filter(|c| is_message(c)).collect();
        let ok: Vec<&Call> = messages.iter().copied().filter(|c| c.ok).collect();
        let n429 = calls.iter().filter(|c| c.status == 429).count();
        self.add(
            "429s",
            format!(
                "{n429} ({:.1}% of {} message calls)",
                100.0 * n429 as f64 / messages.len().max(1) as f64,
                messages.len()
            ),
        );
        let span = match (ok.first(), ok.last()) {
            (Some(a), Some(b)) => b.at.duration_since(a.at),
            _ => Duration::ZERO,
        };
        self.add(
            "messages sent",
            format!(
                "{} ok ({:.1}/s from the first to the last)",
                ok.len(),
                ok.len() as f64 / span.as_secs_f64().max(0.001)
            ),
        );
        self.add(
            "bot CPU",
            format!(
                "{} ({:.0}% of one core over {})",
                secs(bot.cpu),
                100.0 * bot.cpu.as_secs_f64() / wall.as_secs_f64().max(0.001),
                secs(wall)
            ),
        );
        self.add(
            "bot memory",
            format!("peak RSS {} (at the end {})", mb(bot.peak_rss), mb(bot.rss)),
        );
        self.add(
            "bench process",
            format!(
                "CPU {}, peak RSS {} (generator and stand-in, not the bot)",
                secs(bench.cpu),
                mb(bench.peak_rss)
            ),
        );
    }
}

/// Every label any variant has, one line each, the variants' values side by
/// side (`│` between them).
pub fn side_by_side(all: &[Figures]) -> String {
    let mut labels: Vec<&str> = Vec::new();
    for f in all {
        for (label, _) in &f.rows {
            if !labels.contains(&label.as_str()) {
                labels.push(label);
            }
        }
    }
    let width = labels.iter().map(|l| l.len()).max().unwrap_or(0);
    let names: Vec<&str> = all.iter().map(|f| f.variant.as_str()).collect();
    let mut out = format!("{:<width$}  {}\n", "", names.join("  │  "));
    for label in labels {
        let values: Vec<&str> = all
            .iter()
            .map(|f| {
                f.rows
                    .iter()
                    .find(|(l, _)| l == label)
                    .map_or("-", |(_, v)| v.as_str())
            })
            .collect();
        out.push_str(&format!("{label:<width$}  {}\n", values.join("  │  ")));
    }
    out
}

/// `; 30% of message calls failing …` when `--faults` is on.
pub fn faults_note(share: f64) -> String {
    match share > 0.0 {
        true => format!(
            "; {:.0}% of message calls failing: HTTP 500, 429 or a 20 s hang",
            100.0 * share
        ),
        false => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_line_up_by_label() {
        let mut a = Figures::new("new");
        a.add("alerts", "p50 1 ms");
        a.add("only here", "x");
        let mut b = Figures::new("fifo");
        b.add("alerts", "p50 9 s");
        let table = side_by_side(&[a.clone(), b]);
        assert!(table.contains("alerts     p50 1 ms  │  p50 9 s"), "{table}");
        assert!(table.contains("only here  x  │  -"), "{table}");
        assert!(a.render().starts_with("── new ──\nalerts     p50 1 ms\n"));
    }
}
