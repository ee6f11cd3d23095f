//! Guilds: the guild object, GUILD_CREATE (with `large_threshold`), READY, voice states.

use chrono::Utc;
use serde_json::{Value, json};

use crate::state::{Guild, Id, State, User, VoiceState};

use super::*;

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
        "emojis": state.extra.guild_emojis(g.id).into_iter().map(|e| guild_emoji(state, e)).collect::<Vec<_>>(),
        // As on Discord: a guild with a vanity URL has the feature and the code.
        "features": if state.vanity_codes.contains_key(&g.id) { vec!["VANITY_URL"] } else { Vec::new() },
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": state.vanity_codes.get(&g.id),
        "description": null,
        "banner": g.banner,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": g.locale,
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "stickers": state.extra.guild_stickers(g.id).into_iter().map(|s| sticker(state, s)).collect::<Vec<_>>(),
        "premium_progress_bar_enabled": false,
        "max_video_channel_users": 25,
        "safety_alerts_channel_id": null,
        "home_header": null,
        "region": "deprecated",
        "widget_enabled": false,
        "widget_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "max_stage_video_channel_users": 50,
        "nsfw": false,
        "incidents_data": null,
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
    v["guild_scheduled_events"] = Value::Array(
        state
            .extra
            .events
            .values()
            .filter(|e| e.guild_id == g.id)
            .map(|e| scheduled_event(state, e))
            .collect(),
    );
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
        avatar: None,
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
