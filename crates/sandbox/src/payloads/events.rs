//! Gateway events and frames (interactions, deletions, reactions, member and role events,
//! member chunks, HELLO / heartbeat / RESUMED …) and the gateway URL bodies.

use chrono::Utc;
use serde_json::{Value, json};

use crate::perms;
use crate::state::{Id, Interaction, Member, Message, Role, State};

use super::*;

/// `GET /gateway`.
pub fn gateway(url: &str) -> Value {
    json!({"url": url})
}

/// `GET /gateway/bot`.
pub fn gateway_bot(url: &str) -> Value {
    json!({
        "url": url,
        "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
    })
}

/// The member object embedded in interactions (with `permissions`).
fn interaction_member(state: &State, guild_id: Id, channel_id: Id, user_id: Id) -> Value {
    let mut v = match state.members.get(&(guild_id, user_id)) {
        Some(m) => member(state, m, true),
        None => {
            json!({"user": user_by_id(state, user_id), "roles": [], "joined_at": ts(Utc::now()), "deaf": false, "mute": false, "flags": 0})
        }
    };
    v["permissions"] = json!(perms::channel_permissions(state, channel_id, user_id).to_string());
    v
}

/// INTERACTION_CREATE data (also the `interaction` part of the webhook world).
pub fn interaction(state: &State, i: &Interaction) -> Value {
    let mut v = json!({
        "id": id(i.id),
        "application_id": id(state.application_id),
        "type": i.kind,
        "data": i.data,
        "token": i.token,
        "version": 1,
        "locale": state.extra.locale(i.user_id),
        "entitlements": [],
        "attachment_size_limit": 10_485_760,
        "channel_id": id(i.channel_id),
        "authorizing_integration_owners": {},
    });
    if let Some(c) = state.channels.get(&i.channel_id) {
        let mut pc = json!({"id": id(c.id), "type": c.kind.code(), "name": c.name, "permissions": perms::channel_permissions(state, c.id, i.user_id).to_string()});
        if let Some(g) = c.guild_id {
            pc["guild_id"] = id(g);
        }
        pc["flags"] = json!(0);
        v["channel"] = pc;
    }
    match i.guild_id {
        Some(g) => {
            v["guild_id"] = id(g);
            v["guild_locale"] = json!(state.guilds.get(&g).map_or("en-US", |g| g.locale.as_str()));
            v["member"] = interaction_member(state, g, i.channel_id, i.user_id);
            v["app_permissions"] =
                json!(perms::channel_permissions(state, i.channel_id, state.bot_id).to_string());
            v["context"] = json!(0);
        }
        None => {
            v["user"] = user_by_id(state, i.user_id);
            v["app_permissions"] =
                json!(perms::channel_permissions(state, i.channel_id, state.bot_id).to_string());
            v["context"] = json!(1);
        }
    }
    if let Some(mid) = i.message_id {
        if let Some(m) = state.messages.get(&mid) {
            v["message"] = message(state, m, false);
        }
    }
    v
}

/// `resolved` data for the given user/role/channel ids.
pub fn resolved(
    state: &State,
    guild_id: Option<Id>,
    users: &[Id],
    roles: &[Id],
    channels: &[Id],
) -> Value {
    let mut r = json!({});
    if !users.is_empty() {
        let mut us = serde_json::Map::new();
        let mut ms = serde_json::Map::new();
        for u in users {
            us.insert(u.to_string(), user_by_id(state, *u));
            if let Some(m) = guild_id.and_then(|g| state.members.get(&(g, *u))) {
                let mut mv = member(state, m, false);
                mv["permissions"] =
                    json!(perms::base_permissions(state, m.guild_id, m.user_id).to_string());
                ms.insert(u.to_string(), mv);
            }
        }
        r["users"] = Value::Object(us);
        if !ms.is_empty() {
            r["members"] = Value::Object(ms);
        }
    }
    if !roles.is_empty() {
        r["roles"] = Value::Object(
            roles
                .iter()
                .filter_map(|x| state.roles.get(x))
                .map(|x| (x.id.to_string(), role(x)))
                .collect(),
        );
    }
    if !channels.is_empty() {
        r["channels"] = Value::Object(
            channels
                .iter()
                .filter_map(|x| state.channels.get(x))
                .map(|c| {
                    let mut pc = json!({"id": id(c.id), "type": c.kind.code(), "name": c.name, "permissions": perms::channel_permissions(state, c.id, state.bot_id).to_string(), "flags": 0});
                    if let Some(p) = c.parent_id {
                        pc["parent_id"] = id(p);
                    }
                    (c.id.to_string(), pc)
                })
                .collect(),
        );
    }
    r
}

/// MESSAGE_DELETE data.
pub fn message_delete(mid: Id, channel_id: Id, guild_id: Option<Id>) -> Value {
    let mut v = json!({"id": id(mid), "channel_id": id(channel_id)});
    if let Some(g) = guild_id {
        v["guild_id"] = id(g);
    }
    v
}

/// MESSAGE_DELETE_BULK data.
pub fn message_delete_bulk(ids: &[Id], channel_id: Id, guild_id: Option<Id>) -> Value {
    let mut v = json!({"ids": ids.iter().map(|x| id(*x)).collect::<Vec<_>>(), "channel_id": id(channel_id)});
    if let Some(g) = guild_id {
        v["guild_id"] = id(g);
    }
    v
}

/// MESSAGE_REACTION_ADD / REMOVE data.
pub fn reaction_event(
    state: &State,
    m: &Message,
    user_id: Id,
    emoji_str: &str,
    add: bool,
) -> Value {
    let mut v = json!({
        "user_id": id(user_id),
        "channel_id": id(m.channel_id),
        "message_id": id(m.id),
        "emoji": emoji(emoji_str),
        "burst": false,
        "type": 0,
    });
    if let Some(g) = m.guild_id {
        v["guild_id"] = id(g);
        if add {
            if let Some(mem) = state.members.get(&(g, user_id)) {
                v["member"] = member(state, mem, true);
            }
        }
    }
    if add {
        v["message_author_id"] = id(m.author_id);
        v["burst_colors"] = json!([]);
    }
    v
}

/// GUILD_MEMBER_REMOVE data.
pub fn member_remove(state: &State, guild_id: Id, user_id: Id) -> Value {
    json!({"guild_id": id(guild_id), "user": user_by_id(state, user_id)})
}

/// GUILD_MEMBER_UPDATE data.
pub fn member_update(state: &State, m: &Member) -> Value {
    member_with_guild(state, m)
}

/// GUILD_ROLE_CREATE / UPDATE data.
pub fn role_event(r: &Role) -> Value {
    json!({"guild_id": id(r.guild_id), "role": role(r)})
}

/// GUILD_ROLE_DELETE data.
pub fn role_delete(guild_id: Id, role_id: Id) -> Value {
    json!({"guild_id": id(guild_id), "role_id": id(role_id)})
}

/// GUILD_BAN_ADD / REMOVE data.
pub fn ban_event(state: &State, guild_id: Id, user_id: Id) -> Value {
    json!({"guild_id": id(guild_id), "user": user_by_id(state, user_id)})
}

/// GUILD_MEMBERS_CHUNK data.
pub fn members_chunk(
    state: &State,
    guild_id: Id,
    members: &[&Member],
    nonce: Option<&str>,
    not_found: &[Id],
) -> Value {
    let mut v = json!({
        "guild_id": id(guild_id),
        "members": members.iter().map(|m| member(state, m, true)).collect::<Vec<_>>(),
        "chunk_index": 0,
        "chunk_count": 1,
    });
    if !not_found.is_empty() {
        v["not_found"] = json!(not_found.iter().map(|x| id(*x)).collect::<Vec<_>>());
    }
    if let Some(n) = nonce {
        v["nonce"] = json!(n);
    }
    v
}

/// TYPING_START data.
pub fn typing_start(channel_id: Id, guild_id: Option<Id>, user_id: Id) -> Value {
    let mut v = json!({"channel_id": id(channel_id), "user_id": id(user_id), "timestamp": Utc::now().timestamp()});
    if let Some(g) = guild_id {
        v["guild_id"] = id(g);
    }
    v
}

/// A gateway dispatch frame.
pub fn dispatch(event: &str, seq: u64, data: &Value) -> Value {
    json!({"op": 0, "t": event, "s": seq, "d": data})
}

/// Op 10 HELLO.
pub fn hello(heartbeat_interval_ms: u64) -> Value {
    json!({"op": 10, "d": {"heartbeat_interval": heartbeat_interval_ms}, "s": null, "t": null})
}

/// Op 11 HEARTBEAT ACK.
pub fn heartbeat_ack() -> Value {
    json!({"op": 11, "d": null, "s": null, "t": null})
}

/// Op 1 HEARTBEAT request from the server.
pub fn heartbeat_request(seq: u64) -> Value {
    json!({"op": 1, "d": seq, "s": null, "t": null})
}

/// Op 9 INVALID SESSION.
pub fn invalid_session(resumable: bool) -> Value {
    json!({"op": 9, "d": resumable, "s": null, "t": null})
}

/// Op 7 RECONNECT.
pub fn reconnect() -> Value {
    json!({"op": 7, "d": null, "s": null, "t": null})
}

/// RESUMED data.
pub fn resumed() -> Value {
    json!({"_trace": ["chronix-sandbox"]})
}
