//! The pipeline every logged event goes through: [`accept`] checks the switches and ignore
//! rules, queues the `logs` row and the embed; [`flush`] (every scheduler tick, and once more
//! at shutdown) writes the queued rows in one batch and posts each channel's embeds, packed up
//! to 10 per message and 6,000 characters, within the channel's posting budget. An entry that
//! does not fit the channel's backlog is still stored; the channel is told how many it missed.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use chronix_core::ids::{ChannelId, GuildId, RoleId, UserId};
use chronix_core::logging::{self as rules, LogCategory};
use chronix_storage::logging::{self as store, NewLog};
use chrono::{DateTime, Utc};

use super::state::{LogState, Outbox};
use crate::embeds::truncate;
use crate::kernel::ids::ToDiscord;
use crate::prelude::*;

/// A log embed (its own emoji and colour; clipped to Discord's limits when built).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEmbed {
    pub title: String,
    pub colour: u32,
    pub description: Option<String>,
    pub fields: Vec<(String, String, bool)>,
    pub footer: String,
    pub at: DateTime<Utc>,
    /// A file sent with it (the bulk-delete transcript): `(name, bytes)`.
    pub file: Option<(String, Vec<u8>)>,
}

/// Colours by what happened.
pub mod colour {
    pub const CREATE: u32 = 0x2ECC71;
    pub const DELETE: u32 = 0xE74C3C;
    pub const UPDATE: u32 = 0xF1C40F;
    pub const INFO: u32 = 0x3498DB;
    pub const VOICE: u32 = 0x9B59B6;
    pub const MOD: u32 = 0xE67E22;
}

impl LogEmbed {
    /// A new embed: `emoji title`.
    pub fn new(emoji: &str, title: String, colour: u32, at: DateTime<Utc>) -> Self {
        Self {
            title: format!("{emoji} {title}"),
            colour,
            description: None,
            fields: Vec::new(),
            footer: String::new(),
            at,
            file: None,
        }
    }
    /// No embed: for an entry whose category has no channel (stored, never posted).
    pub fn unposted(at: DateTime<Utc>) -> Self {
        Self::new("", String::new(), 0, at)
    }
    /// Whether this is [`LogEmbed::unposted`].
    pub fn is_unposted(&self) -> bool {
        self.title.trim().is_empty()
    }
    pub fn description(mut self, d: String) -> Self {
        self.description = Some(d);
        self
    }
    pub fn field(mut self, name: String, value: String, inline: bool) -> Self {
        self.fields.push((name, value, inline));
        self
    }
    pub fn footer(mut self, f: String) -> Self {
        self.footer = f;
        self
    }
    /// Clipped to Discord's per-embed limits (title 256, description 4096, 25 fields of
    /// 256/1024, footer 2048, 6,000 in all).
    pub fn clipped(&self) -> LogEmbed {
        let mut e = self.clone();
        e.title = truncate(&e.title, 256);
        e.description = e.description.map(|d| truncate(&d, 4096));
        e.fields.truncate(25);
        for f in &mut e.fields {
            f.0 = truncate(if f.0.is_empty() { "\u{200b}" } else { &f.0 }, 256);
            f.1 = truncate(if f.1.is_empty() { "\u{200b}" } else { &f.1 }, 1024);
        }
        e.footer = truncate(&e.footer, 2048);
        while e.size() > rules::MAX_CHARS_PER_MESSAGE && e.fields.pop().is_some() {}
        if e.size() > rules::MAX_CHARS_PER_MESSAGE {
            e.description = e.description.map(|d| truncate(&d, 1000));
        }
        e
    }
    /// Characters Discord counts.
    pub fn size(&self) -> usize {
        self.title.chars().count()
            + self.description.as_deref().map_or(0, |d| d.chars().count())
            + self
                .fields
                .iter()
                .map(|f| f.0.chars().count() + f.1.chars().count())
                .sum::<usize>()
            + self.footer.chars().count()
    }
    fn build(&self) -> serenity::CreateEmbed {
        let mut out = serenity::CreateEmbed::new()
            .title(&self.title)
            .colour(self.colour)
            .timestamp(
                serenity::Timestamp::from_unix_timestamp(self.at.timestamp())
                    .unwrap_or_else(|_| serenity::Timestamp::now()),
            );
        if !self.footer.is_empty() {
            out = out.footer(serenity::CreateEmbedFooter::new(&self.footer));
        }
        if let Some(d) = &self.description {
            out = out.description(d);
        }
        for (n, v, i) in &self.fields {
            out = out.field(n, v, *i);
        }
        out
    }
}

/// One event to log.
#[derive(Debug, Clone)]
pub struct Entry {
    pub guild: GuildId,
    pub category: LogCategory,
    /// `message_edit`, `role_update`, …
    pub kind: &'static str,
    /// Recorded by Discord's audit log too (logged whatever `LOG_NON_AUDIT_EVENTS` says).
    pub audit: bool,
    pub channel: Option<ChannelId>,
    pub actor: Option<UserId>,
    pub subject: Option<u64>,
    pub payload: serde_json::Value,
    pub at: DateTime<Utc>,
    pub embed: LogEmbed,
    /// Stored in the `logs` table but not posted (someone else has posted it already).
    pub stored_only: bool,
}

impl Entry {
    /// An entry about `embed` (its time is the embed's).
    pub fn new(
        guild: GuildId,
        category: LogCategory,
        kind: &'static str,
        audit: bool,
        embed: LogEmbed,
    ) -> Self {
        Self {
            guild,
            category,
            kind,
            audit,
            channel: None,
            actor: None,
            subject: None,
            payload: serde_json::Value::Null,
            at: embed.at,
            embed,
            stored_only: false,
        }
    }
    pub fn stored_only(mut self) -> Self {
        self.stored_only = true;
        self
    }
    pub fn channel(mut self, c: ChannelId) -> Self {
        self.channel = Some(c);
        self
    }
    pub fn actor(mut self, a: Option<UserId>) -> Self {
        self.actor = a;
        self
    }
    pub fn subject(mut self, s: u64) -> Self {
        self.subject = Some(s);
        self
    }
    pub fn payload(mut self, p: serde_json::Value) -> Self {
        self.payload = p;
        self
    }
}

/// Why an entry was not taken (tests and the benchmark count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    NonAudit,
    CategoryOff,
    IgnoredChannel,
    IgnoredRole,
}

/// Takes an entry: gates, the `logs` row into the write queue, the embed into its channel's
/// outbox. Returns why it was skipped, if it was.
pub async fn accept(data: &Data, state: &LogState, entry: Entry) -> Result<Option<Skip>, Error> {
    if !entry.audit && !data.config().logging.non_audit_events {
        return Ok(Some(Skip::NonAudit));
    }
    let cfg = state.config(data, entry.guild).await?;
    if !cfg.settings.category_enabled(entry.category.key()) {
        return Ok(Some(Skip::CategoryOff));
    }
    if let Some(c) = entry.channel {
        let parent = state.channels.get(&c).and_then(|ch| ch.parent_id);
        if cfg.settings.ignored_channels.contains(&c)
            || parent.is_some_and(|p| cfg.settings.ignored_channels.contains(&p))
        {
            return Ok(Some(Skip::IgnoredChannel));
        }
    }
    if let Some(a) = entry.actor {
        let roles: Vec<RoleId> = state.member_roles(entry.guild, a);
        if roles.iter().any(|r| cfg.settings.ignored_roles.contains(r)) {
            return Ok(Some(Skip::IgnoredRole));
        }
    }
    let target = cfg
        .channel_of(entry.category)
        .filter(|_| !entry.stored_only && !entry.embed.is_unposted());
    let queued = {
        let mut q = state.queue.lock();
        q.push(NewLog {
            guild_id: Some(entry.guild),
            category: entry.category.key().to_string(),
            log_type: entry.kind.to_string(),
            channel_id: entry.channel,
            actor_id: entry.actor,
            subject_id: entry.subject,
            payload: entry.payload,
            created_at: entry.at,
        });
        q.len()
    };
    state.accepted.fetch_add(1, Ordering::Relaxed);
    if let Some(ch) = target {
        let backlog = data.config().logging.channel_backlog as usize;
        let mut boxes = state.outboxes.lock();
        let ob = boxes.entry(ch).or_insert_with(|| Outbox {
            guild_id: entry.guild,
            ..Outbox::default()
        });
        if ob.entries.len() >= backlog {
            ob.overflow += 1;
        } else {
            ob.entries.push_back(entry.embed.clipped());
        }
    }
    if queued >= QUEUE_MAX {
        write_full_queue(data, state).await;
    }
    Ok(None)
}

/// Writes the queued rows (one batch; on failure they go back to the queue, nothing is lost)
/// and posts what each channel's budget allows. `final_flush` (shutdown) posts one more round
/// whatever the budget.
pub async fn flush(data: &Data, state: &Arc<LogState>, final_flush: bool) -> Result<u64, Error> {
    let _one = state.flushing.lock().await;
    let written = write_queue(data, state).await?;
    if let Some(http) = data.http() {
        post(data, state, http, final_flush).await;
    }
    Ok(written)
}

/// Rows the write queue holds at most between two ticks: a listener that finds it this full
/// writes it itself before going on, so under a flood of events the listeners go at the pace
/// of the database (and the gateway at theirs, see `crate::flood`) instead of piling rows up
/// in memory.
pub const QUEUE_MAX: usize = 4 * store::PG_CHUNK;

/// Writes the queue once an entry found it holding [`QUEUE_MAX`] rows (one writer at a time;
/// the others wait for it and find the queue written). A failure leaves the rows queued for the
/// tick, which reports it.
async fn write_full_queue(data: &Data, state: &LogState) {
    let _one = state.flushing.lock().await;
    if state.queue.lock().len() < QUEUE_MAX {
        return;
    }
    if let Err(e) = write_queue(data, state).await {
        tracing::warn!(error = ?e, "logging: writing a full queue failed; the tick retries");
    }
}

/// Writes the whole queue (the caller holds `state.flushing`). Chunks go to the database on up
/// to [`WRITERS`] connections at once (one transaction each): the next chunk is encoded while
/// the server stores the previous one. A chunk that fails goes back to the front of the queue.
async fn write_queue(data: &Data, state: &LogState) -> Result<u64, Error> {
    use futures::StreamExt;
    let rows: Vec<NewLog> = std::mem::take(&mut *state.queue.lock());
    // Taken from the front chunk by chunk (`split_off` would copy the tail each time).
    let mut parts: Vec<Vec<NewLog>> = Vec::new();
    let mut rows = rows.into_iter();
    loop {
        let part: Vec<NewLog> = rows.by_ref().take(store::PG_CHUNK).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    let results: Vec<(Vec<NewLog>, Result<u64, chronix_storage::StorageError>)> =
        futures::stream::iter(parts)
            .map(|part| async move {
                let r = store::insert_batch(data.storage(), &part).await;
                (part, r)
            })
            .buffer_unordered(WRITERS)
            .collect()
            .await;
    let mut written = 0;
    let mut failed: Option<chronix_storage::StorageError> = None;
    for (part, r) in results {
        match r {
            Ok(n) => written += n,
            Err(e) => {
                // Back to the queue: nothing accepted is lost.
                let mut q = state.queue.lock();
                let newer = std::mem::take(&mut *q);
                *q = part;
                q.extend(newer);
                failed = Some(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(written),
    }
}

/// Database connections a flush writes on at once.
pub const WRITERS: usize = 2;

/// One message's worth of embeds for a channel.
struct Batch {
    guild: GuildId,
    channel: ChannelId,
    embeds: Vec<LogEmbed>,
    overflow: u64,
}

async fn post(data: &Data, state: &LogState, http: &serenity::Http, final_flush: bool) {
    let rate = data.config().logging.post_rate;
    let now = Utc::now();
    let mut batches: Vec<Batch> = Vec::new();
    {
        let mut boxes = state.outboxes.lock();
        for (channel, ob) in boxes.iter_mut() {
            if ob.entries.is_empty() && ob.overflow == 0 {
                continue;
            }
            let groups = groups_of(&ob.entries);
            let wanted = groups.len() + usize::from(ob.overflow > 0);
            let allowed = if final_flush {
                wanted
            } else {
                ob.budget.take(rate, wanted, now)
            };
            let mut taken = 0;
            for g in groups.into_iter().take(allowed) {
                let embeds: Vec<LogEmbed> = ob.entries.drain(..g.len()).collect();
                batches.push(Batch {
                    guild: ob.guild_id,
                    channel: *channel,
                    embeds,
                    overflow: 0,
                });
                taken += 1;
            }
            if ob.overflow > 0 && taken < allowed {
                batches.push(Batch {
                    guild: ob.guild_id,
                    channel: *channel,
                    embeds: Vec::new(),
                    overflow: std::mem::take(&mut ob.overflow),
                });
            }
        }
        // Empty outboxes stay: their budget keeps counting the current window.
    }
    for b in batches {
        let msg = if b.overflow > 0 {
            let l = crate::i18n::guild_locale(data, Some(b.guild.get())).await;
            let e = Embed::warning(tr!(l, "logging-overflow-title")).description(tr!(
                l,
                "logging-overflow",
                count = b.overflow
            ));
            embeds::message(e)
        } else {
            let mut m = serenity::CreateMessage::new()
                .embeds(b.embeds.iter().map(LogEmbed::build).collect())
                .allowed_mentions(embeds::no_mentions());
            for e in &b.embeds {
                if let Some((name, bytes)) = &e.file {
                    m = m.add_file(serenity::CreateAttachment::bytes(
                        bytes.clone(),
                        name.clone(),
                    ));
                }
            }
            m
        };
        if let Err(e) = b.channel.discord().send_message(http, msg).await {
            tracing::warn!(channel = b.channel.get(), entries = b.embeds.len(), error = %e,
                "a log message could not be posted (the entries are in the logs table)");
        }
    }
}

/// The message groups of a channel's queue: packed by [`rules::pack`], an entry with a file
/// alone in its message.
fn groups_of(entries: &std::collections::VecDeque<LogEmbed>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let all: Vec<&LogEmbed> = entries.iter().collect();
    let push_run = |from: usize, to: usize, out: &mut Vec<std::ops::Range<usize>>| {
        let sizes: Vec<usize> = all[from..to].iter().map(|e| e.size()).collect();
        for r in rules::pack(
            &sizes,
            rules::MAX_EMBEDS_PER_MESSAGE,
            rules::MAX_CHARS_PER_MESSAGE,
        ) {
            out.push(r.start + from..r.end + from);
        }
    };
    for (i, e) in all.iter().enumerate() {
        if e.file.is_some() {
            push_run(start, i, &mut out);
            out.push(i..i + 1);
            start = i + 1;
        }
    }
    push_run(start, all.len(), &mut out);
    out
}
