//! Discord's limits on application (slash) commands, checked before registration and by a test
//! over every feature: a registration Discord would refuse is a bug we want to see in CI, not in
//! a server owner's log.
//!
//! Limits (Discord's "Application Commands" documentation): at most 100 global CHAT_INPUT
//! commands (and 100 per guild); names 1–32 characters, lower case, `[-_\p{L}\p{N}]`;
//! descriptions 1–100 characters; at most 25 options per command or subcommand, 25 subcommands
//! or groups per command, 25 subcommands per group, 25 choices per option; groups contain
//! subcommands only (two levels at most); the name, description and value of the command, its
//! options and choices (with localisations) add up to at most 8,000 characters.

use serde_json::Value;

/// Top-level CHAT_INPUT commands per application (and per guild).
pub const MAX_COMMANDS: usize = 100;
/// Options, subcommands, groups or choices at one level.
pub const MAX_OPTIONS: usize = 25;
/// Characters of one command, all levels together.
pub const MAX_COMMAND_CHARS: usize = 8_000;

const SUB_COMMAND: u64 = 1;
const SUB_COMMAND_GROUP: u64 = 2;

/// Every problem with a set of commands (as the JSON sent to Discord), empty when Discord would
/// accept them.
pub fn problems(commands: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    if commands.len() > MAX_COMMANDS {
        out.push(format!(
            "{} top-level commands (Discord allows {MAX_COMMANDS})",
            commands.len()
        ));
    }
    let mut names = std::collections::HashSet::new();
    for c in commands {
        let name = c["name"].as_str().unwrap_or("");
        if !names.insert(name.to_string()) {
            out.push(format!("/{name} is registered twice"));
        }
        check_named(c, &format!("/{name}"), &mut out);
        let chars = chars_of(c);
        if chars > MAX_COMMAND_CHARS {
            out.push(format!(
                "/{name} has {chars} characters (Discord allows {MAX_COMMAND_CHARS})"
            ));
        }
        check_options(c, &format!("/{name}"), 0, &mut out);
    }
    out
}

fn valid_name(n: &str) -> bool {
    let len = n.chars().count();
    (1..=32).contains(&len)
        && n.chars()
            .all(|ch| ch == '-' || ch == '_' || ch.is_alphanumeric())
        && n.chars().all(|ch| !ch.is_uppercase())
}

fn check_named(v: &Value, path: &str, out: &mut Vec<String>) {
    let name = v["name"].as_str().unwrap_or("");
    if !valid_name(name) {
        out.push(format!("{path}: invalid name `{name}`"));
    }
    let desc = v["description"].as_str().unwrap_or("");
    let len = desc.chars().count();
    if !(1..=100).contains(&len) {
        out.push(format!("{path}: description of {len} characters (1–100)"));
    }
    for (locale, n) in v["name_localizations"].as_object().into_iter().flatten() {
        if !n.as_str().is_some_and(valid_name) {
            out.push(format!("{path}: invalid {locale} name {n}"));
        }
    }
    for (locale, d) in v["description_localizations"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let len = d.as_str().map_or(0, |d| d.chars().count());
        if !(1..=100).contains(&len) {
            out.push(format!("{path}: {locale} description of {len} characters"));
        }
    }
}

fn check_options(v: &Value, path: &str, depth: usize, out: &mut Vec<String>) {
    let options = v["options"].as_array().cloned().unwrap_or_default();
    if options.len() > MAX_OPTIONS {
        out.push(format!(
            "{path}: {} options (Discord allows {MAX_OPTIONS})",
            options.len()
        ));
    }
    for o in &options {
        let kind = o["type"].as_u64().unwrap_or(0);
        let p = format!("{path} {}", o["name"].as_str().unwrap_or("?"));
        check_named(o, &p, out);
        match kind {
            SUB_COMMAND_GROUP => {
                if depth > 0 {
                    out.push(format!("{p}: a group inside a subcommand or group"));
                }
                for s in o["options"].as_array().into_iter().flatten() {
                    if s["type"].as_u64() != Some(SUB_COMMAND) {
                        out.push(format!("{p}: groups may only hold subcommands"));
                    }
                }
                check_options(o, &p, depth + 1, out);
            }
            SUB_COMMAND => {
                if depth > 1 {
                    out.push(format!("{p}: nested deeper than two levels"));
                }
                check_options(o, &p, depth + 1, out);
            }
            _ => {
                let choices = o["choices"].as_array().map_or(0, Vec::len);
                if choices > MAX_OPTIONS {
                    out.push(format!(
                        "{p}: {choices} choices (Discord allows {MAX_OPTIONS})"
                    ));
                }
            }
        }
    }
}

/// Characters counted against [`MAX_COMMAND_CHARS`]: names, descriptions and values, with their
/// localisations, at every level.
pub fn chars_of(v: &Value) -> usize {
    let text = |k: &str| v[k].as_str().map_or(0, |s| s.chars().count());
    let locs = |k: &str| {
        v[k].as_object()
            .into_iter()
            .flatten()
            .map(|(_, s)| s.as_str().map_or(0, |s| s.chars().count()))
            .sum::<usize>()
    };
    let value = match &v["value"] {
        Value::String(s) => s.chars().count(),
        Value::Number(n) => n.to_string().len(),
        _ => 0,
    };
    text("name")
        + text("description")
        + locs("name_localizations")
        + locs("description_localizations")
        + value
        + ["options", "choices"]
            .iter()
            .flat_map(|k| v[*k].as_array().cloned().unwrap_or_default())
            .map(|o| chars_of(&o))
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cmd(name: &str, options: Value) -> Value {
        json!({"name": name, "description": "d", "options": options})
    }

    #[test]
    fn a_valid_set_passes() {
        let c = cmd(
            "economy",
            json!([{"type": 2, "name": "market", "description": "m", "options": [
                {"type": 1, "name": "sell", "description": "s", "options": [
                    {"type": 3, "name": "item", "description": "i"}
                ]}
            ]}]),
        );
        assert_eq!(problems(&[c]), Vec::<String>::new());
    }

    #[test]
    fn each_limit_is_caught() {
        let many: Vec<Value> = (0..101).map(|i| cmd(&format!("c{i}"), json!([]))).collect();
        assert!(problems(&many)[0].contains("101 top-level commands"));
        let opts: Vec<Value> = (0..26)
            .map(|i| json!({"type": 3, "name": format!("o{i}"), "description": "d"}))
            .collect();
        assert!(problems(&[cmd("x", json!(opts))])[0].contains("26 options"));
        assert!(problems(&[cmd("Bad", json!([]))])[0].contains("invalid name"));
        let long = json!({"name": "x", "description": "d".repeat(101)});
        assert!(problems(&[long])[0].contains("description of 101"));
        let nested = cmd(
            "x",
            json!([{"type": 2, "name": "g", "description": "d", "options": [
                {"type": 2, "name": "h", "description": "d", "options": []}
            ]}]),
        );
        let p = problems(&[nested]);
        assert!(
            p.iter()
                .any(|p| p.contains("groups may only hold subcommands")),
            "{p:?}"
        );
        let big: Vec<Value> = (0..25)
            .map(|i| {
                json!({"type": 1, "name": format!("s{i}"), "description": "d".repeat(100),
                       "options": (0..4).map(|j| json!({"type": 3, "name": format!("o{j}"), "description": "d".repeat(100)})).collect::<Vec<_>>()})
            })
            .collect();
        let p = problems(&[cmd("x", json!(big))]);
        assert!(
            p.iter()
                .any(|p| p.contains("characters (Discord allows 8000)")),
            "{p:?}"
        );
        let dup = problems(&[cmd("x", json!([])), cmd("x", json!([]))]);
        assert!(dup[0].contains("registered twice"));
    }
}
