//! The audit log: entries recorded for successful moderation calls, and
//! `GET /guilds/{id}/audit-logs`.

use std::sync::Arc;

use serde_json::Value;

use crate::hub::Inner;
use crate::payloads;
use crate::perms::bits::*;
use crate::state::Id;

use super::common::*;

/// Add an audit-log entry for a successful moderation call.
pub(super) fn record_audit(inner: &Inner, c: &Ctx, resp: Option<&Value>) {
    let s: Vec<&str> = c.segs.iter().map(String::as_str).collect();
    let m = c.method.as_str();
    let resp_id = || resp.and_then(|r| r["id"].as_str()).map(str::to_owned);
    let (action, target, guild_hint): (u16, Option<String>, Option<Id>) = match (m, s.as_slice()) {
        ("POST", ["guilds", g, "channels"]) => (10, resp_id(), pid(g)),
        ("PATCH", ["channels", ch]) => (11, Some((*ch).to_owned()), None),
        ("DELETE", ["channels", ch]) => (
            12,
            Some((*ch).to_owned()),
            resp.and_then(|r| vid(&r["guild_id"])),
        ),
        ("PUT", ["channels", ch, "permissions", _]) => (14, Some((*ch).to_owned()), None),
        ("DELETE", ["channels", ch, "permissions", _]) => (15, Some((*ch).to_owned()), None),
        ("DELETE", ["guilds", g, "members", u]) => (20, Some((*u).to_owned()), pid(g)),
        ("PUT", ["guilds", g, "bans", u]) => (22, Some((*u).to_owned()), pid(g)),
        ("DELETE", ["guilds", g, "bans", u]) => (23, Some((*u).to_owned()), pid(g)),
        ("PATCH", ["guilds", g, "members", u]) => {
            let only_roles = c
                .body
                .as_object()
                .is_some_and(|o| o.keys().all(|k| k == "roles"));
            (
                if only_roles { 25 } else { 24 },
                Some((*u).to_owned()),
                pid(g),
            )
        }
        ("PUT" | "DELETE", ["guilds", g, "members", u, "roles", _]) => {
            (25, Some((*u).to_owned()), pid(g))
        }
        ("POST", ["guilds", g, "roles"]) => (30, resp_id(), pid(g)),
        ("PATCH", ["guilds", g, "roles", r]) => (31, Some((*r).to_owned()), pid(g)),
        ("DELETE", ["guilds", g, "roles", r]) => (32, Some((*r).to_owned()), pid(g)),
        ("POST", ["channels", ch, "invites"]) => (40, Some((*ch).to_owned()), None),
        ("DELETE", ["invites", _]) => (42, None, resp.and_then(|r| vid(&r["guild"]["id"]))),
        ("POST", ["channels", ch, "messages", "bulk-delete"]) => (73, Some((*ch).to_owned()), None),
        ("PUT", ["channels", ch, "pins", _] | ["channels", ch, "messages", "pins", _]) => {
            (74, Some((*ch).to_owned()), None)
        }
        ("DELETE", ["channels", ch, "pins", _] | ["channels", ch, "messages", "pins", _]) => {
            (75, Some((*ch).to_owned()), None)
        }
        _ => return,
    };
    let mut st = inner.state.lock();
    let guild_id = guild_hint.or_else(|| {
        let ch = s.get(1).and_then(|x| pid(x))?;
        st.channels.get(&ch).and_then(|c| c.guild_id)
    });
    let Some(guild_id) = guild_id else { return };
    let user_id = st.bot_id;
    // A timeout set or lifted through `PATCH /guilds/{id}/members/{id}` shows as a change.
    let changes = match (action, c.body.get("communication_disabled_until")) {
        (24, Some(v)) => {
            let mut ch = serde_json::json!({"key": "communication_disabled_until"});
            // Discord stores the time and reports it in its own ISO 8601 form, whatever form
            // the request used (serenity sends `…Z`).
            if let Some(t) = v
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            {
                ch["new_value"] =
                    serde_json::json!(crate::payloads::ts(t.with_timezone(&chrono::Utc)));
            }
            vec![ch]
        }
        _ => Vec::new(),
    };
    let entry = crate::state::AuditEntry {
        id: inner.snowflake(),
        guild_id,
        action_type: action,
        user_id,
        target_id: target,
        reason: c.reason.clone(),
        body: c.body.clone(),
        changes,
    };
    let mut ev = payloads::audit_entry(&entry);
    ev["guild_id"] = Value::String(guild_id.to_string());
    st.audit_log.push(entry);
    // GUILD_AUDIT_LOG_ENTRY_CREATE goes to bots with GUILD_MODERATION and VIEW_AUDIT_LOG.
    let can_view = crate::perms::base_permissions(&st, guild_id, st.bot_id) & VIEW_AUDIT_LOG != 0;
    drop(st);
    if can_view {
        inner.dispatch(
            "GUILD_AUDIT_LOG_ENTRY_CREATE",
            &ev,
            gate_guild(crate::hub::intents::GUILD_MODERATION, guild_id),
        );
    }
}

/// `GET /guilds/{id}/audit-logs?limit&user_id&action_type&before` (VIEW_AUDIT_LOG).
pub(super) fn get_audit_log(inner: &Arc<Inner>, gid: Id, c: &Ctx) -> Res {
    let st = inner.state.lock();
    need_guild(&st, gid, VIEW_AUDIT_LOG)?;
    let limit = c.q_u64("limit").unwrap_or(50).clamp(1, 100) as usize;
    let entries: Vec<&crate::state::AuditEntry> = st
        .audit_log
        .iter()
        .rev()
        .filter(|e| e.guild_id == gid)
        .filter(|e| c.q_u64("user_id").is_none_or(|u| e.user_id == u))
        .filter(|e| {
            c.q_u64("action_type")
                .is_none_or(|a| u64::from(e.action_type) == a)
        })
        .filter(|e| c.q_u64("before").is_none_or(|b| e.id < b))
        .take(limit)
        .collect();
    ok(payloads::audit_log(&st, &entries))
}
