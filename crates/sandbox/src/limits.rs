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

/// Validate an application command definition (name rules, description 100, 25 options).
pub fn validate_command(cmd: &Value, path: &[String], errs: &mut FormErrors) {
    let at = |k: &str| {
        let mut v = path.to_vec();
        v.push(k.to_owned());
        v
    };
    let name = cmd["name"].as_str().unwrap_or("");
    let kind = cmd["type"].as_u64().unwrap_or(1);
    if name.is_empty() || name.chars().count() > 32 {
        errs.push(
            &at("name"),
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 32 in length.",
        );
    } else if kind == 1
        && !name.chars().all(|c| {
            c.is_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' || !c.is_alphabetic()
        })
    {
        errs.push(
            &at("name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        );
    }
    if kind == 1 {
        let d = len(&cmd["description"]);
        if d == 0 || d > 100 {
            errs.push(
                &at("description"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            );
        }
    }
    if let Some(opts) = cmd["options"].as_array() {
        if opts.len() > 25 {
            errs.push(
                &at("options"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            );
        }
        for (i, o) in opts.iter().enumerate() {
            let mut sub = at("options");
            sub.push(i.to_string());
            let mut o = o.clone();
            if o.get("type").is_some_and(|t| t != 1 && t != 2) {
                o["type"] = json!(1);
            }
            validate_command(&o, &sub, errs);
        }
    }
}
