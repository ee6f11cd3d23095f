//! Members and bans: `/guilds/{id}/members` (list, search, get, modify, kick, role add/remove)
//! and `/guilds/{id}/bans`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration as ChronoDuration, Utc};
use serde_json::{Value, json};

use crate::hub::{Inner, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::base_permissions;
use crate::perms::bits::*;
use crate::state::{Ban, ChannelKind, Id, Member, Message};

use super::common::*;

// ----- members -----

pub(super) fn member_update_dispatch(inner: &Inner, gid: Id, uid: Id) -> Option<Value> {
    let v = {
        let st = inner.state.lock();
        let m = st.members.get(&(gid, uid))?;
        payloads::member_with_guild(&st, m)
    };
    inner.dispatch(
        "GUILD_MEMBER_UPDATE",
        &v,
        gate_guild(intents::GUILD_MEMBERS, gid),
    );
    Some(v)
}

pub(super) fn modify_member(inner: &Arc<Inner>, gid: Id, uid: Id, c: &Ctx) -> Res {
    let b = &c.body;
    let mut voice_ev = None;
    {
        let mut st = inner.state.lock();
        st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
        let old = st
            .members
            .get(&(gid, uid))
            .ok_or_else(|| unknown(10007, "Member"))?
            .clone();
        let bot = st.bot_id;
        let perms = base_permissions(&st, gid, bot);
        let has = |bits: u64| perms & bits == bits;
        let mut new = old.clone();
        if b.get("nick").is_some() {
            let nick = b["nick"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            if nick.as_ref().is_some_and(|n| n.chars().count() > 32) {
                let mut e = FormErrors::default();
                e.push(
                    &["nick".to_owned()],
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 32 or fewer in length.",
                );
                return Err(form(e));
            }
            if uid == bot {
                if !has(CHANGE_NICKNAME) && !has(MANAGE_NICKNAMES) {
                    return Err(missing_perms());
                }
            } else {
                if !has(MANAGE_NICKNAMES) {
                    return Err(missing_perms());
                }
                above(&st, gid, uid)?;
            }
            new.nick = nick;
        }
        if let Some(roles) = b["roles"].as_array() {
            if !has(MANAGE_ROLES) {
                return Err(missing_perms());
            }
            let wanted: Vec<Id> = roles.iter().filter_map(vid).collect();
            let top = st.top_position(gid, bot);
            for r in wanted
                .iter()
                .filter(|r| !old.roles.contains(r))
                .chain(old.roles.iter().filter(|r| !wanted.contains(r)))
            {
                let role = st
                    .roles
                    .get(r)
                    .filter(|x| x.guild_id == gid)
                    .ok_or_else(|| unknown(10011, "Role"))?;
                if role.managed || role.position >= top {
                    return Err(missing_perms());
                }
            }
            new.roles = wanted;
        }
        if b.get("communication_disabled_until").is_some() {
            if !has(MODERATE_MEMBERS) {
                return Err(missing_perms());
            }
            above(&st, gid, uid)?;
            if base_permissions(&st, gid, uid) & ADMINISTRATOR != 0 {
                return Err(missing_perms());
            }
            let until = match b["communication_disabled_until"].as_str() {
                Some(s) => Some(
                    chrono::DateTime::parse_from_rfc3339(s)
                        .map_err(|_| {
                            let mut e = FormErrors::default();
                            e.push(
                                &["communication_disabled_until".to_owned()],
                                "DATE_TIME_TYPE_PARSE",
                                "Could not parse the date.",
                            );
                            form(e)
                        })?
                        .with_timezone(&Utc),
                ),
                None => None,
            };
            if until.is_some_and(|u| u > Utc::now() + ChronoDuration::days(28)) {
                let mut e = FormErrors::default();
                e.push(
                    &["communication_disabled_until".to_owned()],
                    "COMMUNICATION_DISABLED_TIMESTAMP_TOO_LONG",
                    "Timeout duration cannot exceed 28 days.",
                );
                return Err(form(e));
            }
            new.communication_disabled_until = until.filter(|u| *u > Utc::now());
        }
        if let Some(x) = b["mute"].as_bool() {
            if !has(MUTE_MEMBERS) {
                return Err(missing_perms());
            }
            new.mute = x;
        }
        if let Some(x) = b["deaf"].as_bool() {
            if !has(DEAFEN_MEMBERS) {
                return Err(missing_perms());
            }
            new.deaf = x;
        }
        if b.get("channel_id").is_some() {
            if !has(MOVE_MEMBERS) {
                return Err(missing_perms());
            }
            let target = vid(&b["channel_id"]);
            if let Some(t) = target {
                // Discord: the target must be a voice or stage channel of this guild.
                let ok = st.channels.get(&t).is_some_and(|c| {
                    c.guild_id == Some(gid)
                        && matches!(c.kind, ChannelKind::Voice | ChannelKind::Stage)
                });
                if !ok {
                    return Err(unknown(10003, "Channel"));
                }
            }
            let Some(vs) = st.voice_states.get_mut(&(gid, uid)) else {
                return Err(err(400, 40032, "Target user is not connected to voice."));
            };
            vs.channel_id = target;
            let vs = vs.clone();
            if target.is_none() {
                st.voice_states.remove(&(gid, uid));
            }
            voice_ev = Some(vs);
        }
        st.members.insert((gid, uid), new);
    }
    if let Some(vs) = voice_ev {
        let v = payloads::voice_state(&inner.state.lock(), &vs);
        inner.dispatch(
            "VOICE_STATE_UPDATE",
            &v,
            gate_guild(intents::GUILD_VOICE_STATES, gid),
        );
    }
    let v = member_update_dispatch(inner, gid, uid).unwrap_or(Value::Null);
    ok(v)
}

pub(super) fn member_role(inner: &Arc<Inner>, gid: Id, uid: Id, rid: Id, add: bool) -> Res {
    {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        let role = st
            .roles
            .get(&rid)
            .filter(|r| r.guild_id == gid)
            .ok_or_else(|| unknown(10011, "Role"))?;
        if role.managed || rid == gid || role.position >= st.top_position(gid, st.bot_id) {
            return Err(missing_perms());
        }
        let m = st
            .members
            .get_mut(&(gid, uid))
            .ok_or_else(|| unknown(10007, "Member"))?;
        let had = m.roles.contains(&rid);
        if add == had {
            return no_content();
        }
        if add {
            m.roles.push(rid);
        } else {
            m.roles.retain(|r| *r != rid);
        }
    }
    member_update_dispatch(inner, gid, uid);
    no_content()
}

pub(super) fn kick(inner: &Arc<Inner>, gid: Id, uid: Id, _c: &Ctx) -> Res {
    let ev = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, KICK_MEMBERS)?;
        st.members
            .get(&(gid, uid))
            .ok_or_else(|| unknown(10007, "Member"))?;
        above(&st, gid, uid)?;
        st.members.remove(&(gid, uid));
        st.voice_states.remove(&(gid, uid));
        payloads::member_remove(&st, gid, uid)
    };
    inner.dispatch(
        "GUILD_MEMBER_REMOVE",
        &ev,
        gate_guild(intents::GUILD_MEMBERS, gid),
    );
    no_content()
}

pub(super) fn ban(inner: &Arc<Inner>, gid: Id, uid: Id, c: &Ctx) -> Res {
    // In the JSON body (Discord's documented form) or, as serenity sends it, the query string.
    let delete_secs = c.body["delete_message_seconds"]
        .as_u64()
        .or_else(|| c.body["delete_message_days"].as_u64().map(|d| d * 86400))
        .or_else(|| c.q_u64("delete_message_seconds"))
        .or_else(|| c.q_u64("delete_message_days").map(|d| d * 86400))
        .unwrap_or(0);
    if delete_secs > 604_800 {
        let mut e = FormErrors::default();
        e.push(
            &["delete_message_seconds".to_owned()],
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 604800.",
        );
        return Err(form(e));
    }
    let (was_member, ban_ev, rm_ev, deleted) = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, BAN_MEMBERS)?;
        if !st.users.contains_key(&uid) {
            return Err(unknown(10013, "User"));
        }
        let was_member = st.members.contains_key(&(gid, uid));
        if was_member {
            above(&st, gid, uid)?;
        }
        st.bans.insert(
            (gid, uid),
            Ban {
                guild_id: gid,
                user_id: uid,
                reason: c
                    .reason
                    .clone()
                    .or_else(|| c.body["reason"].as_str().map(str::to_owned)),
            },
        );
        st.members.remove(&(gid, uid));
        st.voice_states.remove(&(gid, uid));
        let cutoff = Utc::now() - ChronoDuration::seconds(delete_secs as i64);
        let deleted: Vec<Message> = if delete_secs > 0 {
            st.messages
                .values()
                .filter(|m| m.guild_id == Some(gid) && m.author_id == uid && m.timestamp >= cutoff)
                .cloned()
                .collect()
        } else {
            vec![]
        };
        for m in &deleted {
            st.messages.remove(&m.id);
        }
        (
            was_member,
            payloads::ban_event(&st, gid, uid),
            payloads::member_remove(&st, gid, uid),
            deleted,
        )
    };
    inner.dispatch(
        "GUILD_BAN_ADD",
        &ban_ev,
        gate_guild(intents::GUILD_MODERATION, gid),
    );
    if was_member {
        inner.dispatch(
            "GUILD_MEMBER_REMOVE",
            &rm_ev,
            gate_guild(intents::GUILD_MEMBERS, gid),
        );
    }
    let mut by_channel: HashMap<Id, Vec<Id>> = HashMap::new();
    for m in &deleted {
        by_channel.entry(m.channel_id).or_default().push(m.id);
    }
    for (cid, ids) in by_channel {
        inner.dispatch(
            "MESSAGE_DELETE_BULK",
            &payloads::message_delete_bulk(&ids, cid, Some(gid)),
            gate_guild(intents::GUILD_MESSAGES, gid),
        );
    }
    no_content()
}

/// `POST /guilds/{id}/bulk-ban` (BAN_MEMBERS and MANAGE_GUILD; at most 200 `user_ids`): each
/// user is banned as by `PUT /bans/{id}` (same events); `{banned_users, failed_users}`, or
/// 403 500000 when nobody could be banned. An already banned user counts as failed.
pub(super) fn bulk_ban(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let ids: Vec<Id> = c.body["user_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_u64()))
        .collect();
    if ids.is_empty() || ids.len() > 200 {
        let mut e = FormErrors::default();
        e.push(
            &["user_ids".to_owned()],
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 200 in length.",
        );
        return Err(form(e));
    }
    {
        let st = inner.state.lock();
        need_guild(&st, gid, BAN_MEMBERS | MANAGE_GUILD)?;
    }
    let (mut banned, mut failed) = (Vec::new(), Vec::new());
    for uid in ids {
        let already = inner.state.lock().bans.contains_key(&(gid, uid));
        if !already && ban(inner, gid, uid, c).is_ok() {
            banned.push(uid.to_string());
        } else {
            failed.push(uid.to_string());
        }
    }
    if banned.is_empty() {
        return Err(err(403, 500000, "Failed to ban users"));
    }
    ok(json!({"banned_users": banned, "failed_users": failed}))
}

pub(super) fn unban(inner: &Arc<Inner>, gid: Id, uid: Id) -> Res {
    let ev = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, BAN_MEMBERS)?;
        st.bans
            .remove(&(gid, uid))
            .ok_or_else(|| unknown(10026, "Ban"))?;
        payloads::ban_event(&st, gid, uid)
    };
    inner.dispatch(
        "GUILD_BAN_REMOVE",
        &ev,
        gate_guild(intents::GUILD_MODERATION, gid),
    );
    no_content()
}

pub(crate) fn new_member(guild_id: Id, user_id: Id) -> Member {
    Member {
        guild_id,
        user_id,
        nick: None,
        roles: vec![],
        joined_at: Utc::now(),
        communication_disabled_until: None,
        mute: false,
        deaf: false,
    }
}

/// `GET /guilds/{id}/members?limit&after`.
pub(super) fn list_members(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let st = inner.state.lock();
    st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
    let limit = c.q_u64("limit").unwrap_or(1).clamp(1, 1000) as usize;
    let after = c.q_u64("after").unwrap_or(0);
    ok(Value::Array(
        st.guild_members(gid)
            .into_iter()
            .filter(|m| m.user_id > after)
            .take(limit)
            .map(|m| payloads::member_with_guild(&st, m))
            .collect(),
    ))
}

/// `GET /guilds/{id}/members/search?query&limit` (username or nick prefix).
pub(super) fn search_members(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let st = inner.state.lock();
    let q = c
        .query
        .get("query")
        .cloned()
        .unwrap_or_default()
        .to_lowercase();
    let limit = c.q_u64("limit").unwrap_or(1).clamp(1, 1000) as usize;
    ok(Value::Array(
        st.guild_members(gid)
            .into_iter()
            .filter(|m| {
                st.users
                    .get(&m.user_id)
                    .is_some_and(|u| u.name.to_lowercase().starts_with(&q))
                    || m.nick
                        .as_ref()
                        .is_some_and(|n| n.to_lowercase().starts_with(&q))
            })
            .take(limit)
            .map(|m| payloads::member_with_guild(&st, m))
            .collect(),
    ))
}

/// `GET /guilds/{id}/members/{id}`.
pub(super) fn get_member(inner: &Arc<Inner>, gid: Id, uid: Id) -> Res {
    let st = inner.state.lock();
    st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
    let mem = st
        .members
        .get(&(gid, uid))
        .ok_or_else(|| unknown(10007, "Member"))?;
    ok(payloads::member_with_guild(&st, mem))
}

/// `GET /guilds/{id}/bans` (BAN_MEMBERS).
pub(super) fn list_bans(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    need_guild(&st, gid, BAN_MEMBERS)?;
    ok(Value::Array(
        st.bans
            .values()
            .filter(|b| b.guild_id == gid)
            .map(|b| payloads::ban(&st, b))
            .collect(),
    ))
}

/// `GET /guilds/{id}/bans/{id}` (BAN_MEMBERS).
pub(super) fn get_ban(inner: &Arc<Inner>, gid: Id, uid: Id) -> Res {
    let st = inner.state.lock();
    need_guild(&st, gid, BAN_MEMBERS)?;
    let b = st
        .bans
        .get(&(gid, uid))
        .ok_or_else(|| unknown(10026, "Ban"))?;
    ok(payloads::ban(&st, b))
}
