//! Discord's body limits, reported as `50035 Invalid Form Body` errors with the same nested
//! `errors` shape Discord uses (`{"embeds": {"0": {"title": {"_errors": [...]}}}}`).

use serde_json::{Map, Value, json};

/// Accumulates field errors.
#[derive(Debug, Default)]
pub struct FormErrors {
    root: Map<String, Value>,
}

impl FormErrors {
    /// Add an error at a path such as `["embeds", "0", "title"]`.
    pub fn push(&mut self, path: &[String], code: &str, message: impl Into<String>) {
        let mut cur = &mut self.root;
        for seg in path {
            let entry = cur.entry(seg.clone()).or_insert_with(|| json!({}));
            cur = entry.as_object_mut().expect("object");
        }
        let errs = cur.entry("_errors").or_insert_with(|| json!([]));
        errs.as_array_mut()
            .expect("array")
            .push(json!({"code": code, "message": message.into()}));
    }

    /// Whether no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.root.is_empty()
    }

    /// The `errors` object.
    pub fn into_value(self) -> Value {
        Value::Object(self.root)
    }
}

fn p(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

fn len(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn max_len(errs: &mut FormErrors, path: &[String], v: &Value, max: usize) -> usize {
    let l = len(v);
    if l > max {
        errs.push(
            path,
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        );
    }
    l
}

/// Validate a message create/edit body (content, embeds, components).
pub fn validate_message(body: &Value, errs: &mut FormErrors) {
    max_len(errs, &p(&["content"]), &body["content"], 2000);
    if let Some(embeds) = body["embeds"].as_array() {
        validate_embeds(embeds, errs);
    }
    if let Some(rows) = body["components"].as_array() {
        validate_components(rows, errs);
    }
}

/// Validate an embeds array.
pub fn validate_embeds(embeds: &[Value], errs: &mut FormErrors) {
    if embeds.len() > 10 {
        errs.push(
            &p(&["embeds"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 10 or fewer in length.",
        );
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let i = i.to_string();
        let at = |rest: &[&str]| {
            let mut v = vec!["embeds".to_owned(), i.clone()];
            v.extend(rest.iter().map(|s| (*s).to_owned()));
            v
        };
        total += max_len(errs, &at(&["title"]), &e["title"], 256);
        total += max_len(errs, &at(&["description"]), &e["description"], 4096);
        total += max_len(errs, &at(&["footer", "text"]), &e["footer"]["text"], 2048);
        total += max_len(errs, &at(&["author", "name"]), &e["author"]["name"], 256);
        if let Some(fields) = e["fields"].as_array() {
            if fields.len() > 25 {
                errs.push(
                    &at(&["fields"]),
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 25 or fewer in length.",
                );
            }
            for (j, f) in fields.iter().enumerate() {
                let j = j.to_string();
                for (key, max) in [("name", 256), ("value", 1024)] {
                    let path = at(&["fields", &j, key]);
                    if f[key].as_str().is_none_or(|s| s.trim().is_empty()) {
                        errs.push(&path, "BASE_TYPE_REQUIRED", "This field is required");
                    } else {
                        total += max_len(errs, &path, &f[key], max);
                    }
                }
            }
        }
    }
    if total > 6000 {
        errs.push(
            &p(&["embeds"]),
            "MAX_EMBED_SIZE_EXCEEDED",
            "Embed size exceeds maximum size of 6000",
        );
    }
}

/// Validate message components (action rows of buttons / selects / text inputs).
pub fn validate_components(rows: &[Value], errs: &mut FormErrors) {
    if rows.len() > 5 {
        errs.push(
            &p(&["components"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 5 or fewer in length.",
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let i = i.to_string();
        if row["type"] != 1 {
            errs.push(
                &p(&["components", &i, "type"]),
                "UNION_TYPE_CHOICES",
                "Value of field \"type\" must be one of (1,).",
            );
            continue;
        }
        let comps = row["components"].as_array().cloned().unwrap_or_default();
        if comps.is_empty() {
            errs.push(
                &p(&["components", &i, "components"]),
                "BASE_TYPE_MIN_LENGTH",
                "Must be 1 or more in length.",
            );
        }
        if comps.len() > 5 {
            errs.push(
                &p(&["components", &i, "components"]),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 5 or fewer in length.",
            );
        }
        let has_select = comps
            .iter()
            .any(|c| matches!(c["type"].as_u64(), Some(3 | 5 | 6 | 7 | 8)));
        if has_select && comps.len() > 1 {
            errs.push(
                &p(&["components", &i, "components"]),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            );
        }
        for (j, c) in comps.iter().enumerate() {
            let j = j.to_string();
            let at = |k: &str| p(&["components", &i, "components", &j, k]);
            if let Some(cid) = c["custom_id"].as_str() {
                max_len(errs, &at("custom_id"), &c["custom_id"], 100);
                if !seen.insert(cid.to_owned()) {
                    errs.push(
                        &at("custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    );
                }
            }
            match c["type"].as_u64() {
                Some(2) => {
                    max_len(errs, &at("label"), &c["label"], 80);
                    let link = matches!(c["style"].as_u64(), Some(5 | 6));
                    if !link && c["custom_id"].as_str().is_none() {
                        errs.push(
                            &at("custom_id"),
                            "BASE_TYPE_REQUIRED",
                            "This field is required",
                        );
                    }
                    if c["style"].as_u64() == Some(5) && c["url"].as_str().is_none() {
                        errs.push(&at("url"), "BASE_TYPE_REQUIRED", "This field is required");
                    }
                    if c["label"].is_null() && c["emoji"].is_null() {
                        errs.push(&at("label"), "BASE_TYPE_REQUIRED", "This field is required");
                    }
                }
                Some(3) => {
                    let opts = c["options"].as_array().map_or(0, Vec::len);
                    if opts > 25 {
                        errs.push(
                            &at("options"),
                            "BASE_TYPE_MAX_LENGTH",
                            "Must be 25 or fewer in length.",
                        );
                    }
                    if opts == 0 {
                        errs.push(
                            &at("options"),
                            "BASE_TYPE_MIN_LENGTH",
                            "Must be 1 or more in length.",
                        );
                    }
                    for (k, o) in c["options"].as_array().into_iter().flatten().enumerate() {
                        let k = k.to_string();
                        for (key, max) in [("label", 100), ("value", 100), ("description", 100)] {
                            max_len(
                                errs,
                                &p(&["components", &i, "components", &j, "options", &k, key]),
                                &o[key],
                                max,
                            );
                        }
                    }
                    max_len(errs, &at("placeholder"), &c["placeholder"], 150);
                }
                Some(4) => {
                    max_len(errs, &at("label"), &c["label"], 45);
                    max_len(errs, &at("value"), &c["value"], 4000);
                }
                Some(5..=8) => {}
                _ => errs.push(
                    &at("type"),
                    "UNION_TYPE_CHOICES",
                    "Value of field \"type\" must be one of (2, 3, 4, 5, 6, 7, 8).",
                ),
            }
        }
    }
}

/// Validate a modal callback body (`custom_id` 100, title 45, 1–5 rows of one text input each).
pub fn validate_modal(data: &Value, errs: &mut FormErrors) {
    let base = |k: &str| p(&["data", k]);
    max_len(errs, &base("custom_id"), &data["custom_id"], 100);
    max_len(errs, &base("title"), &data["title"], 45);
    let rows = data["components"].as_array().cloned().unwrap_or_default();
    if rows.is_empty() || rows.len() > 5 {
        errs.push(
            &base("components"),
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 5 in length.",
        );
    }
    let mut sub = FormErrors::default();
    validate_components(&rows, &mut sub);
    if !sub.is_empty() {
        errs.push(
            &base("components"),
            "COMPONENT_INVALID",
            "Invalid components",
        );
    }
}

/// Validate autocomplete choices (at most 25, name 1–100).
pub fn validate_choices(data: &Value, errs: &mut FormErrors) {
    let choices = data["choices"].as_array().cloned().unwrap_or_default();
    if choices.len() > 25 {
        errs.push(
            &p(&["data", "choices"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.",
        );
    }
    for (i, c) in choices.iter().enumerate() {
        max_len(
            errs,
            &p(&["data", "choices", &i.to_string(), "name"]),
            &c["name"],
            100,
        );
    }
}

/// Command type `CHAT_INPUT` (slash command).
const CHAT_INPUT: u64 = 1;
/// Option types that nest: `SUB_COMMAND` (1) and `SUB_COMMAND_GROUP` (2).
const SUB_COMMAND: u64 = 1;
const SUB_COMMAND_GROUP: u64 = 2;

/// How many commands of each type an application may have per scope (global, or one guild):
/// 100 `CHAT_INPUT`, 15 `USER`, 15 `MESSAGE`, 1 `PRIMARY_ENTRY_POINT`.
pub fn command_limit(kind: u64) -> usize {
    match kind {
        2 | 3 => 15,
        4 => 1,
        _ => 100,
    }
}

/// The longest array a bulk overwrite accepts (100 + 15 + 15); past it Discord answers
/// `50035` with `BASE_TYPE_MAX_LENGTH` at the root. Within it, more commands of one type than
/// [`command_limit`] is `30032 Maximum number of application commands reached (N)`.
pub const BULK_COMMANDS_MAX: usize = 130;

/// Whether `c` may appear in a `CHAT_INPUT` command or option name: Discord's
/// `^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, and the lowercase variant of a letter
/// where one exists.
fn name_char_ok(c: char) -> bool {
    let deva =
        matches!(c, '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' | '\u{11B00}'..='\u{11B5F}');
    let thai = matches!(c, '\u{0E00}'..='\u{0E7F}');
    let class = c == '-' || c == '_' || c.is_alphabetic() || c.is_numeric() || deva || thai;
    class && c.to_lowercase().eq(std::iter::once(c))
}

fn child(path: &[String], parts: &[&str]) -> Vec<String> {
    let mut v = path.to_vec();
    v.extend(parts.iter().map(|s| (*s).to_owned()));
    v
}

/// A name (command or option, default or localized): 1–32 characters; for slash commands also
/// the character class and lowercase rule.
fn check_name(v: &Value, path: &[String], slash: bool, errs: &mut FormErrors) {
    let name = v.as_str().unwrap_or("");
    let n = name.chars().count();
    if n == 0 || n > 32 {
        errs.push(
            path,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 32 in length.",
        );
    } else if slash && !name.chars().all(name_char_ok) {
        errs.push(
            path,
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        );
    }
}

/// A description (default or localized): 1–100 characters.
fn check_description(v: &Value, path: &[String], errs: &mut FormErrors) {
    let n = len(v);
    if n == 0 || n > 100 {
        errs.push(
            path,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        );
    }
}

/// Check `name`/`description` and their `*_localizations` maps of a command or option.
fn check_texts(obj: &Value, path: &[String], slash: bool, errs: &mut FormErrors) {
    check_name(&obj["name"], &child(path, &["name"]), slash, errs);
    if let Some(locs) = obj["name_localizations"].as_object() {
        for (locale, v) in locs {
            check_name(
                v,
                &child(path, &["name_localizations", locale]),
                slash,
                errs,
            );
        }
    }
    if slash {
        check_description(&obj["description"], &child(path, &["description"]), errs);
        if let Some(locs) = obj["description_localizations"].as_object() {
            for (locale, v) in locs {
                check_description(
                    v,
                    &child(path, &["description_localizations", locale]),
                    errs,
                );
            }
        }
    }
}

/// Characters a field counts towards the 8,000 limit: the longest of the default value and its
/// localizations (Discord counts only the longest localization of each field).
fn field_size(obj: &Value, key: &str) -> usize {
    let base = match &obj[key] {
        Value::String(s) => s.chars().count(),
        Value::Number(n) => n.to_string().len(),
        _ => 0,
    };
    obj[format!("{key}_localizations")]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .map(len)
        .fold(base, usize::max)
}

/// The combined size of a command: name, description, and every option's and choice's name,
/// description and value, recursively.
pub fn command_size(cmd: &Value) -> usize {
    let mut total = field_size(cmd, "name") + field_size(cmd, "description");
    for o in cmd["options"].as_array().into_iter().flatten() {
        total += command_size(o);
    }
    for c in cmd["choices"].as_array().into_iter().flatten() {
        total += field_size(c, "name") + field_size(c, "value");
    }
    total
}

/// Validate the options of a slash command (`depth` 0), a subcommand group (1) or a subcommand.
fn validate_options(opts: &[Value], path: &[String], depth: u8, errs: &mut FormErrors) {
    let at = child(path, &["options"]);
    if opts.len() > 25 {
        errs.push(
            &at,
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.",
        );
    }
    let kinds: Vec<u64> = opts
        .iter()
        .map(|o| o["type"].as_u64().unwrap_or(0))
        .collect();
    let nesting = kinds
        .iter()
        .filter(|k| matches!(**k, SUB_COMMAND | SUB_COMMAND_GROUP))
        .count();
    if nesting > 0 && nesting < kinds.len() {
        errs.push(
            &at,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all other types",
        );
    }
    let mut optional_seen = false;
    for (i, (o, kind)) in opts.iter().zip(kinds).enumerate() {
        let i = i.to_string();
        let here = child(&at, &[&i]);
        check_texts(o, &here, true, errs);
        match kind {
            SUB_COMMAND_GROUP | SUB_COMMAND => {
                // a command holds groups or subcommands, a group holds only subcommands,
                // a subcommand holds neither: at most two levels of nesting
                let allowed = depth == 0 || (depth == 1 && kind == SUB_COMMAND);
                if !allowed {
                    errs.push(
                        &child(&here, &["type"]),
                        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                        if depth == 1 {
                            "Sub-command groups can only contain sub-commands"
                        } else {
                            "Sub-commands cannot contain sub-commands or sub-command groups"
                        },
                    );
                }
                let sub = o["options"].as_array().map_or(&[][..], Vec::as_slice);
                let next = if kind == SUB_COMMAND { 2 } else { depth + 1 };
                validate_options(sub, &here, next, errs);
            }
            3..=11 if depth == 1 => errs.push(
                &child(&here, &["type"]),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "Sub-command groups can only contain sub-commands",
            ),
            3..=11 => {
                if o["required"].as_bool() == Some(true) {
                    if optional_seen {
                        errs.push(
                            &child(&here, &["required"]),
                            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                            "Required options must be placed before non-required options",
                        );
                    }
                } else {
                    optional_seen = true;
                }
                if let Some(choices) = o["choices"].as_array() {
                    if choices.len() > 25 {
                        errs.push(
                            &child(&here, &["choices"]),
                            "BASE_TYPE_MAX_LENGTH",
                            "Must be 25 or fewer in length.",
                        );
                    }
                    for (j, c) in choices.iter().enumerate() {
                        let j = j.to_string();
                        let n = len(&c["name"]);
                        if n == 0 || n > 100 {
                            errs.push(
                                &child(&here, &["choices", &j, "name"]),
                                "BASE_TYPE_BAD_LENGTH",
                                "Must be between 1 and 100 in length.",
                            );
                        }
                        if c["value"].is_string() {
                            max_len(
                                errs,
                                &child(&here, &["choices", &j, "value"]),
                                &c["value"],
                                100,
                            );
                        }
                    }
                }
            }
            _ => errs.push(
                &child(&here, &["type"]),
                "BASE_TYPE_CHOICES",
                "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.",
            ),
        }
    }
}

/// Validate an application command definition (at `path`, e.g. `["3"]` in a bulk overwrite):
/// name 1–32 (slash: `^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lowercase), description
/// 1–100, at most 25 options / subcommands / groups / choices per level, groups hold only
/// subcommands, and the whole command at most 8,000 characters.
pub fn validate_command(cmd: &Value, path: &[String], errs: &mut FormErrors) {
    let kind = cmd["type"].as_u64().unwrap_or(CHAT_INPUT);
    let slash = kind == CHAT_INPUT;
    check_texts(cmd, path, slash, errs);
    if slash {
        let opts = cmd["options"].as_array().map_or(&[][..], Vec::as_slice);
        validate_options(opts, path, 0, errs);
        if command_size(cmd) > 8000 {
            errs.push(
                path,
                "APPLICATION_COMMAND_TOO_LARGE",
                "Command exceeds maximum size (8000)",
            );
        }
    }
}
