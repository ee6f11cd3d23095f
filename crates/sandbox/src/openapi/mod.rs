//! Validation against Discord's own OpenAPI description (cargo feature `openapi`).
//!
//! The description (`crates/sandbox/spec/openapi.json.gz`, from `discord/discord-api-spec`, MIT;
//! see `spec/README.md`) is embedded and parsed once. [`Spec::check_call`] validates one recorded
//! REST call — the method and concrete path must match a documented operation's path template,
//! the status must be one the operation documents, the request body must satisfy the operation's
//! request schema and the response body its response schema. [`Spec::check_frame`] validates a
//! gateway dispatch: the description has no gateway schemas, so each event whose `d` (or a part
//! of it) is a documented REST object is checked against that object's schema (see
//! [`EVENT_SCHEMAS`]); other events are skipped.
//!
//! ```no_run
//! # fn demo(sb: &chronix_sandbox::Sandbox, recorder: &str) {
//! use chronix_sandbox::openapi::Spec;
//! let spec = Spec::discord();
//! let mut failures = spec.check_calls(&sb.rest_log());
//! failures.extend(spec.check_frames(&sb.recorded_events(recorder)));
//! assert!(failures.is_empty(), "{failures:#?}");
//! # }
//! ```

mod schema;

use std::sync::OnceLock;

use serde_json::Value;

use crate::hub::RestCall;
use schema::Validator;

static SPEC_GZ: &[u8] = include_bytes!("../../spec/openapi.json.gz");

/// One way a call or event departs from the description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What was checked, e.g. `POST /channels/{channel_id}/messages 200 response` or
    /// `gateway MESSAGE_CREATE`.
    pub subject: String,
    /// The violation, `"<JSON pointer into the instance>: <what>"`.
    pub error: String,
}

/// Departures that are not the sandbox's to fix, each `(subject contains, error contains, why)`.
/// Requests are the client's (serenity 0.12's), and Discord accepts them.
pub const KNOWN_DEPARTURES: &[(&str, &str, &str)] = &[
    (
        "/bans/{user_id} request",
        "the request body is required",
        "serenity 0.12 sends ban/unban without a body (the options travel as query or header); \
         every field of the documented body is optional and Discord accepts an empty request",
    ),
    (
        "PUT /channels/{channel_id}/permissions/{overwrite_id} request",
        "expected type [\"integer\",\"null\"], found \"",
        "serenity sends permission bitsets as strings, as Discord itself serialises them; \
         Discord accepts both, the description only lists the integer form",
    ),
    (
        "POST /guilds/{guild_id}/channels request",
        "expected type [\"integer\",\"null\"], found \"",
        "serenity sends the permission bitsets of a new channel's `permission_overwrites` as \
         strings, as Discord itself serialises them; Discord accepts both, the description only \
         lists the integer form",
    ),
    (
        "POST /channels/{channel_id}/messages request",
        "/id: expected type \"string\", found ",
        "serenity numbers new attachments with integer ids (0, 1, …) that reference the file \
         parts; Discord accepts integers there, the description types the id as a snowflake string",
    ),
    (
        "/callback request",
        "/data/attachments/0/id: expected type \"string\", found 0",
        "the same integer attachment ids in an interaction response with a file (`/rank`'s card): \
         serenity numbers new attachments 0, 1, … and Discord accepts them",
    ),
    (
        "/commands request",
        ".0 is not an int64",
        "serenity 0.12 sends an INTEGER option's `min_value`/`max_value` as JSON floats (`0.0`); \
         Discord accepts them and answers with integers (so does the sandbox)",
    ),
    (
        "400 response",
        "/errors: matches none of oneOf",
        "field errors carry string codes (`BASE_TYPE_MAX_LENGTH`) as Discord's error-messages \
         documentation shows; the description reuses the integer-code `Error` schema for them",
    ),
];

impl Failure {
    /// Whether this is one of the [`KNOWN_DEPARTURES`].
    pub fn is_known(&self) -> bool {
        KNOWN_DEPARTURES
            .iter()
            .any(|(subject, error, _)| self.subject.contains(subject) && self.error.contains(error))
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} — {}", self.subject, self.error)
    }
}

/// Which schema the `d` of a gateway event (or a part of it) is, per event name:
/// `(event, JSON pointer into d ("" = all of d; a trailing `/*` = every item), schema)`.
/// `CHANNEL_*` are resolved per channel type (guild channel, thread or private channel).
pub const EVENT_SCHEMAS: &[(&str, &str, &str)] = &[
    ("READY", "/user", "UserResponse"),
    ("GUILD_CREATE", "", "GuildResponse"),
    ("GUILD_CREATE", "/roles/*", "GuildRoleResponse"),
    ("GUILD_CREATE", "/members/*", "GuildMemberResponse"),
    ("GUILD_UPDATE", "", "GuildResponse"),
    ("MESSAGE_CREATE", "", "MessageResponse"),
    ("MESSAGE_UPDATE", "", "MessageResponse"),
    ("GUILD_ROLE_CREATE", "/role", "GuildRoleResponse"),
    ("GUILD_ROLE_UPDATE", "/role", "GuildRoleResponse"),
    ("GUILD_MEMBER_ADD", "", "GuildMemberResponse"),
    ("GUILD_MEMBERS_CHUNK", "/members/*", "GuildMemberResponse"),
    ("GUILD_BAN_ADD", "/user", "UserResponse"),
    ("GUILD_BAN_REMOVE", "/user", "UserResponse"),
    ("GUILD_EMOJIS_UPDATE", "/emojis/*", "EmojiResponse"),
    (
        "GUILD_STICKERS_UPDATE",
        "/stickers/*",
        "GuildStickerResponse",
    ),
    ("GUILD_SCHEDULED_EVENT_CREATE", "", "ScheduledEventResponse"),
    ("GUILD_SCHEDULED_EVENT_UPDATE", "", "ScheduledEventResponse"),
    ("GUILD_SCHEDULED_EVENT_DELETE", "", "ScheduledEventResponse"),
    ("THREAD_CREATE", "", "ThreadResponse"),
    ("THREAD_UPDATE", "", "ThreadResponse"),
    ("INTERACTION_CREATE", "/message", "MessageResponse"),
    ("INTERACTION_CREATE", "/member", "GuildMemberResponse"),
    ("INTERACTION_CREATE", "/user", "UserResponse"),
];

struct Operation {
    method: String,
    template: String,
    segs: Vec<String>,
    op: Value,
}

/// Discord's OpenAPI description, ready to validate against.
pub struct Spec {
    doc: Value,
    ops: Vec<Operation>,
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("operations", &self.ops.len())
            .finish()
    }
}

impl Spec {
    /// The embedded description (parsed on first use).
    pub fn discord() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(SPEC_GZ), &mut text)
                .expect("the embedded OpenAPI description is valid gzip");
            let doc: Value =
                serde_json::from_slice(&text).expect("the embedded OpenAPI description is JSON");
            Spec::new(doc)
        })
    }

    /// A spec from an already parsed OpenAPI 3.1 document.
    pub fn new(doc: Value) -> Spec {
        let mut ops = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for (template, item) in paths {
                let Some(item) = item.as_object() else {
                    continue;
                };
                for (method, op) in item {
                    if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                        continue;
                    }
                    ops.push(Operation {
                        method: method.to_ascii_uppercase(),
                        template: template.clone(),
                        segs: split(template),
                        op: op.clone(),
                    });
                }
            }
        }
        Spec { doc, ops }
    }

    /// Validate `instance` against the named component schema (`MessageResponse`, …).
    pub fn check_schema(&self, name: &str, instance: &Value) -> Vec<String> {
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        self.validator().errors(&schema, instance)
    }

    /// The documented path template for a method and a concrete path (`/channels/1/messages` →
    /// `/channels/{channel_id}/messages`), preferring the template with the most literal segments.
    pub fn template_for(&self, method: &str, path: &str) -> Option<&str> {
        self.operation(method, path).map(|o| o.template.as_str())
    }

    fn operation(&self, method: &str, path: &str) -> Option<&Operation> {
        let segs = split(path);
        self.ops
            .iter()
            .filter(|o| o.method.eq_ignore_ascii_case(method) && o.segs.len() == segs.len())
            .filter_map(|o| {
                let mut literal = 0;
                for (t, s) in o.segs.iter().zip(&segs) {
                    if t.starts_with('{') {
                        continue;
                    }
                    if t != s {
                        return None;
                    }
                    literal += 1;
                }
                Some((literal, o))
            })
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, o)| o)
    }

    /// Every failure of every call.
    pub fn check_calls(&self, calls: &[RestCall]) -> Vec<Failure> {
        calls.iter().flat_map(|c| self.check_call(c)).collect()
    }

    /// Validate one recorded REST call (see the module docs): its request and its response.
    pub fn check_call(&self, call: &RestCall) -> Vec<Failure> {
        let mut out = self.check_request(call);
        if !out.iter().any(|f| f.error.starts_with(NO_OPERATION)) {
            out.extend(self.check_response(call));
        }
        out
    }

    /// Validate the route and the request body of one call.
    pub fn check_request(&self, call: &RestCall) -> Vec<Failure> {
        let Some(op) = self.operation(&call.method, &call.path) else {
            return vec![Failure {
                subject: format!("{} {}", call.method, call.path),
                error: NO_OPERATION.into(),
            }];
        };
        let subject = format!("{} {} request", op.method, op.template);
        let errors = match (op.op.get("requestBody").map(|r| self.deref(r)), &call.body) {
            (Some(req), Some(body)) => request_schema(req)
                .map(|schema| {
                    let mut errors = self.validator().errors(schema, body);
                    // multipart file parts are not in the recorded body: a required binary
                    // property is satisfied by an uploaded file
                    if !call.files.is_empty() {
                        errors.retain(|e| {
                            let prop = e
                                .strip_prefix(": missing required property `")
                                .and_then(|p| p.strip_suffix('`'));
                            !prop.is_some_and(|p| self.is_binary(schema, p))
                        });
                    }
                    errors
                })
                .unwrap_or_default(),
            (Some(req), None)
                if req.get("required") == Some(&Value::Bool(true)) && call.files.is_empty() =>
            {
                vec![": the request body is required".into()]
            }
            (None, Some(body)) if !body.as_object().is_some_and(serde_json::Map::is_empty) => {
                vec![": the operation documents no request body".into()]
            }
            _ => Vec::new(),
        };
        failures(&subject, errors)
    }

    /// Validate the status and the response body of one call.
    pub fn check_response(&self, call: &RestCall) -> Vec<Failure> {
        let Some(op) = self.operation(&call.method, &call.path) else {
            return vec![Failure {
                subject: format!("{} {}", call.method, call.path),
                error: NO_OPERATION.into(),
            }];
        };
        let subject = format!("{} {} {} response", op.method, op.template, call.status);
        let responses = op.op.get("responses");
        let status = call.status.to_string();
        let class = format!("{}XX", status.chars().next().unwrap_or('0'));
        let documented = responses.and_then(|r| {
            r.get(&status)
                .or_else(|| r.get(&class))
                .or_else(|| r.get("default"))
        });
        let Some(resp) = documented.map(|r| self.deref(r)) else {
            return failures(
                &subject,
                vec![": the operation does not document this status".into()],
            );
        };
        let schema = resp
            .get("content")
            .and_then(|c| c.get("application/json"))
            .and_then(|c| c.get("schema"));
        let errors = match (schema, &call.response) {
            (Some(schema), Some(body)) => self.validator().errors(schema, body),
            (Some(_), None) => vec![": the body is missing".into()],
            (None, Some(body)) => vec![format!(": a body where none is documented: {body}")],
            (None, None) => Vec::new(),
        };
        failures(&subject, errors)
    }

    /// Every failure of every raw gateway frame (`{"op":0,"t":…,"d":…}`).
    pub fn check_frames(&self, frames: &[String]) -> Vec<Failure> {
        frames.iter().flat_map(|f| self.check_frame(f)).collect()
    }

    /// Validate one raw gateway frame; frames other than dispatches, and events without a
    /// documented schema, pass.
    pub fn check_frame(&self, frame: &str) -> Vec<Failure> {
        let Ok(v) = serde_json::from_str::<Value>(frame) else {
            return vec![Failure {
                subject: "gateway frame".into(),
                error: format!(": not JSON: {frame}"),
            }];
        };
        match (v.get("t").and_then(Value::as_str), v.get("d")) {
            (Some(t), Some(d)) => self.check_event(t, d),
            _ => Vec::new(),
        }
    }

    /// Validate the `d` of one dispatch named `event`.
    pub fn check_event(&self, event: &str, d: &Value) -> Vec<Failure> {
        let mut out = Vec::new();
        let mut targets: Vec<(&str, &str)> = EVENT_SCHEMAS
            .iter()
            .filter(|(e, _, _)| *e == event)
            .map(|(_, p, s)| (*p, *s))
            .collect();
        if let Some(kind) = event.strip_prefix("CHANNEL_") {
            if ["CREATE", "UPDATE", "DELETE"].contains(&kind) {
                targets.push(("", channel_schema(d)));
            }
        }
        if event == "GUILD_CREATE" {
            for (i, c) in d
                .get("channels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let errors = self.check_schema(channel_schema(c), c);
                out.extend(errors.into_iter().map(|e| Failure {
                    subject: format!("gateway {event}"),
                    error: format!("/channels/{i}{e}"),
                }));
            }
        }
        for (pointer, schema) in targets {
            let (base, each) = match pointer.strip_suffix("/*") {
                Some(b) => (b, true),
                None => (pointer, false),
            };
            let Some(part) = (if base.is_empty() {
                Some(d)
            } else {
                d.pointer(base)
            }) else {
                continue;
            };
            let items: Vec<(String, &Value)> = if each {
                part.as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, x)| (format!("{base}/{i}"), x))
                    .collect()
            } else {
                vec![(base.to_owned(), part)]
            };
            for (at, x) in items {
                out.extend(self.check_schema(schema, x).into_iter().map(|e| Failure {
                    subject: format!("gateway {event} ({schema})"),
                    error: format!("{at}{e}"),
                }));
            }
        }
        out
    }

    /// Whether `prop` of an object schema (following one `$ref`) is a binary upload.
    fn is_binary(&self, schema: &Value, prop: &str) -> bool {
        let schema = self.deref(schema);
        schema["properties"][prop]["contentEncoding"] == "binary"
    }

    fn validator(&self) -> Validator<'_> {
        Validator { doc: &self.doc }
    }

    /// Follow a `$ref` to a response or request body object.
    fn deref<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => self.validator().resolve(r).unwrap_or(v),
            None => v,
        }
    }
}

const NO_OPERATION: &str = "no documented operation has this method and path";

fn failures(subject: &str, errors: Vec<String>) -> Vec<Failure> {
    errors
        .into_iter()
        .map(|error| Failure {
            subject: subject.to_owned(),
            error,
        })
        .collect()
}

/// The schema of a channel object by its `type`.
fn channel_schema(c: &Value) -> &'static str {
    match c.get("type").and_then(Value::as_u64) {
        Some(10..=12) => "ThreadResponse",
        Some(1 | 3) => "PrivateChannelResponse",
        _ => "GuildChannelResponse",
    }
}

/// The JSON request schema (the multipart one's `payload_json` carries the same fields).
fn request_schema(req: &Value) -> Option<&Value> {
    let content = req.get("content")?;
    content
        .get("application/json")
        .or_else(|| content.get("multipart/form-data"))
        .and_then(|c| c.get("schema"))
}

fn split(path: &str) -> Vec<String> {
    path.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(method: &str, path: &str, status: u16, response: Option<Value>) -> RestCall {
        RestCall {
            method: method.into(),
            route: String::new(),
            path: path.into(),
            query: None,
            body: None,
            files: vec![],
            reason: None,
            status,
            response,
        }
    }

    #[test]
    fn templates_prefer_literal_segments() {
        let spec = Spec::discord();
        assert_eq!(
            spec.template_for("GET", "/channels/1/messages/2"),
            Some("/channels/{channel_id}/messages/{message_id}")
        );
        assert_eq!(
            spec.template_for("GET", "/channels/1/messages/pins"),
            Some("/channels/{channel_id}/messages/pins")
        );
        assert_eq!(spec.template_for("GET", "/nowhere/1"), None);
    }

    #[test]
    fn calls_are_checked_for_route_status_and_bodies() {
        let spec = Spec::discord();
        let unknown = spec.check_call(&call("GET", "/nowhere", 200, None));
        assert_eq!(unknown.len(), 1);
        assert!(unknown[0].error.contains(NO_OPERATION));
        let teapot = spec.check_call(&call("GET", "/gateway", 302, None));
        assert!(teapot[0].error.contains("does not document this status"));
        let ok = spec.check_call(&call(
            "GET",
            "/gateway",
            200,
            Some(json!({"url": "wss://gateway.discord.gg"})),
        ));
        assert!(ok.is_empty(), "{ok:?}");
        let missing = spec.check_call(&call("GET", "/gateway", 200, Some(json!({}))));
        assert!(missing[0].error.contains("missing required property `url`"));
        let mut long = call("POST", "/channels/1/messages", 400, None);
        long.body = Some(json!({"content": "x".repeat(4001)}));
        let e = spec.check_request(&long);
        assert!(e[0].error.contains("longer than 4000"), "{e:?}");
        assert!(!e[0].is_known());
    }

    #[test]
    fn gateway_payloads_are_checked_where_a_schema_exists() {
        let spec = Spec::discord();
        let e = spec.check_event(
            "GUILD_ROLE_CREATE",
            &json!({"guild_id": "1", "role": {"id": "2"}}),
        );
        assert!(
            e.iter()
                .any(|f| f.error.contains("/role: missing required property `name`"))
        );
        assert!(
            spec.check_event("TYPING_START", &json!({"whatever": 1}))
                .is_empty()
        );
        let frame = json!({"op": 0, "s": 1, "t": "GUILD_BAN_ADD", "d": {"guild_id": "1", "user": {"id": 5}}});
        assert!(!spec.check_frame(&frame.to_string()).is_empty());
    }
}
