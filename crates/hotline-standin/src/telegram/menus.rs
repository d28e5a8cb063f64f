//! The command menus (setMyCommands, getMyCommands, deleteMyCommands) per
//! scope and language, as Telegram keeps them.

use serde_json::{Value, json};

use super::server::Reply;
use super::state::{CommandSet, State};

fn scope_of(p: &Value) -> Value {
    p.get("scope")
        .cloned()
        .unwrap_or_else(|| json!({"type": "default"}))
}

fn language_of(p: &Value) -> Option<String> {
    p["language_code"]
        .as_str()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

pub(super) fn set_commands(s: &mut State, p: &Value) -> Reply {
    let list = p["commands"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let commands = list
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            (field("command"), field("description"))
        })
        .collect();
    let set = CommandSet {
        language_code: language_of(p),
        scope: scope_of(p),
        commands,
    };
    s.commands
        .retain(|c| c.language_code != set.language_code || c.scope != set.scope);
    s.commands.push(set);
    Reply::ok(json!(true))
}

pub(super) fn get_commands(s: &State, p: &Value) -> Value {
    let (lang, scope) = (language_of(p), scope_of(p));
    let set = s
        .commands
        .iter()
        .find(|c| c.language_code == lang && c.scope == scope);
    let commands = set.map(|c| c.commands.as_slice()).unwrap_or_default();
    commands
        .iter()
        .map(|(c, d)| json!({"command": c, "description": d}))
        .collect()
}

pub(super) fn delete_commands(s: &mut State, p: &Value) -> Reply {
    let (lang, scope) = (language_of(p), scope_of(p));
    s.commands
        .retain(|c| c.language_code != lang || c.scope != scope);
    Reply::ok(json!(true))
}
