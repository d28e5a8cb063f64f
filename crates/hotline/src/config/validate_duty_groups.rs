//! Checks of `[duty_group]` and `[[duty_groups]]`: each group is a group
//! chat (a negative id), named once, and wants roles that are paged, once each.

use std::collections::HashMap;

use super::Config;
use super::validate::Problems;
use crate::domain::ChatId;

pub(super) fn duty_groups(p: &mut Problems, c: &Config) {
    let mut seen: HashMap<i64, String> = HashMap::new();
    let first = std::iter::once(("duty_group".to_owned(), &c.duty_group));
    let more = (c.duty_groups.iter().enumerate()).map(|(i, g)| (format!("duty_groups[{i}]"), g));
    for (key, g) in first.chain(more) {
        let listed = key != "duty_group";
        if g.chat_id == ChatId(0) {
            p.ensure(!listed, &format!("{key}.chat_id"), || {
                "must be the group's chat id (0 is for `[duty_group]` only: no group)".to_owned()
            });
            continue;
        }
        p.ensure(g.chat_id.0 < 0, &format!("{key}.chat_id"), || {
            format!(
                "{} is not a group: group chat ids are negative (e.g. -1001234567890)",
                g.chat_id
            )
        });
        if let Some(other) = seen.insert(g.chat_id.0, key.clone()) {
            let msg = format!("chat {} is also {other}", g.chat_id);
            p.push(super::ConfigError::bad(format!("{key}.chat_id"), msg));
        }
        for (j, role) in g.roles.iter().enumerate() {
            p.ensure(role.is_paged(), &format!("{key}.roles[{j}]"), || {
                format!("`{role}` is never paged, so its group would get nothing")
            });
            p.ensure(
                !g.roles[..j].contains(role),
                &format!("{key}.roles[{j}]"),
                || format!("`{}` is listed twice", role.code()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn keys(text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.toml");
        std::fs::write(&path, text).unwrap();
        match Config::check_with_env(Some(&path), &[]) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.key).collect(),
        }
    }

    #[test]
    fn groups_must_be_group_chats_named_once() {
        assert!(keys("[[duty_groups]]\nchat_id = -5\nroles = [\"director\"]\n").is_empty());
        assert_eq!(
            keys(
                "[duty_group]\nchat_id = -5\n\
                 [[duty_groups]]\nchat_id = -5\n\
                 [[duty_groups]]\nchat_id = 42\n\
                 [[duty_groups]]\nchat_id = 0\n\
                 [[duty_groups]]\nchat_id = -7\nroles = [\"director\", \"director\"]\n"
            ),
            [
                "duty_groups[0].chat_id",
                "duty_groups[1].chat_id",
                "duty_groups[2].chat_id",
                "duty_groups[3].roles[1]"
            ]
        );
    }
}
