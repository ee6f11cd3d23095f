//! Guilds: `GET /guilds/{id}` (with `with_counts`) and `GET /guilds/{id}/channels`.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::hub::Inner;
use crate::payloads;
use crate::state::Id;

use super::common::*;

/// `GET /guilds/{id}`.
pub(super) fn get_guild(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let st = inner.state.lock();
    let g = st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
    let mut v = payloads::guild(&st, g);
    if c.query.get("with_counts").is_some_and(|v| v == "true") {
        v["approximate_member_count"] = json!(st.guild_members(gid).len());
        v["approximate_presence_count"] = json!(0);
    }
    ok(v)
}

/// `GET /guilds/{id}/channels`.
pub(super) fn list_channels(inner: &Arc<Inner>, gid: Id) -> Res {
    let st = inner.state.lock();
    st.guilds.get(&gid).ok_or_else(|| unknown(10004, "Guild"))?;
    ok(Value::Array(
        st.guild_channels(gid)
            .into_iter()
            .map(|ch| payloads::channel(&st, ch))
            .collect(),
    ))
}
