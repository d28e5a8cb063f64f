use serde::{Deserialize, Serialize};

use super::Lang;

/// The fault categories a resident chooses from (DOMAIN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Outage,
    Quality,
    LowPressure,
    Leak,
    SecondarySupply,
    Meter,
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Outage,
        Category::Quality,
        Category::LowPressure,
        Category::Leak,
        Category::SecondarySupply,
        Category::Meter,
        Category::Other,
    ];

    /// The stable code stored in the database, in config and in button data.
    pub fn code(self) -> &'static str {
        match self {
            Category::Outage => "outage",
            Category::Quality => "quality",
            Category::LowPressure => "low_pressure",
            Category::Leak => "leak",
            Category::SecondarySupply => "secondary_supply",
            Category::Meter => "meter",
            Category::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Category::Outage, Lang::Zh) => "停水",
            (Category::Outage, Lang::En) => "Water outage",
            (Category::Quality, Lang::Zh) => "水质（颜色、气味、味道）",
            (Category::Quality, Lang::En) => "Water quality (colour, smell, taste)",
            (Category::LowPressure, Lang::Zh) => "水压低",
            (Category::LowPressure, Lang::En) => "Low pressure",
            (Category::Leak, Lang::Zh) => "漏水/爆管",
            (Category::Leak, Lang::En) => "Leak or burst pipe",
            (Category::SecondarySupply, Lang::Zh) => "二次供水设备（水箱、水泵）",
            (Category::SecondarySupply, Lang::En) => "Secondary-supply equipment (tank, pump)",
            (Category::Meter, Lang::Zh) => "水表",
            (Category::Meter, Lang::En) => "Meter",
            (Category::Other, Lang::Zh) => "其他",
            (Category::Other, Lang::En) => "Other",
        }
    }

    /// A typed category name is accepted as if its button had been pressed.
    pub fn from_label(text: &str) -> Option<Category> {
        let t = text.trim();
        Category::ALL.into_iter().find(|c| {
            [Lang::Zh, Lang::En].into_iter().any(|l| {
                let label = c.label(l);
                let short = label.split(['（', '(']).next().unwrap_or(label).trim();
                t.eq_ignore_ascii_case(label) || t.eq_ignore_ascii_case(short)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(c));
        }
    }

    #[test]
    fn typed_labels_are_understood_in_both_languages() {
        assert_eq!(Category::from_label("停水"), Some(Category::Outage));
        assert_eq!(
            Category::from_label(" water quality "),
            Some(Category::Quality)
        );
        assert_eq!(Category::from_label("水质"), Some(Category::Quality));
        assert_eq!(Category::from_label("my tap"), None);
    }
}
