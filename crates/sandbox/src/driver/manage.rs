//! What members and admins do in Discord's own menus (not through the bot): delete a role,
//! change a nickname, take a role away, pin a message, create or revoke an invite, rename a
//! channel, add or remove an integration. Each changes the world as Discord would and
//! dispatches Discord's event.

use chrono::Utc;
use serde_json::json;

use crate::hub::intents;
use crate::payloads;
use crate::state::{Id, Invite};

use super::*;

impl Sandbox {
    /// Delete a role (taken from every member). Dispatches GUILD_ROLE_DELETE.
    pub fn delete_role(&self, guild_id: Id, role_id: Id) -> Result<(), DriverError> {
        {
            let mut st = self.inner.state.lock();
            if st.roles.remove(&role_id).is_none() {
                return Err(DriverError::NotFound(format!("role {role_id}")));
            }
            for m in st.members.values_mut().filter(|m| m.guild_id == guild_id) {
                m.roles.retain(|r| *r != role_id);
            }
        }
        self.dispatch(
            "GUILD_ROLE_DELETE",
            &payloads::role_delete(guild_id, role_id),
            intents::GUILDS,
            Some(guild_id),
        );
        Ok(())
    }

    /// Set (or clear) a member's nickname. Dispatches GUILD_MEMBER_UPDATE.
    pub fn set_nickname(
        &self,
        guild_id: Id,
        user_id: Id,
        nick: Option<&str>,
    ) -> Result<(), DriverError> {
        self.change_member(guild_id, user_id, |m| m.nick = nick.map(str::to_owned))
    }

    /// Take a role from a member. Dispatches GUILD_MEMBER_UPDATE.
    pub fn take_role(&self, guild_id: Id, user_id: Id, role_id: Id) -> Result<(), DriverError> {
        self.change_member(guild_id, user_id, |m| m.roles.retain(|r| *r != role_id))
    }

    /// Changes a member and dispatches GUILD_MEMBER_UPDATE.
    pub(super) fn change_member(
        &self,
        guild_id: Id,
        user_id: Id,
        f: impl FnOnce(&mut crate::state::Member),
    ) -> Result<(), DriverError> {
        let data = {
            let mut st = self.inner.state.lock();
            let m = st
                .members
                .get_mut(&(guild_id, user_id))
                .ok_or_else(|| DriverError::NotFound(format!("member {user_id}")))?;
            f(m);
            let m = m.clone();
            payloads::member_update(&st, &m)
        };
        self.dispatch(
            "GUILD_MEMBER_UPDATE",
            &data,
            intents::GUILD_MEMBERS,
            Some(guild_id),
        );
        Ok(())
    }

    /// Pin or unpin a message. Dispatches CHANNEL_PINS_UPDATE when it changed.
    pub fn pin_message(&self, message_id: Id, on: bool) -> Result<(), DriverError> {
        let (data, gid) = {
            let mut st = self.inner.state.lock();
            let m = st
                .messages
                .get_mut(&message_id)
                .ok_or_else(|| DriverError::NotFound(format!("message {message_id}")))?;
            if m.pinned == on {
                return Ok(());
            }
            m.pinned = on;
            let (cid, gid) = (m.channel_id, m.guild_id);
            if on {
                st.pinned_at.insert(message_id, Utc::now());
            } else {
                st.pinned_at.remove(&message_id);
            }
            (
                payloads::channel_pins_update(gid, cid, st.last_pin(cid)),
                gid,
            )
        };
        self.dispatch("CHANNEL_PINS_UPDATE", &data, intents::GUILDS, gid);
        Ok(())
    }

    /// A member creates an invite to a channel (never expires, unlimited uses). Returns its
    /// code. Dispatches INVITE_CREATE.
    pub fn create_invite(&self, user_id: Id, channel_id: Id) -> Result<String, DriverError> {
        let code = crate::rest::new_invite_code();
        let (data, gid) = {
            let mut st = self.inner.state.lock();
            let gid = st
                .channels
                .get(&channel_id)
                .and_then(|c| c.guild_id)
                .ok_or_else(|| DriverError::NotFound(format!("guild channel {channel_id}")))?;
            let inv = Invite {
                code: code.clone(),
                guild_id: gid,
                channel_id,
                inviter_id: user_id,
                max_age: 0,
                max_uses: 0,
                uses: 0,
                temporary: false,
                created_at: Utc::now(),
            };
            st.invites.insert(code.clone(), inv.clone());
            (payloads::invite_create(&st, &inv), gid)
        };
        self.dispatch("INVITE_CREATE", &data, intents::GUILD_INVITES, Some(gid));
        Ok(code)
    }

    /// Revoke an invite. Dispatches INVITE_DELETE.
    pub fn delete_invite(&self, code: &str) -> Result<(), DriverError> {
        let inv = self
            .inner
            .state
            .lock()
            .invites
            .remove(code)
            .ok_or_else(|| DriverError::NotFound(format!("invite {code}")))?;
        self.dispatch(
            "INVITE_DELETE",
            &payloads::invite_delete(&inv),
            intents::GUILD_INVITES,
            Some(inv.guild_id),
        );
        Ok(())
    }

    /// Rename a channel and set its topic. Dispatches CHANNEL_UPDATE.
    pub fn rename_channel(
        &self,
        channel_id: Id,
        name: &str,
        topic: Option<&str>,
    ) -> Result<(), DriverError> {
        let (data, gid) = {
            let mut st = self.inner.state.lock();
            let ch = st
                .channels
                .get_mut(&channel_id)
                .ok_or_else(|| DriverError::NotFound(format!("channel {channel_id}")))?;
            ch.name = name.to_owned();
            ch.topic = topic.map(str::to_owned);
            let ch = ch.clone();
            (payloads::channel(&st, &ch), ch.guild_id)
        };
        self.dispatch("CHANNEL_UPDATE", &data, intents::GUILDS, gid);
        Ok(())
    }

    /// An integration was added to or removed from a guild. Dispatches
    /// GUILD_INTEGRATIONS_UPDATE (Discord sends only the guild id).
    pub fn touch_integrations(&self, guild_id: Id) {
        self.dispatch(
            "GUILD_INTEGRATIONS_UPDATE",
            &json!({ "guild_id": guild_id.to_string() }),
            intents::GUILD_INTEGRATIONS,
            Some(guild_id),
        );
    }
}
