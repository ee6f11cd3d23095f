//! Invites: create (`POST /channels/{id}/invites`), list, get, delete.

use std::sync::Arc;

use chrono::Utc;
use serde_json::{Value, json};

use crate::hub::{Inner, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::bits::*;
use crate::perms::{base_permissions, channel_permissions};
use crate::state::{Id, Invite};

use super::common::*;

// ----- invites -----

pub(super) fn create_invite(inner: &Arc<Inner>, cid: Id, c: &Ctx) -> Res {
    let (v, ev, gid) = {
        let mut st = inner.state.lock();
        let ch = st
            .channels
            .get(&cid)
            .ok_or_else(|| unknown(10003, "Channel"))?;
        let Some(gid) = ch.guild_id else {
            return Err(err(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        };
        need(&st, cid, CREATE_INSTANT_INVITE)?;
        let max_age = c.body["max_age"].as_u64().unwrap_or(86400);
        if max_age > 604_800 {
            let mut e = FormErrors::default();
            e.push(
                &["max_age".to_owned()],
                "NUMBER_TYPE_MAX",
                "int value should be less than or equal to 604800.",
            );
            return Err(form(e));
        }
        let code = new_invite_code();
        let inv = Invite {
            code: code.clone(),
            guild_id: gid,
            channel_id: cid,
            inviter_id: st.bot_id,
            max_age,
            max_uses: c.body["max_uses"].as_u64().unwrap_or(0),
            uses: 0,
            temporary: c.body["temporary"].as_bool().unwrap_or(false),
            created_at: Utc::now(),
        };
        st.invites.insert(code, inv.clone());
        (
            payloads::invite(&st, &inv),
            payloads::invite_create(&st, &inv),
            gid,
        )
    };
    inner.dispatch(
        "INVITE_CREATE",
        &ev,
        gate_guild(intents::GUILD_INVITES, gid),
    );
    ok(v)
}

/// A fresh 8-character invite code (Discord's alphabet without look-alikes).
pub(crate) fn new_invite_code() -> String {
    (0..8)
        .map(|_| {
            let chars = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            chars[rand::random_range(0..chars.len())] as char
        })
        .collect()
}

pub(super) fn delete_invite(inner: &Arc<Inner>, code: &str) -> Res {
    let (v, ev, gid) = {
        let mut st = inner.state.lock();
        let inv = st
            .invites
            .get(code)
            .ok_or_else(|| unknown(10006, "Invite"))?
            .clone();
        let can = channel_permissions(&st, inv.channel_id, st.bot_id) & MANAGE_CHANNELS != 0
            || base_permissions(&st, inv.guild_id, st.bot_id) & MANAGE_GUILD != 0;
        if !can {
            return Err(missing_perms());
        }
        let v = payloads::invite(&st, &inv);
        st.invites.remove(code);
        (v, payloads::invite_delete(&inv), inv.guild_id)
    };
    inner.dispatch(
        "INVITE_DELETE",
        &ev,
        gate_guild(intents::GUILD_INVITES, gid),
    );
    ok(v)
}

/// `GET /channels/{id}/invites` (MANAGE_CHANNELS).
pub(super) fn list_channel_invites(inner: &Arc<Inner>, cid: Id) -> Res {
    let st = inner.state.lock();
    st.channels
        .get(&cid)
        .ok_or_else(|| unknown(10003, "Channel"))?;
    if channel_permissions(&st, cid, st.bot_id) & MANAGE_CHANNELS == 0 {
        return Err(missing_perms());
    }
    ok(Value::Array(
        st.invites
            .values()
            .filter(|i| i.channel_id == cid)
            .map(|i| payloads::invite(&st, i))
            .collect(),
    ))
}

/// `GET /guilds/{id}/invites` (MANAGE_GUILD). As on Discord, the vanity URL is not listed (it
/// has its own route, below).
pub(super) fn list_guild_invites(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    need_guild(&st, gid, MANAGE_GUILD)?;
    let vanity = st.vanity_codes.get(&gid);
    ok(Value::Array(
        st.invites
            .values()
            .filter(|i| i.guild_id == gid && vanity != Some(&i.code))
            .map(|i| payloads::invite(&st, i))
            .collect(),
    ))
}

/// `GET /guilds/{id}/vanity-url` (MANAGE_GUILD): `{code, uses}`, `code` null when none is set.
pub(super) fn vanity_url(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    need_guild(&st, gid, MANAGE_GUILD)?;
    let code = st.vanity_codes.get(&gid);
    let uses = code.and_then(|c| st.invites.get(c)).map_or(0, |i| i.uses);
    ok(json!({"code": code, "uses": uses}))
}

/// `GET /invites/{code}`.
pub(super) fn get_invite(inner: &Arc<Inner>, code: &str) -> Res {
    let st = inner.state.lock();
    let inv = st
        .invites
        .get(code)
        .ok_or_else(|| unknown(10006, "Invite"))?;
    ok(payloads::invite(&st, inv))
}
