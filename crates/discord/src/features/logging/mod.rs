//! `logging`: log channels for what happens on a server, including what Discord's audit log
//! misses (spec §5, §XII).
//!
//! * Listeners ([`messages`], [`server`]): message edits (before/after), deletes (content,
//!   author, attachments), bulk deletes (one entry with a transcript file), pins; member joins,
//!   leaves, nickname and role changes; voice joins, leaves, moves; bans, unbans, kicks; roles
//!   and channels created, changed (before/after, permission overwrites included) and deleted;
//!   threads; invites; emojis, stickers, webhooks, integrations; timeouts given and lifted (from
//!   the audit log); notes of the bot's own ([`notes`]): gameplay moments and internal errors.
//! * The "before" comes from the feature's own memory ([`state`]): a bounded message cache
//!   (`LOG_MESSAGE_CACHE_SIZE`, `LOG_MESSAGE_CACHE_SECS`; with a server's privacy switch on, no
//!   content is kept or stored), slim records of roles, channels, members' nicknames and roles
//!   and voice channels. When it is not known the entry says so.
//! * Every entry goes through [`pipeline::accept`]: `LOG_NON_AUDIT_EVENTS`, the server's
//!   category switches and ignore rules; then a `logs` row (written in batches by the tick and
//!   at shutdown) and an embed in the category's channel (packed up to 10 per message within
//!   `LOG_POST_RATE`; an overflow past `LOG_CHANNEL_BACKLOG` is counted and reported).
//! * Commands ([`commands`]): `create-logs`, `logs show|set|ignore|unignore|enable|disable|privacy`.
//! * The job `logging.prune` deletes rows older than `LOG_RETENTION_DAYS`.

pub mod commands;
pub mod messages;
pub mod notes;
pub mod pipeline;
pub mod server;
pub mod state;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use chronix_core::ids::{ChannelId, GuildId, MessageId, RoleId};

use crate::events::{Event, EventKind};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::{JobContext, JobKind, Tick, TickContext};
use pipeline::Entry;
use server::Change;
use state::LogState;

/// The recurring prune job.
pub const PRUNE_JOB: &str = "logging.prune";

/// The event kinds the feature listens to.
pub const KINDS: &[EventKind] = &[
    EventKind::GuildJoin,
    EventKind::MessageCreate,
    EventKind::MessageUpdate,
    EventKind::MessageDelete,
    EventKind::MessageDeleteBulk,
    EventKind::PinsUpdate,
    EventKind::MemberJoin,
    EventKind::MemberLeave,
    EventKind::MemberUpdate,
    EventKind::VoiceState,
    EventKind::BanAdd,
    EventKind::BanRemove,
    EventKind::AuditLogEntry,
    EventKind::RoleCreate,
    EventKind::RoleUpdate,
    EventKind::RoleDelete,
    EventKind::ChannelCreate,
    EventKind::ChannelUpdate,
    EventKind::ChannelDelete,
    EventKind::ThreadCreate,
    EventKind::ThreadUpdate,
    EventKind::ThreadDelete,
    EventKind::InviteCreate,
    EventKind::InviteDelete,
    EventKind::EmojisUpdate,
    EventKind::StickersUpdate,
    EventKind::WebhooksUpdate,
    EventKind::IntegrationsUpdate,
    EventKind::Note,
];

/// The logging feature.
pub fn feature() -> Feature {
    Feature::new("logging", commands::commands)
        .on(KINDS, on_event)
        .tick(Arc::new(FlushTick))
        .job(JobKind::every(
            PRUNE_JOB,
            chrono::Duration::hours(1),
            prune_job,
        ))
        .on_shutdown(on_shutdown)
        .config_keys(&[
            "LOG_NON_AUDIT_EVENTS",
            "LOG_RETENTION_DAYS",
            "LOG_MESSAGE_CACHE_SIZE",
            "LOG_MESSAGE_CACHE_SECS",
            "LOG_POST_RATE",
            "LOG_CHANNEL_BACKLOG",
            "LOG_GAMEPLAY_MIN_CHRONS",
        ])
}

/// The feature's state of this bot.
pub fn state(data: &Data) -> Arc<LogState> {
    data.state::<LogState>()
}

/// Counts a running listener call (the shutdown hook waits for them).
struct InFlight(Arc<LogState>);
impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn on_event<'a>(
    _ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let st = state(data);
        st.in_flight.fetch_add(1, Ordering::SeqCst);
        let _guard = InFlight(st.clone());
        handle(data, &st, event).await
    })
}

/// Routes one event to its listener (also the benchmark's entry point).
pub async fn handle(data: &Data, st: &LogState, event: &Event<'_>) -> Result<(), Error> {
    match event {
        Event::GuildJoin { guild, .. } => {
            messages::guild_join(st, guild);
            Ok(())
        }
        Event::MessageCreate(m) => messages::message_create(data, st, m).await,
        Event::MessageUpdate { event, .. } => messages::message_update(data, st, event).await,
        Event::MessageDelete {
            guild_id,
            channel_id,
            message_id,
        } => messages::message_delete(data, st, *guild_id, *channel_id, *message_id).await,
        Event::MessageDeleteBulk {
            guild_id,
            channel_id,
            message_ids,
        } => messages::message_delete_bulk(data, st, *guild_id, *channel_id, message_ids).await,
        Event::PinsUpdate(p) => messages::pins(data, st, p).await,
        Event::MemberJoin(m) => messages::member_join(data, st, m).await,
        Event::MemberLeave { guild_id, user, .. } => {
            messages::member_leave(data, st, *guild_id, user).await
        }
        Event::MemberUpdate { event, .. } => messages::member_update(data, st, event).await,
        Event::VoiceState { new, .. } => messages::voice(data, st, new).await,
        Event::BanAdd { guild_id, user } => messages::ban(data, st, *guild_id, user, true).await,
        Event::BanRemove { guild_id, user } => {
            messages::ban(data, st, *guild_id, user, false).await
        }
        Event::AuditLogEntry { guild_id, entry } => {
            messages::audit_entry(data, st, *guild_id, entry).await
        }
        Event::RoleCreate(r) => server::role(data, st, r.guild_id, r.id, Some(r), true).await,
        Event::RoleUpdate { new, .. } => {
            server::role(data, st, new.guild_id, new.id, Some(new), false).await
        }
        Event::RoleDelete {
            guild_id, role_id, ..
        } => server::role(data, st, *guild_id, *role_id, None, false).await,
        Event::ChannelCreate(c) | Event::ThreadCreate(c) => {
            server::channel(data, st, c, Change::Create).await
        }
        Event::ChannelUpdate { new, .. } | Event::ThreadUpdate { new, .. } => {
            server::channel(data, st, new, Change::Update).await
        }
        Event::ChannelDelete(c) => server::channel(data, st, c, Change::Delete).await,
        Event::ThreadDelete(t) => server::thread_delete(data, st, t).await,
        Event::InviteCreate(i) => {
            server::invite(data, st, i.guild_id, i.channel_id, &i.code, Some(i)).await
        }
        Event::InviteDelete(i) => {
            server::invite(data, st, i.guild_id, i.channel_id, &i.code, None).await
        }
        Event::EmojisUpdate { guild_id, emojis } => {
            let list = emojis
                .values()
                .map(|e| (e.id.get(), e.name.clone()))
                .collect();
            server::expressions(data, st, *guild_id, list, false).await
        }
        Event::StickersUpdate { guild_id, stickers } => {
            let list = stickers
                .values()
                .map(|s| (s.id.get(), s.name.clone()))
                .collect();
            server::expressions(data, st, *guild_id, list, true).await
        }
        Event::WebhooksUpdate {
            guild_id,
            channel_id,
        } => server::hooks(data, st, *guild_id, Some(*channel_id)).await,
        Event::IntegrationsUpdate { guild_id } => server::hooks(data, st, *guild_id, None).await,
        Event::Note(n) => notes::note(data, st, n).await,
        _ => Ok(()),
    }
}

/// Takes an entry through the pipeline (gates, queue, outbox).
pub async fn submit(data: &Data, st: &LogState, entry: Entry) -> Result<(), Error> {
    pipeline::accept(data, st, entry).await.map(|_| ())
}

/// A jump link to a message.
pub fn jump(guild: GuildId, channel: ChannelId, message: MessageId) -> String {
    format!("[↗](https://discord.com/channels/{guild}/{channel}/{message})")
}

/// `<@&1>, <@&2>` or "none".
pub fn mention_list(l: Locale, roles: &[RoleId]) -> String {
    if roles.is_empty() {
        return tr!(l, "logging-none");
    }
    roles
        .iter()
        .map(|r| format!("<@&{r}>"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the queue and posts within the budget, every scheduler tick.
struct FlushTick;

impl Tick for FlushTick {
    fn name(&self) -> &'static str {
        "logging.flush"
    }
    fn run<'a>(&'a self, ctx: &'a TickContext) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            pipeline::flush(&ctx.data, &state(&ctx.data), false).await?;
            Ok(())
        })
    }
}

fn on_shutdown(data: &Data) -> BoxFuture<'_, anyhow::Result<()>> {
    Box::pin(async move {
        let st = state(data);
        // Listener calls that started before the gateway closed finish first.
        let end = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while st.in_flight.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < end {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let n = pipeline::flush(data, &st, true).await?;
        tracing::info!(rows = n, "logging: queue flushed at shutdown");
        Ok(())
    })
}

fn prune_job<'a>(
    ctx: &'a JobContext,
    _job: &'a chronix_storage::jobs::Job,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let days = ctx.data.config().logging.retention_days as i64;
        let before = ctx.now - chrono::Duration::days(days);
        let n = chronix_storage::logging::prune(ctx.data.storage(), before).await?;
        tracing::info!(rows = n, "logging: pruned old log rows");
        Ok(())
    })
}
