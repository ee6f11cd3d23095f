//! Every JSON payload the sandbox emits (REST bodies and gateway frames) is built here, so the
//! contract tests can check each kind against serenity's and twilight-model's types.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::state::Id;

mod events;
mod guilds;
mod messages;
mod resources;
mod users;

pub use events::*;
pub use guilds::*;
pub use messages::*;
pub use resources::*;
pub use users::*;

/// Discord-style ISO-8601 timestamp.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, false)
}

fn id(v: Id) -> Value {
    Value::String(v.to_string())
}

fn opt_id(v: Option<Id>) -> Value {
    v.map_or(Value::Null, id)
}

/// A Discord JSON error body.
pub fn error(code: u64, message: &str) -> Value {
    json!({"code": code, "message": message})
}

/// A 50035 Invalid Form Body error with field errors.
pub fn form_error(errors: Value) -> Value {
    json!({"code": 50035, "message": "Invalid Form Body", "errors": errors})
}

/// A 429 body.
pub fn rate_limited(retry_after: f64, global: bool) -> Value {
    json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": global, "code": 0})
}
