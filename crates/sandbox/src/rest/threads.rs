//! Thread members: `PUT`/`DELETE`/`GET /channels/{thread}/thread-members/{user | @me}` and
//! `GET /channels/{thread}/thread-members`, with Discord's rules: adding needs the right to send
//! in the thread, a thread that is not archived and a user who is a member of the guild;
//! removing someone else from a private thread needs Manage Threads or being its creator.
//! Each change dispatches `THREAD_MEMBERS_UPDATE` (intent `GUILD_MEMBERS`).

use std::sync::Arc;

use chrono::Utc;
use serde_json::{Value, json};

use crate::hub::{Inner, intents};
use crate::payloads::ts;
use crate::perms::bits::*;
use crate::perms::channel_permissions;
use crate::state::{ChannelKind, Id, State};

use super::common::*;

/// A thread member object.
fn member(thread: Id, user: Id, joined: chrono::DateTime<Utc>) -> Value {
    json!({
        "id": thread.to_string(),
        "user_id": user.to_string(),
        "join_timestamp": ts(joined),
        "flags": 0,
    })
}

/// The thread (a thread channel of a guild) and its guild.
fn thread(st: &State, cid: Id) -> Result<(Id, Option<Id>), ApiErr> {
    let ch = st
        .channels
        .get(&cid)
        .ok_or_else(|| unknown(10003, "Channel"))?;
    if !ch.kind.is_thread() {
        return Err(err(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    }
    if channel_permissions(st, cid, st.bot_id) & VIEW_CHANNEL == 0 {
        return Err(missing_access());
    }
    Ok((ch.guild_id.unwrap_or_default(), ch.owner_id))
}

fn members_update(st: &State, cid: Id, gid: Id, added: Option<Id>, removed: Option<Id>) -> Value {
    let count = st.extra.thread_members.get(&cid).map_or(0, |m| m.len());
    let added: Vec<Value> = added
        .and_then(|u| {
            st.extra
                .thread_members
                .get(&cid)
                .and_then(|m| m.get(&u))
                .map(|at| member(cid, u, *at))
        })
        .into_iter()
        .collect();
    let mut v = json!({
        "id": cid.to_string(),
        "guild_id": gid.to_string(),
        "member_count": count.min(50),
    });
    if !added.is_empty() {
        v["added_members"] = Value::Array(added);
    }
    if let Some(r) = removed {
        v["removed_member_ids"] = json!([r.to_string()]);
    }
    v
}

/// `PUT /channels/{thread}/thread-members/{user}` (also `@me`).
pub(super) fn add(inner: &Arc<Inner>, cid: Id, uid: Id) -> Res {
    let v = {
        let mut st = inner.state.lock();
        let (gid, _) = thread(&st, cid)?;
        let meta = st.extra.thread(cid);
        if meta.archived {
            return Err(err(400, 50083, "Thread is archived"));
        }
        if uid != st.bot_id {
            need(&st, cid, SEND_MESSAGES_IN_THREADS)?;
            let private = st.channels.get(&cid).map(|c| c.kind) == Some(ChannelKind::PrivateThread);
            let moderator = channel_permissions(&st, cid, st.bot_id) & MANAGE_THREADS != 0;
            if private && !meta.invitable && !moderator {
                return Err(err(403, 50013, "Missing Permissions"));
            }
        }
        if !st.users.contains_key(&uid) {
            return Err(unknown(10013, "User"));
        }
        if !st.members.contains_key(&(gid, uid)) {
            return Err(unknown(10007, "Member"));
        }
        let members = st.extra.thread_members.entry(cid).or_default();
        if members.contains_key(&uid) {
            return no_content();
        }
        members.insert(uid, Utc::now());
        let v = members_update(&st, cid, gid, Some(uid), None);
        (v, gid)
    };
    inner.dispatch(
        "THREAD_MEMBERS_UPDATE",
        &v.0,
        gate_guild(intents::GUILD_MEMBERS, v.1),
    );
    no_content()
}

/// `DELETE /channels/{thread}/thread-members/{user}` (also `@me`).
pub(super) fn remove(inner: &Arc<Inner>, cid: Id, uid: Id) -> Res {
    let v = {
        let mut st = inner.state.lock();
        let (gid, owner) = thread(&st, cid)?;
        if st.extra.thread(cid).archived {
            return Err(err(400, 50083, "Thread is archived"));
        }
        let private = st.channels.get(&cid).map(|c| c.kind) == Some(ChannelKind::PrivateThread);
        let moderator = channel_permissions(&st, cid, st.bot_id) & MANAGE_THREADS != 0;
        if uid != st.bot_id && !moderator && !(private && owner == Some(st.bot_id)) {
            return Err(err(403, 50013, "Missing Permissions"));
        }
        let removed = st
            .extra
            .thread_members
            .get_mut(&cid)
            .and_then(|m| m.remove(&uid))
            .is_some();
        if !removed {
            return Err(unknown(10007, "Member"));
        }
        (members_update(&st, cid, gid, None, Some(uid)), gid)
    };
    inner.dispatch(
        "THREAD_MEMBERS_UPDATE",
        &v.0,
        gate_guild(intents::GUILD_MEMBERS, v.1),
    );
    no_content()
}

/// `GET /channels/{thread}/thread-members/{user}`.
pub(super) fn get(inner: &Arc<Inner>, cid: Id, uid: Id) -> Res {
    let st = inner.state.lock();
    thread(&st, cid)?;
    let at = st
        .extra
        .thread_members
        .get(&cid)
        .and_then(|m| m.get(&uid))
        .ok_or_else(|| unknown(10007, "Member"))?;
    ok(member(cid, uid, *at))
}

/// `GET /channels/{thread}/thread-members`.
pub(super) fn list(inner: &Arc<Inner>, cid: Id) -> Res {
    let st = inner.state.lock();
    thread(&st, cid)?;
    let all: Vec<Value> = st
        .extra
        .thread_members
        .get(&cid)
        .map(|m| m.iter().map(|(u, at)| member(cid, *u, *at)).collect())
        .unwrap_or_default();
    ok(Value::Array(all))
}
