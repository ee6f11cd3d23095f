//! Permission bits and Discord's permission computation
//! (base permissions from `@everyone` and roles, administrator, then channel overwrites in
//! the order `@everyone` → roles → member; timeouts strip everything but view/read history).

use chrono::Utc;

use crate::state::{Id, State};

#[allow(missing_docs)]
pub mod bits {
    pub const CREATE_INSTANT_INVITE: u64 = 1 << 0;
    pub const KICK_MEMBERS: u64 = 1 << 1;
    pub const BAN_MEMBERS: u64 = 1 << 2;
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const VIEW_AUDIT_LOG: u64 = 1 << 7;
    pub const PRIORITY_SPEAKER: u64 = 1 << 8;
    pub const STREAM: u64 = 1 << 9;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const SEND_TTS_MESSAGES: u64 = 1 << 12;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    pub const USE_EXTERNAL_EMOJIS: u64 = 1 << 18;
    pub const CONNECT: u64 = 1 << 20;
    pub const SPEAK: u64 = 1 << 21;
    pub const MUTE_MEMBERS: u64 = 1 << 22;
    pub const DEAFEN_MEMBERS: u64 = 1 << 23;
    pub const MOVE_MEMBERS: u64 = 1 << 24;
    pub const USE_VAD: u64 = 1 << 25;
    pub const CHANGE_NICKNAME: u64 = 1 << 26;
    pub const MANAGE_NICKNAMES: u64 = 1 << 27;
    pub const MANAGE_ROLES: u64 = 1 << 28;
    pub const MANAGE_WEBHOOKS: u64 = 1 << 29;
    pub const MANAGE_GUILD_EXPRESSIONS: u64 = 1 << 30;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    pub const MANAGE_EVENTS: u64 = 1 << 33;
    pub const MANAGE_THREADS: u64 = 1 << 34;
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    pub const MODERATE_MEMBERS: u64 = 1 << 40;
    pub const CREATE_GUILD_EXPRESSIONS: u64 = 1 << 43;
    pub const CREATE_EVENTS: u64 = 1 << 44;
    /// Every permission bit Discord defines (up to bit 50).
    pub const ALL: u64 = (1 << 51) - 1;
    /// What Discord gives `@everyone` in a new guild.
    pub const DEFAULT_EVERYONE: u64 = CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | STREAM
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | MENTION_EVERYONE
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | USE_VAD
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | CREATE_PRIVATE_THREADS
        | SEND_MESSAGES_IN_THREADS;
    /// The sandbox's default for the bot's managed role: a typical moderation bot, no administrator.
    pub const DEFAULT_BOT: u64 = DEFAULT_EVERYONE
        | KICK_MEMBERS
        | BAN_MEMBERS
        | MANAGE_CHANNELS
        | MANAGE_MESSAGES
        | MANAGE_ROLES
        | MANAGE_NICKNAMES
        | MODERATE_MEMBERS
        | VIEW_AUDIT_LOG
        | MANAGE_THREADS
        | MOVE_MEMBERS
        | MUTE_MEMBERS
        | DEAFEN_MEMBERS;
}

use bits::*;

/// Guild-level permissions of a user (no channel overwrites).
pub fn base_permissions(state: &State, guild_id: Id, user_id: Id) -> u64 {
    let Some(guild) = state.guilds.get(&guild_id) else {
        return 0;
    };
    if guild.owner_id == user_id {
        return ALL;
    }
    let Some(member) = state.members.get(&(guild_id, user_id)) else {
        return 0;
    };
    let mut perms = state.roles.get(&guild_id).map_or(0, |r| r.permissions);
    for role in member.roles.iter().filter_map(|r| state.roles.get(r)) {
        perms |= role.permissions;
    }
    if perms & ADMINISTRATOR != 0 {
        return ALL;
    }
    if is_timed_out(state, guild_id, user_id) {
        perms &= VIEW_CHANNEL | READ_MESSAGE_HISTORY;
    }
    perms
}

fn is_timed_out(state: &State, guild_id: Id, user_id: Id) -> bool {
    state
        .members
        .get(&(guild_id, user_id))
        .and_then(|m| m.communication_disabled_until)
        .is_some_and(|t| t > Utc::now())
}

/// Channel permissions of a user: base permissions, then overwrites (`@everyone`, roles, member).
/// Threads use their parent's overwrites; a private thread is seen only by its members and by
/// whoever may manage threads, and in a locked thread only they may write (Discord's rules).
/// DMs give the usual text permissions.
pub fn channel_permissions(state: &State, channel_id: Id, user_id: Id) -> u64 {
    let Some(channel) = state.channels.get(&channel_id) else {
        return 0;
    };
    let perms = channel_permissions_inner(state, channel, user_id);
    if !channel.kind.is_thread() || perms == ALL {
        return perms;
    }
    let moderator = perms & MANAGE_THREADS != 0;
    if channel.kind == crate::state::ChannelKind::PrivateThread
        && !moderator
        && !state.extra.in_thread(channel_id, user_id)
    {
        return 0;
    }
    if state.extra.thread(channel_id).locked && !moderator {
        return perms & !(SEND_MESSAGES_IN_THREADS | SEND_MESSAGES);
    }
    perms
}

fn channel_permissions_inner<'a>(
    state: &'a State,
    mut channel: &'a crate::state::Channel,
    user_id: Id,
) -> u64 {
    let Some(guild_id) = channel.guild_id else {
        return VIEW_CHANNEL
            | SEND_MESSAGES
            | EMBED_LINKS
            | ATTACH_FILES
            | READ_MESSAGE_HISTORY
            | ADD_REACTIONS;
    };
    if channel.kind.is_thread() {
        if let Some(parent) = channel.parent_id.and_then(|p| state.channels.get(&p)) {
            channel = parent;
        }
    }
    let base = base_permissions(state, guild_id, user_id);
    if base & ADMINISTRATOR != 0 || base == ALL {
        return ALL;
    }
    let mut perms = base;
    if let Some(ow) = channel
        .overwrites
        .iter()
        .find(|o| !o.member && o.id == guild_id)
    {
        perms &= !ow.deny;
        perms |= ow.allow;
    }
    let member_roles = state
        .members
        .get(&(guild_id, user_id))
        .map(|m| m.roles.clone())
        .unwrap_or_default();
    let (mut allow, mut deny) = (0, 0);
    for ow in channel
        .overwrites
        .iter()
        .filter(|o| !o.member && member_roles.contains(&o.id))
    {
        allow |= ow.allow;
        deny |= ow.deny;
    }
    perms &= !deny;
    perms |= allow;
    if let Some(ow) = channel
        .overwrites
        .iter()
        .find(|o| o.member && o.id == user_id)
    {
        perms &= !ow.deny;
        perms |= ow.allow;
    }
    if is_timed_out(state, guild_id, user_id) {
        perms &= VIEW_CHANNEL | READ_MESSAGE_HISTORY;
    }
    if perms & VIEW_CHANNEL == 0 {
        return 0;
    }
    perms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Channel, ChannelKind, Guild, Member, Overwrite, Role};

    fn world() -> State {
        let mut st = State::default();
        st.guilds.insert(
            1,
            Guild {
                id: 1,
                name: "g".into(),
                owner_id: 100,
                locale: "en-US".into(),
                banner: None,
            },
        );
        let role = |id, permissions, position| Role {
            id,
            guild_id: 1,
            name: format!("r{id}"),
            permissions,
            position,
            color: 0,
            hoist: false,
            mentionable: false,
            managed: false,
            bot_id: None,
        };
        st.roles.insert(1, role(1, VIEW_CHANNEL | SEND_MESSAGES, 0));
        st.roles.insert(2, role(2, KICK_MEMBERS, 1));
        st.roles.insert(3, role(3, ADMINISTRATOR, 2));
        let member = |user_id, roles: Vec<Id>| Member {
            guild_id: 1,
            user_id,
            nick: None,
            roles,
            joined_at: chrono::Utc::now(),
            communication_disabled_until: None,
            mute: false,
            deaf: false,
        };
        st.members.insert((1, 100), member(100, vec![]));
        st.members.insert((1, 200), member(200, vec![2]));
        st.members.insert((1, 300), member(300, vec![3]));
        st.channels.insert(
            10,
            Channel {
                id: 10,
                kind: ChannelKind::Text,
                guild_id: Some(1),
                name: "c".into(),
                position: 0,
                parent_id: None,
                topic: None,
                nsfw: false,
                rate_limit_per_user: 0,
                overwrites: vec![],
                recipients: vec![],
                bitrate: 0,
                user_limit: 0,
                last_message_id: None,
                owner_id: None,
            },
        );
        st
    }

    #[test]
    fn base_permissions_combine_everyone_roles_owner_and_admin() {
        let st = world();
        assert_eq!(base_permissions(&st, 1, 100), ALL, "owner");
        assert_eq!(
            base_permissions(&st, 1, 200),
            VIEW_CHANNEL | SEND_MESSAGES | KICK_MEMBERS
        );
        assert_eq!(base_permissions(&st, 1, 300), ALL, "administrator");
        assert_eq!(base_permissions(&st, 1, 999), 0, "not a member");
    }

    #[test]
    fn overwrites_apply_everyone_then_roles_then_member() {
        let mut st = world();
        let ow = |id, member, allow, deny| Overwrite {
            id,
            member,
            allow,
            deny,
        };
        st.channels.get_mut(&10).unwrap().overwrites = vec![ow(1, false, 0, SEND_MESSAGES)];
        assert_eq!(channel_permissions(&st, 10, 200) & SEND_MESSAGES, 0);
        st.channels
            .get_mut(&10)
            .unwrap()
            .overwrites
            .push(ow(2, false, SEND_MESSAGES, 0));
        assert_ne!(
            channel_permissions(&st, 10, 200) & SEND_MESSAGES,
            0,
            "role allow beats @everyone deny"
        );
        st.channels
            .get_mut(&10)
            .unwrap()
            .overwrites
            .push(ow(200, true, 0, SEND_MESSAGES));
        assert_eq!(
            channel_permissions(&st, 10, 200) & SEND_MESSAGES,
            0,
            "member deny is last"
        );
        st.channels
            .get_mut(&10)
            .unwrap()
            .overwrites
            .push(ow(1, false, 0, VIEW_CHANNEL));
        st.channels
            .get_mut(&10)
            .unwrap()
            .overwrites
            .retain(|o| !(o.id == 1 && o.deny == SEND_MESSAGES));
        assert_eq!(
            channel_permissions(&st, 10, 200),
            0,
            "no VIEW_CHANNEL means nothing"
        );
        assert_eq!(
            channel_permissions(&st, 10, 300),
            ALL,
            "administrator ignores overwrites"
        );
    }

    #[test]
    fn timeouts_leave_only_view_and_history() {
        let mut st = world();
        st.members
            .get_mut(&(1, 200))
            .unwrap()
            .communication_disabled_until = Some(chrono::Utc::now() + chrono::Duration::minutes(5));
        assert_eq!(channel_permissions(&st, 10, 200), VIEW_CHANNEL);
    }
}
