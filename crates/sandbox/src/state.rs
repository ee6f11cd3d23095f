//! The in-memory world: guilds, users, roles, members, channels, messages, and so on.
//!
//! Everything is keyed by snowflake ids (`u64`) in `BTreeMap`s so iteration order is
//! deterministic. Tests read it through [`crate::Sandbox::with_state`] and the convenience
//! getters on [`crate::Sandbox`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

/// A Discord snowflake id.
pub type Id = u64;

/// Milliseconds since the Unix epoch of the Discord epoch (2015-01-01).
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// When a snowflake was made (its top 42 bits are milliseconds since [`DISCORD_EPOCH_MS`]).
pub fn snowflake_time(id: Id) -> DateTime<Utc> {
    let ms = (id >> 22) + DISCORD_EPOCH_MS;
    DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(i64::MAX)).unwrap_or_default()
}

/// A user (human or bot).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Snowflake id.
    pub id: Id,
    /// Unique username.
    pub name: String,
    /// Display name, if any.
    pub global_name: Option<String>,
    /// Whether the user is a bot.
    pub bot: bool,
    /// Avatar hash (`None`: Discord's default avatar); the picture is served at
    /// `/cdn/avatars/{id}/{hash}.png`.
    pub avatar: Option<String>,
}

/// A guild role. The `@everyone` role has the guild's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// Snowflake id.
    pub id: Id,
    /// Owning guild.
    pub guild_id: Id,
    /// Role name.
    pub name: String,
    /// Permission bits, see [`crate::perms`].
    pub permissions: u64,
    /// Position in the hierarchy (0 = `@everyone`, higher = more powerful).
    pub position: i64,
    /// RGB colour.
    pub color: u32,
    /// Shown separately in the member list.
    pub hoist: bool,
    /// Can be mentioned by everyone.
    pub mentionable: bool,
    /// Managed by an integration (the bot's own role is managed).
    pub managed: bool,
    /// For the bot's managed role: the bot user id (`tags.bot_id`).
    pub bot_id: Option<Id>,
}

/// A guild member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Guild.
    pub guild_id: Id,
    /// User.
    pub user_id: Id,
    /// Guild nickname.
    pub nick: Option<String>,
    /// Role ids (not including `@everyone`).
    pub roles: Vec<Id>,
    /// Join time.
    pub joined_at: DateTime<Utc>,
    /// Timeout end, if timed out.
    pub communication_disabled_until: Option<DateTime<Utc>>,
    /// Server-muted in voice.
    pub mute: bool,
    /// Server-deafened in voice.
    pub deaf: bool,
}

/// Discord channel types the sandbox knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// `GUILD_TEXT` (0)
    Text,
    /// `DM` (1)
    Dm,
    /// `GUILD_VOICE` (2)
    Voice,
    /// `GUILD_CATEGORY` (4)
    Category,
    /// `GUILD_ANNOUNCEMENT` (5)
    Announcement,
    /// `PUBLIC_THREAD` (11)
    PublicThread,
    /// `PRIVATE_THREAD` (12)
    PrivateThread,
    /// `GUILD_STAGE_VOICE` (13)
    Stage,
    /// `GUILD_FORUM` (15)
    Forum,
}

impl ChannelKind {
    /// Discord's numeric channel type.
    pub fn code(self) -> u8 {
        match self {
            ChannelKind::Text => 0,
            ChannelKind::Dm => 1,
            ChannelKind::Voice => 2,
            ChannelKind::Category => 4,
            ChannelKind::Announcement => 5,
            ChannelKind::PublicThread => 11,
            ChannelKind::PrivateThread => 12,
            ChannelKind::Stage => 13,
            ChannelKind::Forum => 15,
        }
    }

    /// From Discord's numeric channel type.
    pub fn from_code(code: u64) -> Option<Self> {
        Some(match code {
            0 => ChannelKind::Text,
            1 => ChannelKind::Dm,
            2 => ChannelKind::Voice,
            4 => ChannelKind::Category,
            5 => ChannelKind::Announcement,
            11 => ChannelKind::PublicThread,
            12 => ChannelKind::PrivateThread,
            13 => ChannelKind::Stage,
            15 => ChannelKind::Forum,
            _ => return None,
        })
    }

    /// Whether messages can be sent in it.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            ChannelKind::Text
                | ChannelKind::Dm
                | ChannelKind::Announcement
                | ChannelKind::PublicThread
                | ChannelKind::PrivateThread
                | ChannelKind::Voice
        )
    }

    /// Whether it is a thread.
    pub fn is_thread(self) -> bool {
        matches!(self, ChannelKind::PublicThread | ChannelKind::PrivateThread)
    }
}

/// A permission overwrite on a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overwrite {
    /// Role id or user id.
    pub id: Id,
    /// `true` for a member overwrite (type 1), `false` for a role overwrite (type 0).
    pub member: bool,
    /// Allowed bits.
    pub allow: u64,
    /// Denied bits.
    pub deny: u64,
}

/// A channel (guild channel, thread or DM).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    /// Snowflake id.
    pub id: Id,
    /// Type.
    pub kind: ChannelKind,
    /// Guild, `None` for DMs.
    pub guild_id: Option<Id>,
    /// Name (empty for DMs).
    pub name: String,
    /// Sorting position.
    pub position: i64,
    /// Category or, for threads, the parent channel.
    pub parent_id: Option<Id>,
    /// Topic.
    pub topic: Option<String>,
    /// NSFW flag.
    pub nsfw: bool,
    /// Slowmode seconds.
    pub rate_limit_per_user: u64,
    /// Permission overwrites.
    pub overwrites: Vec<Overwrite>,
    /// DM recipients (the human; the bot is implicit).
    pub recipients: Vec<Id>,
    /// Voice bitrate.
    pub bitrate: u64,
    /// Voice user limit.
    pub user_limit: u64,
    /// Last message id.
    pub last_message_id: Option<Id>,
    /// Thread owner.
    pub owner_id: Option<Id>,
}

/// A file attached to a message; served by the sandbox at [`Attachment::url`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Snowflake id.
    pub id: Id,
    /// File name.
    pub filename: String,
    /// Size in bytes.
    pub size: u64,
    /// `http://127.0.0.1:PORT/attachments/...` URL.
    pub url: String,
    /// MIME type if known.
    pub content_type: Option<String>,
    /// Description (alt text).
    pub description: Option<String>,
    /// File bytes.
    pub data: Vec<u8>,
}

/// One emoji's reactions on a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reaction {
    /// Unicode emoji, or `name:id` for a custom emoji.
    pub emoji: String,
    /// Users who reacted, in order.
    pub users: Vec<Id>,
}

/// The interaction a message answers (`interaction_metadata`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageInteraction {
    /// Interaction id.
    pub id: Id,
    /// Interaction type (2 command, 3 component, 5 modal).
    pub kind: u8,
    /// Command name (for commands).
    pub name: String,
    /// Invoking user.
    pub user_id: Id,
    /// For a component interaction: the message holding the component
    /// (`interacted_message_id`).
    pub interacted_message_id: Option<Id>,
    /// For a modal submission: the interaction that opened the modal
    /// (`triggering_interaction_metadata`).
    pub triggering: Option<Box<MessageInteraction>>,
}

/// A message.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Snowflake id.
    pub id: Id,
    /// Channel.
    pub channel_id: Id,
    /// Guild, `None` in DMs.
    pub guild_id: Option<Id>,
    /// Author.
    pub author_id: Id,
    /// Text content.
    pub content: String,
    /// Embeds as Discord JSON objects.
    pub embeds: Vec<Value>,
    /// Components (action rows) as Discord JSON objects.
    pub components: Vec<Value>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// Reactions.
    pub reactions: Vec<Reaction>,
    /// Creation time.
    pub timestamp: DateTime<Utc>,
    /// Last edit time.
    pub edited_timestamp: Option<DateTime<Utc>>,
    /// Message flags (64 = ephemeral, 128 = loading, 4 = suppress embeds).
    pub flags: u64,
    /// Message type (0 default, 19 reply, 20 chat input command).
    pub kind: u8,
    /// TTS flag.
    pub tts: bool,
    /// Pinned flag.
    pub pinned: bool,
    /// Replied-to message.
    pub reference: Option<Id>,
    /// The interaction this message answers.
    pub interaction: Option<MessageInteraction>,
    /// Webhook id (interaction responses are sent by the application's webhook).
    pub webhook_id: Option<Id>,
    /// For ephemeral messages, the only user who can see it.
    pub visible_to: Option<Id>,
    /// Users mentioned in the content (`<@id>`).
    pub mentions: Vec<Id>,
    /// Roles mentioned in the content (`<@&id>`).
    pub mention_roles: Vec<Id>,
    /// `@everyone`/`@here` in content.
    pub mention_everyone: bool,
}

impl Message {
    /// Whether this is an ephemeral message.
    pub fn is_ephemeral(&self) -> bool {
        self.flags & 64 != 0
    }

    /// All buttons as `(custom_id, label, disabled)`.
    pub fn buttons(&self) -> Vec<(Option<String>, Option<String>, bool)> {
        let mut out = Vec::new();
        for row in &self.components {
            for c in row["components"].as_array().into_iter().flatten() {
                if c["type"] == 2 {
                    out.push((
                        c["custom_id"].as_str().map(str::to_owned),
                        c["label"].as_str().map(str::to_owned),
                        c["disabled"].as_bool().unwrap_or(false),
                    ));
                }
            }
        }
        out
    }

    /// Find a component (any type) by custom id.
    pub fn component(&self, custom_id: &str) -> Option<&Value> {
        self.components
            .iter()
            .flat_map(|row| row["components"].as_array().into_iter().flatten())
            .find(|c| c["custom_id"] == custom_id)
    }
}

/// A guild.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guild {
    /// Snowflake id (also the `@everyone` role id).
    pub id: Id,
    /// Name.
    pub name: String,
    /// Owner user id.
    pub owner_id: Id,
    /// Preferred locale.
    pub locale: String,
    /// Banner hash (`None`: no banner); the picture is served at `/cdn/banners/{id}/{hash}.png`.
    pub banner: Option<String>,
}

/// A ban.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ban {
    /// Guild.
    pub guild_id: Id,
    /// Banned user.
    pub user_id: Id,
    /// Reason (from `X-Audit-Log-Reason` or the body).
    pub reason: Option<String>,
}

/// An invite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    /// Code.
    pub code: String,
    /// Guild.
    pub guild_id: Id,
    /// Channel.
    pub channel_id: Id,
    /// Creator.
    pub inviter_id: Id,
    /// Max age in seconds (0 = forever).
    pub max_age: u64,
    /// Max uses (0 = unlimited).
    pub max_uses: u64,
    /// Uses so far.
    pub uses: u64,
    /// Temporary membership.
    pub temporary: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// A registered application command (stored as Discord JSON, with ids filled in).
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// Snowflake id.
    pub id: Id,
    /// `None` for global commands.
    pub guild_id: Option<Id>,
    /// Name.
    pub name: String,
    /// 1 chat input, 2 user, 3 message.
    pub kind: u8,
    /// The full JSON object as Discord returns it.
    pub json: Value,
}

/// A voice state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoiceState {
    /// Guild.
    pub guild_id: Id,
    /// User.
    pub user_id: Id,
    /// Channel, `None` when disconnected.
    pub channel_id: Option<Id>,
    /// Voice session id.
    pub session_id: String,
    /// Self-muted.
    pub self_mute: bool,
    /// Self-deafened.
    pub self_deaf: bool,
}

/// How the bot answered an interaction.
#[derive(Clone, Debug, PartialEq)]
pub enum InteractionResponse {
    /// Type 4: a message (see the message id; check `flags & 64` for ephemeral).
    Message {
        /// The created message.
        message_id: Id,
        /// Ephemeral.
        ephemeral: bool,
    },
    /// Type 5: "bot is thinking…"; the placeholder message id.
    Deferred {
        /// The placeholder message (edited later through `@original`).
        message_id: Id,
        /// Ephemeral.
        ephemeral: bool,
    },
    /// Type 6: deferred update of the component's message.
    DeferredUpdate,
    /// Type 7: the component's message was updated.
    UpdateMessage {
        /// The updated message.
        message_id: Id,
    },
    /// Type 8: autocomplete choices (`{name, value}` objects).
    Autocomplete(Vec<Value>),
    /// Type 9: a modal (`{custom_id, title, components}`).
    Modal(Value),
}

/// Lifecycle of an interaction.
#[derive(Clone, Debug, PartialEq)]
pub enum InteractionStatus {
    /// Not yet acknowledged.
    Pending,
    /// Acknowledged with this response.
    Responded(InteractionResponse),
    /// Not acknowledged within the 3 s window: the user sees "The application did not respond".
    Failed,
}

/// An interaction the driver created.
#[derive(Clone, Debug)]
pub struct Interaction {
    /// Snowflake id.
    pub id: Id,
    /// Token used for callbacks and webhooks.
    pub token: String,
    /// 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub kind: u8,
    /// Invoking user.
    pub user_id: Id,
    /// Channel.
    pub channel_id: Id,
    /// Guild, `None` in DMs.
    pub guild_id: Option<Id>,
    /// `data` as sent to the bot.
    pub data: Value,
    /// For components: the message the component is on.
    pub message_id: Option<Id>,
    /// Command name (commands and autocomplete).
    pub command_name: String,
    /// When it was created.
    pub created: std::time::Instant,
    /// Status.
    pub status: InteractionStatus,
    /// The `@original` message, once there is one.
    pub original_message: Option<Id>,
}

/// An audit-log entry, recorded for the bot's moderation actions (with `X-Audit-Log-Reason`).
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    /// Snowflake id.
    pub id: Id,
    /// Guild.
    pub guild_id: Id,
    /// Discord action type (20 kick, 22 ban, 23 unban, 24 member update, 25 member role update,
    /// 10/11/12 channel create/update/delete, 14/15 overwrite update/delete, 30/31/32 role
    /// create/update/delete, 40/42 invite create/delete, 73 bulk delete, 74/75 pin/unpin).
    pub action_type: u16,
    /// Who did it (the bot).
    pub user_id: Id,
    /// Target (user, channel, role…), if any.
    pub target_id: Option<String>,
    /// The `X-Audit-Log-Reason`.
    pub reason: Option<String>,
    /// The request body that caused it.
    pub body: Value,
    /// Discord's `changes` (`{key, old_value?, new_value?}`), e.g. a timeout's
    /// `communication_disabled_until`.
    pub changes: Vec<Value>,
}

/// The whole world.
#[derive(Clone, Debug, Default)]
pub struct State {
    /// The bot user id.
    pub bot_id: Id,
    /// The application id.
    pub application_id: Id,
    /// The application's owner (`owner` in `GET /oauth2/applications/@me`); when `None`, the
    /// human user with the lowest id. Set with [`crate::Sandbox::set_application_owner`].
    pub application_owner: Option<Id>,
    /// The application's `flags` (READY and `GET /oauth2/applications/@me`), from
    /// [`crate::payloads::application_flags`] of the allowed privileged intents at start.
    pub application_flags: u64,
    /// Users.
    pub users: BTreeMap<Id, User>,
    /// Guilds.
    pub guilds: BTreeMap<Id, Guild>,
    /// Roles (all guilds).
    pub roles: BTreeMap<Id, Role>,
    /// Members keyed by `(guild, user)`.
    pub members: BTreeMap<(Id, Id), Member>,
    /// Channels (all guilds and DMs).
    pub channels: BTreeMap<Id, Channel>,
    /// Messages (all channels).
    pub messages: BTreeMap<Id, Message>,
    /// Bans keyed by `(guild, user)`.
    pub bans: BTreeMap<(Id, Id), Ban>,
    /// Invites by code.
    pub invites: BTreeMap<String, Invite>,
    /// Application commands.
    pub commands: BTreeMap<Id, Command>,
    /// Interactions.
    pub interactions: BTreeMap<Id, Interaction>,
    /// Voice states keyed by `(guild, user)`.
    pub voice_states: BTreeMap<(Id, Id), VoiceState>,
    /// Audit log, oldest first.
    pub audit_log: Vec<AuditEntry>,
    /// Users who do not accept DMs from the bot (sending fails with 50007).
    pub dm_closed: std::collections::BTreeSet<Id>,
    /// When each pinned message was pinned (`last_pin_timestamp`, `pinned_at`).
    pub pinned_at: BTreeMap<Id, DateTime<Utc>>,
    /// Vanity invite codes by guild (`GET /guilds/{id}/vanity-url`); each is also an invite.
    pub vanity_codes: BTreeMap<Id, String>,
    /// Webhooks, emojis, stickers, thread metadata, scheduled events, pending members, locales.
    pub extra: crate::extra::Extra,
}

impl State {
    /// Roles of a guild ordered by position (lowest first).
    pub fn guild_roles(&self, guild_id: Id) -> Vec<&Role> {
        let mut v: Vec<&Role> = self
            .roles
            .values()
            .filter(|r| r.guild_id == guild_id)
            .collect();
        v.sort_by_key(|r| (r.position, r.id));
        v
    }

    /// Channels of a guild ordered by position.
    pub fn guild_channels(&self, guild_id: Id) -> Vec<&Channel> {
        let mut v: Vec<&Channel> = self
            .channels
            .values()
            .filter(|c| c.guild_id == Some(guild_id) && !c.kind.is_thread())
            .collect();
        v.sort_by_key(|c| (c.position, c.id));
        v
    }

    /// Members of a guild.
    pub fn guild_members(&self, guild_id: Id) -> Vec<&Member> {
        self.members
            .range((guild_id, 0)..=(guild_id, u64::MAX))
            .map(|(_, m)| m)
            .collect()
    }

    /// When the newest remaining pin of a channel was pinned (`last_pin_timestamp`).
    pub fn last_pin(&self, channel_id: Id) -> Option<DateTime<Utc>> {
        self.channel_messages(channel_id)
            .into_iter()
            .filter(|m| m.pinned)
            .filter_map(|m| self.pinned_at.get(&m.id))
            .max()
            .copied()
    }

    /// Messages of a channel, oldest first.
    pub fn channel_messages(&self, channel_id: Id) -> Vec<&Message> {
        self.messages
            .values()
            .filter(|m| m.channel_id == channel_id)
            .collect()
    }

    /// The DM channel between the bot and `user_id`, if open.
    pub fn dm_channel(&self, user_id: Id) -> Option<&Channel> {
        self.channels
            .values()
            .find(|c| c.kind == ChannelKind::Dm && c.recipients.contains(&user_id))
    }

    /// Highest role position of a member (0 for `@everyone` only; `i64::MAX` for the owner).
    pub fn top_position(&self, guild_id: Id, user_id: Id) -> i64 {
        if self
            .guilds
            .get(&guild_id)
            .is_some_and(|g| g.owner_id == user_id)
        {
            return i64::MAX;
        }
        self.members
            .get(&(guild_id, user_id))
            .map(|m| {
                m.roles
                    .iter()
                    .filter_map(|r| self.roles.get(r))
                    .map(|r| r.position)
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
    }
}
