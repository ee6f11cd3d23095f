//! The bot's own guild cache: what permission checks and server facts need, and nothing per
//! member (see ARCHITECTURE.md, "What the bot keeps about members").
//!
//! serenity's cache is configured off for guilds and users ([`cache_settings`]): its guild
//! cache keeps every member with a full copy of its user (~1.1 KB per member plus ~0.7 KB per
//! user: 1.86 GB for 1,000 guilds of 1,000 distinct members). This cache keeps, per guild, its
//! name, owner, member count, each role's permissions and each channel's permission overwrites
//! (a thread: its parent), fed by the gateway events in the kernel's framework before poise sees them. A member's
//! roles come with what it invokes: the member object of the message (Discord sends it with
//! every guild MESSAGE_CREATE) or of the interaction.

use std::collections::HashMap;

use dashmap::DashMap;
use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, FullEvent, GuildChannel, GuildId, PermissionOverwrite, PermissionOverwriteType,
    Permissions, RoleId, UserId,
};

/// serenity's cache settings: no guilds (so no members) and no users; the current user and
/// private channels stay.
pub fn cache_settings() -> serenity::cache::Settings {
    let mut s = serenity::cache::Settings::default();
    s.cache_guilds = false;
    s.cache_users = false;
    s.max_messages = 0;
    s
}

/// What the cache keeps about one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SlimChannel {
    /// A thread's parent channel (a thread has the parent's permissions).
    thread_parent: Option<ChannelId>,
    /// Permission overwrites (a thread has none of its own).
    overwrites: Vec<PermissionOverwrite>,
}

impl SlimChannel {
    fn of(c: &GuildChannel) -> Self {
        let thread = c.thread_metadata.is_some();
        Self {
            thread_parent: if thread { c.parent_id } else { None },
            overwrites: if thread {
                Vec::new()
            } else {
                c.permission_overwrites.clone()
            },
        }
    }
}

/// What the cache keeps about one guild.
#[derive(Debug, Clone, Default)]
struct SlimGuild {
    name: String,
    /// The server banner's hash (rank cards and welcome banners draw it).
    banner: Option<String>,
    owner_id: UserId,
    member_count: u64,
    /// Each role's guild-level permissions (`@everyone` has the guild's id).
    roles: HashMap<RoleId, Permissions>,
    channels: HashMap<ChannelId, SlimChannel>,
}

/// Facts about a guild for `serverinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuildFacts {
    /// Name.
    pub name: String,
    /// Owner.
    pub owner_id: UserId,
    /// Members (from GUILD_CREATE's `member_count`, then joins and leaves).
    pub member_count: u64,
    /// Channels and categories (threads not counted).
    pub channels: usize,
    /// Roles (`@everyone` included).
    pub roles: usize,
}

/// The guild cache. Cheap to read from any task.
#[derive(Debug, Default)]
pub struct GuildCache {
    guilds: DashMap<GuildId, SlimGuild>,
}

impl GuildCache {
    /// Guilds known.
    pub fn len(&self) -> usize {
        self.guilds.len()
    }

    /// Whether no guild is known.
    pub fn is_empty(&self) -> bool {
        self.guilds.is_empty()
    }

    /// Every known guild, by id.
    pub fn ids(&self) -> Vec<GuildId> {
        let mut v: Vec<GuildId> = self.guilds.iter().map(|g| *g.key()).collect();
        v.sort();
        v
    }

    /// Facts about a guild, if known.
    pub fn facts(&self, guild_id: GuildId) -> Option<GuildFacts> {
        self.guilds.get(&guild_id).map(|g| GuildFacts {
            name: g.name.clone(),
            owner_id: g.owner_id,
            member_count: g.member_count,
            channels: g
                .channels
                .values()
                .filter(|c| c.thread_parent.is_none())
                .count(),
            roles: g.roles.len(),
        })
    }

    /// A thread's parent channel (`None`: not a thread, or unknown).
    pub fn thread_parent(&self, guild_id: GuildId, channel_id: ChannelId) -> Option<ChannelId> {
        self.guilds
            .get(&guild_id)
            .and_then(|g| g.channels.get(&channel_id).and_then(|c| c.thread_parent))
    }

    /// A guild's name, if known.
    pub fn name(&self, guild_id: GuildId) -> Option<String> {
        self.guilds.get(&guild_id).map(|g| g.name.clone())
    }

    /// A guild's banner hash, if it has one (and is known).
    pub fn banner(&self, guild_id: GuildId) -> Option<String> {
        self.guilds.get(&guild_id).and_then(|g| g.banner.clone())
    }

    /// A member's permissions in a channel (a thread: in its parent) from its roles, by
    /// Discord's rule (owner: all; `@everyone` and the roles; Administrator: all; then the
    /// channel's overwrites for `@everyone`, the roles, the member). `None` when the guild or
    /// the channel is unknown.
    pub fn permissions_in(
        &self,
        guild_id: GuildId,
        channel_id: ChannelId,
        user_id: UserId,
        roles: &[RoleId],
    ) -> Option<Permissions> {
        let g = self.guilds.get(&guild_id)?;
        let mut channel = g.channels.get(&channel_id)?;
        if let Some(parent) = channel.thread_parent {
            channel = g.channels.get(&parent)?;
        }
        if user_id == g.owner_id {
            return Some(Permissions::all());
        }
        let everyone = RoleId::new(guild_id.get());
        let mut p = g.roles.get(&everyone).copied().unwrap_or_default();
        for r in roles {
            p |= g.roles.get(r).copied().unwrap_or_default();
        }
        if p.contains(Permissions::ADMINISTRATOR) {
            return Some(Permissions::all());
        }
        let (mut role_allow, mut role_deny) = (Permissions::empty(), Permissions::empty());
        let mut everyone_ow = None;
        let mut member_ow = None;
        for o in &channel.overwrites {
            match o.kind {
                PermissionOverwriteType::Role(r) if r == everyone => everyone_ow = Some(o),
                PermissionOverwriteType::Role(r) if roles.contains(&r) => {
                    role_allow |= o.allow;
                    role_deny |= o.deny;
                }
                PermissionOverwriteType::Member(u) if u == user_id => member_ow = Some(o),
                _ => {}
            }
        }
        if let Some(o) = everyone_ow {
            p &= !o.deny;
            p |= o.allow;
        }
        p &= !role_deny;
        p |= role_allow;
        if let Some(o) = member_ow {
            p &= !o.deny;
            p |= o.allow;
        }
        Some(p)
    }

    fn put_channel(&self, c: &GuildChannel) {
        if let Some(mut g) = self.guilds.get_mut(&c.guild_id) {
            g.channels.insert(c.id, SlimChannel::of(c));
        }
    }

    fn remove_channel(&self, guild_id: GuildId, channel_id: ChannelId) {
        if let Some(mut g) = self.guilds.get_mut(&guild_id) {
            g.channels.remove(&channel_id);
        }
    }

    /// Applies a gateway event. Called by the kernel's framework ([`crate::framework`]) for
    /// each event before poise sees it (and before poise's start-up wait), in the event's own
    /// task: no clone of the event and no task of its own.
    pub fn update(&self, event: &FullEvent) {
        match event {
            FullEvent::GuildCreate { guild, .. } => {
                let mut channels: HashMap<ChannelId, SlimChannel> = guild
                    .channels
                    .values()
                    .map(|c| (c.id, SlimChannel::of(c)))
                    .collect();
                for t in &guild.threads {
                    channels.insert(
                        t.id,
                        SlimChannel {
                            thread_parent: t.parent_id,
                            overwrites: Vec::new(),
                        },
                    );
                }
                self.guilds.insert(
                    guild.id,
                    SlimGuild {
                        name: guild.name.clone(),
                        banner: guild.banner.clone(),
                        owner_id: guild.owner_id,
                        member_count: guild.member_count,
                        roles: guild
                            .roles
                            .values()
                            .map(|r| (r.id, r.permissions))
                            .collect(),
                        channels,
                    },
                );
            }
            FullEvent::GuildUpdate { new_data, .. } => {
                if let Some(mut g) = self.guilds.get_mut(&new_data.id) {
                    g.name.clone_from(&new_data.name);
                    g.banner.clone_from(&new_data.banner);
                    g.owner_id = new_data.owner_id;
                    g.roles = new_data
                        .roles
                        .values()
                        .map(|r| (r.id, r.permissions))
                        .collect();
                }
            }
            FullEvent::GuildDelete { incomplete, .. } => {
                self.guilds.remove(&incomplete.id);
            }
            FullEvent::GuildRoleCreate { new } | FullEvent::GuildRoleUpdate { new, .. } => {
                self.put_role(new)
            }
            FullEvent::GuildRoleDelete {
                guild_id,
                removed_role_id,
                ..
            } => {
                if let Some(mut g) = self.guilds.get_mut(guild_id) {
                    g.roles.remove(removed_role_id);
                }
            }
            FullEvent::ChannelCreate { channel }
            | FullEvent::CategoryCreate { category: channel }
            | FullEvent::ChannelUpdate { new: channel, .. }
            | FullEvent::ThreadCreate { thread: channel }
            | FullEvent::ThreadUpdate { new: channel, .. } => self.put_channel(channel),
            FullEvent::ChannelDelete { channel, .. }
            | FullEvent::CategoryDelete { category: channel } => {
                self.remove_channel(channel.guild_id, channel.id)
            }
            FullEvent::ThreadDelete { thread, .. } => {
                self.remove_channel(thread.guild_id, thread.id)
            }
            FullEvent::ThreadListSync { thread_list_sync } => {
                for t in &thread_list_sync.threads {
                    self.put_channel(t);
                }
            }
            FullEvent::GuildMemberAddition { new_member } => {
                if let Some(mut g) = self.guilds.get_mut(&new_member.guild_id) {
                    g.member_count += 1;
                }
            }
            FullEvent::GuildMemberRemoval { guild_id, .. } => {
                if let Some(mut g) = self.guilds.get_mut(guild_id) {
                    g.member_count = g.member_count.saturating_sub(1);
                }
            }
            _ => {}
        }
    }

    fn put_role(&self, role: &serenity::Role) {
        if let Some(mut g) = self.guilds.get_mut(&role.guild_id) {
            g.roles.insert(role.id, role.permissions);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: u64 = 1000;
    const OWNER: u64 = 7;
    const ALICE: u64 = 8;
    const MODS: u64 = 2000;
    const TEXT: u64 = 3000;
    const LOCKED: u64 = 3001;
    const THREAD: u64 = 3002;

    fn cache() -> GuildCache {
        let c = GuildCache::default();
        let mut roles = HashMap::new();
        roles.insert(
            RoleId::new(G),
            Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
        );
        roles.insert(RoleId::new(MODS), Permissions::MANAGE_MESSAGES);
        let mut channels = HashMap::new();
        channels.insert(ChannelId::new(TEXT), SlimChannel::default());
        channels.insert(
            ChannelId::new(LOCKED),
            SlimChannel {
                thread_parent: None,
                overwrites: vec![
                    PermissionOverwrite {
                        allow: Permissions::empty(),
                        deny: Permissions::SEND_MESSAGES,
                        kind: PermissionOverwriteType::Role(RoleId::new(G)),
                    },
                    PermissionOverwrite {
                        allow: Permissions::SEND_MESSAGES,
                        deny: Permissions::MANAGE_MESSAGES,
                        kind: PermissionOverwriteType::Role(RoleId::new(MODS)),
                    },
                    PermissionOverwrite {
                        allow: Permissions::MANAGE_MESSAGES,
                        deny: Permissions::empty(),
                        kind: PermissionOverwriteType::Member(UserId::new(ALICE)),
                    },
                ],
            },
        );
        channels.insert(
            ChannelId::new(THREAD),
            SlimChannel {
                thread_parent: Some(ChannelId::new(LOCKED)),
                overwrites: Vec::new(),
            },
        );
        c.guilds.insert(
            GuildId::new(G),
            SlimGuild {
                name: "g".into(),
                banner: None,
                owner_id: UserId::new(OWNER),
                member_count: 3,
                roles,
                channels,
            },
        );
        c
    }

    fn perms(c: &GuildCache, channel: u64, user: u64, roles: &[u64]) -> Option<Permissions> {
        let roles: Vec<RoleId> = roles.iter().map(|r| RoleId::new(*r)).collect();
        c.permissions_in(
            GuildId::new(G),
            ChannelId::new(channel),
            UserId::new(user),
            &roles,
        )
    }

    #[test]
    fn guild_level_permissions_are_everyone_plus_roles() {
        let c = cache();
        assert_eq!(
            perms(&c, TEXT, 9, &[]),
            Some(Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES)
        );
        assert_eq!(
            perms(&c, TEXT, 9, &[MODS]),
            Some(
                Permissions::VIEW_CHANNEL
                    | Permissions::SEND_MESSAGES
                    | Permissions::MANAGE_MESSAGES
            )
        );
        assert_eq!(perms(&c, TEXT, OWNER, &[]), Some(Permissions::all()));
    }

    #[test]
    fn overwrites_apply_everyone_then_roles_then_the_member() {
        let c = cache();
        // @everyone denied SEND_MESSAGES
        assert_eq!(perms(&c, LOCKED, 9, &[]), Some(Permissions::VIEW_CHANNEL));
        // the mods' overwrite allows SEND_MESSAGES back and denies MANAGE_MESSAGES
        assert_eq!(
            perms(&c, LOCKED, 9, &[MODS]),
            Some(Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES)
        );
        // alice's own overwrite allows MANAGE_MESSAGES again
        assert_eq!(
            perms(&c, LOCKED, ALICE, &[MODS]),
            Some(
                Permissions::VIEW_CHANNEL
                    | Permissions::SEND_MESSAGES
                    | Permissions::MANAGE_MESSAGES
            )
        );
        // a thread has its parent's permissions
        assert_eq!(perms(&c, THREAD, 9, &[]), perms(&c, LOCKED, 9, &[]));
    }

    #[test]
    fn administrator_bypasses_overwrites_and_unknown_is_none() {
        let c = cache();
        c.guilds
            .get_mut(&GuildId::new(G))
            .unwrap()
            .roles
            .insert(RoleId::new(MODS), Permissions::ADMINISTRATOR);
        assert_eq!(perms(&c, LOCKED, 9, &[MODS]), Some(Permissions::all()));
        assert_eq!(perms(&c, 4242, 9, &[]), None);
        let facts = c.facts(GuildId::new(G)).unwrap();
        assert_eq!((facts.channels, facts.roles, facts.member_count), (2, 2, 3));
    }
}
