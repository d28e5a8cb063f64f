use serde::{Deserialize, Serialize};

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
}
