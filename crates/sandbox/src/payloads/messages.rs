//! Channels, messages (attachments, component ids, reactions' emoji), invites, commands, bans
//! and the audit log.

use serde_json::{Value, json};

use crate::state::{
    Attachment, Channel, ChannelKind, Command, Id, Invite, Message, MessageInteraction, State,
};

use super::*;

/// A channel object.
pub fn channel(state: &State, c: &Channel) -> Value {
    let mut v = json!({
        "id": id(c.id),
        "type": c.kind.code(),
        "last_message_id": opt_id(c.last_message_id),
        "flags": 0,
    });
    if c.kind == ChannelKind::Dm {
        v["recipients"] =
            Value::Array(c.recipients.iter().map(|u| user_by_id(state, *u)).collect());
        return v;
    }
    v["guild_id"] = opt_id(c.guild_id);
    v["name"] = json!(c.name);
    v["position"] = json!(c.position);
    v["parent_id"] = opt_id(c.parent_id);
    v["nsfw"] = json!(c.nsfw);
    v["rate_limit_per_user"] = json!(c.rate_limit_per_user);
    v["permission_overwrites"] = Value::Array(
        c.overwrites
            .iter()
            .map(|o| {
                json!({"id": id(o.id), "type": u8::from(o.member), "allow": o.allow.to_string(), "deny": o.deny.to_string()})
            })
            .collect(),
    );
    match c.kind {
        ChannelKind::Voice | ChannelKind::Stage => {
            v["bitrate"] = json!(c.bitrate);
            v["user_limit"] = json!(c.user_limit);
            v["rtc_region"] = Value::Null;
        }
        ChannelKind::Text | ChannelKind::Announcement | ChannelKind::Forum => {
            v["topic"] = json!(c.topic);
        }
        ChannelKind::PublicThread | ChannelKind::PrivateThread => {
            v["owner_id"] = opt_id(c.owner_id);
            v["member_count"] = json!(1);
            v["message_count"] = json!(state.channel_messages(c.id).len());
            v["total_message_sent"] = v["message_count"].clone();
            // a thread's id is its creation time, as for every snowflake
            let created = crate::state::snowflake_time(c.id);
            v["thread_metadata"] = thread_metadata(&state.extra.thread(c.id), created);
        }
        _ => {}
    }
    v
}

/// An attachment object.
/// Like Discord, `description` is absent unless set, and `height`/`width` (images only) are
/// absent: the sandbox does not decode images.
pub fn attachment(a: &Attachment) -> Value {
    let mut v = json!({
        "id": id(a.id),
        "filename": a.filename,
        "content_type": a.content_type,
        "size": a.size,
        "url": a.url,
        "proxy_url": a.url,
    });
    if let Some(d) = &a.description {
        v["description"] = json!(d);
    }
    v
}

/// Give every component of a message its numeric `id` as Discord does (and select menus their
/// `min_values`/`max_values`): ids the app set are kept,
/// the others get sequential ids from 1 in depth-first order (a row before its children),
/// skipping ids already taken.
pub fn with_component_ids(mut rows: Vec<Value>) -> Vec<Value> {
    fn children(c: &mut Value) -> Vec<&mut Value> {
        let Some(o) = c.as_object_mut() else {
            return vec![];
        };
        let mut out = Vec::new();
        for (k, v) in o.iter_mut() {
            match (k.as_str(), v) {
                ("components", Value::Array(a)) => out.extend(a.iter_mut()),
                ("accessory" | "component", v @ Value::Object(_)) => out.push(v),
                _ => {}
            }
        }
        out
    }
    fn taken(c: &mut Value, ids: &mut std::collections::HashSet<u64>) {
        if let Some(i) = c["id"].as_u64() {
            ids.insert(i);
        }
        for ch in children(c) {
            taken(ch, ids);
        }
    }
    fn assign(c: &mut Value, next: &mut u64, ids: &std::collections::HashSet<u64>) {
        // select menus (3, 5–8) echo their defaults, as Discord does
        if matches!(c["type"].as_u64(), Some(3 | 5..=8)) {
            for k in ["min_values", "max_values"] {
                if c[k].is_null() {
                    c[k] = json!(1);
                }
            }
        }
        if c.is_object() && c["id"].as_u64().is_none() {
            while ids.contains(next) {
                *next += 1;
            }
            c["id"] = json!(*next);
            *next += 1;
        }
        for ch in children(c) {
            assign(ch, next, ids);
        }
    }
    let mut ids = std::collections::HashSet::new();
    for r in &mut rows {
        taken(r, &mut ids);
    }
    let mut next = 1;
    for r in &mut rows {
        assign(r, &mut next, &ids);
    }
    rows
}

/// A message object. `with_member` adds the partial `member` (gateway MESSAGE_CREATE in guilds).
pub fn message(state: &State, m: &Message, with_member: bool) -> Value {
    let mut v = json!({
        "id": id(m.id),
        "channel_id": id(m.channel_id),
        "author": user_by_id(state, m.author_id),
        "content": m.content,
        "timestamp": ts(m.timestamp),
        "edited_timestamp": m.edited_timestamp.map(ts),
        "tts": m.tts,
        "mention_everyone": m.mention_everyone,
        "mentions": m.mentions.iter().map(|u| user_by_id(state, *u)).collect::<Vec<_>>(),
        "mention_roles": m.mention_roles.iter().map(|r| id(*r)).collect::<Vec<_>>(),
        "mention_channels": [],
        "attachments": m.attachments.iter().map(attachment).collect::<Vec<_>>(),
        "embeds": m.embeds,
        "components": m.components,
        "pinned": m.pinned,
        "type": m.kind,
        "flags": m.flags,
        "sticker_items": [],
    });
    if let Some(g) = m.guild_id {
        v["guild_id"] = id(g);
        if with_member {
            if let Some(mem) = state.members.get(&(g, m.author_id)) {
                v["member"] = member(state, mem, false);
            }
        }
    }
    if !m.reactions.is_empty() {
        v["reactions"] = Value::Array(
            m.reactions
                .iter()
                .map(|r| {
                    json!({
                        "count": r.users.len(),
                        "count_details": {"burst": 0, "normal": r.users.len()},
                        "me": r.users.contains(&state.bot_id),
                        "me_burst": false,
                        "burst_colors": [],
                        "emoji": emoji(&r.emoji),
                    })
                })
                .collect(),
        );
    }
    if let Some(w) = m.webhook_id {
        v["webhook_id"] = id(w);
        v["application_id"] = id(state.application_id);
    }
    if let Some(r) = m.reference {
        v["message_reference"] = json!({"type": 0, "message_id": id(r), "channel_id": id(m.channel_id), "guild_id": opt_id(m.guild_id)});
        if let Some(rm) = state.messages.get(&r) {
            v["referenced_message"] = message(state, rm, false);
        }
    }
    if let Some(i) = &m.interaction {
        v["interaction_metadata"] = interaction_metadata(state, i);
        if i.kind == 2 {
            v["interaction"] = json!({"id": id(i.id), "type": i.kind, "name": i.name, "user": user_by_id(state, i.user_id)});
        }
    }
    v
}

/// A message's `interaction_metadata`: a component interaction's carries
/// `interacted_message_id`, a modal submission's `triggering_interaction_metadata`.
fn interaction_metadata(state: &State, i: &MessageInteraction) -> Value {
    let mut v = json!({
        "id": id(i.id),
        "type": i.kind,
        "user": user_by_id(state, i.user_id),
        "authorizing_integration_owners": {},
    });
    if let Some(m) = i.interacted_message_id {
        v["interacted_message_id"] = id(m);
    }
    if let Some(t) = &i.triggering {
        v["triggering_interaction_metadata"] = interaction_metadata(state, t);
    }
    v
}

/// An emoji object from `"😀"` or `"name:id"`.
pub fn emoji(e: &str) -> Value {
    match e.rsplit_once(':') {
        Some((name, eid)) if eid.chars().all(|c| c.is_ascii_digit()) && !eid.is_empty() => {
            json!({"id": eid, "name": name, "animated": false})
        }
        _ => json!({"id": null, "name": e}),
    }
}

/// An invite object (REST).
pub fn invite(state: &State, inv: &Invite) -> Value {
    let g = state.guilds.get(&inv.guild_id);
    let c = state.channels.get(&inv.channel_id);
    json!({
        "type": 0,
        "code": inv.code,
        "guild_id": id(inv.guild_id),
        "guild": g.map(|g| json!({
            "id": id(g.id), "name": g.name, "splash": null, "banner": g.banner, "description": null, "icon": null,
            "features": [], "verification_level": 0, "vanity_url_code": null, "nsfw_level": 0, "nsfw": false,
            "premium_subscription_count": 0,
        })),
        "channel": c.map(|c| json!({"id": id(c.id), "name": c.name, "type": c.kind.code()})),
        "inviter": user_by_id(state, inv.inviter_id),
        "uses": inv.uses,
        "max_uses": inv.max_uses,
        "max_age": inv.max_age,
        "temporary": inv.temporary,
        "created_at": ts(inv.created_at),
        "expires_at": null,
    })
}

/// INVITE_CREATE data.
pub fn invite_create(state: &State, inv: &Invite) -> Value {
    json!({
        "channel_id": id(inv.channel_id),
        "code": inv.code,
        "created_at": ts(inv.created_at),
        "guild_id": id(inv.guild_id),
        "inviter": user_by_id(state, inv.inviter_id),
        "max_age": inv.max_age,
        "max_uses": inv.max_uses,
        "temporary": inv.temporary,
        "uses": 0,
    })
}

/// INVITE_DELETE data.
pub fn invite_delete(inv: &Invite) -> Value {
    json!({"channel_id": id(inv.channel_id), "guild_id": id(inv.guild_id), "code": inv.code})
}

/// An application command object.
pub fn command(c: &Command) -> Value {
    c.json.clone()
}

/// A ban object (REST).
pub fn ban(state: &State, b: &crate::state::Ban) -> Value {
    json!({"reason": b.reason, "user": user_by_id(state, b.user_id)})
}

/// CHANNEL_PINS_UPDATE: `last_pin_timestamp` is the newest remaining pin (null when none is left);
/// `guild_id` is absent in DMs.
pub fn channel_pins_update(
    guild_id: Option<Id>,
    channel_id: Id,
    last_pin_timestamp: Option<chrono::DateTime<chrono::Utc>>,
) -> Value {
    let mut v = json!({
        "channel_id": id(channel_id),
        "last_pin_timestamp": last_pin_timestamp.map(ts),
    });
    if let Some(g) = guild_id {
        v["guild_id"] = id(g);
    }
    v
}

/// One audit-log entry; with `guild_id` added it is GUILD_AUDIT_LOG_ENTRY_CREATE's payload.
pub fn audit_entry(e: &crate::state::AuditEntry) -> Value {
    let mut v = json!({
        "id": id(e.id),
        "action_type": e.action_type,
        "user_id": id(e.user_id),
        "target_id": e.target_id,
        "changes": e.changes,
    });
    // Discord omits `reason` when none was given
    if let Some(r) = &e.reason {
        v["reason"] = json!(r);
    }
    v
}

/// An audit log (`GET /guilds/{id}/audit-logs`), newest first.
pub fn audit_log(state: &State, entries: &[&crate::state::AuditEntry]) -> Value {
    let mut users: Vec<Id> = entries.iter().map(|e| e.user_id).collect();
    users.sort_unstable();
    users.dedup();
    json!({
        "application_commands": [],
        "audit_log_entries": entries.iter().map(|e| audit_entry(e)).collect::<Vec<_>>(),
        "auto_moderation_rules": [],
        "guild_scheduled_events": [],
        "integrations": [],
        "threads": [],
        "users": users.into_iter().map(|u| user_by_id(state, u)).collect::<Vec<_>>(),
        "webhooks": [],
    })
}
