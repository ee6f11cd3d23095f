//! Users, members, roles and the application object.

use serde_json::{Value, json};

use crate::state::{Id, Member, Role, State, User};

use super::*;

/// A user object.
pub fn user(u: &User) -> Value {
    json!({
        "id": id(u.id),
        "username": u.name,
        "global_name": u.global_name,
        "discriminator": "0",
        "avatar": u.avatar,
        "bot": u.bot,
        "system": false,
        "public_flags": 0,
        "flags": 0,
        "avatar_decoration_data": null,
        "collectibles": null,
        "primary_guild": null,
    })
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
            avatar: None,
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
        "pending": state.extra.pending.contains(&(m.guild_id, m.user_id)),
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
        "flags_new": state.application_flags.to_string(),
        "explicit_content_filter": 0,
        "eligible_oauth2_scopes": ["bot", "applications.commands"],
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
