//! Rules for `[open311]` and `[retention]`.

use super::validate::Problems;
use super::{Open311Config, RetentionConfig};

pub(super) fn open311(p: &mut Problems, o: &Open311Config) {
    p.ensure(
        o.requests_per_minute >= 1,
        "open311.requests_per_minute",
        || "must be at least 1".to_owned(),
    );
    p.ensure(
        o.requests_per_address_per_hour >= 1,
        "open311.requests_per_address_per_hour",
        || "must be at least 1".to_owned(),
    );
    p.ensure(o.page_size >= 1, "open311.page_size", || {
        "must be at least 1".to_owned()
    });
    p.ensure(
        o.max_description_chars >= 1,
        "open311.max_description_chars",
        || "must be at least 1".to_owned(),
    );
    for (i, k) in o.keys.iter().enumerate() {
        p.ensure(
            !k.client.trim().is_empty(),
            &format!("open311.keys[{i}].client"),
            || "must name the client".to_owned(),
        );
        let hex = k.key_sha256.len() == 64
            && k.key_sha256
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
        p.ensure(hex, &format!("open311.keys[{i}].key_sha256"), || {
            "must be the key's SHA-256 as 64 lower-case hex digits (printf %s KEY | sha256sum), never the key".to_owned()
        });
    }
}

pub(super) fn retention(p: &mut Problems, r: &RetentionConfig) {
    let day = std::time::Duration::from_secs(24 * 3600);
    p.ensure(r.contact_after >= day, "retention.contact_after", || {
        "must be at least 1 day (staff need the phone while a report is fresh)".to_owned()
    });
    p.ensure(r.delivery_after >= day, "retention.delivery_after", || {
        "must be at least 1 day (recent update ids keep redeliveries from being handled twice)"
            .to_owned()
    });
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn a_plain_key_in_config_is_refused_with_its_key() {
        let bad = "[open311]\nkeys = [{ client = \"city\", key_sha256 = \"my-secret\" }]\n";
        let error = Config::from_override_str(bad, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("open311.keys[0].key_sha256"), "{error}");
        let short = "[retention]\ndelivery_after = \"1h\"\n";
        let error = Config::from_override_str(short, "site.toml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("retention.delivery_after"), "{error}");
    }

    #[test]
    fn open311_is_off_and_retention_on_by_default() {
        let c = Config::default();
        assert!(!c.open311.enabled);
        assert!(c.retention.daily);
        assert_eq!(c.retention.contact_after.as_secs(), 180 * 24 * 3600);
        assert_eq!(c.retention.delivery_after.as_secs(), 14 * 24 * 3600);
    }
}
