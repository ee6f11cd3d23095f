//! Guild emojis (`/guilds/{id}/emojis[/{id}]`) and stickers (`/guilds/{id}/stickers[/{id}]`):
//! list, get, create, modify, delete, each change followed by GUILD_EMOJIS_UPDATE /
//! GUILD_STICKERS_UPDATE with the guild's whole list (intent GUILD_EXPRESSIONS).

use std::sync::Arc;

use serde_json::Value;

use crate::extra::{Emoji, Sticker};
use crate::hub::{Inner, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::bits::*;
use crate::state::{Id, State};

use super::common::*;

/// Discord's limit without boosts.
const MAX_EMOJIS: usize = 50;
const MAX_STICKERS: usize = 5;

fn check_len(e: &mut FormErrors, body: &Value, key: &str, min: usize, max: usize, required: bool) {
    match body[key].as_str() {
        Some(n) if n.chars().count() < min || n.chars().count() > max => e.push(
            &[key.to_owned()],
            "BASE_TYPE_BAD_LENGTH",
            format!("Must be between {min} and {max} in length."),
        ),
        None if required => e.push(
            &[key.to_owned()],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ),
        _ => {}
    }
}

fn manage(st: &State, gid: Id) -> Result<(), ApiErr> {
    need_guild(st, gid, MANAGE_GUILD_EXPRESSIONS)
}

/// Dispatch the guild's emoji list (after any change).
pub(crate) fn emojis_changed(inner: &Inner, gid: Id) {
    let v = payloads::emojis_update(&inner.state.lock(), gid);
    inner.dispatch(
        "GUILD_EMOJIS_UPDATE",
        &v,
        gate_guild(intents::GUILD_EXPRESSIONS, gid),
    );
}

/// Dispatch the guild's sticker list (after any change).
pub(crate) fn stickers_changed(inner: &Inner, gid: Id) {
    let v = payloads::stickers_update(&inner.state.lock(), gid);
    inner.dispatch(
        "GUILD_STICKERS_UPDATE",
        &v,
        gate_guild(intents::GUILD_EXPRESSIONS, gid),
    );
}

// ----- emojis -----

pub(super) fn list_emojis(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    if !st.guilds.contains_key(&gid) {
        return Err(unknown(10004, "Guild"));
    }
    let list = st.extra.guild_emojis(gid);
    ok(Value::Array(
        list.into_iter()
            .map(|e| payloads::guild_emoji(&st, e))
            .collect(),
    ))
}

fn find_emoji(st: &State, gid: Id, eid: Id) -> Result<Emoji, ApiErr> {
    st.extra
        .emojis
        .get(&eid)
        .filter(|e| e.guild_id == gid)
        .cloned()
        .ok_or_else(|| unknown(10014, "Emoji"))
}

pub(super) fn get_emoji(inner: &Arc<Inner>, gid: Id, eid: Id) -> Res {
    let st = inner.state.lock();
    let e = find_emoji(&st, gid, eid)?;
    ok(payloads::guild_emoji(&st, &e))
}

pub(super) fn create_emoji(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let mut e = FormErrors::default();
    check_len(&mut e, &c.body, "name", 2, 32, true);
    let image = c.body["image"].as_str().unwrap_or("");
    if !image.starts_with("data:image/") {
        e.push(
            &["image".to_owned()],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        );
    }
    if !e.is_empty() {
        return Err(form(e));
    }
    let v = {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        if st.extra.guild_emojis(gid).len() >= MAX_EMOJIS {
            return Err(err(
                400,
                30008,
                &format!("Maximum number of emojis reached ({MAX_EMOJIS})"),
            ));
        }
        let emoji = Emoji {
            id: inner.snowflake(),
            guild_id: gid,
            name: c.body["name"].as_str().unwrap_or("").to_owned(),
            roles: roles_of(&c.body),
            creator_id: st.bot_id,
            animated: image.starts_with("data:image/gif"),
        };
        st.extra.emojis.insert(emoji.id, emoji.clone());
        payloads::guild_emoji(&st, &emoji)
    };
    emojis_changed(inner, gid);
    Ok((201, Some(v)))
}

fn roles_of(body: &Value) -> Vec<Id> {
    body["roles"]
        .as_array()
        .map(|a| a.iter().filter_map(vid).collect())
        .unwrap_or_default()
}

pub(super) fn modify_emoji(inner: &Arc<Inner>, gid: Id, eid: Id, c: &Ctx) -> Res {
    let mut e = FormErrors::default();
    check_len(&mut e, &c.body, "name", 2, 32, false);
    if !e.is_empty() {
        return Err(form(e));
    }
    let v = {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        let mut emoji = find_emoji(&st, gid, eid)?;
        if let Some(n) = c.body["name"].as_str() {
            emoji.name = n.to_owned();
        }
        if c.body.get("roles").is_some() {
            emoji.roles = roles_of(&c.body);
        }
        st.extra.emojis.insert(eid, emoji.clone());
        payloads::guild_emoji(&st, &emoji)
    };
    emojis_changed(inner, gid);
    ok(v)
}

pub(super) fn delete_emoji(inner: &Arc<Inner>, gid: Id, eid: Id) -> Res {
    {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        find_emoji(&st, gid, eid)?;
        st.extra.emojis.remove(&eid);
    }
    emojis_changed(inner, gid);
    no_content()
}

// ----- stickers -----

pub(super) fn list_stickers(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    if !st.guilds.contains_key(&gid) {
        return Err(unknown(10004, "Guild"));
    }
    let list = st.extra.guild_stickers(gid);
    ok(Value::Array(
        list.into_iter()
            .map(|s| payloads::sticker(&st, s))
            .collect(),
    ))
}

fn find_sticker(st: &State, gid: Id, sid: Id) -> Result<Sticker, ApiErr> {
    st.extra
        .stickers
        .get(&sid)
        .filter(|s| s.guild_id == gid)
        .cloned()
        .ok_or_else(|| unknown(10060, "Sticker"))
}

pub(super) fn get_sticker(inner: &Arc<Inner>, gid: Id, sid: Id) -> Res {
    let st = inner.state.lock();
    let s = find_sticker(&st, gid, sid)?;
    ok(payloads::sticker(&st, &s))
}

/// `POST /guilds/{id}/stickers` is multipart: `name`, `description`, `tags` and a `file`.
pub(super) fn create_sticker(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let mut e = FormErrors::default();
    check_len(&mut e, &c.body, "name", 2, 30, true);
    check_len(&mut e, &c.body, "tags", 1, 200, true);
    if c.files.is_empty() {
        e.push(
            &["file".to_owned()],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        );
    }
    if !e.is_empty() {
        return Err(form(e));
    }
    let v = {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        if st.extra.guild_stickers(gid).len() >= MAX_STICKERS {
            return Err(err(
                400,
                30039,
                &format!("Maximum number of stickers reached ({MAX_STICKERS})"),
            ));
        }
        let s = Sticker {
            id: inner.snowflake(),
            guild_id: gid,
            name: c.body["name"].as_str().unwrap_or("").to_owned(),
            description: c.body["description"].as_str().unwrap_or("").to_owned(),
            tags: c.body["tags"].as_str().unwrap_or("").to_owned(),
            creator_id: st.bot_id,
        };
        st.extra.stickers.insert(s.id, s.clone());
        payloads::sticker(&st, &s)
    };
    stickers_changed(inner, gid);
    Ok((201, Some(v)))
}

pub(super) fn modify_sticker(inner: &Arc<Inner>, gid: Id, sid: Id, c: &Ctx) -> Res {
    let mut e = FormErrors::default();
    check_len(&mut e, &c.body, "name", 2, 30, false);
    if !e.is_empty() {
        return Err(form(e));
    }
    let v = {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        let mut s = find_sticker(&st, gid, sid)?;
        if let Some(n) = c.body["name"].as_str() {
            s.name = n.to_owned();
        }
        if let Some(d) = c.body["description"].as_str() {
            s.description = d.to_owned();
        }
        if let Some(t) = c.body["tags"].as_str() {
            s.tags = t.to_owned();
        }
        st.extra.stickers.insert(sid, s.clone());
        payloads::sticker(&st, &s)
    };
    stickers_changed(inner, gid);
    ok(v)
}

pub(super) fn delete_sticker(inner: &Arc<Inner>, gid: Id, sid: Id) -> Res {
    {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        find_sticker(&st, gid, sid)?;
        st.extra.stickers.remove(&sid);
    }
    stickers_changed(inner, gid);
    no_content()
}
