//! The words that name a fault category, in Chinese and English.
//!
//! These are words the bot *understands*, never shows, so they live here next
//! to the scanner rather than in `src/texts` (which holds what residents read).
//! They are matched after normalisation (case, width and spacing do not
//! matter); an English word must start a word and may carry an ending
//! ("leak" finds "leaking", "leaks"). A word may belong to one category only.
//! `Category::Other` has no words: a resident who means "other" uses the wizard.
//!
//! Negations ("不是停水", "not a leak") are not understood: such a message is
//! read as naming the category, and the resident corrects it on the summary.

use crate::domain::Category;

pub const KEYWORDS: &[(Category, &[&str])] = &[
    (
        Category::Outage,
        &[
            "停水",
            "没水",
            "断水",
            "没有水",
            "无水",
            "不出水",
            "不来水",
            "没来水",
            "no water",
            "no running water",
            "water off",
            "water is off",
            "water's off",
            "water cut",
            "water stopped",
            "water has stopped",
            "without water",
            "outage",
        ],
    ),
    (
        Category::Quality,
        &[
            "水质",
            "发黄",
            "黄水",
            "浑浊",
            "水浑",
            "有味",
            "异味",
            "臭味",
            "发臭",
            "怪味",
            "有杂质",
            "铁锈",
            "yellow",
            "brown",
            "smell",
            "stink",
            "odor",
            "odour",
            "dirty",
            "cloudy",
            "murky",
            "rusty",
            "discolo",
            "tastes",
            "quality",
        ],
    ),
    (
        Category::LowPressure,
        &[
            "水压",
            "水小",
            "水很小",
            "水流小",
            "水流很小",
            "压力小",
            "压力低",
            "low pressure",
            "pressure",
            "weak flow",
            "trickle",
        ],
    ),
    (
        Category::Leak,
        &[
            "漏水",
            "爆管",
            "跑水",
            "渗水",
            "冒水",
            "管子爆",
            "水管爆",
            "水管破",
            "水管裂",
            "漏了",
            "leak",
            "burst",
            "broken pipe",
            "pipe broke",
            "flood",
        ],
    ),
    (
        Category::SecondarySupply,
        &[
            "水箱",
            "水泵",
            "二次供水",
            "加压泵",
            "泵房",
            "水塔",
            "pump",
            "tank",
            "secondary supply",
            "booster",
        ],
    ),
    (Category::Meter, &["水表", "抄表", "meter"]),
];
