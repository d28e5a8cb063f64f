//! Report statistics for a period (pure: rows in, numbers out): counts per
//! day, category, compound and district; time to acknowledge and to resolve
//! (median, p90); the CSV (UTF-8 with a BOM, so Excel reads Chinese) and an
//! SVG bar chart of reports per day, drawn here without a plotting crate.

use crate::texts::Label;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::clock::from_millis;
use crate::domain::privacy::mask_personal;
use crate::domain::{Category, Lang};
use crate::store::{PeriodFigures, ReportTimes};

/// Counts and timings of a period's reports.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub total: usize,
    pub per_day: BTreeMap<NaiveDate, usize>,
    pub per_category: BTreeMap<String, usize>,
    pub per_compound: BTreeMap<String, usize>,
    pub per_district: BTreeMap<String, usize>,
    /// Minutes: (median, p90); None when nothing was acknowledged.
    pub to_acknowledge: Option<(i64, i64)>,
    pub to_resolve: Option<(i64, i64)>,
}

/// The summary of a period from its figures (`Store::period_figures`).
pub fn summarize(
    figures: &PeriodFigures,
    tz: Tz,
    lang: Lang,
    district: impl Fn(&str) -> String,
) -> Summary {
    let mut s = Summary {
        per_day: per_day(&figures.per_quarter, tz),
        ..Summary::default()
    };
    for (category, compound_id, compound_text, n) in &figures.per_place {
        let n = usize::try_from(*n).unwrap_or(0);
        s.total += n;
        let category = Category::from_code(category).unwrap_or(Category::Other);
        *s.per_category
            .entry(category.label(lang).to_string())
            .or_default() += n;
        *s.per_compound.entry(compound_text.clone()).or_default() += n;
        let d = district(compound_id.as_deref().unwrap_or(""));
        *s.per_district.entry(d).or_default() += n;
    }
    let minutes = |created: i64, at: i64| (at - created) / 60_000;
    let ack = figures.acknowledged.iter();
    s.to_acknowledge = median_p90(ack.map(|(_, c, at)| minutes(*c, *at)).collect());
    let resolved = figures.resolved.iter();
    s.to_resolve = median_p90(resolved.map(|(c, at)| minutes(*c, *at)).collect());
    s
}

/// Quarter-hour counts added up into city days (a city's midnight falls on
/// a quarter hour, so each quarter lies within one day).
pub fn per_day(quarters: &[(i64, i64)], tz: Tz) -> BTreeMap<NaiveDate, usize> {
    let mut days = BTreeMap::new();
    for (start, n) in quarters {
        let day = from_millis(*start).with_timezone(&tz).date_naive();
        *days.entry(day).or_default() += usize::try_from(*n).unwrap_or(0);
    }
    days
}

/// Nearest-rank median and 90th percentile.
pub fn median_p90(mut minutes: Vec<i64>) -> Option<(i64, i64)> {
    if minutes.is_empty() {
        return None;
    }
    minutes.sort_unstable();
    let rank = |p: usize| minutes[(minutes.len() * p).div_ceil(100).max(1) - 1];
    Some((rank(50), rank(90)))
}

/// One line per report; a BOM first so Excel opens it as UTF-8. The file
/// leaves the building: phone numbers, e-mail addresses and the resident's
/// name are masked in the address and the description, as Open311 does.
pub fn csv(rows: &[ReportTimes], tz: Tz, lang: Lang, district: impl Fn(&str) -> String) -> String {
    let local = |ms: i64| {
        from_millis(ms)
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let mut out = String::from("\u{feff}");
    out.push_str("ticket,created,category,compound,district,address,description,status,acknowledged,resolved\r\n");
    for row in rows {
        let r = &row.report;
        let category = Category::from_code(&r.category).unwrap_or(Category::Other);
        let names = [row.resident_name.as_deref(), r.phone_for.as_deref()];
        let names: Vec<&str> = names.into_iter().flatten().collect();
        let mask = |text: &str| mask_personal(text, &names);
        let fields = [
            r.ticket.clone(),
            local(r.created_at),
            category.label(lang).to_string(),
            mask(&r.compound_text),
            district(r.compound_id.as_deref().unwrap_or("")),
            mask(&r.address_detail),
            mask(&r.description),
            r.status.code().to_string(),
            row.acknowledged_at.map(local).unwrap_or_default(),
            row.resolved_at.map(local).unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never
/// runs a resident's text as a formula.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Reports per day as an SVG bar chart.
pub fn chart(per_day: &BTreeMap<NaiveDate, usize>) -> String {
    let (width, height, pad) = (640, 240, 30);
    let max = per_day.values().copied().max().unwrap_or(0).max(1);
    let n = per_day.len().max(1);
    let slot = (width - 2 * pad) / n;
    let bar = (slot * 7 / 10).max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
         <line x1=\"{pad}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>",
        height - pad,
        width - pad,
        height - pad
    );
    for (i, (day, count)) in per_day.iter().enumerate() {
        let h = (height - 2 * pad) * count / max;
        let x = pad + i * slot + (slot - bar) / 2;
        let y = height - pad - h;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"#0b4f8a\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{count}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x + bar / 2,
            y.saturating_sub(4),
            x + bar / 2,
            height - pad + 14,
            day.format("%m-%d")
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_by_nearest_rank() {
        assert_eq!(median_p90(vec![]), None);
        assert_eq!(median_p90(vec![7]), Some((7, 7)));
        assert_eq!(median_p90((1..=10).collect()), Some((5, 9)));
    }

    #[test]
    fn quarter_hours_add_up_into_city_days_across_a_dst_change() {
        use crate::clock::to_millis;
        use chrono::TimeZone;
        let tz = chrono_tz::Europe::Berlin;
        // The clocks go forward on 2026-03-29: the day has 23 hours.
        let at = |d: u32, h: u32, m: u32| {
            to_millis(tz.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap().to_utc())
        };
        let quarters = [
            (at(28, 23, 45), 1),
            (at(29, 0, 0), 2),
            (at(29, 23, 45), 3),
            (at(30, 0, 0), 4),
        ];
        let days = per_day(&quarters, tz);
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let expected = BTreeMap::from([(day(28), 1), (day(29), 5), (day(30), 4)]);
        assert_eq!(days, expected);
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("燕山小区"), "燕山小区");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=1+1"), "'=1+1");
    }

    #[test]
    fn the_chart_is_an_svg_with_a_bar_per_day() {
        let mut days = BTreeMap::new();
        days.insert(NaiveDate::from_ymd_opt(2026, 2, 9).unwrap(), 3);
        days.insert(NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(), 1);
        let svg = chart(&days);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("fill=\"#0b4f8a\"").count(), 2);
        assert!(svg.contains("02-09"));
    }
}
