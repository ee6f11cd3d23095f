//! What every REST handler shares (the handlers' prelude, glob-imported by each resource
//! module): the error type and Discord's error bodies, the parsed request ([`Ctx`]), id parsing,
//! route templates, and the bot's permission checks.

use std::collections::HashMap;

use axum::http::Method;
use serde_json::Value;

use crate::hub::{Gate, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::bits::*;
use crate::perms::{base_permissions, channel_permissions};
use crate::state::{Channel, Id, Message, State};

/// An API error: status + Discord JSON body.
#[derive(Debug)]
pub(crate) struct ApiErr(pub u16, pub Value);

pub(super) type Res = Result<(u16, Option<Value>), ApiErr>;

pub(super) fn err(status: u16, code: u64, msg: &str) -> ApiErr {
    ApiErr(status, payloads::error(code, msg))
}

pub(super) fn unknown(code: u64, what: &str) -> ApiErr {
    err(404, code, &format!("Unknown {what}"))
}

pub(super) fn missing_perms() -> ApiErr {
    err(403, 50013, "Missing Permissions")
}

pub(super) fn missing_access() -> ApiErr {
    err(403, 50001, "Missing Access")
}

pub(super) fn form(errs: FormErrors) -> ApiErr {
    ApiErr(400, payloads::form_error(errs.into_value()))
}

pub(super) fn ok(v: Value) -> Res {
    Ok((200, Some(v)))
}

pub(super) fn no_content() -> Res {
    Ok((204, None))
}

/// A file part of a multipart request.
#[derive(Clone, Debug)]
pub(crate) struct FileIn {
    pub field: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// One parsed request.
pub(crate) struct Ctx {
    pub method: Method,
    pub segs: Vec<String>,
    pub query: HashMap<String, String>,
    pub body: Value,
    pub files: Vec<FileIn>,
    pub reason: Option<String>,
}

impl Ctx {
    pub(super) fn q_u64(&self, k: &str) -> Option<u64> {
        self.query.get(k).and_then(|v| v.parse().ok())
    }
}

pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn parse_query(q: Option<&str>) -> HashMap<String, String> {
    q.unwrap_or("")
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Route template from concrete segments (`/channels/{channel_id}/messages/{message_id}`).
pub(crate) fn route_template(segs: &[String]) -> String {
    let mut out = String::new();
    let mut prev = "";
    for (i, s) in segs.iter().enumerate() {
        let is_id = s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty();
        let name = match prev {
            "channels" if is_id => "{channel_id}",
            "messages" if is_id => "{message_id}",
            "guilds" if is_id => "{guild_id}",
            "members" | "bans" | "users" if is_id => "{user_id}",
            "roles" if is_id => "{role_id}",
            "applications" if is_id => "{application_id}",
            "commands" if is_id => "{command_id}",
            "interactions" if is_id => "{interaction_id}",
            "webhooks" if is_id => "{webhook_id}",
            "permissions" if is_id => "{overwrite_id}",
            "pins" if is_id => "{message_id}",
            "emojis" if is_id => "{emoji_id}",
            "stickers" if is_id => "{sticker_id}",
            "scheduled-events" if is_id => "{guild_scheduled_event_id}",
            "invites" if i == 1 => "{code}",
            "reactions" => "{emoji}",
            _ if i >= 2 && (segs[i - 2] == "interactions" || segs[i - 2] == "webhooks") => {
                "{token}"
            }
            _ if i >= 2 && segs[i - 2] == "reactions" => {
                if s == "@me" {
                    "@me"
                } else {
                    "{user_id}"
                }
            }
            _ => s.as_str(),
        };
        out.push('/');
        out.push_str(name);
        prev = s.as_str();
    }
    out
}

pub(super) fn pid(s: &str) -> Option<Id> {
    s.parse().ok()
}

pub(super) fn vid(v: &Value) -> Option<Id> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

// ----- helpers shared with interactions -----

pub(crate) fn need(st: &State, channel_id: Id, bits: u64) -> Result<(), ApiErr> {
    let p = channel_permissions(st, channel_id, st.bot_id);
    if p & VIEW_CHANNEL == 0 {
        return Err(missing_access());
    }
    if p & bits != bits {
        return Err(missing_perms());
    }
    Ok(())
}

pub(crate) fn need_guild(st: &State, guild_id: Id, bits: u64) -> Result<(), ApiErr> {
    if !st.guilds.contains_key(&guild_id) {
        return Err(unknown(10004, "Guild"));
    }
    if base_permissions(st, guild_id, st.bot_id) & bits != bits {
        return Err(missing_perms());
    }
    Ok(())
}

/// The bot must be above the target in the role hierarchy (and the target must not be the owner).
pub(super) fn above(st: &State, guild_id: Id, target: Id) -> Result<(), ApiErr> {
    if target == st.bot_id {
        return Ok(());
    }
    if st
        .guilds
        .get(&guild_id)
        .is_some_and(|g| g.owner_id == target)
    {
        return Err(missing_perms());
    }
    if st.top_position(guild_id, st.bot_id) <= st.top_position(guild_id, target) {
        return Err(missing_perms());
    }
    Ok(())
}

pub(super) fn check_read(st: &State, cid: Id) -> Result<&Channel, ApiErr> {
    let ch = st
        .channels
        .get(&cid)
        .ok_or_else(|| unknown(10003, "Channel"))?;
    if ch.guild_id.is_some() {
        need(st, cid, VIEW_CHANNEL | READ_MESSAGE_HISTORY)?;
    }
    Ok(ch)
}

pub(super) fn gate_for_message(st: &State, m: &Message) -> Gate {
    let mentions_bot = m.mentions.contains(&st.bot_id);
    Gate {
        intent: Some(if m.guild_id.is_some() {
            intents::GUILD_MESSAGES
        } else {
            intents::DIRECT_MESSAGES
        }),
        guild_id: m.guild_id,
        content_gated: m.guild_id.is_some() && m.author_id != st.bot_id && !mentions_bot,
    }
}

pub(super) fn gate_guild(intent: u64, guild_id: Id) -> Gate {
    Gate {
        intent: Some(intent),
        guild_id: Some(guild_id),
        content_gated: false,
    }
}
