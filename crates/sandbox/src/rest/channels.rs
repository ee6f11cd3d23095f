//! Channels: DMs (`POST /users/@me/channels`), guild channel create / modify / delete,
//! permission overwrites, threads, typing, `GET /channels/{id}`.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::hub::{Inner, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::bits::*;
use crate::perms::{base_permissions, channel_permissions};
use crate::state::{Channel, ChannelKind, Id, Overwrite};

use super::common::*;

// ----- DMs -----

pub(super) fn open_dm(inner: &Arc<Inner>, c: &Ctx) -> Res {
    let uid = vid(&c.body["recipient_id"]).ok_or_else(|| {
        let mut e = FormErrors::default();
        e.push(
            &["recipient_id".to_owned()],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        );
        form(e)
    })?;
    let mut st = inner.state.lock();
    if !st.users.contains_key(&uid) {
        return Err(unknown(10013, "User"));
    }
    if let Some(ch) = st.dm_channel(uid) {
        return ok(payloads::channel(&st, ch));
    }
    let ch = Channel {
        id: inner.snowflake(),
        kind: ChannelKind::Dm,
        guild_id: None,
        name: String::new(),
        position: 0,
        parent_id: None,
        topic: None,
        nsfw: false,
        rate_limit_per_user: 0,
        overwrites: vec![],
        recipients: vec![uid],
        bitrate: 0,
        user_limit: 0,
        last_message_id: None,
        owner_id: None,
    };
    let v = payloads::channel(&st, &ch);
    st.channels.insert(ch.id, ch);
    ok(v)
}

// ----- channels -----

pub(super) fn parse_overwrites(v: &Value) -> Vec<Overwrite> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            Some(Overwrite {
                id: vid(&o["id"])?,
                member: o["type"].as_u64() == Some(1) || o["type"] == "member",
                allow: o["allow"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .or(o["allow"].as_u64())
                    .unwrap_or(0),
                deny: o["deny"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .or(o["deny"].as_u64())
                    .unwrap_or(0),
            })
        })
        .collect()
}

pub(super) fn channel_form_check(body: &Value, creating: bool) -> Result<(), ApiErr> {
    let mut e = FormErrors::default();
    let name_len = body["name"].as_str().map(|s| s.chars().count());
    if (creating && name_len.is_none()) || name_len.is_some_and(|l| l == 0 || l > 100) {
        e.push(
            &["name".to_owned()],
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        );
    }
    if body["topic"]
        .as_str()
        .is_some_and(|t| t.chars().count() > 1024)
    {
        e.push(
            &["topic".to_owned()],
            "BASE_TYPE_MAX_LENGTH",
            "Must be 1024 or fewer in length.",
        );
    }
    if body["rate_limit_per_user"]
        .as_u64()
        .is_some_and(|r| r > 21600)
    {
        e.push(
            &["rate_limit_per_user".to_owned()],
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 21600.",
        );
    }
    // Voice channels: user_limit 0..=99, bitrate from 8000 to 96000 (an unboosted guild).
    if body["user_limit"].as_u64().is_some_and(|n| n > 99) {
        e.push(
            &["user_limit".to_owned()],
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 99.",
        );
    }
    match body["bitrate"].as_u64() {
        Some(b) if b < 8000 => e.push(
            &["bitrate".to_owned()],
            "NUMBER_TYPE_MIN",
            "int value should be greater than or equal to 8000.",
        ),
        Some(b) if b > 96000 => e.push(
            &["bitrate".to_owned()],
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 96000.",
        ),
        _ => {}
    }
    if e.is_empty() { Ok(()) } else { Err(form(e)) }
}

pub(super) fn create_channel(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    channel_form_check(&c.body, true)?;
    let (v, ch) = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_CHANNELS)?;
        let kind = ChannelKind::from_code(c.body["type"].as_u64().unwrap_or(0))
            .unwrap_or(ChannelKind::Text);
        let position = st.guild_channels(gid).len() as i64;
        let ch = Channel {
            id: inner.snowflake(),
            kind,
            guild_id: Some(gid),
            name: c.body["name"].as_str().unwrap_or("").to_owned(),
            position: c.body["position"].as_i64().unwrap_or(position),
            parent_id: vid(&c.body["parent_id"]),
            topic: c.body["topic"].as_str().map(str::to_owned),
            nsfw: c.body["nsfw"].as_bool().unwrap_or(false),
            rate_limit_per_user: c.body["rate_limit_per_user"].as_u64().unwrap_or(0),
            overwrites: parse_overwrites(&c.body["permission_overwrites"]),
            recipients: vec![],
            bitrate: c.body["bitrate"].as_u64().unwrap_or(64000),
            user_limit: c.body["user_limit"].as_u64().unwrap_or(0),
            last_message_id: None,
            owner_id: None,
        };
        st.channels.insert(ch.id, ch.clone());
        (payloads::channel(&st, &ch), ch)
    };
    inner.dispatch("CHANNEL_CREATE", &v, gate_guild(intents::GUILDS, gid));
    let _ = ch;
    Ok((201, Some(v)))
}

pub(super) fn modify_channel(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    channel_form_check(&c.body, false)?;
    let (v, gid, thread) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?
            .clone();
        let Some(gid) = ch.guild_id else {
            return Err(err(403, 50003, "Cannot execute action on a DM channel"));
        };
        let mut bits = if ch.kind.is_thread() {
            MANAGE_THREADS
        } else {
            MANAGE_CHANNELS
        };
        if c.body.get("permission_overwrites").is_some() {
            bits |= MANAGE_ROLES;
        }
        need(&st, cid, bits)?;
        let ch = st.channels.get_mut(&cid).expect("checked");
        let b = &c.body;
        if let Some(n) = b["name"].as_str() {
            ch.name = n.to_owned();
        }
        if b.get("topic").is_some() {
            ch.topic = b["topic"].as_str().map(str::to_owned);
        }
        if let Some(x) = b["nsfw"].as_bool() {
            ch.nsfw = x;
        }
        if let Some(x) = b["rate_limit_per_user"].as_u64() {
            ch.rate_limit_per_user = x;
        }
        if let Some(x) = b["position"].as_i64() {
            ch.position = x;
        }
        if b.get("parent_id").is_some() {
            ch.parent_id = vid(&b["parent_id"]);
        }
        if b.get("permission_overwrites").is_some() {
            ch.overwrites = parse_overwrites(&b["permission_overwrites"]);
        }
        if let Some(x) = b["bitrate"].as_u64() {
            ch.bitrate = x;
        }
        if let Some(x) = b["user_limit"].as_u64() {
            ch.user_limit = x;
        }
        let ch = ch.clone();
        if ch.kind.is_thread() {
            update_thread_meta(&mut st, cid, b)?;
        }
        (payloads::channel(&st, &ch), gid, ch.kind.is_thread())
    };
    inner.dispatch(
        if thread {
            "THREAD_UPDATE"
        } else {
            "CHANNEL_UPDATE"
        },
        &v,
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

pub(super) fn delete_channel(inner: &Arc<Inner>, cid: Id) -> Res {
    let mut disconnected = Vec::new();
    let (v, gid, thread) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?
            .clone();
        let Some(gid) = ch.guild_id else {
            return ok(payloads::channel(&st, &ch));
        };
        need(
            &st,
            cid,
            if ch.kind.is_thread() {
                MANAGE_THREADS
            } else {
                MANAGE_CHANNELS
            },
        )?;
        let v = payloads::channel(&st, &ch);
        // Discord disconnects whoever was in a deleted voice channel.
        let kicked: Vec<_> = st
            .voice_states
            .values()
            .filter(|s| s.channel_id == Some(cid))
            .cloned()
            .collect();
        for mut s in kicked {
            st.voice_states.remove(&(s.guild_id, s.user_id));
            s.channel_id = None;
            disconnected.push(payloads::voice_state(&st, &s));
        }
        st.channels.remove(&cid);
        st.extra.threads.remove(&cid);
        st.extra.thread_members.remove(&cid);
        st.messages.retain(|_, m| m.channel_id != cid);
        (v, gid, ch.kind.is_thread())
    };
    let v2 = if thread {
        json!({"id": v["id"], "guild_id": v["guild_id"], "parent_id": v["parent_id"], "type": v["type"]})
    } else {
        v.clone()
    };
    for d in &disconnected {
        inner.dispatch(
            "VOICE_STATE_UPDATE",
            d,
            gate_guild(intents::GUILD_VOICE_STATES, gid),
        );
    }
    inner.dispatch(
        if thread {
            "THREAD_DELETE"
        } else {
            "CHANNEL_DELETE"
        },
        &v2,
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

pub(super) fn set_overwrite(inner: &Arc<Inner>, cid: Id, target: Id, c: &Ctx) -> Res {
    let (v, gid) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let Some(gid) = ch.guild_id else {
            return Err(err(403, 50003, "Cannot execute action on a DM channel"));
        };
        need(&st, cid, MANAGE_ROLES)?;
        let parse = |k: &str| {
            c.body[k]
                .as_str()
                .and_then(|s| s.parse().ok())
                .or(c.body[k].as_u64())
                .unwrap_or(0u64)
        };
        let (allow, deny) = (parse("allow"), parse("deny"));
        // Discord: "Only permissions your bot has in the guild or parent channel (if
        // applicable) can be allowed/denied (unless your bot has a MANAGE_ROLES overwrite in
        // the channel)" — the guild level, not this channel's own overwrites.
        let mut mine = base_permissions(&st, gid, st.bot_id);
        if let Some(parent) = ch.parent_id {
            mine |= channel_permissions(&st, parent, st.bot_id);
        }
        let bot_roles = st
            .members
            .get(&(gid, st.bot_id))
            .map(|m| m.roles.clone())
            .unwrap_or_default();
        let manage_roles_overwrite = ch.overwrites.iter().any(|o| {
            o.allow & MANAGE_ROLES != 0
                && if o.member {
                    o.id == st.bot_id
                } else {
                    bot_roles.contains(&o.id)
                }
        });
        if manage_roles_overwrite {
            mine = crate::perms::bits::ALL;
        }
        if mine & ADMINISTRATOR == 0
            && mine != crate::perms::bits::ALL
            && (allow | deny) & !mine != 0
        {
            return Err(missing_perms());
        }
        let member = c.body["type"].as_u64() == Some(1);
        let ch = st.channels.get_mut(&cid).expect("checked");
        ch.overwrites.retain(|o| o.id != target);
        ch.overwrites.push(Overwrite {
            id: target,
            member,
            allow,
            deny,
        });
        let ch = ch.clone();
        (payloads::channel(&st, &ch), gid)
    };
    inner.dispatch("CHANNEL_UPDATE", &v, gate_guild(intents::GUILDS, gid));
    no_content()
}

pub(super) fn delete_overwrite(inner: &Arc<Inner>, cid: Id, target: Id) -> Res {
    let (v, gid) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let Some(gid) = ch.guild_id else {
            return Err(err(403, 50003, "Cannot execute action on a DM channel"));
        };
        need(&st, cid, MANAGE_ROLES)?;
        let ch = st.channels.get_mut(&cid).expect("checked");
        ch.overwrites.retain(|o| o.id != target);
        let ch = ch.clone();
        (payloads::channel(&st, &ch), gid)
    };
    inner.dispatch("CHANNEL_UPDATE", &v, gate_guild(intents::GUILDS, gid));
    no_content()
}

pub(super) fn create_thread(inner: &Arc<Inner>, cid: Id, from_message: Option<Id>, c: &Ctx) -> Res {
    let (v, gid) = {
        let mut st = inner.state.lock();
        let parent = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?
            .clone();
        let Some(gid) = parent.guild_id else {
            return Err(err(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        };
        let private = from_message.is_none() && c.body["type"].as_u64() == Some(12);
        need(
            &st,
            cid,
            if private {
                CREATE_PRIVATE_THREADS
            } else {
                CREATE_PUBLIC_THREADS
            },
        )?;
        let name = c.body["name"].as_str().unwrap_or("");
        if name.is_empty() || name.chars().count() > 100 {
            let mut e = FormErrors::default();
            e.push(
                &["name".to_owned()],
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            );
            return Err(form(e));
        }
        if let Some(mid) = from_message {
            st.messages
                .get(&mid)
                .filter(|m| m.channel_id == cid)
                .ok_or_else(|| unknown(10008, "Message"))?;
        }
        let ch = Channel {
            id: from_message.unwrap_or_else(|| inner.snowflake()),
            kind: if private {
                ChannelKind::PrivateThread
            } else {
                ChannelKind::PublicThread
            },
            guild_id: Some(gid),
            name: name.to_owned(),
            position: 0,
            parent_id: Some(cid),
            topic: None,
            nsfw: false,
            rate_limit_per_user: 0,
            overwrites: vec![],
            recipients: vec![],
            bitrate: 0,
            user_limit: 0,
            last_message_id: None,
            owner_id: Some(st.bot_id),
        };
        st.channels.insert(ch.id, ch.clone());
        // the creator joins the thread; a private thread may forbid invites by non-moderators
        let bot = st.bot_id;
        st.extra
            .thread_members
            .entry(ch.id)
            .or_default()
            .insert(bot, chrono::Utc::now());
        if private && c.body["invitable"] == json!(false) {
            let mut t = st.extra.thread(ch.id);
            t.invitable = false;
            st.extra.threads.insert(ch.id, t);
        }
        let mut v = payloads::channel(&st, &ch);
        v["newly_created"] = json!(true);
        (v, gid)
    };
    inner.dispatch("THREAD_CREATE", &v, gate_guild(intents::GUILDS, gid));
    Ok((201, Some(v)))
}

/// `GET /channels/{id}`.
pub(super) fn get_channel(inner: &Arc<Inner>, cid: Id) -> Res {
    let st = inner.state.lock();
    let ch = st
        .channels
        .get(&cid)
        .ok_or_else(|| unknown(10003, "Channel"))?;
    if ch.guild_id.is_some() && channel_permissions(&st, cid, st.bot_id) & VIEW_CHANNEL == 0 {
        return Err(missing_access());
    }
    ok(payloads::channel(&st, ch))
}

/// `POST /channels/{id}/typing`.
pub(super) fn typing(inner: &Arc<Inner>, cid: Id) -> Res {
    let st = inner.state.lock();
    st.channels
        .get(&cid)
        .ok_or_else(|| unknown(10003, "Channel"))?;
    no_content()
}

/// A thread's `archived` / `locked` / `auto_archive_duration` / `invitable` from a modify body.
fn update_thread_meta(st: &mut crate::state::State, cid: Id, b: &Value) -> Result<(), ApiErr> {
    let mut t = st.extra.thread(cid);
    if let Some(d) = b["auto_archive_duration"].as_u64() {
        if ![60, 1440, 4320, 10080].contains(&d) {
            let mut e = crate::limits::FormErrors::default();
            e.push(
                &["auto_archive_duration".to_owned()],
                "BASE_TYPE_CHOICES",
                "Value must be one of {60, 1440, 4320, 10080}.",
            );
            return Err(form(e));
        }
        t.auto_archive_duration = d;
    }
    if let Some(a) = b["archived"].as_bool() {
        if a != t.archived {
            t.archive_timestamp = chrono::Utc::now();
        }
        t.archived = a;
    }
    if let Some(l) = b["locked"].as_bool() {
        t.locked = l;
    }
    if let Some(i) = b["invitable"].as_bool() {
        t.invitable = i;
    }
    st.extra.threads.insert(cid, t);
    Ok(())
}
