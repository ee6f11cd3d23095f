//! The invite-use cache and the listeners that keep it: filled per guild when the guild
//! becomes available (start-up or joined) from `GET /guilds/{id}/invites` and the vanity URL,
//! kept by INVITE_CREATE / INVITE_DELETE, and compared on each member join with a fresh fetch
//! (`chronix_core::invites::attribute_batch`) to find the invite used.
//!
//! A join is queued, not handled in its event's task: each guild has one queue and at most one
//! task draining it, which reads the invites once for all the joins queued by then (a burst of
//! joins costs one read and one transaction, not one of each per join) and stores them with
//! `record_joins`. So two joins never read the same "before", a raid of joins holds a few
//! bytes per join instead of a waiting task each, and Discord sees one invites read per burst.
//! The cache is in memory (`Data::state`): after a restart it is filled again before the next
//! join can be compared; the joins themselves are stored.

use std::collections::HashMap;
use std::sync::Arc;

use chronix_core::ids::{GuildId, UserId};
use chronix_core::invites::{self as rules, InviteUse, InviteUses, JoinSource};
use chronix_storage::invites::{self as store, Join};
use chrono::{DateTime, Utc};
use poise::BoxFuture;

use crate::events::Event;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// One guild's cached invites.
#[derive(Default)]
pub struct GuildInvites {
    /// Whether the cache was filled (a join before that is compared against nothing known).
    pub filled: bool,
    /// Invites by code.
    pub uses: InviteUses,
    /// The vanity URL's uses, when it has one.
    pub vanity: Option<u64>,
    /// Whether the guild has a vanity URL, from its GUILD_CREATE and GUILD_UPDATE
    /// (`vanity_url_code`); `None` until one arrived. Without one the vanity URL is not read
    /// (one REST call fewer per burst of joins).
    pub has_vanity: Option<bool>,
    /// Discord refused to show the invites (the bot lacks Manage Server): joins are not
    /// compared and the invites not read again until a role or the bot's member changes, or
    /// until this time has passed (a refused request per join would count toward Discord's
    /// limit of invalid requests).
    pub refused_until: Option<std::time::Instant>,
}

/// How long a refused read of a guild's invites is believed without a role change.
const REFUSED_FOR: std::time::Duration = std::time::Duration::from_secs(600);

impl GuildInvites {
    fn refused(&self) -> bool {
        self.refused_until
            .is_some_and(|t| std::time::Instant::now() < t)
    }
}

/// Per-guild caches, each behind its own async lock, and the joins waiting to be compared.
pub struct InviteCache {
    guilds: std::sync::Mutex<HashMap<GuildId, Arc<tokio::sync::Mutex<GuildInvites>>>>,
    /// Joins not compared yet, per guild; a guild is here while its drain task runs.
    pending: std::sync::Mutex<HashMap<GuildId, Vec<PendingJoin>>>,
    /// Drain tasks writing at once: a raid on many servers must leave database connections to
    /// the other listeners and to commands (on SQLite every writer waits for the one write
    /// lock while holding its connection).
    writers: tokio::sync::Semaphore,
}

impl Default for InviteCache {
    fn default() -> Self {
        Self {
            guilds: std::sync::Mutex::default(),
            pending: std::sync::Mutex::default(),
            writers: tokio::sync::Semaphore::new(WRITERS),
        }
    }
}

/// Drain tasks writing joins at once (see [`InviteCache`]).
const WRITERS: usize = 2;

/// A join waiting in its guild's queue.
#[derive(Debug, Clone, Copy)]
struct PendingJoin {
    user: UserId,
    joined_at: DateTime<Utc>,
}

/// Most joins compared and stored together.
const MAX_BATCH: usize = 500;

impl InviteCache {
    /// The cache of `guild` (created empty on first use).
    pub fn guild(&self, guild: GuildId) -> Arc<tokio::sync::Mutex<GuildInvites>> {
        let mut map = self.guilds.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(guild).or_default().clone()
    }

    /// Forgets a guild the bot left.
    pub fn forget(&self, guild: GuildId) {
        let mut map = self.guilds.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&guild);
    }

    /// Queues a join; true when the guild has no drain task yet (the caller starts one).
    fn queue(&self, guild: GuildId, join: PendingJoin) -> bool {
        let mut map = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(&guild) {
            Some(q) => {
                q.push(join);
                false
            }
            None => {
                map.insert(guild, vec![join]);
                true
            }
        }
    }

    /// The next joins of `guild` to compare (at most [`MAX_BATCH`]); none left ends the drain
    /// task (the guild leaves the map, so the next join starts a new one).
    fn next_batch(&self, guild: GuildId) -> Vec<PendingJoin> {
        let mut map = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let Some(q) = map.get_mut(&guild) else {
            return Vec::new();
        };
        if q.is_empty() {
            map.remove(&guild);
            return Vec::new();
        }
        let n = q.len().min(MAX_BATCH);
        q.drain(..n).collect()
    }

    /// Whether a drain task runs (joins are queued or being stored).
    pub fn busy(&self) -> bool {
        let map = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        !map.is_empty()
    }
}

/// Why the invites could not be read.
enum Unread {
    /// Discord refused (4xx: the bot lacks Manage Server).
    Refused,
    /// Anything else (a timeout, a server error), after the retries.
    Failed,
}

/// The guild's invites now. A failed read other than a refusal (a timeout, a 5xx) is tried
/// twice more, 250 ms and 1 s later: a join compared against nothing is lost for its inviter.
async fn fetch_invites(http: &serenity::Http, guild: GuildId) -> Result<InviteUses, Unread> {
    let mut waits = [250u64, 1_000].into_iter();
    loop {
        match read_invites(http, guild).await {
            Ok(uses) => return Ok(uses),
            Err(e) => {
                let refused = matches!(
                    &e,
                    serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r))
                        if r.status_code.is_client_error()
                );
                match waits.next() {
                    Some(ms) if !refused => {
                        tracing::warn!(%guild, error = %e, "guild invites not read, trying again");
                        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                    }
                    _ => {
                        tracing::debug!(%guild, error = %e, "guild invites not readable");
                        return Err(if refused {
                            Unread::Refused
                        } else {
                            Unread::Failed
                        });
                    }
                }
            }
        }
    }
}

async fn read_invites(http: &serenity::Http, guild: GuildId) -> serenity::Result<InviteUses> {
    http.get_guild_invites(guild.discord()).await.map(|list| {
        list.into_iter()
            .map(|i| {
                (
                    i.code,
                    InviteUse {
                        inviter: i.inviter.map(|u| u.id.core()),
                        uses: i.uses,
                        max_uses: u64::from(i.max_uses),
                    },
                )
            })
            .collect()
    })
}

/// The vanity URL's uses (`None`: the guild has none, or it is not readable); no request when
/// the guild is known to have none.
async fn fetch_vanity(g: &GuildInvites, http: &serenity::Http, guild: GuildId) -> Option<u64> {
    if g.has_vanity == Some(false) {
        return None;
    }
    let req = serenity::http::Request::new(
        serenity::http::Route::GuildVanityUrl {
            guild_id: guild.discord(),
        },
        serenity::http::LightMethod::Get,
    );
    let v: serde_json::Value = http.fire(req).await.ok()?;
    v["code"].as_str()?;
    v["uses"].as_u64()
}

/// Fills the cache of `guild` from Discord. A guild create can arrive again while the bot
/// runs (after the gateway reconnected); then the counts already held are kept and only codes
/// the cache did not know are added, as for an invite create: a join whose event is still
/// queued must find its invite's use grown, not already counted by this reading.
pub async fn fill(data: &Data, http: &serenity::Http, guild: GuildId, has_vanity: bool) {
    let cache = data.state::<InviteCache>().guild(guild);
    let mut g = cache.lock().await;
    g.refused_until = None;
    g.has_vanity = Some(has_vanity);
    let read = fetch_invites(http, guild).await;
    if let Err(Unread::Refused) = read {
        g.refused_until = Some(std::time::Instant::now() + REFUSED_FOR);
        return;
    }
    if let Ok(uses) = read {
        if g.filled {
            for (code, u) in uses {
                g.uses.entry(code).or_insert(u);
            }
        } else {
            g.uses = uses;
            g.filled = true;
        }
    }
    if !g.filled || g.vanity.is_none() {
        g.vanity = fetch_vanity(&g, http, guild).await;
    }
}

/// `GuildJoin` / `GuildLeave` / `InviteCreate` / `InviteDelete`: keep the cache.
pub fn on_cache_event<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        match event {
            Event::GuildJoin { guild, .. } => {
                let has_vanity = guild.vanity_url_code.is_some();
                fill(data, &ctx.http, guild.id.core(), has_vanity).await
            }
            Event::GuildUpdate(g) => {
                let cache = data.state::<InviteCache>().guild(g.id.core());
                let mut cached = cache.lock().await;
                let has_vanity = g.vanity_url_code.is_some();
                if cached.has_vanity != Some(has_vanity) {
                    cached.has_vanity = Some(has_vanity);
                    // read at the next join that needs it, as a baseline
                    cached.vanity = None;
                }
            }
            Event::GuildLeave(g) if !g.unavailable => {
                data.state::<InviteCache>().forget(g.id.core())
            }
            Event::InviteCreate(e) => {
                let Some(gid) = e.guild_id else {
                    return Ok(());
                };
                let cache = data.state::<InviteCache>().guild(gid.core());
                // Events run concurrently: a create seen after a join already read the
                // invite (with its uses) must not reset them.
                cache
                    .lock()
                    .await
                    .uses
                    .entry(e.code.clone())
                    .or_insert(InviteUse {
                        inviter: e.inviter.as_ref().map(|u| u.id.core()),
                        uses: e.uses,
                        max_uses: u64::from(e.max_uses),
                    });
            }
            // The bot's permissions may have changed: read the invites again at the next join.
            Event::RoleCreate(r) => allow_again(data, r.guild_id.core()).await,
            Event::RoleUpdate { new, .. } => allow_again(data, new.guild_id.core()).await,
            Event::RoleDelete { guild_id, .. } => allow_again(data, guild_id.core()).await,
            Event::MemberUpdate { event, .. } if event.user.id == ctx.cache.current_user().id => {
                allow_again(data, event.guild_id.core()).await
            }
            Event::InviteDelete(e) => {
                let Some(gid) = e.guild_id else {
                    return Ok(());
                };
                let cache = data.state::<InviteCache>().guild(gid.core());
                cache.lock().await.uses.remove(&e.code);
            }
            _ => {}
        }
        Ok(())
    })
}

/// Forgets a refusal to read `guild`'s invites.
async fn allow_again(data: &Data, guild: GuildId) {
    let cache = data.state::<InviteCache>().guild(guild);
    cache.lock().await.refused_until = None;
}

/// Finds how the `joins` members queued in `guild` joined: reads the invites once, compares
/// them with the cache and keeps the fresh ones.
async fn attribute_joins(
    data: &Data,
    http: &serenity::Http,
    guild: GuildId,
    joins: usize,
) -> Vec<JoinSource> {
    let unknown = vec![JoinSource::Unknown; joins];
    let cache = data.state::<InviteCache>().guild(guild);
    let mut g = cache.lock().await;
    if g.refused() {
        return unknown;
    }
    let after = match fetch_invites(http, guild).await {
        Ok(after) => after,
        Err(why) => {
            if let Unread::Refused = why {
                // What was cached is stale by the time reading works again.
                g.refused_until = Some(std::time::Instant::now() + REFUSED_FOR);
                g.filled = false;
            }
            return unknown;
        }
    };
    if !g.filled {
        // Nothing to compare with (the invites were not readable before): keep a baseline.
        g.vanity = fetch_vanity(&g, http, guild).await;
        g.uses = after;
        g.filled = true;
        return unknown;
    }
    let mut found = rules::attribute_batch(&g.uses, after.clone(), g.vanity, g.vanity, joins);
    if found.sources.contains(&JoinSource::Unknown) {
        // Not every join was found among the invites: read the vanity URL's count too (one
        // more call, only then).
        let vanity = fetch_vanity(&g, http, guild).await;
        if vanity != g.vanity {
            found = rules::attribute_batch(&g.uses, after, g.vanity, vanity, joins);
        }
    }
    if found.sources.contains(&JoinSource::Unknown) {
        tracing::debug!(%guild, joins, before = ?g.uses, "joins not all attributed");
    }
    g.uses = found.uses;
    g.vanity = found.vanity;
    g.filled = true;
    found.sources
}

/// `MemberJoin`: queues the join for its guild's drain task (started when none runs).
pub fn on_member_join<'a>(
    ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::MemberJoin(m) = event else {
            return Ok(());
        };
        let guild = m.guild_id.core();
        let join = PendingJoin {
            user: m.user.id.core(),
            joined_at: m.joined_at.map(|t| *t).unwrap_or_else(Utc::now),
        };
        if data.state::<InviteCache>().queue(guild, join) {
            let (ctx, data) = (ctx.clone(), data.clone());
            tokio::spawn(async move { drain(ctx, data, guild).await });
        }
        Ok(())
    })
}

/// Compares, stores, announces and rewards the joins queued in `guild` until none is left. A
/// failure (or a panic) is reported as a listener's would be, and the next batch goes on.
async fn drain(ctx: serenity::Context, data: Data, guild: GuildId) {
    loop {
        let batch = data.state::<InviteCache>().next_batch(guild);
        if batch.is_empty() {
            return;
        }
        let n = batch.len();
        if let Err(e) = crate::errors::catch_panic(store_batch(&ctx, &data, guild, batch)).await {
            let what = format!("invites: {n} joins");
            crate::events::report_failure(
                &ctx,
                &data,
                "invites",
                what,
                Some(guild.discord()),
                &e,
                true,
            )
            .await;
        }
    }
}

/// Attributes, stores (one transaction), announces and rewards a batch of joins.
async fn store_batch(
    ctx: &serenity::Context,
    data: &Data,
    guild: GuildId,
    batch: Vec<PendingJoin>,
) -> Result<(), Error> {
    let sources = attribute_joins(data, &ctx.http, guild, batch.len()).await;
    let days = data.config().invites_fake_account_days;
    let joins: Vec<Join> = batch
        .iter()
        .zip(sources)
        .map(|(p, source)| Join {
            guild,
            user: p.user,
            fake: rules::is_fake(p.user, p.joined_at, days),
            source,
            joined_at: p.joined_at,
        })
        .collect();
    let new = {
        let cache = data.state::<InviteCache>();
        let _writing = cache.writers.acquire().await.ok();
        store::record_joins(data.storage(), &joins).await?
    };
    for (j, new) in joins.iter().zip(new) {
        if let (
            true,
            JoinSource::Invite {
                inviter: Some(inviter),
                ..
            },
        ) = (new, &j.source)
        {
            super::announce_and_reward(data, &ctx.http, guild, *inviter, j.user).await?;
        }
    }
    Ok(())
}

/// `MemberLeave`: close the member's join (their inviter's count moves to "left").
pub fn on_member_leave<'a>(
    _ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::MemberLeave { guild_id, user, .. } = event else {
            return Ok(());
        };
        store::record_leave(data.storage(), guild_id.core(), user.id.core(), Utc::now()).await?;
        Ok(())
    })
}

/// A user id as shown in texts.
pub fn mention(u: UserId) -> String {
    format!("<@{u}>")
}
