//! The names of the domain's kinds as a person reads them: categories,
//! report statuses and priority-zone kinds, per language. `domain` holds the
//! kinds and their stored codes; the words are here.

use crate::domain::{Category, Lang, ReportStatus, ZoneKind};

/// A kind's name in the reader's language.
pub trait Label: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

impl Label for Category {
    fn label(self, lang: Lang) -> &'static str {
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
}

impl Label for ReportStatus {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ReportStatus::New, Lang::Zh) => "已受理，等待处理",
            (ReportStatus::New, Lang::En) => "received, waiting for staff",
            (ReportStatus::Acknowledged, Lang::Zh) => "工作人员已确认",
            (ReportStatus::Acknowledged, Lang::En) => "acknowledged by staff",
            (ReportStatus::InProgress, Lang::Zh) => "正在处理",
            (ReportStatus::InProgress, Lang::En) => "in progress",
            (ReportStatus::Resolved, Lang::Zh) => "已解决",
            (ReportStatus::Resolved, Lang::En) => "resolved",
        }
    }
}

impl Label for ZoneKind {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ZoneKind::Hospital, Lang::Zh) => "定点医院",
            (ZoneKind::Hospital, Lang::En) => "designated hospital",
            (ZoneKind::CommandPost, Lang::Zh) => "指挥点",
            (ZoneKind::CommandPost, Lang::En) => "command post",
            (ZoneKind::Quarantine, Lang::Zh) => "集中隔离点",
            (ZoneKind::Quarantine, Lang::En) => "quarantine site",
            (ZoneKind::ConfirmedCase, Lang::Zh) => "确诊病例小区",
            (ZoneKind::ConfirmedCase, Lang::En) => "confirmed-case compound",
        }
    }
}

/// A typed category name is accepted as if its button had been pressed:
/// the full label or its part before the bracket, in either language.
pub fn category_from_label(text: &str) -> Option<Category> {
    let t = text.trim();
    Category::ALL.into_iter().find(|c| {
        [Lang::Zh, Lang::En].into_iter().any(|l| {
            let label = c.label(l);
            let short = label.split(['（', '(']).next().unwrap_or(label).trim();
            t.eq_ignore_ascii_case(label) || t.eq_ignore_ascii_case(short)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_labels_are_understood_in_both_languages() {
        assert_eq!(category_from_label("停水"), Some(Category::Outage));
        assert_eq!(
            category_from_label(" water quality "),
            Some(Category::Quality)
        );
        assert_eq!(category_from_label("水质"), Some(Category::Quality));
        assert_eq!(category_from_label("my tap"), None);
    }
}
