//! The flood's script: who provokes which escalation when, in which
//! compound, and the site (generated compounds, hospitals) that makes it so.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{FIRST_RESIDENT_ID, FloodArgs};
use crate::bench::agent::Plan;
use crate::bench::site::{Compound, SiteSpec, generated_compounds};
use hotline::config::Config;
use hotline::domain::{Category, Lang};

/// Who provokes what, and the site that makes it possible.
#[derive(Debug, Clone)]
pub struct Script {
    /// Every resident; `true` for those whose reports open escalations.
    pub plans: Vec<(Plan, bool)>,
    pub spec: SiteSpec,
    /// Escalations expected, by reason (`threshold`, `urgent`, `zone`).
    pub expected: BTreeMap<&'static str, usize>,
}

/// What a resident writes about a category: a description for the wizard,
/// and a short phrase for the one-message report.
fn words(category: Category) -> (&'static str, &'static str) {
    match category {
        Category::Outage => ("整栋楼停水了，一滴水都没有", "停水了"),
        Category::Quality => ("自来水发黄，有异味", "自来水发黄"),
        Category::Leak => ("楼下水管漏水，水流了一地", "水管漏水了"),
        Category::SecondarySupply => ("二次供水的水泵坏了", "二次供水水泵坏了"),
        Category::LowPressure => ("水压很低，楼上几乎没有水", "水压很低"),
        Category::Meter => ("水表好像不走了", "水表不走了"),
        Category::Other => ("其他问题", "其他问题"),
    }
}

/// One Chinese resident of `compound` reporting `category`; every other one
/// writes it in one message.
fn plan(i: usize, start: Duration, category: Category, compound: &str) -> Plan {
    let (description, phrase) = words(category);
    let detail = format!("{}号楼{}单元", 1 + i % 20, 1 + i % 4);
    Plan {
        user_id: FIRST_RESIDENT_ID + i as i64,
        lang: Lang::Zh,
        start,
        category,
        compound: compound.to_owned(),
        one_message: i
            .is_multiple_of(2)
            .then(|| format!("{compound}{detail}{phrase}")),
        detail,
        description: description.to_owned(),
    }
}

/// The flood's script: provoking residents spread over the middle 80 % of
/// the window, background residents (low pressure and meters, which never
/// escalate outside a zone) spread over all of it.
pub fn script(args: &FloodArgs, config: &Config, history: i64) -> anyhow::Result<Script> {
    let e = args.escalations;
    let (zones, urgent) = (e / 5, 2 * e / 5);
    let thresholds = e - zones - urgent;
    let generated = generated_compounds(args.compounds)?;
    let (hospitals, plain) = generated.split_at(zones.min(generated.len()));
    let pairs = urgent.max(thresholds).div_ceil(2);
    anyhow::ensure!(
        hospitals.len() == zones && plain.len() >= pairs,
        "{e} escalations need {} generated compounds (--compounds is {})",
        zones + pairs,
        args.compounds
    );
    let window = args.common.window();
    let mut starts: Vec<(Category, &Compound, usize)> = Vec::new();
    for h in hospitals {
        starts.push((Category::LowPressure, h, 1));
    }
    for k in 0..urgent {
        let category = [Category::Leak, Category::SecondarySupply][k % 2];
        starts.push((category, &plain[k / 2], 1));
    }
    let esc = &config.escalation;
    for k in 0..thresholds {
        let category = [Category::Outage, Category::Quality][k % 2];
        let n = *esc.thresholds.get(&category).unwrap_or(&1) as usize;
        starts.push((category, &plain[k / 2], n));
    }
    // Interleave the kinds over time: sort by a stride through the list.
    let groups = starts.len();
    let mut plans = Vec::new();
    let mut i = 0;
    for g in 0..groups {
        let (category, compound, n) = starts[(g * 7919) % groups.max(1)];
        let at = window.mul_f64(0.1 + 0.8 * g as f64 / groups.max(1) as f64);
        for j in 0..n {
            let start = at + Duration::from_millis(500) * j as u32;
            plans.push((plan(i, start, category, &compound.name), true));
            i += 1;
        }
    }
    anyhow::ensure!(
        plans.len() <= args.common.residents,
        "{e} escalations need {} residents; --residents is {}",
        plans.len(),
        args.common.residents
    );
    let background: Vec<&str> = config
        .compounds
        .iter()
        .map(|c| c.name.as_str())
        .chain(plain.iter().map(|c| c.name.as_str()))
        .collect();
    let rest = args.common.residents - plans.len();
    for k in 0..rest {
        let category = [Category::LowPressure, Category::Meter][k % 3 / 2];
        let start = window.mul_f64(k as f64 / rest.max(1) as f64);
        plans.push((
            plan(i, start, category, background[k % background.len()]),
            false,
        ));
        i += 1;
    }
    plans.sort_by_key(|(p, _)| p.start);
    let expected = BTreeMap::from([
        ("threshold", thresholds),
        ("urgent", urgent),
        ("zone", zones),
    ]);
    Ok(Script {
        plans,
        spec: SiteSpec {
            generated: generated.clone(),
            hospitals: hospitals.iter().map(|c| c.id.clone()).collect(),
            history,
            extra: String::new(),
            telegram_extra: String::new(),
        },
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::Common;

    fn args(residents: usize, escalations: usize) -> FloodArgs {
        FloodArgs {
            common: Common {
                residents,
                seconds: 10,
                think: Duration::from_secs(1),
                seed: 1,
                drain_timeout: Duration::from_secs(1),
                baseline: None,
                faults: 0.0,
                keep: false,
                bot: None,
            },
            escalations,
            compounds: 100,
            history: vec![0],
            alert_timeout: Duration::from_secs(1),
        }
    }

    #[test]
    fn the_script_provokes_each_escalation_in_its_own_compound_and_category() {
        let config = Config::from_override_str("", "defaults").unwrap();
        let s = script(&args(300, 120), &config, 0).unwrap();
        assert_eq!(s.plans.len(), 300);
        assert_eq!(s.expected.values().sum::<usize>(), 120);
        assert_eq!(s.spec.hospitals.len(), 24);
        let provoking: Vec<&Plan> = s.plans.iter().filter(|(_, w)| *w).map(|(p, _)| p).collect();
        // 24 hospitals and 48 urgent faults (one each), 24 × 5 outages, 24 × 3 quality.
        assert_eq!(provoking.len(), 24 + 48 + 24 * 5 + 24 * 3);
        let window = Duration::from_secs(10);
        assert!(
            provoking
                .iter()
                .all(|p| p.start >= window / 10 && p.start <= window)
        );
        let hospital_names: Vec<String> = s.spec.generated[..24]
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let background = s.plans.iter().filter(|(_, w)| !*w).map(|(p, _)| p);
        assert!(
            background
                .clone()
                .all(|p| !hospital_names.contains(&p.compound))
        );
        assert!(
            background
                .clone()
                .all(|p| matches!(p.category, Category::LowPressure | Category::Meter))
        );
        let mut ids: Vec<i64> = s.plans.iter().map(|(p, _)| p.user_id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 300);
        assert!(
            script(&args(200, 120), &config, 0).is_err(),
            "too few residents"
        );
    }
}
