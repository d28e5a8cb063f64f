//! `/zone add|list|remove`: priority zones, edited from chat (and from the
//! desk's form, through [`Staff::add_zone_of`]); a change takes effect for
//! the next report. A zone whose end has already passed is refused.

use crate::texts::Label;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use super::{Ctx, Staff};
use crate::clock::{from_millis, to_millis};
use crate::domain::{PlaceMatch, Reply, ZoneKind};
use crate::texts::console as texts;

impl Staff {
    pub(super) async fn zone(&self, cx: &mut Ctx<'_>, words: &[&str]) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        match words {
            ["list", ..] | [] => self.zone_list(cx).await,
            ["remove", id, ..] => {
                let removed = match id.trim_start_matches('#').parse::<i64>() {
                    Ok(id) => cx.tx.remove_zone(id, &cx.me.id, cx.now_ms()).await?,
                    Err(_) => false,
                };
                Ok(Reply {
                    changed: removed,
                    ..cx.say(texts::zone_removed(lang, removed))
                })
            }
            ["add", compound, kind, rest @ ..] => self.add_zone(cx, compound, kind, rest).await,
            _ => Ok(cx.say(texts::zone_usage(lang))),
        }
    }

    async fn zone_list(&self, cx: &mut Ctx<'_>) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let zones = cx.tx.active_zones(cx.now_ms()).await?;
        if zones.is_empty() {
            return Ok(cx.say(texts::no_zones(lang)));
        }
        let lines: Vec<String> = zones
            .iter()
            .map(|z| {
                let name = self
                    .places
                    .name_of(&z.compound_id)
                    .unwrap_or(&z.compound_id);
                let kind = z.kind.label(lang);
                let until = z
                    .expires_at
                    .map(|e| format!(" → {}", self.local(from_millis(e))))
                    .unwrap_or_default();
                let by = self
                    .escalator
                    .person(&z.created_by)
                    .map_or(z.created_by.as_str(), |p| p.name.as_str());
                format!("#{} {name} {} · {kind}{until} ({by})", z.id, z.address)
            })
            .collect();
        Ok(cx.say(lines.join("\n")))
    }

    async fn add_zone(
        &self,
        cx: &mut Ctx<'_>,
        compound: &str,
        kind: &str,
        rest: &[&str],
    ) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let PlaceMatch::Found {
            id: compound_id, ..
        } = self.places.find(compound)
        else {
            return Ok(cx.say(texts::unknown_compound(lang, compound)));
        };
        let Some(kind) = texts::zone_kind_name(kind) else {
            return Ok(cx.say(texts::zone_usage(lang)));
        };
        let (expires, address) = match rest {
            ["until", date, address @ ..] => match self.end_of_day(date) {
                Some(at) => (Some(at), address.join(" ")),
                None => return Ok(cx.say(texts::zone_usage(lang))),
            },
            address => (None, address.join(" ")),
        };
        self.add_zone_of(cx, &compound_id, kind, expires, &address)
            .await
    }

    /// A priority zone on `compound_id` (a configured compound's id), at
    /// `address` (empty: the whole compound), until `expires` (None: until
    /// removed). The chat's `/zone add` and the desk's form both end here.
    pub async fn add_zone_of(
        &self,
        cx: &mut Ctx<'_>,
        compound_id: &str,
        kind: ZoneKind,
        expires: Option<DateTime<Utc>>,
        address: &str,
    ) -> anyhow::Result<Reply> {
        let lang = cx.lang();
        let Some(name) = self.places.name_of(compound_id) else {
            return Ok(cx.say(texts::unknown_compound(lang, compound_id)));
        };
        if let Some(expires) = expires.filter(|e| *e <= cx.now) {
            let passed = crate::texts::schedule::end_passed(lang, &self.local(expires));
            return Ok(cx.say(passed));
        }
        let me = cx.me;
        let address = address.trim();
        let id = cx
            .tx
            .add_zone(
                compound_id,
                address,
                kind,
                expires.map(to_millis),
                &me.id,
                cx.now_ms(),
            )
            .await?;
        tracing::info!(zone_id = id, compound = %compound_id, kind = kind.code(), by = %me.id, "priority zone added");
        let until = expires
            .map(|e| format!(" → {}", self.local(e)))
            .unwrap_or_default();
        let place = format!("{name} {address}");
        let mut text = texts::zone_added(lang, id, &place, kind.label(lang), &until);
        let zones = &self.config.escalation.zones;
        if zones.get(&kind).is_some_and(|z| z.no_entry) {
            text = format!("{text}\n{}", crate::texts::alerts::no_entry(lang));
        }
        Ok(cx.say(text).changed())
    }

    /// The end of a city-local day given as YYYY-MM-DD.
    pub fn end_of_day(&self, date: &str) -> Option<DateTime<Utc>> {
        let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        let midnight = (day + Duration::days(1)).and_hms_opt(0, 0, 0)?;
        self.config
            .general
            .time_zone
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.to_utc())
    }
}
