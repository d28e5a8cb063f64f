//! Counting what one outage run produced: the escalations its texts name,
//! the first text's delay per escalation, and repeats (an escalation texted
//! twice to one phone, an alert sent twice to one chat).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use hotline_standin::Call;
use hotline_standin::sms::FakeRequest;

use super::super::managers::chat_id;
use super::super::stats::{percentile, secs};

/// `p50 … · p95 … · max … (n = …)`.
pub(super) fn spread(samples: &[Duration]) -> String {
    let show = |q: f64| percentile(samples, q).map_or("-".to_owned(), secs);
    let max = samples.iter().max().map_or("-".to_owned(), |d| secs(*d));
    format!(
        "p50 {} · p95 {} · max {max} (n = {}) after opening",
        show(0.5),
        show(0.95),
        samples.len()
    )
}

/// For each escalation that was texted: its first text's arrival after it opened.
pub(super) fn first_text_delays(openings: &[(i64, i64)], texts: &[FakeRequest]) -> Vec<Duration> {
    let mut first: BTreeMap<i64, i64> = BTreeMap::new();
    for request in texts {
        for id in escalations_in(&text_of(request)) {
            let at = request.at.timestamp_millis();
            first
                .entry(id)
                .and_modify(|t| *t = (*t).min(at))
                .or_insert(at);
        }
    }
    openings
        .iter()
        .filter_map(|(id, opened)| {
            let at = first.get(id)?;
            Some(Duration::from_millis((at - opened).max(0) as u64))
        })
        .collect()
}

pub(super) fn text_of(request: &FakeRequest) -> String {
    let json = request.json().unwrap_or_default();
    json["text"].as_str().unwrap_or_default().to_owned()
}

pub(super) fn text_to(request: &FakeRequest) -> Option<String> {
    let json = request.json().ok()?;
    json["to"].as_str().map(str::to_owned)
}

/// Escalation ids an alert names (`#12 `).
pub(super) fn escalations_in(text: &str) -> Vec<i64> {
    text.split('#')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = rest[digits.len()..].chars().next();
            (after == Some(' ')).then(|| digits.parse().ok()).flatten()
        })
        .collect()
}

pub(super) fn texted_escalations(texts: &[FakeRequest]) -> BTreeSet<i64> {
    texts
        .iter()
        .flat_map(|r| escalations_in(&text_of(r)))
        .collect()
}

/// Texts naming an escalation one phone was already texted about.
pub(super) fn repeated_texts(texts: &[FakeRequest]) -> usize {
    let mut seen = BTreeSet::new();
    let pairs = texts.iter().flat_map(|r| {
        let to = text_to(r).unwrap_or_default();
        escalations_in(&text_of(r))
            .into_iter()
            .map(move |id| (to.clone(), id))
    });
    pairs.filter(|pair| !seen.insert(pair.clone())).count()
}

/// New alert messages (🚨) naming an escalation the same staff chat was
/// already sent a new alert about (edits do not count).
pub(super) fn repeated_alerts(calls: &[Call], staff: &[i64]) -> usize {
    let mut seen = BTreeSet::new();
    let alerts = calls.iter().filter(|c| c.ok && c.method == "sendmessage");
    let pairs = alerts.flat_map(|c| {
        let chat = chat_id(c).filter(|id| staff.contains(id)).unwrap_or(0);
        let text = c.body["text"].as_str().unwrap_or_default();
        let ids = match text.starts_with('🚨') && chat != 0 {
            true => escalations_in(text),
            false => vec![],
        };
        ids.into_iter().map(move |id| (chat, id))
    });
    pairs.filter(|pair| !seen.insert(*pair)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_names_its_escalations_by_hash_and_number() {
        assert_eq!(
            escalations_in("🚨 #12 漏水 … #7 another #x #3"),
            vec![12, 7]
        );
        assert!(escalations_in("no ids, 30# here").is_empty());
    }
}
