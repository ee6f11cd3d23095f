//! What a moderator does by hand in Discord's own menus (not through the bot): ban, unban,
//! kick, timeout. The world changes as Discord's REST route would change it, Discord's events go
//! out, and an audit-log entry by the moderator (with the reason and, for a timeout, the
//! `communication_disabled_until` change) is written and sent as GUILD_AUDIT_LOG_ENTRY_CREATE to
//! bots that have GUILD_MODERATION and may view the audit log.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::hub::intents;
use crate::payloads;
use crate::perms::base_permissions;
use crate::perms::bits::*;
use crate::state::{AuditEntry, Ban, Id};

use super::*;

/// A moderation action done by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManualAction {
    /// Ban (audit action 22).
    Ban,
    /// Lift a ban (23).
    Unban,
    /// Kick (20).
    Kick,
    /// Time out until then (24, change `communication_disabled_until`).
    Timeout(DateTime<Utc>),
    /// Lift a timeout (24, change `communication_disabled_until` to null).
    Untimeout,
}

impl Sandbox {
    /// `actor` does `action` on `target` in `guild_id` by hand, with `reason` (see the module
    /// docs). Refused, as Discord's client would refuse it, when the actor lacks the permission
    /// (Ban Members, Kick Members, Moderate Members) or does not outrank the target (the owner
    /// outranks everyone); an unban of someone not banned and a kick or timeout of a non-member
    /// are `NotFound`. Returns the audit-log entry's id.
    pub fn moderate(
        &self,
        actor: Id,
        guild_id: Id,
        target: Id,
        action: ManualAction,
        reason: Option<&str>,
    ) -> Result<Id, DriverError> {
        let entry_id = self.snowflake();
        let mut events: Vec<(&'static str, Value, u64)> = Vec::new();
        let entry = {
            let mut st = self.inner.state.lock();
            let perms = base_permissions(&st, guild_id, actor);
            let need = match action {
                ManualAction::Ban | ManualAction::Unban => (BAN_MEMBERS, "BAN_MEMBERS"),
                ManualAction::Kick => (KICK_MEMBERS, "KICK_MEMBERS"),
                ManualAction::Timeout(_) | ManualAction::Untimeout => {
                    (MODERATE_MEMBERS, "MODERATE_MEMBERS")
                }
            };
            if perms & need.0 != need.0 {
                return Err(DriverError::MissingPermission(need.1));
            }
            let is_member = st.members.contains_key(&(guild_id, target));
            if is_member
                && action != ManualAction::Unban
                && st.top_position(guild_id, actor) <= st.top_position(guild_id, target)
            {
                return Err(DriverError::MissingPermission("role hierarchy"));
            }
            let mut changes = Vec::new();
            let action_type = match action {
                ManualAction::Ban => {
                    st.bans.insert(
                        (guild_id, target),
                        Ban {
                            guild_id,
                            user_id: target,
                            reason: reason.map(str::to_owned),
                        },
                    );
                    events.push((
                        "GUILD_BAN_ADD",
                        payloads::ban_event(&st, guild_id, target),
                        intents::GUILD_MODERATION,
                    ));
                    if st.members.remove(&(guild_id, target)).is_some() {
                        events.push((
                            "GUILD_MEMBER_REMOVE",
                            payloads::member_remove(&st, guild_id, target),
                            intents::GUILD_MEMBERS,
                        ));
                    }
                    22
                }
                ManualAction::Unban => {
                    if st.bans.remove(&(guild_id, target)).is_none() {
                        return Err(DriverError::NotFound(format!("ban of {target}")));
                    }
                    events.push((
                        "GUILD_BAN_REMOVE",
                        payloads::ban_event(&st, guild_id, target),
                        intents::GUILD_MODERATION,
                    ));
                    23
                }
                ManualAction::Kick => {
                    if st.members.remove(&(guild_id, target)).is_none() {
                        return Err(DriverError::NotFound(format!("member {target}")));
                    }
                    st.voice_states.remove(&(guild_id, target));
                    events.push((
                        "GUILD_MEMBER_REMOVE",
                        payloads::member_remove(&st, guild_id, target),
                        intents::GUILD_MEMBERS,
                    ));
                    20
                }
                ManualAction::Timeout(_) | ManualAction::Untimeout => {
                    let until = match action {
                        ManualAction::Timeout(t) => Some(t),
                        _ => None,
                    };
                    let Some(m) = st.members.get_mut(&(guild_id, target)) else {
                        return Err(DriverError::NotFound(format!("member {target}")));
                    };
                    let old = m.communication_disabled_until.take();
                    m.communication_disabled_until = until;
                    let m = m.clone();
                    let mut change = json!({"key": "communication_disabled_until"});
                    if let Some(o) = old {
                        change["old_value"] = json!(crate::payloads::ts(o));
                    }
                    if let Some(n) = until {
                        change["new_value"] = json!(crate::payloads::ts(n));
                    }
                    changes.push(change);
                    events.push((
                        "GUILD_MEMBER_UPDATE",
                        payloads::member_update(&st, &m),
                        intents::GUILD_MEMBERS,
                    ));
                    24
                }
            };
            let entry = AuditEntry {
                id: entry_id,
                guild_id,
                action_type,
                user_id: actor,
                target_id: Some(target.to_string()),
                reason: reason.map(str::to_owned),
                body: json!({}),
                changes,
            };
            st.audit_log.push(entry.clone());
            entry
        };
        for (name, data, intent) in &events {
            self.dispatch(name, data, *intent, Some(guild_id));
        }
        let can_view = {
            let st = self.inner.state.lock();
            base_permissions(&st, guild_id, st.bot_id) & VIEW_AUDIT_LOG != 0
        };
        if can_view {
            let mut ev = payloads::audit_entry(&entry);
            ev["guild_id"] = Value::String(guild_id.to_string());
            self.dispatch(
                "GUILD_AUDIT_LOG_ENTRY_CREATE",
                &ev,
                intents::GUILD_MODERATION,
                Some(guild_id),
            );
        }
        Ok(entry_id)
    }
}
