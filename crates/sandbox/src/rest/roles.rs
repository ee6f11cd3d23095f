//! Roles: `/guilds/{id}/roles` (list, get, create, modify, delete) with the role hierarchy.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::hub::{Inner, intents};
use crate::limits::FormErrors;
use crate::payloads;
use crate::perms::base_permissions;
use crate::perms::bits::*;
use crate::state::{Id, Role};

use super::common::*;

// ----- roles -----

pub(super) fn parse_perm(v: &Value) -> Option<u64> {
    v.as_str().and_then(|s| s.parse().ok()).or(v.as_u64())
}

pub(super) fn create_role(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let v = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        if c.body["name"]
            .as_str()
            .is_some_and(|n| n.chars().count() > 100)
        {
            let mut e = FormErrors::default();
            e.push(
                &["name".to_owned()],
                "BASE_TYPE_MAX_LENGTH",
                "Must be 100 or fewer in length.",
            );
            return Err(form(e));
        }
        let permissions = parse_perm(&c.body["permissions"])
            .unwrap_or(st.roles.get(&gid).map_or(0, |r| r.permissions));
        let mine = base_permissions(&st, gid, st.bot_id);
        if mine & ADMINISTRATOR == 0 && mine != crate::perms::bits::ALL && permissions & !mine != 0
        {
            return Err(missing_perms());
        }
        // new roles go right above @everyone
        for r in st
            .roles
            .values_mut()
            .filter(|r| r.guild_id == gid && r.position >= 1)
        {
            r.position += 1;
        }
        let role = Role {
            id: inner.snowflake(),
            guild_id: gid,
            name: c.body["name"].as_str().unwrap_or("new role").to_owned(),
            permissions,
            position: 1,
            color: c.body["color"].as_u64().unwrap_or(0) as u32,
            hoist: c.body["hoist"].as_bool().unwrap_or(false),
            mentionable: c.body["mentionable"].as_bool().unwrap_or(false),
            managed: false,
            bot_id: None,
        };
        st.roles.insert(role.id, role.clone());
        payloads::role(&role)
    };
    inner.dispatch(
        "GUILD_ROLE_CREATE",
        &json!({"guild_id": gid.to_string(), "role": v}),
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

pub(super) fn modify_role(inner: &Arc<Inner>, gid: Id, rid: Id, c: &Ctx) -> Res {
    let v = {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        let role = st
            .roles
            .get(&rid)
            .filter(|r| r.guild_id == gid)
            .ok_or_else(|| unknown(10011, "Role"))?;
        if rid != gid && role.position >= st.top_position(gid, st.bot_id) {
            return Err(missing_perms());
        }
        let mine = base_permissions(&st, gid, st.bot_id);
        if let Some(p) = parse_perm(&c.body["permissions"]) {
            if mine & ADMINISTRATOR == 0
                && mine != crate::perms::bits::ALL
                && p & !mine & !role.permissions != 0
            {
                return Err(missing_perms());
            }
        }
        let r = st.roles.get_mut(&rid).expect("checked");
        if let Some(n) = c.body["name"].as_str() {
            r.name = n.to_owned();
        }
        if let Some(p) = parse_perm(&c.body["permissions"]) {
            r.permissions = p;
        }
        if let Some(x) = c.body["color"].as_u64() {
            r.color = x as u32;
        }
        if let Some(x) = c.body["hoist"].as_bool() {
            r.hoist = x;
        }
        if let Some(x) = c.body["mentionable"].as_bool() {
            r.mentionable = x;
        }
        payloads::role(r)
    };
    inner.dispatch(
        "GUILD_ROLE_UPDATE",
        &json!({"guild_id": gid.to_string(), "role": v}),
        gate_guild(intents::GUILDS, gid),
    );
    ok(v)
}

pub(super) fn delete_role(inner: &Arc<Inner>, gid: Id, rid: Id) -> Res {
    {
        let mut st = inner.state.lock();
        need_guild(&st, gid, MANAGE_ROLES)?;
        let role = st
            .roles
            .get(&rid)
            .filter(|r| r.guild_id == gid)
            .ok_or_else(|| unknown(10011, "Role"))?;
        if rid == gid || role.managed {
            return Err(err(400, 50028, "Invalid Role"));
        }
        if role.position >= st.top_position(gid, st.bot_id) {
            return Err(missing_perms());
        }
        st.roles.remove(&rid);
        for m in st.members.values_mut().filter(|m| m.guild_id == gid) {
            m.roles.retain(|r| *r != rid);
        }
    }
    inner.dispatch(
        "GUILD_ROLE_DELETE",
        &payloads::role_delete(gid, rid),
        gate_guild(intents::GUILDS, gid),
    );
    no_content()
}

/// `GET /guilds/{id}/roles`.
pub(super) fn list_roles(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
    ok(Value::Array(
        st.guild_roles(gid)
            .into_iter()
            .map(payloads::role)
            .collect(),
    ))
}

/// `GET /guilds/{id}/roles/{id}`.
pub(super) fn get_role(inner: &Arc<Inner>, gid: Id, rid: Id) -> Res {
    let st = inner.state.lock();
    let r = st
        .roles
        .get(&rid)
        .filter(|r| r.guild_id == gid)
        .ok_or_else(|| unknown(10011, "Role"))?;
    ok(payloads::role(r))
}
