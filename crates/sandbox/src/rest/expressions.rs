//! Guild emojis (`/guilds/{id}/emojis[/{id}]`) and stickers (`/guilds/{id}/stickers[/{id}]`):
//! list, get, create, modify, delete, each change followed by GUILD_EMOJIS_UPDATE /
//! GUILD_STICKERS_UPDATE with the guild's whole list (intent GUILD_EXPRESSIONS).

use std::collections::BTreeMap;
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

/// What emojis and stickers share: where they are kept, how they are shown, their limits and
/// the event that follows a change. The REST verbs below are written once over it.
trait Expression: Clone {
    /// The JSON error code and name for an unknown one (10014 Emoji, 10060 Sticker).
    const UNKNOWN: (u64, &'static str);
    /// The per-guild maximum, its error code and the noun in its message.
    const MAX: (usize, u64, &'static str);
    fn all(st: &State) -> &BTreeMap<Id, Self>;
    fn all_mut(st: &mut State) -> &mut BTreeMap<Id, Self>;
    fn guild(&self) -> Id;
    fn id(&self) -> Id;
    fn set_name(&mut self, name: &str);
    fn payload(st: &State, x: &Self) -> Value;
    fn changed(inner: &Inner, gid: Id);
}

impl Expression for Emoji {
    const UNKNOWN: (u64, &'static str) = (10014, "Emoji");
    const MAX: (usize, u64, &'static str) = (MAX_EMOJIS, 30008, "emojis");
    fn all(st: &State) -> &BTreeMap<Id, Self> {
        &st.extra.emojis
    }
    fn all_mut(st: &mut State) -> &mut BTreeMap<Id, Self> {
        &mut st.extra.emojis
    }
    fn guild(&self) -> Id {
        self.guild_id
    }
    fn id(&self) -> Id {
        self.id
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_owned();
    }
    fn payload(st: &State, x: &Self) -> Value {
        payloads::guild_emoji(st, x)
    }
    fn changed(inner: &Inner, gid: Id) {
        emojis_changed(inner, gid);
    }
}

impl Expression for Sticker {
    const UNKNOWN: (u64, &'static str) = (10060, "Sticker");
    const MAX: (usize, u64, &'static str) = (MAX_STICKERS, 30039, "stickers");
    fn all(st: &State) -> &BTreeMap<Id, Self> {
        &st.extra.stickers
    }
    fn all_mut(st: &mut State) -> &mut BTreeMap<Id, Self> {
        &mut st.extra.stickers
    }
    fn guild(&self) -> Id {
        self.guild_id
    }
    fn id(&self) -> Id {
        self.id
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_owned();
    }
    fn payload(st: &State, x: &Self) -> Value {
        payloads::sticker(st, x)
    }
    fn changed(inner: &Inner, gid: Id) {
        stickers_changed(inner, gid);
    }
}

fn list<T: Expression>(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    if !st.guilds.contains_key(&gid) {
        return Err(unknown(10004, "Guild"));
    }
    ok(Value::Array(
        T::all(&st)
            .values()
            .filter(|x| x.guild() == gid)
            .map(|x| T::payload(&st, x))
            .collect(),
    ))
}

fn find<T: Expression>(st: &State, gid: Id, xid: Id) -> Result<T, ApiErr> {
    T::all(st)
        .get(&xid)
        .filter(|x| x.guild() == gid)
        .cloned()
        .ok_or_else(|| unknown(T::UNKNOWN.0, T::UNKNOWN.1))
}

fn get<T: Expression>(inner: &Arc<Inner>, gid: Id, xid: Id) -> Res {
    let st = inner.state.lock();
    let x = find::<T>(&st, gid, xid)?;
    ok(T::payload(&st, &x))
}

/// Checks the permission and the limit, then keeps what `make` builds (201).
fn create<T: Expression>(inner: &Arc<Inner>, gid: Id, make: impl FnOnce(&State, Id) -> T) -> Res {
    let v = {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        let (max, code, noun) = T::MAX;
        if T::all(&st).values().filter(|x| x.guild() == gid).count() >= max {
            return Err(err(
                400,
                code,
                &format!("Maximum number of {noun} reached ({max})"),
            ));
        }
        let x = make(&st, inner.snowflake());
        T::all_mut(&mut st).insert(x.id(), x.clone());
        T::payload(&st, &x)
    };
    T::changed(inner, gid);
    Ok((201, Some(v)))
}

/// Checks the body's `name` length, the permission and that it exists, then applies `edit`.
fn modify<T: Expression>(
    inner: &Arc<Inner>,
    gid: Id,
    xid: Id,
    c: &Ctx,
    max_name: usize,
    edit: impl FnOnce(&mut T, &Value),
) -> Res {
    let mut e = FormErrors::default();
    check_len(&mut e, &c.body, "name", 2, max_name, false);
    if !e.is_empty() {
        return Err(form(e));
    }
    let v = {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        let mut x = find::<T>(&st, gid, xid)?;
        if let Some(n) = c.body["name"].as_str() {
            x.set_name(n);
        }
        edit(&mut x, &c.body);
        T::all_mut(&mut st).insert(xid, x.clone());
        T::payload(&st, &x)
    };
    T::changed(inner, gid);
    ok(v)
}

fn delete<T: Expression>(inner: &Arc<Inner>, gid: Id, xid: Id) -> Res {
    {
        let mut st = inner.state.lock();
        manage(&st, gid)?;
        find::<T>(&st, gid, xid)?;
        T::all_mut(&mut st).remove(&xid);
    }
    T::changed(inner, gid);
    no_content()
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
    list::<Emoji>(inner, gid)
}

pub(super) fn get_emoji(inner: &Arc<Inner>, gid: Id, eid: Id) -> Res {
    get::<Emoji>(inner, gid, eid)
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
    create(inner, gid, |st, id| Emoji {
        id,
        guild_id: gid,
        name: c.body["name"].as_str().unwrap_or("").to_owned(),
        roles: roles_of(&c.body),
        creator_id: st.bot_id,
        animated: image.starts_with("data:image/gif"),
    })
}

fn roles_of(body: &Value) -> Vec<Id> {
    body["roles"]
        .as_array()
        .map(|a| a.iter().filter_map(vid).collect())
        .unwrap_or_default()
}

pub(super) fn modify_emoji(inner: &Arc<Inner>, gid: Id, eid: Id, c: &Ctx) -> Res {
    modify(inner, gid, eid, c, 32, |emoji: &mut Emoji, body| {
        if body.get("roles").is_some() {
            emoji.roles = roles_of(body);
        }
    })
}

pub(super) fn delete_emoji(inner: &Arc<Inner>, gid: Id, eid: Id) -> Res {
    delete::<Emoji>(inner, gid, eid)
}

// ----- stickers -----

pub(super) fn list_stickers(inner: &Arc<Inner>, gid: Id) -> Res {
    list::<Sticker>(inner, gid)
}

pub(super) fn get_sticker(inner: &Arc<Inner>, gid: Id, sid: Id) -> Res {
    get::<Sticker>(inner, gid, sid)
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
    let text = |k: &str| c.body[k].as_str().unwrap_or("").to_owned();
    create(inner, gid, |st, id| Sticker {
        id,
        guild_id: gid,
        name: text("name"),
        description: text("description"),
        tags: text("tags"),
        creator_id: st.bot_id,
    })
}

pub(super) fn modify_sticker(inner: &Arc<Inner>, gid: Id, sid: Id, c: &Ctx) -> Res {
    modify(inner, gid, sid, c, 30, |s: &mut Sticker, body| {
        if let Some(d) = body["description"].as_str() {
            s.description = d.to_owned();
        }
        if let Some(t) = body["tags"].as_str() {
            s.tags = t.to_owned();
        }
    })
}

pub(super) fn delete_sticker(inner: &Arc<Inner>, gid: Id, sid: Id) -> Res {
    delete::<Sticker>(inner, gid, sid)
}
