//! Webhooks, guild emojis and stickers, scheduled events and their users, thread metadata.

use serde_json::{Value, json};

use crate::extra::{Emoji, ScheduledEvent, Sticker, ThreadMeta, Webhook};
use crate::state::{Id, State};

use super::*;

/// A webhook object (`type` 1, incoming); the token and URL only for its owner (`with_token`).
pub fn webhook(state: &State, base_url: &str, w: &Webhook, with_token: bool) -> Value {
    let mut v = json!({
        "id": id(w.id),
        "type": 1,
        "guild_id": id(w.guild_id),
        "channel_id": id(w.channel_id),
        "name": w.name,
        "avatar": null,
        "application_id": null,
        "user": user_by_id(state, w.creator_id),
    });
    if with_token {
        v["token"] = json!(w.token);
        v["url"] = json!(format!("{base_url}/api/webhooks/{}/{}", w.id, w.token));
    }
    v
}

/// A custom emoji object.
pub fn guild_emoji(state: &State, e: &Emoji) -> Value {
    json!({
        "id": id(e.id),
        "name": e.name,
        "roles": e.roles.iter().map(|r| id(*r)).collect::<Vec<_>>(),
        "user": user_by_id(state, e.creator_id),
        "require_colons": true,
        "managed": false,
        "animated": e.animated,
        "available": true,
    })
}

/// GUILD_EMOJIS_UPDATE data: every emoji of the guild.
pub fn emojis_update(state: &State, guild: Id) -> Value {
    json!({
        "guild_id": id(guild),
        "emojis": state.extra.guild_emojis(guild).into_iter().map(|e| guild_emoji(state, e)).collect::<Vec<_>>(),
    })
}

/// A guild sticker object (`type` 2, PNG).
pub fn sticker(state: &State, s: &Sticker) -> Value {
    json!({
        "id": id(s.id),
        "name": s.name,
        "description": s.description,
        "tags": s.tags,
        "type": 2,
        "format_type": 1,
        "available": true,
        "guild_id": id(s.guild_id),
        "user": user_by_id(state, s.creator_id),
    })
}

/// GUILD_STICKERS_UPDATE data: every sticker of the guild.
pub fn stickers_update(state: &State, guild: Id) -> Value {
    json!({
        "guild_id": id(guild),
        "stickers": state.extra.guild_stickers(guild).into_iter().map(|s| sticker(state, s)).collect::<Vec<_>>(),
    })
}

/// A guild scheduled event object (with `creator` and `user_count`).
pub fn scheduled_event(state: &State, e: &ScheduledEvent) -> Value {
    json!({
        "id": id(e.id),
        "guild_id": id(e.guild_id),
        "channel_id": opt_id(e.channel_id),
        "creator_id": id(e.creator_id),
        "creator": user_by_id(state, e.creator_id),
        "name": e.name,
        "description": e.description,
        "image": null,
        "scheduled_start_time": ts(e.start),
        "scheduled_end_time": e.end.map(ts),
        "privacy_level": 2,
        "status": e.status,
        "entity_type": e.entity_type,
        "entity_id": null,
        "entity_metadata": match &e.location {
            Some(l) => json!({"location": l}),
            None => Value::Null,
        },
        "recurrence_rule": null,
        "guild_scheduled_event_exceptions": [],
        "user_count": state.extra.event_user_count(e.id),
    })
}

/// GUILD_SCHEDULED_EVENT_USER_ADD / _REMOVE data.
pub fn event_user(guild: Id, event: Id, user: Id) -> Value {
    json!({"guild_scheduled_event_id": id(event), "user_id": id(user), "guild_id": id(guild)})
}

/// An entry of `GET /guilds/{id}/scheduled-events/{id}/users` (`with_member` adds `member`).
pub fn event_user_entry(state: &State, guild: Id, event: Id, user: Id, with_member: bool) -> Value {
    let mut v = json!({
        "guild_scheduled_event_id": id(event),
        "user_id": id(user),
        "user": user_by_id(state, user),
        "response": 1,
    });
    if with_member {
        if let Some(m) = state.members.get(&(guild, user)) {
            v["member"] = member(state, m, false);
        }
    }
    v
}

/// A thread's `thread_metadata`.
pub fn thread_metadata(t: &ThreadMeta, created: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "archived": t.archived,
        "auto_archive_duration": t.auto_archive_duration,
        "archive_timestamp": ts(t.archive_timestamp),
        "locked": t.locked,
        "invitable": t.invitable,
        "create_timestamp": ts(created),
    })
}
