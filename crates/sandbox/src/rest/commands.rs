//! Application commands: `/applications/{id}/commands` and
//! `/applications/{id}/guilds/{id}/commands` (list, bulk overwrite, create, get, edit, delete),
//! with Discord's registration limits.

use std::sync::Arc;

use axum::http::Method;
use serde_json::{Value, json};

use crate::hub::Inner;
use crate::limits::{self, FormErrors};
use crate::payloads;
use crate::state::{Command, Id};

use super::common::*;

/// Option fields Discord echoes back, each only when the registration gave it (a `null` or an
/// absent field stays absent, as in Discord's responses).
const OPTION_FIELDS: [&str; 13] = [
    "type",
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "required",
    "choices",
    "options",
    "channel_types",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
];

/// An option as Discord stores it: documented fields only, nulls dropped, recursively.
fn normalize_option(o: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for key in OPTION_FIELDS.iter().copied().chain(["autocomplete"]) {
        let v = &o[key];
        if v.is_null() {
            continue;
        }
        let v = match key {
            "options" => Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(normalize_option)
                    .collect(),
            ),
            "choices" => Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        let mut c = c.clone();
                        if let Some(m) = c.as_object_mut() {
                            m.retain(|_, v| !v.is_null());
                        }
                        c
                    })
                    .collect(),
            ),
            // INTEGER options' bounds come back as integers even when sent as `0.0`
            "min_value" | "max_value" if o["type"].as_u64() == Some(4) => match v.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => json!(f as i64),
                _ => v.clone(),
            },
            _ => v.clone(),
        };
        out.insert(key.to_owned(), v);
    }
    Value::Object(out)
}

/// Store a registered command as Discord does (ids, version, defaults; options normalized).
pub(super) fn normalize_command(
    inner: &Inner,
    app: Id,
    guild: Option<Id>,
    v: &Value,
    existing: Option<&Command>,
) -> Command {
    let kind = v["type"].as_u64().unwrap_or(1) as u8;
    let id = existing.map_or_else(|| inner.snowflake(), |c| c.id);
    let name = v["name"].as_str().unwrap_or("").to_owned();
    let mut j = json!({
        "id": id.to_string(),
        "application_id": app.to_string(),
        "version": inner.snowflake().to_string(),
        "type": kind,
        "name": name,
        "name_localizations": v.get("name_localizations").cloned().unwrap_or(Value::Null),
        "description": v["description"].as_str().unwrap_or(""),
        "description_localizations": v.get("description_localizations").cloned().unwrap_or(Value::Null),
        "default_member_permissions": v.get("default_member_permissions").cloned().unwrap_or(Value::Null),
        "nsfw": v["nsfw"].as_bool().unwrap_or(false),
        "integration_types": v.get("integration_types").cloned().unwrap_or(json!([0])),
        "contexts": v.get("contexts").cloned().unwrap_or(Value::Null),
    });
    if let Some(o) = v["options"].as_array() {
        j["options"] = Value::Array(o.iter().map(normalize_option).collect());
    }
    match guild {
        Some(g) => j["guild_id"] = json!(g.to_string()),
        None => j["dm_permission"] = json!(v["dm_permission"].as_bool().unwrap_or(true)),
    }
    Command {
        id,
        guild_id: guild,
        name,
        kind,
        json: j,
    }
}

/// `30032`: more commands of one type in a scope than Discord allows (HTTP 400).
pub(super) fn too_many_commands(kind: u64) -> ApiErr {
    err(
        400,
        30032,
        &format!(
            "Maximum number of application commands reached ({})",
            limits::command_limit(kind)
        ),
    )
}

pub(super) fn commands_route(
    inner: &Arc<Inner>,
    app: Id,
    guild: Option<Id>,
    cmd_id: Option<Id>,
    c: &Ctx,
) -> Res {
    let mut st = inner.state.lock();
    if app != st.application_id {
        return Err(unknown(10002, "Application"));
    }
    if let Some(g) = guild {
        if !st.guilds.contains_key(&g) {
            return Err(unknown(10004, "Guild"));
        }
    }
    let scope = |cmd: &Command| cmd.guild_id == guild;
    match (&c.method, cmd_id) {
        (m, None) if *m == Method::GET => ok(Value::Array(
            st.commands
                .values()
                .filter(|x| scope(x))
                .map(payloads::command)
                .collect(),
        )),
        (m, None) if *m == Method::PUT => {
            let list = c.body.as_array().cloned().unwrap_or_default();
            let mut e = FormErrors::default();
            if list.len() > limits::BULK_COMMANDS_MAX {
                e.push(
                    &[],
                    "BASE_TYPE_MAX_LENGTH",
                    format!("Must be {} or fewer in length.", limits::BULK_COMMANDS_MAX),
                );
            }
            let mut seen = std::collections::HashSet::new();
            for (i, cmd) in list.iter().enumerate() {
                limits::validate_command(cmd, &[i.to_string()], &mut e);
                let key = (
                    cmd["type"].as_u64().unwrap_or(1),
                    cmd["name"].as_str().unwrap_or("").to_owned(),
                );
                if !seen.insert(key) {
                    e.push(
                        &[i.to_string(), "name".into()],
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        "Application command names must be unique",
                    );
                }
            }
            if !e.is_empty() {
                return Err(form(e));
            }
            for kind in 1..=4 {
                let n = list
                    .iter()
                    .filter(|c| c["type"].as_u64().unwrap_or(1) == kind)
                    .count();
                if n > limits::command_limit(kind) {
                    return Err(too_many_commands(kind));
                }
            }
            let old: Vec<Command> = st.commands.values().filter(|x| scope(x)).cloned().collect();
            st.commands.retain(|_, x| x.guild_id != guild);
            let mut out = Vec::new();
            for cmd in &list {
                let kind = cmd["type"].as_u64().unwrap_or(1) as u8;
                let ex = old
                    .iter()
                    .find(|o| o.name == cmd["name"].as_str().unwrap_or("") && o.kind == kind);
                let n = normalize_command(inner, app, guild, cmd, ex);
                out.push(n.json.clone());
                st.commands.insert(n.id, n);
            }
            ok(Value::Array(out))
        }
        (m, None) if *m == Method::POST => {
            let mut e = FormErrors::default();
            limits::validate_command(&c.body, &[], &mut e);
            if !e.is_empty() {
                return Err(form(e));
            }
            let kind = c.body["type"].as_u64().unwrap_or(1) as u8;
            let name = c.body["name"].as_str().unwrap_or("");
            let ex = st
                .commands
                .values()
                .find(|o| scope(o) && o.name == name && o.kind == kind)
                .cloned();
            let created = ex.is_none();
            let same_kind = st
                .commands
                .values()
                .filter(|o| scope(o) && u64::from(o.kind) == u64::from(kind))
                .count();
            if created && same_kind >= limits::command_limit(kind.into()) {
                return Err(too_many_commands(kind.into()));
            }
            let n = normalize_command(inner, app, guild, &c.body, ex.as_ref());
            let v = n.json.clone();
            st.commands.insert(n.id, n);
            Ok((if created { 201 } else { 200 }, Some(v)))
        }
        (m, Some(cid)) if *m == Method::GET => {
            let cmd = st
                .commands
                .get(&cid)
                .filter(|x| scope(x))
                .ok_or_else(|| unknown(10063, "application command"))?;
            ok(payloads::command(cmd))
        }
        (m, Some(cid)) if *m == Method::PATCH => {
            let cmd = st
                .commands
                .get(&cid)
                .filter(|x| scope(x))
                .ok_or_else(|| unknown(10063, "application command"))?
                .clone();
            let mut merged = cmd.json.clone();
            if let (Some(dst), Some(src)) = (merged.as_object_mut(), c.body.as_object()) {
                for (k, v) in src {
                    dst.insert(k.clone(), v.clone());
                }
            }
            let mut e = FormErrors::default();
            limits::validate_command(&merged, &[], &mut e);
            if !e.is_empty() {
                return Err(form(e));
            }
            let n = normalize_command(inner, app, guild, &merged, Some(&cmd));
            let v = n.json.clone();
            st.commands.insert(n.id, n);
            ok(v)
        }
        (m, Some(cid)) if *m == Method::DELETE => {
            st.commands
                .get(&cid)
                .filter(|x| scope(x))
                .ok_or_else(|| unknown(10063, "application command"))?;
            st.commands.remove(&cid);
            no_content()
        }
        _ => Err(ApiErr(
            405,
            json!({"message": "405: Method Not Allowed", "code": 0}),
        )),
    }
}
