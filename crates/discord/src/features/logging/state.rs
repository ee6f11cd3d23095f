//! What the logging feature keeps in memory, per bot ([`Data::state`]): the bounded
//! message cache (old content for edits and deletes), slim records of roles, channels,
//! members' nicknames and roles and voice channels (the "before" the slim guild cache does not
//! keep), each server's logging configuration (cached for [`CONFIG_TTL`]), the write queue and
//! the per-channel outboxes.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize};
use std::time::Duration;

use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_core::logging::{LogCategory, MessageCache, PostBudget};
use chronix_storage::guild_settings;
use chronix_storage::logging::{self as store, LoggingSettings, NewLog};
use dashmap::DashMap;
use parking_lot::Mutex;

use super::pipeline::LogEmbed;
use crate::prelude::*;

/// How long a server's logging configuration is cached (commands of this bot replace it at
/// once; a change made elsewhere is seen within this time).
pub const CONFIG_TTL: Duration = crate::cached::TTL;

/// Most member records kept (nickname and role ids); beyond it new members are not recorded and
/// their changes say the previous state is unknown.
pub const MEMBER_RECORDS_MAX: usize = 200_000;

/// A role's loggable attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlimRole {
    pub name: String,
    pub colour: u32,
    pub permissions: u64,
    pub hoist: bool,
    pub mentionable: bool,
}

/// A channel's loggable attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlimChannel {
    pub guild_id: GuildId,
    pub name: String,
    pub topic: Option<String>,
    pub nsfw: bool,
    pub parent_id: Option<ChannelId>,
    pub slowmode: u16,
    /// `(kind: "role"/"member", id, allow bits, deny bits)`, sorted.
    pub overwrites: Vec<(String, u64, u64, u64)>,
    /// A thread's archived and locked flags (`None` for other channels).
    pub thread: Option<(bool, bool)>,
}

/// A member's nickname and roles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SlimMember {
    pub nick: Option<String>,
    pub roles: Vec<RoleId>,
}

/// A server's logging configuration as the pipeline needs it.
#[derive(Debug, Clone)]
pub struct GuildLogConfig {
    pub settings: LoggingSettings,
    /// Category key → channel.
    pub channels: BTreeMap<String, ChannelId>,
    pub locale: Locale,
}

impl GuildLogConfig {
    /// The channel of a category, when mapped.
    pub fn channel_of(&self, c: LogCategory) -> Option<ChannelId> {
        self.channels.get(c.key()).copied()
    }
    /// Whether `channel` is one of the log channels.
    pub fn is_log_channel(&self, channel: ChannelId) -> bool {
        self.channels.values().any(|c| *c == channel)
    }
}

/// Entries waiting to be posted in one log channel.
#[derive(Debug, Default)]
pub struct Outbox {
    pub guild_id: GuildId,
    pub entries: VecDeque<LogEmbed>,
    /// Entries not queued because the backlog was full (reported in the channel).
    pub overflow: u64,
    pub budget: PostBudget,
}

/// The feature's state (one per bot).
#[derive(Debug, Default)]
pub struct LogState {
    pub messages: Mutex<Option<MessageCache>>,
    pub roles: DashMap<(GuildId, RoleId), SlimRole>,
    pub channels: DashMap<ChannelId, SlimChannel>,
    pub members: DashMap<(GuildId, UserId), SlimMember>,
    pub voice: DashMap<(GuildId, UserId), ChannelId>,
    /// Emoji id → name, per guild.
    pub emojis: DashMap<GuildId, BTreeMap<u64, String>>,
    /// Sticker id → name, per guild.
    pub stickers: DashMap<GuildId, BTreeMap<u64, String>>,
    /// Each server's configuration, read once per server at a time.
    pub configs: crate::cached::PerGuild<GuildLogConfig>,
    pub queue: Mutex<Vec<NewLog>>,
    pub outboxes: Mutex<HashMap<ChannelId, Outbox>>,
    /// Listener calls running (the shutdown hook waits for them).
    pub in_flight: AtomicUsize,
    /// Entries accepted since start (for the benchmark and `logs show`).
    pub accepted: AtomicU64,
    /// One flush at a time.
    pub flushing: tokio::sync::Mutex<()>,
}

impl LogState {
    /// Runs `f` on the message cache (created on first use with the configured bounds).
    pub fn with_messages<R>(&self, data: &Data, f: impl FnOnce(&mut MessageCache) -> R) -> R {
        let mut guard = self.messages.lock();
        let cache = guard.get_or_insert_with(|| {
            let c = &data.config().logging;
            MessageCache::new(
                c.message_cache_size as usize,
                chrono::Duration::seconds(c.message_cache_secs as i64),
            )
        });
        f(cache)
    }

    /// A server's logging configuration (cached).
    pub async fn config(&self, data: &Data, guild: GuildId) -> Result<Arc<GuildLogConfig>, Error> {
        let cfg = self
            .configs
            .get(guild, || async {
                let settings = store::settings(data.storage(), guild).await?;
                let gs = guild_settings::get(data.storage(), guild).await?;
                let channels = gs
                    .log_channels
                    .into_iter()
                    .map(|(k, v)| (k, ChannelId::from_db(v)))
                    .collect();
                let locale = crate::i18n::guild_locale(data, Some(guild.get())).await;
                Ok::<_, Error>(GuildLogConfig {
                    settings,
                    channels,
                    locale,
                })
            })
            .await?;
        Ok(cfg)
    }

    /// Forgets a server's cached configuration (after a command changed it). A read under way
    /// is used once by its callers and not kept.
    pub fn invalidate(&self, guild: GuildId) {
        self.configs.invalidate(guild);
    }

    /// Records a member's nickname and roles (bounded by [`MEMBER_RECORDS_MAX`]).
    pub fn remember_member(&self, guild: GuildId, user: UserId, m: SlimMember) {
        if self.members.len() >= MEMBER_RECORDS_MAX && !self.members.contains_key(&(guild, user)) {
            return;
        }
        self.members.insert((guild, user), m);
    }

    /// The roles of a member, when recorded.
    pub fn member_roles(&self, guild: GuildId, user: UserId) -> Vec<RoleId> {
        self.members
            .get(&(guild, user))
            .map(|m| m.roles.clone())
            .unwrap_or_default()
    }
}
