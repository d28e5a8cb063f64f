//! The scenes of the account's QR posters: a compound's poster carries the
//! scene `c:<compound id>` (`hotline qr --wechat`). Scanning it (a `SCAN`,
//! or following the account through it: `qrscene_<scene>`) is read as
//! `/start c-<compound id>`, the Telegram poster's deep link, so the chat
//! layer starts the report with the compound filled in; any other scene,
//! and a compound the config does not know, is the ordinary `/start`.

/// The scene of a compound's poster starts with this.
pub const COMPOUND: &str = "c:";

/// The `/start` payload of a compound's poster (`intake`'s `c-<id>`).
const PAYLOAD: &str = "c-";

/// The scene of the poster of compound `id`.
pub fn of_compound(id: &str) -> String {
    format!("{COMPOUND}{id}")
}

/// What a scan of `scene` (none: a plain follow) is to the chat layer.
pub fn start_command(scene: Option<&str>) -> String {
    match scene.and_then(|s| s.trim().strip_prefix(COMPOUND)) {
        Some(id) if !id.is_empty() => format!("/start {PAYLOAD}{id}"),
        _ => "/start".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compounds_scene_is_its_posters_start() {
        assert_eq!(of_compound("yanshan"), "c:yanshan");
        assert_eq!(start_command(Some("c:yanshan")), "/start c-yanshan");
    }

    #[test]
    fn any_other_scene_is_the_ordinary_start() {
        for scene in [None, Some(""), Some("c:"), Some("x"), Some("c-yanshan")] {
            assert_eq!(start_command(scene), "/start", "{scene:?}");
        }
    }
}
