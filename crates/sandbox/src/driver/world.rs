//! Building the world: users, guilds, roles, channels, overwrites, members, invites.

use chrono::Utc;
use serde_json::json;

use crate::hub::intents;
use crate::payloads;
use crate::perms::bits;
use crate::rest::new_member;
use crate::state::{Channel, ChannelKind, Guild, Id, Overwrite, Role, User};

use super::*;

impl Sandbox {
    /// Create a human user.
    pub fn create_user(&self, name: &str) -> Id {
        self.new_user(name, false)
    }

    /// Create another bot's user (`bot: true`); add it to a guild with [`Sandbox::add_member`].
    pub fn create_bot_user(&self, name: &str) -> Id {
        self.new_user(name, true)
    }

    fn new_user(&self, name: &str, bot: bool) -> Id {
        let id = self.snowflake();
        self.inner.state.lock().users.insert(
            id,
            User {
                id,
                name: name.to_owned(),
                global_name: None,
                bot,
                avatar: None,
            },
        );
        id
    }

    /// Create a human user whose account was made at `created_at` (its snowflake carries that
    /// time, as Discord's ids do; bots read an account's age from it).
    pub fn create_user_created_at(&self, name: &str, created_at: chrono::DateTime<Utc>) -> Id {
        let ms = u64::try_from(created_at.timestamp_millis()).unwrap_or(0);
        let ts = ms.saturating_sub(crate::state::DISCORD_EPOCH_MS);
        // The low 22 bits (worker, process, increment) come from a fresh id: unique.
        let id = (ts << 22) | (self.snowflake() & 0x3F_FFFF);
        self.inner.state.lock().users.insert(
            id,
            User {
                id,
                name: name.to_owned(),
                global_name: None,
                bot: false,
                avatar: None,
            },
        );
        id
    }

    /// Create `n` human users named `{prefix}{i}` at once (one state lock), in order.
    pub fn create_users(&self, prefix: &str, n: usize) -> Vec<Id> {
        let ids: Vec<Id> = (0..n).map(|_| self.snowflake()).collect();
        let mut st = self.inner.state.lock();
        for (i, &id) in ids.iter().enumerate() {
            st.users.insert(
                id,
                User {
                    id,
                    name: format!("{prefix}{i}"),
                    global_name: None,
                    bot: false,
                    avatar: None,
                },
            );
        }
        ids
    }

    /// Create a guild with an owner, `@everyone` (Discord's default permissions), the bot as a
    /// member with a managed role ([`bits::DEFAULT_BOT`]), `#general` and a `General` voice channel.
    /// Connected bots receive GUILD_CREATE.
    pub fn create_guild(&self, name: &str) -> GuildSetup {
        let gid = self.snowflake();
        let owner = self.create_user("owner");
        let bot_role = self.snowflake();
        let general = self.snowflake();
        let voice = self.snowflake();
        let data = {
            let mut st = self.inner.state.lock();
            let bot = st.bot_id;
            let bot_name = st.users[&bot].name.clone();
            st.guilds.insert(
                gid,
                Guild {
                    id: gid,
                    name: name.to_owned(),
                    owner_id: owner,
                    locale: "en-US".into(),
                    banner: None,
                },
            );
            st.roles.insert(
                gid,
                role(gid, gid, "@everyone", bits::DEFAULT_EVERYONE, 0, false),
            );
            let mut br = role(bot_role, gid, &bot_name, bits::DEFAULT_BOT, 1, true);
            br.bot_id = Some(bot);
            st.roles.insert(bot_role, br);
            st.members.insert((gid, owner), new_member(gid, owner));
            let mut bm = new_member(gid, bot);
            bm.roles.push(bot_role);
            st.members.insert((gid, bot), bm);
            st.channels.insert(
                general,
                channel(general, Some(gid), "general", ChannelKind::Text, 0, None),
            );
            st.channels.insert(
                voice,
                channel(voice, Some(gid), "General", ChannelKind::Voice, 1, None),
            );
            payloads::guild_create(&st, &st.guilds[&gid])
        };
        self.dispatch("GUILD_CREATE", &data, intents::GUILDS, Some(gid));
        GuildSetup {
            id: gid,
            owner_id: owner,
            everyone_role: gid,
            bot_role,
            general,
            voice,
        }
    }

    /// Remove the bot from a guild (kicked, or the guild was deleted): the guild and everything in
    /// it disappear and connected bots receive GUILD_DELETE (`unavailable` absent).
    pub fn remove_bot_from_guild(&self, guild_id: Id) {
        {
            let mut st = self.inner.state.lock();
            st.guilds.remove(&guild_id);
            st.roles.retain(|_, r| r.guild_id != guild_id);
            st.members.retain(|(g, _), _| *g != guild_id);
            let chans: Vec<Id> = st
                .channels
                .values()
                .filter(|c| c.guild_id == Some(guild_id))
                .map(|c| c.id)
                .collect();
            st.channels.retain(|_, c| c.guild_id != Some(guild_id));
            st.messages.retain(|_, m| !chans.contains(&m.channel_id));
            st.voice_states.retain(|(g, _), _| *g != guild_id);
            st.commands.retain(|_, c| c.guild_id != Some(guild_id));
        }
        self.dispatch(
            "GUILD_DELETE",
            &json!({"id": guild_id.to_string()}),
            intents::GUILDS,
            Some(guild_id),
        );
    }

    /// Create a role (placed above `@everyone`, below existing roles). Dispatches GUILD_ROLE_CREATE.
    pub fn create_role(&self, guild_id: Id, name: &str, permissions: u64) -> Id {
        let id = self.snowflake();
        let data = {
            let mut st = self.inner.state.lock();
            let r = role(id, guild_id, name, permissions, 1, false);
            for other in st
                .roles
                .values_mut()
                .filter(|r| r.guild_id == guild_id && r.position >= 1)
            {
                other.position += 1;
            }
            st.roles.insert(id, r.clone());
            payloads::role_event(&r)
        };
        self.dispatch("GUILD_ROLE_CREATE", &data, intents::GUILDS, Some(guild_id));
        id
    }

    /// Change a role (dispatches GUILD_ROLE_UPDATE).
    pub fn update_role(&self, role_id: Id, f: impl FnOnce(&mut Role)) {
        let data = {
            let mut st = self.inner.state.lock();
            let Some(r) = st.roles.get_mut(&role_id) else {
                return;
            };
            f(r);
            payloads::role_event(r)
        };
        let gid = data["guild_id"].as_str().and_then(|s| s.parse().ok());
        self.dispatch("GUILD_ROLE_UPDATE", &data, intents::GUILDS, gid);
    }

    /// Set a role's permission bits.
    pub fn set_role_permissions(&self, role_id: Id, permissions: u64) {
        self.update_role(role_id, |r| r.permissions = permissions);
    }

    /// Set the permissions of the bot's managed role in a guild.
    pub fn set_bot_permissions(&self, guild_id: Id, permissions: u64) {
        let rid = {
            let st = self.inner.state.lock();
            st.roles
                .values()
                .find(|r| r.guild_id == guild_id && r.managed)
                .map(|r| r.id)
        };
        if let Some(rid) = rid {
            self.set_role_permissions(rid, permissions);
        }
    }

    /// Create a guild channel (text, voice, category, …) at the end. Dispatches CHANNEL_CREATE.
    pub fn create_channel(&self, guild_id: Id, name: &str, kind: ChannelKind) -> Id {
        self.create_channel_in(guild_id, name, kind, None)
    }

    /// Create a guild channel under a category (or a thread under a channel).
    pub fn create_channel_in(
        &self,
        guild_id: Id,
        name: &str,
        kind: ChannelKind,
        parent: Option<Id>,
    ) -> Id {
        let id = self.snowflake();
        let data = {
            let mut st = self.inner.state.lock();
            let pos = st.guild_channels(guild_id).len() as i64;
            let mut ch = channel(id, Some(guild_id), name, kind, pos, parent);
            if kind.is_thread() {
                ch.owner_id = Some(st.guilds.get(&guild_id).map_or(0, |g| g.owner_id));
            }
            st.channels.insert(id, ch.clone());
            payloads::channel(&st, &ch)
        };
        let ev = if kind.is_thread() {
            "THREAD_CREATE"
        } else {
            "CHANNEL_CREATE"
        };
        self.dispatch(ev, &data, intents::GUILDS, Some(guild_id));
        id
    }

    /// Delete a guild channel (or thread) as a moderator would, with its messages. Dispatches
    /// CHANNEL_DELETE (THREAD_DELETE for a thread); later REST calls on it get 404 Unknown
    /// Channel (10003). Returns false when there was no such channel.
    pub fn delete_channel(&self, channel_id: Id) -> bool {
        let (data, gid, thread) = {
            let mut st = self.inner.state.lock();
            let Some(ch) = st.channels.remove(&channel_id) else {
                return false;
            };
            st.messages.retain(|_, m| m.channel_id != channel_id);
            let v = payloads::channel(&st, &ch);
            let thread = ch.kind.is_thread();
            let v = if thread {
                json!({"id": v["id"], "guild_id": v["guild_id"], "parent_id": v["parent_id"], "type": v["type"]})
            } else {
                v
            };
            (v, ch.guild_id, thread)
        };
        let ev = if thread {
            "THREAD_DELETE"
        } else {
            "CHANNEL_DELETE"
        };
        self.dispatch(ev, &data, intents::GUILDS, gid);
        true
    }

    /// Add or replace a permission overwrite on a channel. Dispatches CHANNEL_UPDATE.
    pub fn set_overwrite(&self, channel_id: Id, overwrite: Overwrite) {
        let (data, gid) = {
            let mut st = self.inner.state.lock();
            let Some(ch) = st.channels.get_mut(&channel_id) else {
                return;
            };
            ch.overwrites.retain(|o| o.id != overwrite.id);
            ch.overwrites.push(overwrite);
            let ch = ch.clone();
            (payloads::channel(&st, &ch), ch.guild_id)
        };
        self.dispatch("CHANNEL_UPDATE", &data, intents::GUILDS, gid);
    }

    /// Make a user join a guild. Dispatches GUILD_MEMBER_ADD (needs the GUILD_MEMBERS intent).
    pub fn add_member(&self, guild_id: Id, user_id: Id) {
        let data = {
            let mut st = self.inner.state.lock();
            let m = new_member(guild_id, user_id);
            st.members.insert((guild_id, user_id), m.clone());
            payloads::member_with_guild(&st, &m)
        };
        self.dispatch(
            "GUILD_MEMBER_ADD",
            &data,
            intents::GUILD_MEMBERS,
            Some(guild_id),
        );
    }

    /// Many users join a guild at once (benchmarks adding thousands of members): one state
    /// lock for the lot, then a GUILD_MEMBER_ADD for each, in order, as [`Sandbox::add_member`]
    /// would send them one by one.
    pub fn add_members(&self, guild_id: Id, user_ids: &[Id]) {
        let data: Vec<serde_json::Value> = {
            let mut st = self.inner.state.lock();
            user_ids
                .iter()
                .map(|&user_id| {
                    let m = new_member(guild_id, user_id);
                    let v = payloads::member_with_guild(&st, &m);
                    st.members.insert((guild_id, user_id), m);
                    v
                })
                .collect()
        };
        for d in &data {
            self.dispatch(
                "GUILD_MEMBER_ADD",
                d,
                intents::GUILD_MEMBERS,
                Some(guild_id),
            );
        }
    }

    /// A user joins a guild through an invite code: counts a use (deleting the invite when
    /// `max_uses` is reached, with INVITE_DELETE) and dispatches GUILD_MEMBER_ADD.
    /// Banned users and expired invites are refused.
    pub fn join_via_invite(&self, user_id: Id, code: &str) -> Result<Id, DriverError> {
        let (gid, ended) = {
            let mut st = self.inner.state.lock();
            let inv = st
                .invites
                .get(code)
                .cloned()
                .ok_or_else(|| DriverError::NotFound(format!("invite {code}")))?;
            let expired = inv.max_age > 0
                && Utc::now() > inv.created_at + chrono::Duration::seconds(inv.max_age as i64);
            if expired {
                st.invites.remove(code);
                return Err(DriverError::NotFound(format!("invite {code} (expired)")));
            }
            if st.bans.contains_key(&(inv.guild_id, user_id)) {
                return Err(DriverError::MissingPermission("banned from this guild"));
            }
            let i = st.invites.get_mut(code).expect("exists");
            i.uses += 1;
            let ended = (i.max_uses > 0 && i.uses >= i.max_uses).then(|| i.clone());
            if ended.is_some() {
                st.invites.remove(code);
            }
            (inv.guild_id, ended)
        };
        if !self.with_state(|st| st.members.contains_key(&(gid, user_id))) {
            self.add_member(gid, user_id);
        }
        if let Some(inv) = ended {
            self.dispatch(
                "INVITE_DELETE",
                &payloads::invite_delete(&inv),
                intents::GUILD_INVITES,
                Some(gid),
            );
        }
        Ok(gid)
    }

    /// Give a guild a vanity invite code (`discord.gg/<code>`): `GET /guilds/{id}/vanity-url`
    /// reports it with its uses, [`Sandbox::join_via_invite`] accepts it, and the guild object
    /// carries it (`vanity_url_code`, feature `VANITY_URL`; dispatched in GUILD_UPDATE).
    pub fn set_vanity_url(&self, guild_id: Id, code: &str) {
        self.set_vanity_code(guild_id, code);
        let v = {
            let st = self.inner.state.lock();
            st.guilds.get(&guild_id).map(|g| payloads::guild(&st, g))
        };
        if let Some(v) = v {
            self.dispatch("GUILD_UPDATE", &v, intents::GUILDS, Some(guild_id));
        }
    }

    fn set_vanity_code(&self, guild_id: Id, code: &str) {
        let mut st = self.inner.state.lock();
        let owner = st.guilds.get(&guild_id).map_or(0, |g| g.owner_id);
        let channel = st.guild_channels(guild_id).first().map_or(0, |c| c.id);
        st.vanity_codes.insert(guild_id, code.to_owned());
        st.invites.insert(
            code.to_owned(),
            crate::state::Invite {
                code: code.to_owned(),
                guild_id,
                channel_id: channel,
                inviter_id: owner,
                max_age: 0,
                max_uses: 0,
                uses: 0,
                temporary: false,
                created_at: Utc::now(),
            },
        );
    }

    /// Make a user leave a guild. Dispatches GUILD_MEMBER_REMOVE.
    pub fn remove_member(&self, guild_id: Id, user_id: Id) {
        let data = {
            let mut st = self.inner.state.lock();
            st.members.remove(&(guild_id, user_id));
            payloads::member_remove(&st, guild_id, user_id)
        };
        self.dispatch(
            "GUILD_MEMBER_REMOVE",
            &data,
            intents::GUILD_MEMBERS,
            Some(guild_id),
        );
    }

    /// Give a member a role. Dispatches GUILD_MEMBER_UPDATE.
    pub fn give_role(&self, guild_id: Id, user_id: Id, role_id: Id) {
        // A user who is not a member gets nothing (and no event).
        let _ = self.change_member(guild_id, user_id, |m| {
            if !m.roles.contains(&role_id) {
                m.roles.push(role_id);
            }
        });
    }

    /// Whether a user refuses DMs from the bot (sending then fails with 403 / 50007).
    pub fn set_dms_closed(&self, user_id: Id, closed: bool) {
        let mut st = self.inner.state.lock();
        if closed {
            st.dm_closed.insert(user_id);
        } else {
            st.dm_closed.remove(&user_id);
        }
    }

    /// Make `user_id` the application's owner (`owner` in `GET /oauth2/applications/@me`, which
    /// poise reads for `owners_only` commands). By default the human user with the lowest id.
    pub fn set_application_owner(&self, user_id: Id) {
        self.inner.state.lock().application_owner = Some(user_id);
    }
}

fn role(id: Id, guild_id: Id, name: &str, permissions: u64, position: i64, managed: bool) -> Role {
    Role {
        id,
        guild_id,
        name: name.to_owned(),
        permissions,
        position,
        color: 0,
        hoist: false,
        mentionable: false,
        managed,
        bot_id: None,
    }
}

pub(super) fn channel(
    id: Id,
    guild_id: Option<Id>,
    name: &str,
    kind: ChannelKind,
    position: i64,
    parent_id: Option<Id>,
) -> Channel {
    Channel {
        id,
        kind,
        guild_id,
        name: name.to_owned(),
        position,
        parent_id,
        topic: None,
        nsfw: false,
        rate_limit_per_user: 0,
        overwrites: vec![],
        recipients: vec![],
        bitrate: if matches!(kind, ChannelKind::Voice | ChannelKind::Stage) {
            64000
        } else {
            0
        },
        user_limit: 0,
        last_message_id: None,
        owner_id: None,
    }
}
