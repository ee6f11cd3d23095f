//! A JSON Schema (2020-12 subset) validator for the keywords Discord's OpenAPI description uses:
//! `$ref`, `type` (one or a list), `const`, `enum`, `format` (`snowflake`, `int32`, `int64`,
//! `double`, `date-time`, `uri`), `pattern` (the two the description uses), `properties`,
//! `required`, `additionalProperties`, `maxProperties`, `items`, `minItems`, `maxItems`,
//! `uniqueItems`, `minLength`, `maxLength`, `minimum`, `maximum`, `allOf`, `anyOf`, `oneOf`
//! (exactly one branch). Annotations (`title`, `description`, `contentEncoding`, …) are ignored.
//! An unknown `pattern` is reported, never silently passed.

use serde_json::Value;

/// Deepest `$ref` chain followed before giving up (the description has recursive schemas).
const MAX_DEPTH: usize = 64;

/// Validates instances against schemas of one document (which resolves the `$ref`s).
pub(crate) struct Validator<'a> {
    pub doc: &'a Value,
}

impl<'a> Validator<'a> {
    /// Resolve a local `$ref` (`#/components/schemas/X`).
    pub fn resolve(&self, r: &str) -> Option<&'a Value> {
        self.doc.pointer(r.strip_prefix('#')?)
    }

    /// Every violation of `schema` by `inst`, as `"<instance pointer>: <what>"`.
    pub fn errors(&self, schema: &Value, inst: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.check(schema, inst, "", &mut out, 0);
        out
    }

    fn check(&self, schema: &Value, inst: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
        let Some(s) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                out.push(format!("{at}: not allowed here"));
            }
            return;
        };
        if depth > MAX_DEPTH {
            out.push(format!("{at}: schema nesting too deep"));
            return;
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            match self.resolve(r) {
                Some(target) => self.check(target, inst, at, out, depth + 1),
                None => out.push(format!("{at}: unresolvable $ref {r}")),
            }
        }
        if let Some(t) = s.get("type") {
            let ok = match t {
                Value::String(t) => type_matches(t, inst),
                Value::Array(ts) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|t| type_matches(t, inst)),
                _ => true,
            };
            if !ok {
                out.push(format!("{at}: expected type {t}, found {}", short(inst)));
                return;
            }
        }
        if let Some(c) = s.get("const") {
            if !json_eq(c, inst) {
                out.push(format!("{at}: expected const {c}, found {}", short(inst)));
            }
        }
        if let Some(Value::Array(options)) = s.get("enum") {
            if !options.iter().any(|o| json_eq(o, inst)) {
                out.push(format!("{at}: {} not in enum", short(inst)));
            }
        }
        if let Some(f) = s.get("format").and_then(Value::as_str) {
            if let Some(e) = format_error(f, inst) {
                out.push(format!("{at}: {e}"));
            }
        }
        if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), inst.as_str()) {
            match pattern_matches(p, text) {
                Some(true) => {}
                Some(false) => out.push(format!("{at}: {text:?} does not match {p}")),
                None => out.push(format!(
                    "{at}: pattern {p} is not supported by the validator"
                )),
            }
        }
        self.check_string_number(s, inst, at, out);
        if let Some(obj) = inst.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            if let Some(Value::Array(req)) = s.get("required") {
                for k in req.iter().filter_map(Value::as_str) {
                    if !obj.contains_key(k) {
                        out.push(format!("{at}: missing required property `{k}`"));
                    }
                }
            }
            for (k, v) in obj {
                let child = format!("{at}/{k}");
                match props.and_then(|p| p.get(k)) {
                    Some(ps) => self.check(ps, v, &child, out, depth + 1),
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            out.push(format!("{at}: property `{k}` is not allowed"));
                        }
                        Some(extra @ Value::Object(_)) => {
                            self.check(extra, v, &child, out, depth + 1);
                        }
                        _ => {}
                    },
                }
            }
            if let Some(max) = s.get("maxProperties").and_then(Value::as_u64) {
                if obj.len() as u64 > max {
                    out.push(format!("{at}: more than {max} properties"));
                }
            }
        }
        if let Some(arr) = inst.as_array() {
            if let Some(items) = s.get("items") {
                for (i, v) in arr.iter().enumerate() {
                    self.check(items, v, &format!("{at}/{i}"), out, depth + 1);
                }
            }
            if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
                if (arr.len() as u64) < min {
                    out.push(format!("{at}: fewer than {min} items"));
                }
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
                if arr.len() as u64 > max {
                    out.push(format!("{at}: more than {max} items"));
                }
            }
            if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                for (i, a) in arr.iter().enumerate() {
                    if arr[..i].iter().any(|b| json_eq(a, b)) {
                        out.push(format!("{at}/{i}: duplicate item"));
                    }
                }
            }
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            for sub in all {
                self.check(sub, inst, at, out, depth + 1);
            }
        }
        if let Some(Value::Array(any)) = s.get("anyOf") {
            let tries: Vec<Vec<String>> = any
                .iter()
                .map(|b| self.branch(b, inst, at, depth))
                .collect();
            if !tries.iter().any(Vec::is_empty) {
                out.push(format!(
                    "{at}: matches none of anyOf ({})",
                    closest(&tries, at)
                ));
            }
        }
        if let Some(Value::Array(one)) = s.get("oneOf") {
            let tries: Vec<Vec<String>> = one
                .iter()
                .map(|b| self.branch(b, inst, at, depth))
                .collect();
            match tries.iter().filter(|t| t.is_empty()).count() {
                1 => {}
                0 => out.push(format!(
                    "{at}: matches none of oneOf ({})",
                    closest(&tries, at)
                )),
                n => out.push(format!(
                    "{at}: matches {n} branches of oneOf, exactly one expected"
                )),
            }
        }
    }

    fn branch(&self, schema: &Value, inst: &Value, at: &str, depth: usize) -> Vec<String> {
        let mut e = Vec::new();
        self.check(schema, inst, at, &mut e, depth + 1);
        e
    }

    fn check_string_number(
        &self,
        s: &serde_json::Map<String, Value>,
        inst: &Value,
        at: &str,
        out: &mut Vec<String>,
    ) {
        if let Some(text) = inst.as_str() {
            let n = text.chars().count() as u64;
            if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
                if n < min {
                    out.push(format!("{at}: shorter than {min} characters"));
                }
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
                if n > max {
                    out.push(format!("{at}: longer than {max} characters"));
                }
            }
        }
        if let Some(x) = inst.as_f64() {
            if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
                if x < min {
                    out.push(format!("{at}: {inst} below minimum {min}"));
                }
            }
            if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
                if x > max {
                    out.push(format!("{at}: {inst} above maximum {max}"));
                }
            }
        }
    }
}

/// The errors of the branches that came closest (fewest errors, ignoring branches of another
/// JSON type), for a readable report.
fn closest(tries: &[Vec<String>], at: &str) -> String {
    let wrong_type = |t: &Vec<String>| t.len() == 1 && t[0].contains(": expected type ");
    let discriminator = format!("{at}/type: ");
    let wrong_kind = |t: &Vec<String>| {
        t.iter().any(|e| {
            e.starts_with(&discriminator) && (e.ends_with("not in enum") || e.contains("const"))
        })
    };
    let rank = |t: &Vec<String>| (wrong_type(t) || wrong_kind(t), t.len());
    let Some(best) = tries.iter().map(rank).min() else {
        return String::new();
    };
    tries
        .iter()
        .enumerate()
        .filter(|(_, t)| rank(t) == best)
        .map(|(i, t)| format!("branch {i}: {}", t.join("; ")))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => true,
    }
}

/// JSON equality where `1` and `1.0` are the same number.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn format_error(f: &str, v: &Value) -> Option<String> {
    match (f, v) {
        ("snowflake", Value::String(s)) => {
            (s.parse::<u64>().is_err()).then(|| format!("{s:?} is not a snowflake"))
        }
        ("int32", Value::Number(n)) => n
            .as_i64()
            .is_none_or(|x| i32::try_from(x).is_err())
            .then(|| format!("{n} is not an int32")),
        ("int64", Value::Number(n)) => {
            (n.as_i64().is_none() && n.as_u64().is_none()).then(|| format!("{n} is not an int64"))
        }
        ("date-time", Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
            .is_err()
            .then(|| format!("{s:?} is not an RFC 3339 date-time")),
        ("uri", Value::String(s)) => {
            let scheme_ok = s.split_once(':').is_some_and(|(scheme, _)| {
                !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
            (!scheme_ok).then(|| format!("{s:?} is not a URI"))
        }
        _ => None,
    }
}

/// The two patterns of the description; `None` for any other.
fn pattern_matches(p: &str, s: &str) -> Option<bool> {
    match p {
        "^(0|[1-9][0-9]*)$" => Some(
            s == "0"
                || (!s.is_empty() && !s.starts_with('0') && s.chars().all(|c| c.is_ascii_digit())),
        ),
        "^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$" => Some(s.strip_prefix('#').is_some_and(|h| {
            (h.len() == 6 || h.len() == 3) && h.chars().all(|c| c.is_ascii_hexdigit())
        })),
        _ => None,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keywords() {
        let doc = json!({"components": {"schemas": {
            "Snow": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$", "format": "snowflake"},
            "Obj": {"type": "object", "required": ["id"], "properties": {
                "id": {"$ref": "#/components/schemas/Snow"},
                "kind": {"oneOf": [{"type": "null"}, {"type": "integer", "enum": [1, 2]}]},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}, "maxItems": 2}
            }}
        }}});
        let v = Validator { doc: &doc };
        let obj = json!({"$ref": "#/components/schemas/Obj"});
        assert!(
            v.errors(&obj, &json!({"id": "12", "kind": null, "tags": ["a"]}))
                .is_empty()
        );
        assert!(v.errors(&obj, &json!({"id": "12", "kind": 2})).is_empty());
        let e = v.errors(
            &obj,
            &json!({"kind": 3, "tags": ["abcd", "b", "c"], "x": 1}),
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].contains("missing required property `id`"), "{e:?}");
        assert_eq!(v.errors(&obj, &json!({"id": 12})).len(), 1);
        assert_eq!(v.errors(&obj, &json!({"id": "012"})).len(), 1);
    }
}
