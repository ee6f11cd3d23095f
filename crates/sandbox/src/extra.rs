//! World state for the resources the later feature issues need: webhooks, guild emojis and
//! stickers, thread metadata (archived/locked), guild scheduled events and their interested
//! users, members pending membership screening, and users' client locales. Kept beside
//! [`crate::state::State`] (its `extra` field) so the core entities stay as they were.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::state::Id;

/// A channel webhook (`type` 1, incoming).
#[derive(Clone, Debug, PartialEq)]
pub struct Webhook {
    /// Webhook id.
    pub id: Id,
    /// Guild.
    pub guild_id: Id,
    /// Channel it posts to.
    pub channel_id: Id,
    /// Default name of its messages' author.
    pub name: String,
    /// Secret token (execute without authorization).
    pub token: String,
    /// Who created it (the bot, or a user through the driver).
    pub creator_id: Id,
}

/// A custom guild emoji.
#[derive(Clone, Debug, PartialEq)]
pub struct Emoji {
    /// Emoji id.
    pub id: Id,
    /// Guild.
    pub guild_id: Id,
    /// Name (2–32 characters).
    pub name: String,
    /// Roles allowed to use it (empty = everyone).
    pub roles: Vec<Id>,
    /// Who uploaded it.
    pub creator_id: Id,
    /// Animated (GIF).
    pub animated: bool,
}

/// A guild sticker.
#[derive(Clone, Debug, PartialEq)]
pub struct Sticker {
    /// Sticker id.
    pub id: Id,
    /// Guild.
    pub guild_id: Id,
    /// Name (2–30 characters).
    pub name: String,
    /// Description.
    pub description: String,
    /// Autocomplete tags (an emoji name).
    pub tags: String,
    /// Who uploaded it.
    pub creator_id: Id,
}

/// A thread's metadata (absent = Discord's defaults: open, unlocked, 24 h auto-archive).
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadMeta {
    /// Archived.
    pub archived: bool,
    /// Locked (only MANAGE_THREADS may unarchive).
    pub locked: bool,
    /// Minutes of inactivity before it archives (60, 1440, 4320, 10080).
    pub auto_archive_duration: u64,
    /// When `archived` last changed.
    pub archive_timestamp: DateTime<Utc>,
    /// Private threads: whether non-moderators may invite.
    pub invitable: bool,
}

/// A guild scheduled event.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduledEvent {
    /// Event id.
    pub id: Id,
    /// Guild.
    pub guild_id: Id,
    /// Stage or voice channel (`None` for external events).
    pub channel_id: Option<Id>,
    /// Who created it.
    pub creator_id: Id,
    /// Name (1–100 characters).
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Start.
    pub start: DateTime<Utc>,
    /// End (required for external events).
    pub end: Option<DateTime<Utc>>,
    /// 1 stage instance, 2 voice, 3 external.
    pub entity_type: u8,
    /// 1 scheduled, 2 active, 3 completed, 4 canceled.
    pub status: u8,
    /// External events: where.
    pub location: Option<String>,
}

/// Everything [`crate::state::State`] keeps for these resources.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    /// Webhooks by id.
    pub webhooks: BTreeMap<Id, Webhook>,
    /// Guild emojis by id.
    pub emojis: BTreeMap<Id, Emoji>,
    /// Guild stickers by id.
    pub stickers: BTreeMap<Id, Sticker>,
    /// Thread metadata by thread id.
    pub threads: BTreeMap<Id, ThreadMeta>,
    /// Thread members: thread id → user id → when they joined. A private thread is seen only
    /// by its members and by whoever may manage threads.
    pub thread_members: BTreeMap<Id, BTreeMap<Id, DateTime<Utc>>>,
    /// Scheduled events by id.
    pub events: BTreeMap<Id, ScheduledEvent>,
    /// `(event, user)`: users interested in a scheduled event.
    pub event_users: BTreeSet<(Id, Id)>,
    /// `(guild, user)`: members who have not passed membership screening yet.
    pub pending: BTreeSet<(Id, Id)>,
    /// Client locale per user (interactions' `locale`; default `en-US`).
    pub locales: BTreeMap<Id, String>,
    /// Pictures the CDN serves, by path without the extension (`avatars/{user}/{hash}`,
    /// `banners/{guild}/{hash}`): PNG bytes.
    pub cdn: BTreeMap<String, Vec<u8>>,
}

impl Extra {
    /// A user's client locale (`en-US` unless set).
    pub fn locale(&self, user: Id) -> &str {
        self.locales.get(&user).map_or("en-US", String::as_str)
    }

    /// Whether `user` is a member of thread `thread`.
    pub fn in_thread(&self, thread: Id, user: Id) -> bool {
        self.thread_members
            .get(&thread)
            .is_some_and(|m| m.contains_key(&user))
    }

    /// A thread's metadata, or Discord's defaults for a new thread.
    pub fn thread(&self, id: Id) -> ThreadMeta {
        self.threads.get(&id).cloned().unwrap_or(ThreadMeta {
            archived: false,
            locked: false,
            auto_archive_duration: 1440,
            archive_timestamp: Utc::now(),
            invitable: true,
        })
    }

    /// Emojis of a guild, by id.
    pub fn guild_emojis(&self, guild: Id) -> Vec<&Emoji> {
        self.emojis
            .values()
            .filter(|e| e.guild_id == guild)
            .collect()
    }

    /// Stickers of a guild, by id.
    pub fn guild_stickers(&self, guild: Id) -> Vec<&Sticker> {
        self.stickers
            .values()
            .filter(|s| s.guild_id == guild)
            .collect()
    }

    /// How many users are interested in an event.
    pub fn event_user_count(&self, event: Id) -> usize {
        self.event_users
            .range((event, 0)..=(event, u64::MAX))
            .count()
    }
}
