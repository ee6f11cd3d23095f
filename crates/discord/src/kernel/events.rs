//! Typed gateway events for features, and their dispatch.
//!
//! A feature subscribes with [`crate::registry::Feature::on`]`(&[EventKind::MemberJoin], handler)`
//! and receives an [`Event`] (a typed, borrowed view of serenity's event). The dispatcher
//! ([`dispatch`]) calls, for one event, every listener of every enabled feature that subscribed
//! to its kind, concurrently; a listener of a feature switched off on the event's guild
//! (`module disable`) is not called for that guild.
//!
//! Architecture invariant: a listener that fails or panics is reported like a command error
//! (an error id in the log and in the guild's error-log channel) and never stops the other
//! listeners of the same event.

use std::collections::HashMap;

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, GuildId, MessageId, RoleId};

use crate::errors;
use crate::registry::BoxFuture;
use crate::{Data, Error};

/// A gateway event listener.
pub type Listener =
    for<'a> fn(&'a serenity::Context, &'a Data, &'a Event<'a>) -> BoxFuture<'a, Result<(), Error>>;

/// The kinds of events a feature can listen to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// A message was sent.
    MessageCreate,
    /// A message was edited.
    MessageUpdate,
    /// A message was deleted.
    MessageDelete,
    /// Several messages were deleted at once.
    MessageDeleteBulk,
    /// A reaction was added.
    ReactionAdd,
    /// A reaction was removed.
    ReactionRemove,
    /// Every reaction of a message was removed.
    ReactionRemoveAll,
    /// A member joined a guild.
    MemberJoin,
    /// A member left (or was kicked or banned from) a guild.
    MemberLeave,
    /// A member's roles, nickname, timeout, … changed.
    MemberUpdate,
    /// A role was created.
    RoleCreate,
    /// A role was changed.
    RoleUpdate,
    /// A role was deleted.
    RoleDelete,
    /// A channel (or category) was created.
    ChannelCreate,
    /// A channel was changed.
    ChannelUpdate,
    /// A channel (or category) was deleted.
    ChannelDelete,
    /// Someone joined, left, moved or muted in voice.
    VoiceState,
    /// An invite was created.
    InviteCreate,
    /// An invite was deleted.
    InviteDelete,
    /// A channel's pins changed.
    PinsUpdate,
    /// A guild's emojis changed.
    EmojisUpdate,
    /// A guild's stickers changed.
    StickersUpdate,
    /// A channel's webhooks changed.
    WebhooksUpdate,
    /// A guild's integrations changed.
    IntegrationsUpdate,
    /// A thread was created.
    ThreadCreate,
    /// A thread was changed.
    ThreadUpdate,
    /// A thread was deleted.
    ThreadDelete,
    /// A guild became available (at start-up) or the bot joined one.
    GuildJoin,
    /// The bot left (or was removed from) a guild.
    GuildLeave,
    /// A guild's settings changed.
    GuildUpdate,
    /// A user was banned.
    BanAdd,
    /// A user was unbanned.
    BanRemove,
    /// An audit-log entry was written.
    AuditLogEntry,
    /// A scheduled event was created, changed or deleted.
    ScheduledEvent,
    /// A note of the bot's own (a gameplay moment, an internal error): see [`Note`].
    Note,
}

impl EventKind {
    /// Every kind (tests use it to check that each one reaches a listener).
    pub const ALL: &'static [EventKind] = &[
        EventKind::MessageCreate,
        EventKind::MessageUpdate,
        EventKind::MessageDelete,
        EventKind::MessageDeleteBulk,
        EventKind::ReactionAdd,
        EventKind::ReactionRemove,
        EventKind::ReactionRemoveAll,
        EventKind::MemberJoin,
        EventKind::MemberLeave,
        EventKind::MemberUpdate,
        EventKind::RoleCreate,
        EventKind::RoleUpdate,
        EventKind::RoleDelete,
        EventKind::ChannelCreate,
        EventKind::ChannelUpdate,
        EventKind::ChannelDelete,
        EventKind::VoiceState,
        EventKind::InviteCreate,
        EventKind::InviteDelete,
        EventKind::PinsUpdate,
        EventKind::EmojisUpdate,
        EventKind::StickersUpdate,
        EventKind::WebhooksUpdate,
        EventKind::IntegrationsUpdate,
        EventKind::ThreadCreate,
        EventKind::ThreadUpdate,
        EventKind::ThreadDelete,
        EventKind::GuildJoin,
        EventKind::GuildLeave,
        EventKind::GuildUpdate,
        EventKind::BanAdd,
        EventKind::BanRemove,
        EventKind::AuditLogEntry,
        EventKind::ScheduledEvent,
        EventKind::Note,
    ];
}

/// A gateway event, typed and borrowed from serenity's.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A message was sent.
    MessageCreate(&'a serenity::Message),
    /// A message was edited (`old` only when it was cached).
    MessageUpdate {
        /// The message before, if cached.
        old: Option<&'a serenity::Message>,
        /// The message after, if cached.
        new: Option<&'a serenity::Message>,
        /// The raw update (always present).
        event: &'a serenity::MessageUpdateEvent,
    },
    /// A message was deleted.
    MessageDelete {
        /// Its guild.
        guild_id: Option<GuildId>,
        /// Its channel.
        channel_id: ChannelId,
        /// The message.
        message_id: MessageId,
    },
    /// Several messages were deleted at once.
    MessageDeleteBulk {
        /// Their guild.
        guild_id: Option<GuildId>,
        /// Their channel.
        channel_id: ChannelId,
        /// The messages.
        message_ids: &'a [MessageId],
    },
    /// A reaction was added.
    ReactionAdd(&'a serenity::Reaction),
    /// A reaction was removed.
    ReactionRemove(&'a serenity::Reaction),
    /// Every reaction of a message was removed.
    ReactionRemoveAll {
        /// The channel.
        channel_id: ChannelId,
        /// The message.
        message_id: MessageId,
    },
    /// A member joined.
    MemberJoin(&'a serenity::Member),
    /// A member left.
    MemberLeave {
        /// The guild.
        guild_id: GuildId,
        /// Who left.
        user: &'a serenity::User,
        /// Their member data, if cached.
        member: Option<&'a serenity::Member>,
    },
    /// A member changed.
    MemberUpdate {
        /// Before, if cached.
        old: Option<&'a serenity::Member>,
        /// After, if cached.
        new: Option<&'a serenity::Member>,
        /// The raw update (always present).
        event: &'a serenity::GuildMemberUpdateEvent,
    },
    /// A role was created.
    RoleCreate(&'a serenity::Role),
    /// A role was changed.
    RoleUpdate {
        /// Before, if cached.
        old: Option<&'a serenity::Role>,
        /// After.
        new: &'a serenity::Role,
    },
    /// A role was deleted.
    RoleDelete {
        /// The guild.
        guild_id: GuildId,
        /// The role.
        role_id: RoleId,
        /// Its data, if cached.
        role: Option<&'a serenity::Role>,
    },
    /// A channel or category was created.
    ChannelCreate(&'a serenity::GuildChannel),
    /// A channel was changed.
    ChannelUpdate {
        /// Before, if cached.
        old: Option<&'a serenity::GuildChannel>,
        /// After.
        new: &'a serenity::GuildChannel,
    },
    /// A channel or category was deleted.
    ChannelDelete(&'a serenity::GuildChannel),
    /// A voice state changed.
    VoiceState {
        /// Before, if cached.
        old: Option<&'a serenity::VoiceState>,
        /// After.
        new: &'a serenity::VoiceState,
    },
    /// An invite was created.
    InviteCreate(&'a serenity::InviteCreateEvent),
    /// An invite was deleted.
    InviteDelete(&'a serenity::InviteDeleteEvent),
    /// A channel's pins changed.
    PinsUpdate(&'a serenity::ChannelPinsUpdateEvent),
    /// A guild's emojis changed.
    EmojisUpdate {
        /// The guild.
        guild_id: GuildId,
        /// Its emojis now.
        emojis: &'a HashMap<serenity::EmojiId, serenity::Emoji>,
    },
    /// A guild's stickers changed.
    StickersUpdate {
        /// The guild.
        guild_id: GuildId,
        /// Its stickers now.
        stickers: &'a HashMap<serenity::StickerId, serenity::Sticker>,
    },
    /// A channel's webhooks changed.
    WebhooksUpdate {
        /// The guild.
        guild_id: GuildId,
        /// The channel.
        channel_id: ChannelId,
    },
    /// A guild's integrations changed.
    IntegrationsUpdate {
        /// The guild.
        guild_id: GuildId,
    },
    /// A thread was created.
    ThreadCreate(&'a serenity::GuildChannel),
    /// A thread was changed.
    ThreadUpdate {
        /// Before, if cached.
        old: Option<&'a serenity::GuildChannel>,
        /// After.
        new: &'a serenity::GuildChannel,
    },
    /// A thread was deleted.
    ThreadDelete(&'a serenity::PartialGuildChannel),
    /// A guild became available or was joined.
    GuildJoin {
        /// The guild.
        guild: &'a serenity::Guild,
        /// Whether it was just joined (when known).
        is_new: Option<bool>,
    },
    /// The bot left a guild (or it became unavailable: see `unavailable`).
    GuildLeave(&'a serenity::UnavailableGuild),
    /// A guild's settings changed.
    GuildUpdate(&'a serenity::PartialGuild),
    /// A user was banned.
    BanAdd {
        /// The guild.
        guild_id: GuildId,
        /// Who.
        user: &'a serenity::User,
    },
    /// A user was unbanned.
    BanRemove {
        /// The guild.
        guild_id: GuildId,
        /// Who.
        user: &'a serenity::User,
    },
    /// An audit-log entry was written.
    AuditLogEntry {
        /// The guild.
        guild_id: GuildId,
        /// The entry.
        entry: &'a serenity::AuditLogEntry,
    },
    /// A scheduled event was created, changed or deleted.
    ScheduledEvent(&'a serenity::ScheduledEvent),
    /// A note of the bot's own, emitted by a feature or the kernel with [`note`].
    Note(&'a Note),
}

/// What a note is about; the logging feature files each topic in its own log category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteTopic {
    /// A gameplay moment worth a server's attention (a large payment, a big bet, a rare drop).
    Gameplay,
    /// An internal error (the kernel has already posted its report to the error-log channel).
    Error,
}

/// Something the bot itself did on a server that its logs should show. Not a gateway event:
/// features and the kernel emit notes with [`note`], and listeners of [`EventKind::Note`]
/// (the logging feature) receive them like any other event. The text is a Fluent message
/// rendered in the server's language by whoever files it.
#[derive(Debug, Clone)]
pub struct Note {
    /// The server.
    pub guild: GuildId,
    /// Its topic.
    pub topic: NoteTopic,
    /// A short stable name (`pay`, `bet`, `crate_open`, `error`): the `logs.log_type`.
    pub kind: &'static str,
    /// Who it is about, if anyone.
    pub user: Option<serenity::UserId>,
    /// Where it happened, if somewhere.
    pub channel: Option<ChannelId>,
    /// The Fluent message that describes it.
    pub text: &'static str,
    /// The message's arguments.
    pub args: Vec<(&'static str, String)>,
    /// Everything else, stored with the log row.
    pub payload: serde_json::Value,
    /// The Chrons at stake, when it is about Chrons (the logging feature files gameplay notes
    /// from `LOG_GAMEPLAY_MIN_CHRONS` up).
    pub amount: Option<chronix_core::economy::Chrons>,
}

impl Note {
    /// A note with no user, channel, arguments or payload yet.
    pub fn new(guild: GuildId, topic: NoteTopic, kind: &'static str, text: &'static str) -> Self {
        Self {
            guild,
            topic,
            kind,
            user: None,
            channel: None,
            text,
            args: Vec::new(),
            payload: serde_json::Value::Null,
            amount: None,
        }
    }
    /// The Chrons at stake.
    pub fn amount(mut self, a: chronix_core::economy::Chrons) -> Self {
        self.amount = Some(a);
        self
    }
    /// Who it is about.
    pub fn user(mut self, u: serenity::UserId) -> Self {
        self.user = Some(u);
        self
    }
    /// Where it happened.
    pub fn channel(mut self, c: ChannelId) -> Self {
        self.channel = Some(c);
        self
    }
    /// One argument of the text.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
    /// The stored payload.
    pub fn payload(mut self, p: serde_json::Value) -> Self {
        self.payload = p;
        self
    }
}

impl<'a> Event<'a> {
    /// The typed view of a serenity event, or `None` for events features do not receive
    /// (ready, interactions, presences, …).
    pub fn from_serenity(e: &'a serenity::FullEvent) -> Option<Self> {
        use serenity::FullEvent as F;
        Some(match e {
            F::Message { new_message } => Event::MessageCreate(new_message),
            F::MessageUpdate {
                old_if_available,
                new,
                event,
            } => Event::MessageUpdate {
                old: old_if_available.as_ref(),
                new: new.as_ref(),
                event,
            },
            F::MessageDelete {
                channel_id,
                deleted_message_id,
                guild_id,
            } => Event::MessageDelete {
                guild_id: *guild_id,
                channel_id: *channel_id,
                message_id: *deleted_message_id,
            },
            F::MessageDeleteBulk {
                channel_id,
                multiple_deleted_messages_ids,
                guild_id,
            } => Event::MessageDeleteBulk {
                guild_id: *guild_id,
                channel_id: *channel_id,
                message_ids: multiple_deleted_messages_ids,
            },
            F::ReactionAdd { add_reaction } => Event::ReactionAdd(add_reaction),
            F::ReactionRemove { removed_reaction } => Event::ReactionRemove(removed_reaction),
            F::ReactionRemoveAll {
                channel_id,
                removed_from_message_id,
            } => Event::ReactionRemoveAll {
                channel_id: *channel_id,
                message_id: *removed_from_message_id,
            },
            F::GuildMemberAddition { new_member } => Event::MemberJoin(new_member),
            F::GuildMemberRemoval {
                guild_id,
                user,
                member_data_if_available,
            } => Event::MemberLeave {
                guild_id: *guild_id,
                user,
                member: member_data_if_available.as_ref(),
            },
            F::GuildMemberUpdate {
                old_if_available,
                new,
                event,
            } => Event::MemberUpdate {
                old: old_if_available.as_ref(),
                new: new.as_ref(),
                event,
            },
            F::GuildRoleCreate { new } => Event::RoleCreate(new),
            F::GuildRoleUpdate {
                old_data_if_available,
                new,
            } => Event::RoleUpdate {
                old: old_data_if_available.as_ref(),
                new,
            },
            F::GuildRoleDelete {
                guild_id,
                removed_role_id,
                removed_role_data_if_available,
            } => Event::RoleDelete {
                guild_id: *guild_id,
                role_id: *removed_role_id,
                role: removed_role_data_if_available.as_ref(),
            },
            F::ChannelCreate { channel } => Event::ChannelCreate(channel),
            F::CategoryCreate { category } => Event::ChannelCreate(category),
            F::ChannelUpdate { old, new } => Event::ChannelUpdate {
                old: old.as_ref(),
                new,
            },
            F::ChannelDelete { channel, .. } => Event::ChannelDelete(channel),
            F::CategoryDelete { category } => Event::ChannelDelete(category),
            F::VoiceStateUpdate { old, new } => Event::VoiceState {
                old: old.as_ref(),
                new,
            },
            F::InviteCreate { data } => Event::InviteCreate(data),
            F::InviteDelete { data } => Event::InviteDelete(data),
            F::ChannelPinsUpdate { pin } => Event::PinsUpdate(pin),
            F::GuildEmojisUpdate {
                guild_id,
                current_state,
            } => Event::EmojisUpdate {
                guild_id: *guild_id,
                emojis: current_state,
            },
            F::GuildStickersUpdate {
                guild_id,
                current_state,
            } => Event::StickersUpdate {
                guild_id: *guild_id,
                stickers: current_state,
            },
            F::WebhookUpdate {
                guild_id,
                belongs_to_channel_id,
            } => Event::WebhooksUpdate {
                guild_id: *guild_id,
                channel_id: *belongs_to_channel_id,
            },
            F::GuildIntegrationsUpdate { guild_id } => Event::IntegrationsUpdate {
                guild_id: *guild_id,
            },
            F::ThreadCreate { thread } => Event::ThreadCreate(thread),
            F::ThreadUpdate { old, new } => Event::ThreadUpdate {
                old: old.as_ref(),
                new,
            },
            F::ThreadDelete { thread, .. } => Event::ThreadDelete(thread),
            F::GuildCreate { guild, is_new } => Event::GuildJoin {
                guild,
                is_new: *is_new,
            },
            F::GuildDelete { incomplete, .. } => Event::GuildLeave(incomplete),
            F::GuildUpdate { new_data, .. } => Event::GuildUpdate(new_data),
            F::GuildBanAddition {
                guild_id,
                banned_user,
            } => Event::BanAdd {
                guild_id: *guild_id,
                user: banned_user,
            },
            F::GuildBanRemoval {
                guild_id,
                unbanned_user,
            } => Event::BanRemove {
                guild_id: *guild_id,
                user: unbanned_user,
            },
            F::GuildAuditLogEntryCreate { entry, guild_id } => Event::AuditLogEntry {
                guild_id: *guild_id,
                entry,
            },
            F::GuildScheduledEventCreate { event }
            | F::GuildScheduledEventUpdate { event }
            | F::GuildScheduledEventDelete { event } => Event::ScheduledEvent(event),
            _ => return None,
        })
    }

    /// Its kind.
    pub fn kind(&self) -> EventKind {
        use EventKind as K;
        match self {
            Event::MessageCreate(_) => K::MessageCreate,
            Event::MessageUpdate { .. } => K::MessageUpdate,
            Event::MessageDelete { .. } => K::MessageDelete,
            Event::MessageDeleteBulk { .. } => K::MessageDeleteBulk,
            Event::ReactionAdd(_) => K::ReactionAdd,
            Event::ReactionRemove(_) => K::ReactionRemove,
            Event::ReactionRemoveAll { .. } => K::ReactionRemoveAll,
            Event::MemberJoin(_) => K::MemberJoin,
            Event::MemberLeave { .. } => K::MemberLeave,
            Event::MemberUpdate { .. } => K::MemberUpdate,
            Event::RoleCreate(_) => K::RoleCreate,
            Event::RoleUpdate { .. } => K::RoleUpdate,
            Event::RoleDelete { .. } => K::RoleDelete,
            Event::ChannelCreate(_) => K::ChannelCreate,
            Event::ChannelUpdate { .. } => K::ChannelUpdate,
            Event::ChannelDelete(_) => K::ChannelDelete,
            Event::VoiceState { .. } => K::VoiceState,
            Event::InviteCreate(_) => K::InviteCreate,
            Event::InviteDelete(_) => K::InviteDelete,
            Event::PinsUpdate(_) => K::PinsUpdate,
            Event::EmojisUpdate { .. } => K::EmojisUpdate,
            Event::StickersUpdate { .. } => K::StickersUpdate,
            Event::WebhooksUpdate { .. } => K::WebhooksUpdate,
            Event::IntegrationsUpdate { .. } => K::IntegrationsUpdate,
            Event::ThreadCreate(_) => K::ThreadCreate,
            Event::ThreadUpdate { .. } => K::ThreadUpdate,
            Event::ThreadDelete(_) => K::ThreadDelete,
            Event::GuildJoin { .. } => K::GuildJoin,
            Event::GuildLeave(_) => K::GuildLeave,
            Event::GuildUpdate(_) => K::GuildUpdate,
            Event::BanAdd { .. } => K::BanAdd,
            Event::BanRemove { .. } => K::BanRemove,
            Event::AuditLogEntry { .. } => K::AuditLogEntry,
            Event::ScheduledEvent(_) => K::ScheduledEvent,
            Event::Note(_) => K::Note,
        }
    }

    /// The guild the event happened in, when it says.
    pub fn guild_id(&self) -> Option<GuildId> {
        match self {
            Event::MessageCreate(m) => m.guild_id,
            Event::MessageUpdate { event, .. } => event.guild_id,
            Event::MessageDelete { guild_id, .. } | Event::MessageDeleteBulk { guild_id, .. } => {
                *guild_id
            }
            Event::ReactionAdd(r) | Event::ReactionRemove(r) => r.guild_id,
            Event::ReactionRemoveAll { .. } => None,
            Event::MemberJoin(m) => Some(m.guild_id),
            Event::MemberLeave { guild_id, .. }
            | Event::RoleDelete { guild_id, .. }
            | Event::EmojisUpdate { guild_id, .. }
            | Event::StickersUpdate { guild_id, .. }
            | Event::WebhooksUpdate { guild_id, .. }
            | Event::IntegrationsUpdate { guild_id }
            | Event::BanAdd { guild_id, .. }
            | Event::BanRemove { guild_id, .. }
            | Event::AuditLogEntry { guild_id, .. } => Some(*guild_id),
            Event::MemberUpdate { event, .. } => Some(event.guild_id),
            Event::RoleCreate(r) => Some(r.guild_id),
            Event::RoleUpdate { new, .. } => Some(new.guild_id),
            Event::ChannelCreate(c)
            | Event::ChannelDelete(c)
            | Event::ChannelUpdate { new: c, .. }
            | Event::ThreadCreate(c)
            | Event::ThreadUpdate { new: c, .. } => Some(c.guild_id),
            Event::VoiceState { new, .. } => new.guild_id,
            Event::InviteCreate(i) => i.guild_id,
            Event::InviteDelete(i) => i.guild_id,
            Event::PinsUpdate(p) => p.guild_id,
            Event::ThreadDelete(t) => Some(t.guild_id),
            Event::GuildJoin { guild, .. } => Some(guild.id),
            Event::GuildLeave(g) => Some(g.id),
            Event::GuildUpdate(g) => Some(g.id),
            Event::ScheduledEvent(e) => Some(e.guild_id),
            Event::Note(n) => Some(n.guild),
        }
    }
}

/// Calls every subscribed listener of enabled features for `event`, concurrently; failures and
/// panics are reported (error id, log, error-log channel) and do not stop the others.
pub async fn dispatch(ctx: &serenity::Context, data: &Data, raw: &serenity::FullEvent) {
    if let Some(event) = Event::from_serenity(raw) {
        run_listeners(ctx, data, &event).await;
    }
}

/// Hands a note of the bot's own to the listeners of [`EventKind::Note`] (the logging feature
/// files it in the server's gameplay or error log). Never fails: a listener's failure is
/// logged, not reported again as a note.
pub async fn note(ctx: &serenity::Context, data: &Data, note: Note) {
    run_listeners(ctx, data, &Event::Note(&note)).await;
}

/// A [`note`] from work that runs outside a gateway event (a scheduler job): it uses the
/// gateway context the bot kept from its first event; before any event nothing is filed.
pub async fn note_from_job(data: &Data, n: Note) {
    if let Some(ctx) = data.gateway_context() {
        let ctx = ctx.clone();
        note(&ctx, data, n).await;
    }
}

/// A gameplay [`note`] about the author of a command, in its server and channel (nothing
/// outside a server).
pub async fn gameplay_note(
    ctx: crate::Context<'_>,
    kind: &'static str,
    text: &'static str,
    build: impl FnOnce(Note) -> Note,
) {
    let Some(g) = ctx.guild_id() else { return };
    let n = Note::new(g, NoteTopic::Gameplay, kind, text)
        .user(ctx.author().id)
        .channel(ctx.channel_id());
    note(ctx.serenity_context(), ctx.data(), build(n)).await;
}

async fn run_listeners(ctx: &serenity::Context, data: &Data, event: &Event<'_>) {
    let kind = event.kind();
    let listeners = data.registry().listeners_for(data.config(), kind);
    if listeners.is_empty() {
        return;
    }
    let guild = event.guild_id();
    let mut runs = Vec::with_capacity(listeners.len());
    for (feature, switch, listener) in listeners {
        if !data
            .feature_enabled_in(switch, guild.map(|g| g.get()))
            .await
        {
            continue;
        }
        runs.push(async move {
            let result = errors::catch_panic(listener(ctx, data, event)).await;
            if let Err(e) = result {
                let what = format!("listener {feature} on {kind:?}");
                // A failure while filing a note is not reported as another note (no loop).
                let post = kind != EventKind::Note;
                report_failure(ctx, data, feature, what, guild, &e, post).await;
            }
        });
    }
    futures::future::join_all(runs).await;
}

/// Reports a failure of a feature's event work as a command error is reported: an error id,
/// the log, the `listener_failed` metric and (with `post`) the server's error-log channel.
/// Listeners' failures come here; so does work a listener hands to a task of its own (a
/// per-server queue drained in the background).
pub async fn report_failure(
    ctx: &serenity::Context,
    data: &Data,
    feature: &'static str,
    what: String,
    guild: Option<GuildId>,
    e: &crate::Error,
    post: bool,
) {
    let report = errors::Report {
        id: errors::new_error_id(),
        command: what.clone(),
        kind: what,
        user: "-".into(),
        guild_id: guild.map(|g| g.get()),
        channel_id: None,
        error: format!("{e:?}"),
    };
    tracing::error!(error_id = %report.id, feature, "{} failed: {}", report.kind, report.error);
    data.metrics().listener_failed(feature);
    if post {
        errors::post_report(ctx, data, &report).await;
    }
}
