//! The gateway URL (`GET /gateway`, `GET /gateway/bot`), the application
//! (`GET /oauth2/applications/@me`) and users (`/users/@me`, `/users/{id}`).

use std::sync::Arc;

use serde_json::{Value, json};

use crate::hub::Inner;
use crate::payloads;
use crate::perms::base_permissions;
use crate::state::Id;

use super::common::*;

/// `GET /gateway`.
pub(super) fn gateway(inner: &Inner) -> Res {
    ok(payloads::gateway(&inner.gateway_url()))
}

/// `GET /gateway/bot`.
pub(super) fn gateway_bot(inner: &Inner) -> Res {
    ok(payloads::gateway_bot(&inner.gateway_url()))
}

/// `GET /oauth2/applications/@me` and `GET /applications/@me`.
pub(super) fn application(inner: &Inner) -> Res {
    ok(payloads::application(&inner.state.lock()))
}

/// `GET /users/@me`.
pub(super) fn current_user(inner: &Inner) -> Res {
    ok(payloads::current_user(&inner.state.lock()))
}

/// `GET /users/@me/guilds`.
pub(super) fn current_user_guilds(inner: &Arc<Inner>) -> Res {
    let st = inner.state.lock();
    ok(Value::Array(
        st.guilds
            .values()
            .map(|g| json!({"id": g.id.to_string(), "name": g.name, "icon": null, "owner": false, "permissions": base_permissions(&st, g.id, st.bot_id).to_string(), "features": []}))
            .collect(),
    ))
}

/// `DELETE /users/@me/guilds/{id}` (accepted, the bot stays: the driver removes it).
pub(super) fn leave_guild() -> Res {
    no_content()
}

/// `GET /users/{id}`.
pub(super) fn get_user(inner: &Inner, uid: Id) -> Res {
    let st = inner.state.lock();
    match st.users.get(&uid) {
        Some(u) => ok(payloads::user(u)),
        None => Err(unknown(10013, "User")),
    }
}
