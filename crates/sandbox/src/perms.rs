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
    pub const MANAGE_THREADS: u64 = 1 << 34;
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    pub const MODERATE_MEMBERS: u64 = 1 << 40;
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
/// Threads use their parent's overwrites. DMs give the usual text permissions.
pub fn channel_permissions(state: &State, channel_id: Id, user_id: Id) -> u64 {
    let Some(mut channel) = state.channels.get(&channel_id) else {
        return 0;
    };
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
