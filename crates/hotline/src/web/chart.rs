//! Reports per day as a PNG bar chart, drawn pixel by pixel: the daily
//! digest sends it to Telegram as a photo and the Reports page can fetch
//! it (`/desk/reports/chart.png`). Labels are digits in a built-in 3×5
//! pixel font, so nothing depends on system fonts; the Chinese words stay in
//! the caption or the page around the picture.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::png;

const WIDTH: usize = 640;
const HEIGHT: usize = 320;
const PAD: usize = 36;
/// Font pixels are drawn as SCALE×SCALE squares.
const SCALE: usize = 2;

const WHITE: u8 = 0;
const BAR: u8 = 1;
const HIGHLIGHT: u8 = 2;
const AXIS: u8 = 3;
const INK: u8 = 4;
const PALETTE: [[u8; 3]; 5] = [
    [255, 255, 255],
    [11, 79, 138],   // #0b4f8a, the desk's blue
    [217, 95, 2],    // orange: the day the digest is about
    [136, 136, 136], // axis
    [34, 34, 34],    // labels
];

/// One bar: its label under it (digits and - : . /), its height, and
/// whether it stands out.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub highlight: bool,
}

/// Every day of `from..=to` with its count (0 for days without reports),
/// `highlight` standing out.
pub fn days(
    per_day: &BTreeMap<NaiveDate, usize>,
    from: NaiveDate,
    to: NaiveDate,
    highlight: Option<NaiveDate>,
) -> Vec<Bar> {
    let mut bars = Vec::new();
    let mut day = from;
    while day <= to && bars.len() < 366 {
        bars.push(Bar {
            label: day.format("%m-%d").to_string(),
            value: per_day.get(&day).copied().unwrap_or(0),
            highlight: Some(day) == highlight,
        });
        day += Duration::days(1);
    }
    bars
}

/// The bars as a 640×320 PNG: a baseline, the largest value on the left,
/// each bar's value above it and its label below (every k-th label when
/// they would overlap).
pub fn png(bars: &[Bar]) -> Vec<u8> {
    let mut canvas = Canvas::new();
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let base = HEIGHT - PAD;
    let plot = HEIGHT - 2 * PAD;
    canvas.rect(PAD, base, WIDTH - 2 * PAD, 1, AXIS);
    canvas.rect(PAD, PAD, 1, plot, AXIS);
    canvas.text(4, PAD - 2, &max.to_string(), INK);
    canvas.text(4, base - text_height(), "0", INK);
    let n = bars.len().max(1);
    let slot = (WIDTH - 2 * PAD - 2) / n;
    let width = (slot * 7 / 10).max(1);
    let every = |text_width: usize| text_width.div_ceil(slot.max(1)).max(1);
    let label_every = every(bars.iter().map(|b| text_width(&b.label)).max().unwrap_or(0) + 4);
    let value_every = every(text_width(&max.to_string()) + 2);
    for (i, bar) in bars.iter().enumerate() {
        let x = PAD + 2 + i * slot + (slot - width) / 2;
        let h = plot * bar.value / max;
        let colour = if bar.highlight { HIGHLIGHT } else { BAR };
        canvas.rect(x, base - h, width, h, colour);
        let centre = x + width / 2;
        if i % value_every == 0 || bar.highlight {
            let label = bar.value.to_string();
            let top = (base - h).saturating_sub(text_height() + 3);
            canvas.text(
                centre.saturating_sub(text_width(&label) / 2),
                top,
                &label,
                INK,
            );
        }
        if i % label_every == 0 || bar.highlight {
            let left = centre.saturating_sub(text_width(&bar.label) / 2);
            canvas.text(left, base + 6, &bar.label, INK);
        }
    }
    png::indexed(WIDTH, HEIGHT, &PALETTE, &canvas.pixels)
}

struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            pixels: vec![WHITE; WIDTH * HEIGHT],
        }
    }

    /// Fills a rectangle, clipped to the canvas.
    fn rect(&mut self, x: usize, y: usize, w: usize, h: usize, colour: u8) {
        for row in y.min(HEIGHT)..(y + h).min(HEIGHT) {
            let start = row * WIDTH;
            self.pixels[start + x.min(WIDTH)..start + (x + w).min(WIDTH)].fill(colour);
        }
    }

    fn text(&mut self, x: usize, y: usize, text: &str, colour: u8) {
        for (i, c) in text.chars().enumerate() {
            let rows = glyph(c);
            let left = x + i * (4 * SCALE);
            for (dy, bits) in rows.iter().enumerate() {
                for dx in 0..3 {
                    if bits & (0b100 >> dx) != 0 {
                        let (px, py) = (left + dx * SCALE, y + dy * SCALE);
                        self.rect(px, py, SCALE, SCALE, colour);
                    }
                }
            }
        }
    }
}

fn text_width(text: &str) -> usize {
    (text.chars().count() * 4).saturating_sub(1) * SCALE
}

fn text_height() -> usize {
    5 * SCALE
}

/// Five rows of three pixels; anything unknown is blank.
fn glyph(c: char) -> [u8; 5] {
    match c {
        '0' => [0b111, 0b101, 0b101, 0b101, 0b111],
        '1' => [0b010, 0b110, 0b010, 0b010, 0b111],
        '2' => [0b111, 0b001, 0b111, 0b100, 0b111],
        '3' => [0b111, 0b001, 0b111, 0b001, 0b111],
        '4' => [0b101, 0b101, 0b111, 0b001, 0b001],
        '5' => [0b111, 0b100, 0b111, 0b001, 0b111],
        '6' => [0b111, 0b100, 0b111, 0b101, 0b111],
        '7' => [0b111, 0b001, 0b001, 0b001, 0b001],
        '8' => [0b111, 0b101, 0b111, 0b101, 0b111],
        '9' => [0b111, 0b101, 0b111, 0b001, 0b111],
        '-' => [0b000, 0b000, 0b111, 0b000, 0b000],
        ':' => [0b000, 0b010, 0b000, 0b010, 0b000],
        '.' => [0b000, 0b000, 0b000, 0b000, 0b010],
        '/' => [0b001, 0b001, 0b010, 0b100, 0b100],
        _ => [0; 5],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, d).unwrap()
    }

    #[test]
    fn every_day_of_the_period_gets_a_bar_even_without_reports() {
        let per_day = BTreeMap::from([(day(3), 4), (day(9), 2)]);
        let bars = days(&per_day, day(3), day(9), Some(day(9)));
        assert_eq!(bars.len(), 7);
        assert_eq!((bars[0].label.as_str(), bars[0].value), ("02-03", 4));
        assert_eq!(bars[1].value, 0);
        assert!(bars[6].highlight && !bars[0].highlight);
    }

    #[test]
    fn the_chart_is_a_small_png_with_its_bars_drawn() {
        let per_day = BTreeMap::from([(day(3), 4), (day(9), 2)]);
        let png = png(&days(&per_day, day(3), day(9), Some(day(9))));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() < 10_000, "{} bytes", png.len());
    }

    #[test]
    fn a_month_of_bars_still_fits() {
        let per_day = (1..=28).map(|d| (day(d), d as usize * 3)).collect();
        let png = png(&days(&per_day, day(1), day(28), None));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
