//! Chat XP on the bot's hottest path, and what a level-up does.
//!
//! Per message ([`on_message`]): bots and webhooks leave at once; a member inside their
//! cooldown window leaves after one in-memory map lookup (no database access, no RNG); the other
//! messages pass core's anti-spam rules (`chronix_core::levels::award`: commands, length,
//! ignored channels and roles, repeated text) and their XP is added to an in-memory buffer.
//! The buffer is written by [`FlushTick`] every [`FLUSH_EVERY`] in one transaction
//! (`storage::levels::grant`, additive updates), and by the shutdown hook. A message that makes
//! the member reach a new level (known from the member's XP, read once per member and kept
//! up to date by the flushes) flushes that member at once, so the level-up message and the
//! reward role come right away. A flush that fails puts its XP back in the buffer.
//!
//! Level-ups are read from what the database returns (old and new stored level), so XP written
//! by another process or an admin change never produces a wrong or missing announcement.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::levels::{
    self as rules, Announce, LevelSettings, MemberMemory, MessageFacts, XpBoost,
};
use chronix_storage::levels::{self as store, Granted, XpGrant};
use chrono::{DateTime, Utc};
use dashmap::DashMap;
use parking_lot::Mutex;

use crate::events::Event;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;
use crate::registry::BoxFuture;
use crate::scheduler::{Tick, TickContext};

/// How often the buffer of awarded XP is written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);
/// How long a member's XP boost is cached (a boost granted meanwhile counts after this).
const BOOST_TTL: Duration = Duration::from_secs(600);
/// Members idle this long are dropped from memory (their cooldown has long passed; only the
/// repeated-text check forgets their last message).
const FORGET_AFTER: chrono::Duration = chrono::Duration::hours(1);
/// How often idle members are dropped.
const PRUNE_EVERY: Duration = Duration::from_secs(300);

type Key = (GuildId, UserId);

/// XP awarded and not written yet, per member.
#[derive(Debug, Clone)]
struct Pending {
    xp: i64,
    channel: Option<ChannelId>,
    name: Option<String>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Member {
    memory: MemberMemory,
    /// The member's server XP including what is pending (`None`: not read yet).
    known_xp: Option<i64>,
    /// The member's timed XP boost (the welcomer's, `storage::xp_boosts`) and when it was read
    /// (`None`: not read yet; re-read after [`BOOST_TTL`]).
    boost: Option<(Instant, Option<XpBoost>)>,
}

/// The feature's in-memory state (one per bot, [`Data::state`]).
#[derive(Debug, Default)]
pub struct LevelsState {
    /// A server's level settings (a change made here refreshes at once).
    settings: crate::cached::PerGuild<LevelSettings>,
    members: DashMap<Key, Member>,
    pending: Mutex<HashMap<Key, Pending>>,
    last_flush: Mutex<Option<Instant>>,
    last_prune: Mutex<Option<Instant>>,
}

impl LevelsState {
    /// Forgets a server's cached settings (after a change).
    pub fn invalidate_settings(&self, guild: GuildId) {
        self.settings.invalidate(guild);
    }

    /// Forgets what is known of members' XP in a server (after an admin change or a reset),
    /// keeping their cooldowns.
    pub fn forget_xp(&self, guild: GuildId, user: Option<UserId>) {
        for mut m in self.members.iter_mut() {
            if m.key().0 == guild && user.is_none_or(|u| m.key().1 == u) {
                m.known_xp = None;
            }
        }
    }

    /// Drops members idle since before `now - FORGET_AFTER` (bounded memory on big bots).
    fn prune(&self, now: DateTime<Utc>) {
        self.members
            .retain(|_, m| m.memory.last_award.is_some_and(|t| now - t < FORGET_AFTER));
    }

    /// XP awarded and not written yet (tests, metrics).
    pub fn pending_xp(&self) -> i64 {
        self.pending.lock().values().map(|p| p.xp).sum()
    }

    fn add_pending(&self, key: Key, xp: i64, channel: Option<ChannelId>, name: Option<String>) {
        let mut p = self.pending.lock();
        let e = p.entry(key).or_insert(Pending {
            xp: 0,
            channel: None,
            name: None,
        });
        e.xp = e.xp.saturating_add(xp);
        if channel.is_some() {
            e.channel = channel;
        }
        if name.is_some() {
            e.name = name;
        }
    }
}

/// A server's level settings (cached).
pub async fn settings(data: &Data, guild: GuildId) -> Result<Arc<LevelSettings>, Error> {
    let state = data.state::<LevelsState>();
    let s = state
        .settings
        .get(guild, || store::settings(data.storage(), guild))
        .await?;
    Ok(s)
}

/// The listener of `MessageCreate`.
pub fn on_message<'a>(
    _ctx: &'a serenity::Context,
    data: &'a Data,
    event: &'a Event<'a>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let Event::MessageCreate(msg) = event else {
            return Ok(());
        };
        let Some(guild) = msg.guild_id else {
            return Ok(());
        };
        if msg.author.bot || msg.webhook_id.is_some() {
            return Ok(());
        }
        chat_message(data, guild.core(), msg, Utc::now()).await
    })
}

async fn chat_message(
    data: &Data,
    guild: GuildId,
    msg: &serenity::Message,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let state = data.state::<LevelsState>();
    let key = (guild, msg.author.id.core());
    let s = settings(data, guild).await?;
    // The hot exit: inside the cooldown window, nothing else is looked at.
    if let Some(m) = state.members.get(&key)
        && chronix_core::economy::cooldown_remaining(m.memory.last_award, now, s.xp.cooldown_secs)
            .is_some()
    {
        return Ok(());
    }
    let custom = data.settings().get(guild.get()).await?.prefix.clone();
    let prefixes = crate::prefix::active_prefixes(data.config(), custom.as_deref());
    let is_command = crate::prefix::match_prefix(&msg.content, &prefixes).is_some()
        || msg
            .mentions
            .first()
            .is_some_and(|u| u.bot && msg.content.trim_start().starts_with("<@"));
    let roles: Vec<chronix_core::ids::RoleId> = msg
        .member
        .as_ref()
        .map(|m| m.roles.iter().map(|r| r.core()).collect())
        .unwrap_or_default();
    let facts = MessageFacts {
        content: &msg.content,
        author_is_bot: false,
        is_command,
        channel: msg.channel_id.core(),
        parent: data
            .guilds()
            .thread_parent(guild.discord(), msg.channel_id)
            .map(|c| c.core()),
        roles: &roles,
        booster: msg
            .member
            .as_ref()
            .is_some_and(|m| m.premium_since.is_some()),
    };
    let extra = rules::combine_pct(&[clan_pct(), boost_pct(data, key, now).await?]);
    let (xp, known) = {
        let mut m = state.members.entry(key).or_default();
        let mut rng = rand::rng();
        match rules::award(&s, &facts, &mut m.memory, now, extra, &mut rng) {
            Ok(xp) => (xp, m.known_xp),
            Err(_) => return Ok(()),
        }
    };
    let name = msg
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .or_else(|| msg.author.global_name.clone())
        .unwrap_or_else(|| msg.author.name.clone());
    award_xp(
        data,
        key,
        xp,
        Some(msg.channel_id.core()),
        Some(name),
        known,
        &s,
    )
    .await
}

/// The clan XP perk (100 = none). A hook for the clans feature: it has no perk yet.
fn clan_pct() -> u32 {
    100
}

/// The member's timed XP boost at `now` in percent (100 = none): the welcomer's boost for new
/// members, read from `storage::xp_boosts` at most once per [`BOOST_TTL`] per member.
async fn boost_pct(data: &Data, key: Key, now: DateTime<Utc>) -> Result<u32, Error> {
    let state = data.state::<LevelsState>();
    let cached = state
        .members
        .get(&key)
        .and_then(|m| m.boost)
        .filter(|(read, _)| read.elapsed() < BOOST_TTL);
    let boost = match cached {
        Some((_, b)) => b,
        None => {
            let b = chronix_storage::xp_boosts::active(data.storage(), key.0, key.1, now).await?;
            state.members.entry(key).or_default().boost = Some((Instant::now(), b));
            b
        }
    };
    Ok(boost.map_or(100, |b| b.pct_at(now)))
}

async fn award_xp(
    data: &Data,
    key: Key,
    xp: i64,
    channel: Option<ChannelId>,
    name: Option<String>,
    known: Option<i64>,
    s: &LevelSettings,
) -> Result<(), Error> {
    let state = data.state::<LevelsState>();
    let before = match known {
        Some(k) => k,
        None => {
            let stored = store::member(data.storage(), key.0, key.1).await?.xp;
            let pending = state.pending.lock().get(&key).map_or(0, |p| p.xp);
            stored + pending
        }
    };
    let after = before.saturating_add(xp);
    if let Some(mut m) = state.members.get_mut(&key) {
        m.known_xp = Some(after);
    }
    state.add_pending(key, xp, channel, name);
    if s.curve.level_for_xp(after) > s.curve.level_for_xp(before) {
        flush(data, Some(&[key])).await?;
    }
    Ok(())
}

/// Awards XP to a member from outside chat (a game, an event): it joins the same buffer and
/// level-ups are announced like chat ones (in the server's fixed channel or by DM; `Here`
/// uses `channel` when given). XP also counts globally. The API other features call.
pub async fn award(
    data: &Data,
    guild: GuildId,
    user: UserId,
    xp: i64,
    channel: Option<ChannelId>,
) -> Result<(), Error> {
    if xp <= 0 || !data.feature_enabled_in("levels", Some(guild.get())).await {
        return Ok(());
    }
    let s = settings(data, guild).await?;
    let known = data
        .state::<LevelsState>()
        .members
        .get(&(guild, user))
        .and_then(|m| m.known_xp);
    award_xp(data, (guild, user), xp, channel, None, known, &s).await
}

/// Writes the buffered XP (every member, or only `only`) and handles the level-ups it caused.
/// On a database error the XP goes back into the buffer.
pub async fn flush(data: &Data, only: Option<&[Key]>) -> Result<usize, Error> {
    let state = data.state::<LevelsState>();
    let batch: Vec<(Key, Pending)> = {
        let mut p = state.pending.lock();
        match only {
            Some(keys) => keys
                .iter()
                .filter_map(|k| p.remove(k).map(|v| (*k, v)))
                .collect(),
            None => p.drain().collect(),
        }
    };
    if batch.is_empty() {
        return Ok(0);
    }
    let grants: Vec<XpGrant> = batch
        .iter()
        .map(|((guild, user), p)| XpGrant {
            guild: *guild,
            user: *user,
            xp: p.xp,
            global: true,
        })
        .collect();
    let mut curves = HashMap::new();
    for ((g, _), _) in &batch {
        if !curves.contains_key(g) {
            curves.insert(*g, settings(data, *g).await?.curve.clone());
        }
    }
    let curve_of = |g: GuildId| curves.get(&g).cloned().unwrap_or_default();
    let global = crate::tables::xp_curve();
    let now = Utc::now();
    let granted = match store::grant(data.storage(), &grants, &curve_of, &global, now).await {
        Ok(g) => g,
        Err(e) => {
            for (k, p) in batch {
                state.add_pending(k, p.xp, p.channel, p.name);
            }
            return Err(e.into());
        }
    };
    let info: HashMap<Key, Pending> = batch.into_iter().collect();
    for g in &granted {
        let key = (g.guild, g.user);
        // What is still pending for the member was awarded after this batch was taken.
        let pending = state.pending.lock().get(&key).map_or(0, |p| p.xp);
        if let Some(mut m) = state.members.get_mut(&key) {
            m.known_xp = Some(g.xp + pending);
        }
        if g.levelled_up() {
            let p = info.get(&key);
            if let Err(e) = level_up(
                data,
                g,
                p.and_then(|p| p.channel),
                p.and_then(|p| p.name.clone()),
            )
            .await
            {
                let id = crate::errors::new_error_id();
                tracing::warn!(error_id = %id, error = ?e, guild = %g.guild, user = %g.user, "level-up handling failed");
            }
        }
    }
    *state.last_flush.lock() = Some(Instant::now());
    Ok(granted.len())
}

/// Gives the reward roles due at the new level (each level once) and announces the level-up.
async fn level_up(
    data: &Data,
    g: &Granted,
    channel: Option<ChannelId>,
    name: Option<String>,
) -> Result<(), Error> {
    let Some(http) = data.http().cloned() else {
        return Ok(());
    };
    let s = settings(data, g.guild).await?;
    give_rewards(data, &http, &s, g.guild, g.user, g.new_level).await?;
    super::announce::level_up(data, &http, &s, g, channel, name).await
}

/// Gives the reward roles due at `level` that the member never got (storage remembers each
/// level's grant), and in replace mode takes the lower ones away. Returns the roles given.
pub async fn give_rewards(
    data: &Data,
    http: &serenity::Http,
    s: &LevelSettings,
    guild: GuildId,
    user: UserId,
    level: u32,
) -> Result<Vec<chronix_core::ids::RoleId>, Error> {
    let plan = rules::rewards_at(s, level);
    let fresh = store::claim_rewards(data.storage(), guild, user, &plan.add, Utc::now()).await?;
    let reason = Some("level reward");
    for r in &fresh {
        if let Err(e) = http
            .add_member_role(guild.discord(), user.discord(), r.role.discord(), reason)
            .await
        {
            tracing::info!(error = %e, role = %r.role, "could not give a level reward role");
        }
    }
    if !fresh.is_empty() {
        for role in &plan.remove {
            let _ = http
                .remove_member_role(guild.discord(), user.discord(), role.discord(), reason)
                .await;
        }
    }
    Ok(fresh.iter().map(|r| r.role).collect())
}

/// Where a level-up goes: `None` when off or nowhere to send.
pub fn destination(a: Announce, channel: Option<ChannelId>) -> Option<Destination> {
    match a {
        Announce::Off => None,
        Announce::Here => channel.map(Destination::Channel),
        Announce::Channel(c) => Some(Destination::Channel(c)),
        Announce::Dm => Some(Destination::Dm),
    }
}

/// See [`destination`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// A channel.
    Channel(ChannelId),
    /// The member's DMs.
    Dm,
}

/// Writes the buffer every [`FLUSH_EVERY`].
#[derive(Debug, Default)]
pub struct FlushTick;

impl Tick for FlushTick {
    fn name(&self) -> &'static str {
        "levels.flush"
    }
    fn run<'a>(&'a self, ctx: &'a TickContext) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let state = ctx.data.state::<LevelsState>();
            let due = state
                .last_flush
                .lock()
                .is_none_or(|t| t.elapsed() >= FLUSH_EVERY);
            if due {
                *state.last_flush.lock() = Some(Instant::now());
                flush(&ctx.data, None).await?;
            }
            let prune = {
                let mut last = state.last_prune.lock();
                let due = last.is_none_or(|t| t.elapsed() >= PRUNE_EVERY);
                if due {
                    *last = Some(Instant::now());
                }
                due
            };
            if prune {
                state.prune(ctx.now);
            }
            Ok(())
        })
    }
}

/// The shutdown hook: writes what is still buffered.
pub fn on_shutdown(data: &Data) -> BoxFuture<'_, anyhow::Result<()>> {
    Box::pin(async move {
        let n = flush(data, None).await?;
        tracing::info!(members = n, "levels: buffered XP written at shutdown");
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations() {
        let c = ChannelId::new(5);
        assert_eq!(destination(Announce::Off, Some(c)), None);
        assert_eq!(
            destination(Announce::Here, Some(c)),
            Some(Destination::Channel(c))
        );
        assert_eq!(destination(Announce::Here, None), None);
        assert_eq!(
            destination(Announce::Channel(ChannelId::new(9)), Some(c)),
            Some(Destination::Channel(ChannelId::new(9)))
        );
        assert_eq!(destination(Announce::Dm, None), Some(Destination::Dm));
    }

    #[test]
    fn idle_members_are_forgotten() {
        let s = LevelsState::default();
        let now = Utc::now();
        let at = |mins: i64| Member {
            memory: MemberMemory {
                last_award: Some(now - chrono::Duration::minutes(mins)),
                last_fingerprint: None,
            },
            known_xp: Some(1),
            boost: None,
        };
        s.members.insert((GuildId::new(1), UserId::new(1)), at(5));
        s.members.insert((GuildId::new(1), UserId::new(2)), at(61));
        s.members
            .insert((GuildId::new(1), UserId::new(3)), Member::default());
        s.prune(now);
        assert_eq!(s.members.len(), 1);
        assert!(s.members.contains_key(&(GuildId::new(1), UserId::new(1))));
    }

    #[test]
    fn pending_xp_adds_up_per_member() {
        let s = LevelsState::default();
        let k = (GuildId::new(1), UserId::new(2));
        s.add_pending(k, 10, Some(ChannelId::new(3)), None);
        s.add_pending(k, 5, None, Some("Ann".into()));
        s.add_pending((GuildId::new(1), UserId::new(3)), 1, None, None);
        assert_eq!(s.pending_xp(), 16);
        let p = s.pending.lock().get(&k).cloned().unwrap();
        assert_eq!(
            (p.xp, p.channel, p.name.as_deref()),
            (15, Some(ChannelId::new(3)), Some("Ann"))
        );
    }
}
