//! Every JSON payload the sandbox emits (REST bodies and gateway frames) is built here, so the
//! contract tests can check each kind against serenity's and twilight-model's types.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::perms;
use crate::state::{
    Attachment, Channel, ChannelKind, Command, Guild, Id, Interaction, Invite, Member, Message,
    Role, State, User, VoiceState,
};

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

/// A user object.
pub fn user(u: &User) -> Value {
    json!({
        "id": id(u.id),
        "username": u.name,
        "global_name": u.global_name,
        "discriminator": "0",
        "avatar": null,
        "bot": u.bot,
        "system": false,
        "public_flags": 0,
        "flags": 0,
        "avatar_decoration_data": null,
        "collectibles": null,
        "primary_guild": null,
    })
}

/// Give every component of a message its numeric `id` as Discord does: ids the app set are kept,
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

/// The current user (`GET /users/@me`): a user object plus the fields only its owner sees.
pub fn current_user(state: &State) -> Value {
    let mut v = user_by_id(state, state.bot_id);
    v["banner"] = Value::Null;
    v["accent_color"] = Value::Null;
    v["mfa_enabled"] = json!(false);
    v["locale"] = json!("en-US");
    v["verified"] = json!(true);
    v["email"] = Value::Null;
    v
}

/// A user object by id (a placeholder if unknown).
pub fn user_by_id(state: &State, uid: Id) -> Value {
    match state.users.get(&uid) {
        Some(u) => user(u),
        None => user(&User {
            id: uid,
            name: format!("unknown-{uid}"),
            global_name: None,
            bot: false,
        }),
    }
}

/// A role object.
pub fn role(r: &Role) -> Value {
    let mut v = json!({
        "id": id(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": null, "tertiary_color": null},
        "hoist": r.hoist,
        "icon": null,
        "unicode_emoji": null,
        "position": r.position,
        "permissions": r.permissions.to_string(),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": 0,
    });
    if let Some(b) = r.bot_id {
        v["tags"] = json!({"bot_id": id(b)});
    }
    v
}

/// A member object; `with_user` adds the nested user (REST and most events do).
pub fn member(state: &State, m: &Member, with_user: bool) -> Value {
    let mut v = json!({
        "nick": m.nick,
        "avatar": null,
        "banner": null,
        "roles": m.roles.iter().map(|r| id(*r)).collect::<Vec<_>>(),
        "joined_at": ts(m.joined_at),
        "premium_since": null,
        "deaf": m.deaf,
        "mute": m.mute,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": m.communication_disabled_until.map(ts),
    });
    if with_user {
        v["user"] = user_by_id(state, m.user_id);
    }
    v
}

/// A member object with `guild_id` (GUILD_MEMBER_ADD / UPDATE and REST).
pub fn member_with_guild(state: &State, m: &Member) -> Value {
    let mut v = member(state, m, true);
    v["guild_id"] = id(m.guild_id);
    v
}

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
            v["thread_metadata"] = json!({
                "archived": false,
                "auto_archive_duration": 1440,
                "archive_timestamp": ts(Utc::now()),
                "locked": false,
                "create_timestamp": ts(Utc::now()),
            });
        }
        _ => {}
    }
    v
}

/// An attachment object.
pub fn attachment(a: &Attachment) -> Value {
    json!({
        "id": id(a.id),
        "filename": a.filename,
        "description": a.description,
        "content_type": a.content_type,
        "size": a.size,
        "url": a.url,
        "proxy_url": a.url,
        "height": null,
        "width": null,
    })
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
        v["interaction_metadata"] = json!({
            "id": id(i.id),
            "type": i.kind,
            "user": user_by_id(state, i.user_id),
            "authorizing_integration_owners": {},
        });
        if i.kind == 2 {
            v["interaction"] = json!({"id": id(i.id), "type": i.kind, "name": i.name, "user": user_by_id(state, i.user_id)});
        }
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

/// A guild object as REST `GET /guilds/{id}` returns it.
pub fn guild(state: &State, g: &Guild) -> Value {
    json!({
        "id": id(g.id),
        "name": g.name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": id(g.owner_id),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": state.guild_roles(g.id).into_iter().map(role).collect::<Vec<_>>(),
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": g.locale,
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "max_video_channel_users": 25,
        "safety_alerts_channel_id": null,
    })
}

/// GUILD_CREATE data.
pub fn guild_create(state: &State, g: &Guild) -> Value {
    let mut v = guild(state, g);
    let members = state.guild_members(g.id);
    v["joined_at"] = json!(ts(Utc::now()));
    v["large"] = json!(false);
    v["unavailable"] = json!(false);
    v["member_count"] = json!(members.len());
    v["voice_states"] = Value::Array(
        state
            .voice_states
            .values()
            .filter(|vs| vs.guild_id == g.id && vs.channel_id.is_some())
            .map(|vs| voice_state(state, vs))
            .collect(),
    );
    v["members"] = Value::Array(
        members
            .into_iter()
            .map(|m| member(state, m, true))
            .collect(),
    );
    v["channels"] = Value::Array(
        state
            .guild_channels(g.id)
            .into_iter()
            .map(|c| channel(state, c))
            .collect(),
    );
    v["threads"] = Value::Array(
        state
            .channels
            .values()
            .filter(|c| c.guild_id == Some(g.id) && c.kind.is_thread())
            .map(|c| channel(state, c))
            .collect(),
    );
    v["presences"] = json!([]);
    v["stage_instances"] = json!([]);
    v["guild_scheduled_events"] = json!([]);
    v["soundboard_sounds"] = json!([]);
    v
}

/// GUILD_CREATE data for a session with IDENTIFY's `large_threshold`: a guild with more members
/// is `large` and carries only the bot's member and members in voice channels.
pub fn guild_create_for(state: &State, g: &Guild, large_threshold: u64) -> Value {
    let mut v = guild_create(state, g);
    if v["member_count"].as_u64().unwrap_or(0) > large_threshold {
        v["large"] = json!(true);
        let in_voice: Vec<Id> = state
            .voice_states
            .values()
            .filter(|vs| vs.guild_id == g.id && vs.channel_id.is_some())
            .map(|vs| vs.user_id)
            .collect();
        let keep = |m: &Value| {
            m["user"]["id"]
                .as_str()
                .and_then(|s| s.parse::<Id>().ok())
                .is_some_and(|u| u == state.bot_id || in_voice.contains(&u))
        };
        if let Some(members) = v["members"].as_array_mut() {
            members.retain(keep);
        }
    }
    v
}

/// An unavailable guild (READY's `guilds`).
pub fn unavailable_guild(gid: Id) -> Value {
    json!({"id": id(gid), "unavailable": true})
}

/// READY data.
pub fn ready(state: &State, session_id: &str, resume_url: &str, shard: Option<[u64; 2]>) -> Value {
    let bot = state.users.get(&state.bot_id).cloned().unwrap_or(User {
        id: state.bot_id,
        name: "bot".into(),
        global_name: None,
        bot: true,
    });
    let mut u = user(&bot);
    u["verified"] = json!(true);
    u["mfa_enabled"] = json!(false);
    let mut v = json!({
        "v": 10,
        "user": u,
        "guilds": state.guilds.keys().map(|g| unavailable_guild(*g)).collect::<Vec<_>>(),
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "application": {"id": id(state.application_id), "flags": state.application_flags},
        "private_channels": [],
        "presences": [],
        "relationships": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "user_settings": {},
    });
    if let Some(s) = shard {
        v["shard"] = json!(s);
    }
    v
}

/// A voice state object.
pub fn voice_state(state: &State, vs: &VoiceState) -> Value {
    let mut v = json!({
        "guild_id": id(vs.guild_id),
        "channel_id": opt_id(vs.channel_id),
        "user_id": id(vs.user_id),
        "session_id": vs.session_id,
        "deaf": false,
        "mute": false,
        "self_deaf": vs.self_deaf,
        "self_mute": vs.self_mute,
        "self_video": false,
        "suppress": false,
        "request_to_speak_timestamp": null,
    });
    if let Some(m) = state.members.get(&(vs.guild_id, vs.user_id)) {
        v["member"] = member(state, m, true);
    }
    v
}

/// VOICE_SERVER_UPDATE data.
pub fn voice_server_update(guild_id: Id, endpoint: &str, token: &str) -> Value {
    json!({"guild_id": id(guild_id), "endpoint": endpoint, "token": token})
}

/// An invite object (REST).
pub fn invite(state: &State, inv: &Invite) -> Value {
    let g = state.guilds.get(&inv.guild_id);
    let c = state.channels.get(&inv.channel_id);
    json!({
        "type": 0,
        "code": inv.code,
        "guild": g.map(|g| json!({
            "id": id(g.id), "name": g.name, "splash": null, "banner": null, "description": null, "icon": null,
            "features": [], "verification_level": 0, "vanity_url_code": null, "nsfw_level": 0, "premium_subscription_count": 0,
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

/// Application flags Discord sets for an unverified app whose privileged intents are enabled in
/// the developer portal: GATEWAY_PRESENCE_LIMITED, GATEWAY_GUILD_MEMBERS_LIMITED,
/// GATEWAY_MESSAGE_CONTENT_LIMITED.
pub fn application_flags(privileged_intents: u64) -> u64 {
    use crate::hub::intents;
    let mut flags = 0;
    if privileged_intents & intents::GUILD_PRESENCES != 0 {
        flags |= 1 << 13;
    }
    if privileged_intents & intents::GUILD_MEMBERS != 0 {
        flags |= 1 << 15;
    }
    if privileged_intents & intents::MESSAGE_CONTENT != 0 {
        flags |= 1 << 19;
    }
    flags
}

/// The application object (`GET /oauth2/applications/@me`, `GET /applications/@me`). The owner
/// is [`State::application_owner`], else the human user with the lowest id.
pub fn application(state: &State) -> Value {
    let owner = state
        .application_owner
        .and_then(|o| state.users.get(&o))
        .or_else(|| state.users.values().find(|u| !u.bot))
        .map_or_else(|| user_by_id(state, 1), user);
    json!({
        "id": id(state.application_id),
        "name": state.users.get(&state.bot_id).map_or("bot".to_owned(), |u| u.name.clone()),
        "icon": null,
        "description": "Chronix sandbox application",
        "type": null,
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "team": null,
        "owner": owner,
        "flags": state.application_flags,
        "bot": state.users.get(&state.bot_id).map(user),
        "summary": "",
        "rpc_origins": [],
        "tags": [],
        "redirect_uris": [],
        "approximate_guild_count": state.guilds.len(),
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "event_webhooks_url": null,
        "event_webhooks_status": 1,
        "integration_types_config": {"0": {}},
        "hook": true,
        "is_monetized": false,
        "is_verified": false,
        "is_discoverable": false,
        "storefront_available": false,
    })
}

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
        "locale": "en-US",
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

/// A ban object (REST).
pub fn ban(state: &State, b: &crate::state::Ban) -> Value {
    json!({"reason": b.reason, "user": user_by_id(state, b.user_id)})
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

/// CHANNEL_PINS_UPDATE is not emitted; MESSAGE_UPDATE carries the full message like Discord now does.
/// An audit log (`GET /guilds/{id}/audit-logs`), newest first.
pub fn audit_log(state: &State, entries: &[&crate::state::AuditEntry]) -> Value {
    let mut users: Vec<Id> = entries.iter().map(|e| e.user_id).collect();
    users.sort_unstable();
    users.dedup();
    json!({
        "application_commands": [],
        "audit_log_entries": entries.iter().map(|e| json!({
            "id": id(e.id),
            "action_type": e.action_type,
            "user_id": id(e.user_id),
            "target_id": e.target_id,
            "reason": e.reason,
            "changes": [],
        })).collect::<Vec<_>>(),
        "auto_moderation_rules": [],
        "guild_scheduled_events": [],
        "integrations": [],
        "threads": [],
        "users": users.into_iter().map(|u| user_by_id(state, u)).collect::<Vec<_>>(),
        "webhooks": [],
    })
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
