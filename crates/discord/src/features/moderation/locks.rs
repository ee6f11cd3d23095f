//! `lock` / `unlock` (a channel) and `lockdown` / `lockdown end` (every text and voice channel
//! of the server). A lock denies `@everyone` what it needs to talk there
//! ([`rules::LockableKind::denied`]: sending, threads; for voice, connecting) and keeps every
//! other bit of the overwrite. The overwrite the channel had before (or "none") is stored before
//! the channel changes and put back exactly by `unlock` / `lockdown end`, after restarts too.
//! Channels are read as Discord's raw JSON: serenity drops permission bits it does not know,
//! and restoring must not.

use chronix_core::ids::{ChannelId as CoreChannelId, GuildId as CoreGuildId};
use chronix_core::moderation::{self as rules, CaseKind, CaseTarget, LockableKind, Overwrite};
use chronix_storage::moderation::NewCase;
use chronix_storage::moderation::locks::{self, ChannelLock, KeptOverwrite};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::actions::record_case;
use super::{ModRefusal, Perm, audit_reason, channel_mention, discord_code, discord_error};
use crate::errors::refuse;
use crate::kernel::ids::{ToCore, ToDiscord};
use crate::prelude::*;

/// Lockdowns of more channels than this show an edited progress message.
const PROGRESS_FROM: usize = 10;

/// A channel as Discord sends it, with its overwrites' bits kept whole.
#[derive(Debug, Deserialize)]
struct RawChannel {
    id: serenity::ChannelId,
    #[serde(rename = "type")]
    kind: u8,
    #[serde(default)]
    guild_id: Option<serenity::GuildId>,
    #[serde(default)]
    parent_id: Option<serenity::ChannelId>,
    #[serde(default)]
    permission_overwrites: Vec<RawOverwrite>,
}

#[derive(Debug, Deserialize)]
struct RawOverwrite {
    id: String,
    #[serde(rename = "type")]
    kind: u8,
    allow: String,
    deny: String,
}

impl RawChannel {
    /// The `@everyone` overwrite (a role overwrite whose id is the server's).
    fn everyone(&self, guild: serenity::GuildId) -> Option<Overwrite> {
        self.overwrite(guild.get(), false)
    }

    /// The overwrite of a role (`member` false) or a member.
    fn overwrite(&self, id: u64, member: bool) -> Option<Overwrite> {
        let id = id.to_string();
        let kind = u8::from(member);
        self.permission_overwrites
            .iter()
            .find(|o| o.kind == kind && o.id == id)
            .map(|o| Overwrite {
                allow: o.allow.parse().unwrap_or(0),
                deny: o.deny.parse().unwrap_or(0),
            })
    }
}

async fn raw_channel(
    http: &serenity::Http,
    id: serenity::ChannelId,
) -> Result<RawChannel, serenity::Error> {
    http.fire(serenity::http::Request::new(
        serenity::http::Route::Channel { channel_id: id },
        serenity::http::LightMethod::Get,
    ))
    .await
}

async fn raw_channels(
    http: &serenity::Http,
    guild: serenity::GuildId,
) -> Result<Vec<RawChannel>, serenity::Error> {
    http.fire(serenity::http::Request::new(
        serenity::http::Route::GuildChannels { guild_id: guild },
        serenity::http::LightMethod::Get,
    ))
    .await
}

/// Puts `o` as the overwrite of role or member `id` on `channel` (`None` deletes it).
async fn put_overwrite(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    id: u64,
    member: bool,
    o: Option<Overwrite>,
    reason: &str,
) -> Result<(), serenity::Error> {
    let target = serenity::TargetId::new(id);
    match o {
        Some(o) => {
            let body = serde_json::json!({
                "type": u8::from(member),
                "allow": o.allow.to_string(),
                "deny": o.deny.to_string(),
            });
            http.create_permission(channel, target, &body, Some(reason))
                .await
        }
        None => http.delete_permission(channel, target, Some(reason)).await,
    }
}

/// One lock run: who locks, where, when, with which audit-log reason.
struct Locker<'a> {
    http: &'a serenity::Http,
    storage: &'a chronix_storage::Storage,
    guild: serenity::GuildId,
    by: chronix_core::ids::UserId,
    now: DateTime<Utc>,
    reason: String,
    /// The bot and its server-level permissions (Discord lets it allow or deny only those).
    bot: serenity::UserId,
    bot_perms: u64,
}

/// What the bot needs to keep answering in a channel it locked.
const BOT_KEEPS: u64 = rules::lock_bits::SEND_MESSAGES;

impl<'a> Locker<'a> {
    async fn new(
        ctx: Context<'a>,
        l: Locale,
        guild: serenity::GuildId,
        by: chronix_core::ids::UserId,
        now: DateTime<Utc>,
        reason: Option<&str>,
    ) -> Result<Locker<'a>, Error> {
        let bot = super::bot_id(ctx).await?;
        let (_, role_perms) = super::hierarchy(ctx.http(), guild, bot).await?;
        let bot_roles = super::member_roles(ctx.http(), guild, bot)
            .await?
            .unwrap_or_default();
        let perms = role_perms.of(&bot_roles);
        if !perms.manage_roles() {
            return Err(refuse(l, ModRefusal::BotLacks(Perm::ManageRoles)));
        }
        Ok(Locker {
            http: ctx.http(),
            storage: ctx.data().storage(),
            guild,
            by,
            now,
            reason: audit_reason(&ctx.author().name, reason),
            bot,
            bot_perms: perms.bits(),
        })
    }
}

impl Locker<'_> {
    /// Locks one channel: remembers its overwrite, then denies `bits`. `Ok(false)` when it was
    /// locked already (nothing changed). The row is forgotten again if Discord refuses.
    async fn lock(&self, ch: &RawChannel, bits: u64, lockdown: bool) -> Result<bool, Error> {
        let admin = self.bot_perms & serenity::Permissions::ADMINISTRATOR.bits() != 0;
        let bits = if admin { bits } else { bits & self.bot_perms };
        let previous = ch.everyone(self.guild);
        // Without Administrator, the bot loses Send Messages with @everyone: a member
        // overwrite for itself keeps it answering (unless one already allows it).
        let bot_prev = ch.overwrite(self.bot.get(), true);
        let bot_keeps = !admin
            && self.bot_perms & BOT_KEEPS != 0
            && bot_prev.is_none_or(|o| o.allow & BOT_KEEPS != BOT_KEEPS);
        let lock = ChannelLock {
            guild: self.guild.core(),
            channel: ch.id.core(),
            lockdown,
            previous,
            bot: bot_keeps.then_some(KeptOverwrite {
                user: self.bot.core(),
                previous: bot_prev,
            }),
            locked_by: self.by,
            locked_at: self.now,
        };
        if !locks::remember(self.storage, &lock).await? {
            return Ok(false);
        }
        let applied = async {
            if bot_keeps {
                let o = bot_prev.unwrap_or_default();
                let kept = Overwrite {
                    allow: o.allow | BOT_KEEPS,
                    deny: o.deny & !BOT_KEEPS,
                };
                put_overwrite(
                    self.http,
                    ch.id,
                    self.bot.get(),
                    true,
                    Some(kept),
                    &self.reason,
                )
                .await?;
            }
            let locked = rules::locked_overwrite(previous, bits);
            put_overwrite(
                self.http,
                ch.id,
                self.guild.get(),
                false,
                Some(locked),
                &self.reason,
            )
            .await
        }
        .await;
        if let Err(e) = applied {
            // Put back whatever was applied, then forget the lock.
            restore_one(self.http, &lock, self.storage, &self.reason)
                .await
                .ok();
            locks::forget(self.storage, lock.guild, lock.channel).await?;
            return Err(e.into());
        }
        Ok(true)
    }
}

/// Puts a locked channel back as it was and forgets the lock. A channel deleted since is
/// simply forgotten.
async fn restore_one(
    http: &serenity::Http,
    lock: &ChannelLock,
    storage: &chronix_storage::Storage,
    reason: &str,
) -> Result<(), serenity::Error> {
    let channel = lock.channel.discord();
    let mut puts = vec![(lock.guild.get(), false, lock.previous)];
    if let Some(b) = lock.bot {
        puts.push((b.user.get(), true, b.previous));
    }
    for (id, member, previous) in puts {
        match put_overwrite(http, channel, id, member, previous, reason).await {
            Ok(()) => {}
            // 10003 Unknown Channel: gone; 10009 Unknown Overwrite: nothing to delete.
            Err(e) if matches!(discord_code(&e), Some(10003 | 10009)) => {}
            Err(e) => return Err(e),
        }
    }
    if let Err(e) = locks::forget(storage, lock.guild, lock.channel).await {
        tracing::warn!(error = ?e, channel = lock.channel.get(), "restored lock not forgotten");
    }
    Ok(())
}

/// The checks `lock` and `unlock` share: the moderator's Manage Channels, the channel (this
/// one by default) of this server, as raw JSON.
async fn target_channel(
    ctx: Context<'_>,
    l: Locale,
    gid: serenity::GuildId,
    channel: Option<serenity::GuildChannel>,
) -> Result<RawChannel, Error> {
    super::tools::need(ctx, l, Perm::ManageChannels).await?;
    let id = channel.map_or(ctx.channel_id(), |c| c.id);
    let raw = raw_channel(ctx.http(), id)
        .await
        .map_err(|e| discord_error(l, e, Perm::ManageRoles))?;
    if raw.guild_id != Some(gid) {
        return Err(refuse(l, ModRefusal::ForeignChannel));
    }
    Ok(raw)
}

/// Whether the first word of a reason asks for the whole server (`lock server`).
fn server_word(reason: Option<&str>) -> Option<Option<String>> {
    let r = reason?.trim();
    let (first, rest) = r.split_once(char::is_whitespace).unwrap_or((r, ""));
    first
        .eq_ignore_ascii_case("server")
        .then(|| Some(rest.trim().to_string()).filter(|s| !s.is_empty()))
}

/// Lock a channel: @everyone can no longer talk (or connect) there; `lock server` locks all.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn lock(
    ctx: Context<'_>,
    #[description = "Which channel (this one if empty)"] channel: Option<serenity::GuildChannel>,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    if channel.is_none() {
        if let Some(rest) = server_word(reason.as_deref()) {
            return start_lockdown(ctx, rest).await;
        }
    }
    let c = Caller::of(ctx).await;
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = c.clone();
    let gid = guild.ok_or(UserError::GuildOnly)?.discord();
    let reason = super::actions::read_reason(l, reason)?;
    let raw = target_channel(ctx, l, gid, channel).await?;
    let here = raw.id.core();
    let bits = match LockableKind::from_discord(raw.kind) {
        LockableKind::Thread => {
            return Err(refuse(
                l,
                ModRefusal::ThreadLock(raw.parent_id.map(|p| p.core())),
            ));
        }
        k => k
            .denied()
            .ok_or_else(|| refuse(l, ModRefusal::NotLockable(here)))?,
    };
    let locker = Locker::new(ctx, l, gid, user, now, reason.as_deref()).await?;
    let fresh = locker
        .lock(&raw, bits, false)
        .await
        .map_err(|e| as_bot_lacks(l, e))?;
    if !fresh {
        return Err(refuse(l, ModRefusal::AlreadyLocked(here)));
    }
    let mut new = NewCase::new(gid.core(), CaseKind::Lock, CaseTarget::Channel(here), user);
    new.reason = reason;
    let case = record_case(ctx, &c, new).await?;
    let e = Embed::success(tr!(l, "moderation-lock-done"))
        .description(tr!(
            l,
            "moderation-lock-done-text",
            channel = channel_mention(here)
        ))
        .field(
            tr!(l, "moderation-field-case"),
            format!("#{}", case.number),
            true,
        )
        .field(
            tr!(l, "moderation-field-reason"),
            super::reason_or_none(l, case.reason.as_deref()),
            false,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// A failed lock: Discord's 50013 names Manage Roles (editing overwrites needs it).
fn as_bot_lacks(l: Locale, e: Error) -> Error {
    match e.downcast::<serenity::Error>() {
        Ok(se) => discord_error(l, se, Perm::ManageRoles),
        Err(e) => e,
    }
}

/// Unlock a channel locked with `lock`: its @everyone permissions are put back exactly.
#[poise::command(prefix_command, slash_command, guild_only, custom_data = Tier::Mod)]
pub async fn unlock(
    ctx: Context<'_>,
    #[description = "Which channel (this one if empty)"] channel: Option<serenity::GuildChannel>,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    if channel.is_none() && server_word(reason.as_deref()).is_some() {
        return end_lockdown(ctx).await;
    }
    let c = Caller::of(ctx).await;
    let Caller {
        user,
        guild,
        locale: l,
        ..
    } = c.clone();
    let gid = guild.ok_or(UserError::GuildOnly)?.discord();
    let reason = super::actions::read_reason(l, reason)?;
    let raw = target_channel(ctx, l, gid, channel).await?;
    let here = raw.id.core();
    let storage = ctx.data().storage();
    let Some(lock) = locks::get(storage, gid.core(), here).await? else {
        return Err(refuse(l, ModRefusal::NotLocked(here)));
    };
    let audit = audit_reason(&ctx.author().name, reason.as_deref());
    restore_one(ctx.http(), &lock, storage, &audit)
        .await
        .map_err(|e| discord_error(l, e, Perm::ManageRoles))?;
    let mut new = NewCase::new(
        gid.core(),
        CaseKind::Unlock,
        CaseTarget::Channel(here),
        user,
    );
    new.reason = reason;
    let case = record_case(ctx, &c, new).await?;
    let e = Embed::success(tr!(l, "moderation-unlock-done"))
        .description(tr!(
            l,
            "moderation-unlock-done-text",
            channel = channel_mention(here)
        ))
        .field(
            tr!(l, "moderation-field-case"),
            format!("#{}", case.number),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Lock every text and voice channel of the server (`lockdown end` restores them).
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    subcommands("lockdown_start", "lockdown_end"),
    aliases("serverlock"),
    custom_data = Tier::Mod
)]
pub async fn lockdown(
    ctx: Context<'_>,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    start_lockdown(ctx, reason).await
}

/// Lock every text and voice channel of the server.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "start",
    custom_data = Tier::Mod
)]
pub async fn lockdown_start(
    ctx: Context<'_>,
    #[description = "Why"]
    #[rest]
    reason: Option<String>,
) -> Result<(), Error> {
    start_lockdown(ctx, reason).await
}

/// End the lockdown: every channel it locked gets its permissions back exactly.
#[poise::command(
    prefix_command,
    slash_command,
    guild_only,
    rename = "end",
    aliases("stop", "lift"),
    custom_data = Tier::Mod
)]
pub async fn lockdown_end(ctx: Context<'_>) -> Result<(), Error> {
    end_lockdown(ctx).await
}

/// What a lockdown run did.
#[derive(Default)]
struct Tally {
    done: u64,
    skipped: u64,
    failed: u64,
}

/// The answer of a long run: on a large server one reply shows the progress, edited at most
/// once a second, and becomes the result; otherwise the result is the only reply.
struct Bar<'a> {
    ctx: Context<'a>,
    handle: Option<poise::ReplyHandle<'a>>,
    title: String,
    total: u64,
    last: std::time::Instant,
}

impl<'a> Bar<'a> {
    async fn start(ctx: Context<'a>, title: String, total: usize) -> Bar<'a> {
        let total = total as u64;
        let handle = if total >= PROGRESS_FROM as u64 {
            let e = Embed::info(&title).description(crate::ui::progress::text(0, 0, total));
            ctx.send(embeds::reply(e))
                .await
                .map_err(|e| tracing::debug!(error = ?e, "no lockdown progress message"))
                .ok()
        } else {
            None
        };
        Bar {
            ctx,
            handle,
            title,
            total,
            last: std::time::Instant::now(),
        }
    }

    async fn update(&mut self, done: u64, failed: u64) {
        let Some(h) = &self.handle else { return };
        if self.last.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        self.last = std::time::Instant::now();
        let e = Embed::info(&self.title)
            .description(crate::ui::progress::text(done, failed, self.total));
        if let Err(e) = h.edit(self.ctx, embeds::reply(e)).await {
            tracing::debug!(error = ?e, "lockdown progress not shown");
        }
    }

    async fn answer(self, e: Embed) -> Result<(), Error> {
        match self.handle {
            Some(h) => h.edit(self.ctx, embeds::reply(e)).await?,
            None => {
                self.ctx.send(embeds::reply(e)).await?;
            }
        }
        Ok(())
    }
}

async fn start_lockdown(ctx: Context<'_>, reason: Option<String>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = c.clone();
    let gid = guild.ok_or(UserError::GuildOnly)?.discord();
    let reason = super::actions::read_reason(l, reason)?;
    super::tools::need(ctx, l, Perm::ManageChannels).await?;
    let storage = ctx.data().storage();
    let http = ctx.http();
    let channels = raw_channels(http, gid)
        .await
        .map_err(|e| discord_error(l, e, Perm::ManageRoles))?;
    let locker = Locker::new(ctx, l, gid, user, now, reason.as_deref()).await?;
    let running = locks::start_lockdown(storage, gid.core(), user, reason.as_deref(), now).await?;
    let lockable: Vec<(&RawChannel, u64)> = channels
        .iter()
        .filter_map(|c| LockableKind::from_discord(c.kind).denied().map(|b| (c, b)))
        .collect();
    let title = tr!(l, "moderation-lockdown-progress");
    let mut bar = Bar::start(ctx, title, lockable.len()).await;
    let mut t = Tally::default();
    for (ch, bits) in &lockable {
        match locker.lock(ch, *bits, true).await {
            Ok(true) => t.done += 1,
            Ok(false) => t.skipped += 1,
            Err(e) => {
                tracing::info!(error = ?e, channel = %ch.id, "lockdown could not lock a channel");
                t.failed += 1;
            }
        }
        bar.update(t.done + t.skipped, t.failed).await;
    }
    let mut e = if let Some(r) = &running {
        // Run again: locks what the first run missed, records no second case.
        Embed::info(tr!(l, "moderation-lockdown-running")).description(tr!(
            l,
            "moderation-lockdown-running-text",
            by = super::mention(r.started_by),
            at = format!("<t:{}:R>", r.started_at.timestamp())
        ))
    } else {
        let mut new = NewCase::new(
            gid.core(),
            CaseKind::Lockdown,
            CaseTarget::Server(gid.core()),
            user,
        );
        new.reason = reason;
        let case = record_case(ctx, &c, new).await?;
        Embed::success(tr!(l, "moderation-lockdown-done"))
            .field(
                tr!(l, "moderation-field-case"),
                format!("#{}", case.number),
                true,
            )
            .field(
                tr!(l, "moderation-field-reason"),
                super::reason_or_none(l, case.reason.as_deref()),
                false,
            )
    };
    e = e.field(
        tr!(l, "moderation-lockdown-field-channels"),
        tr!(
            l,
            "moderation-lockdown-counts",
            locked = t.done,
            skipped = t.skipped,
            failed = t.failed
        ),
        false,
    );
    if t.failed > 0 {
        e = e.footer(tr!(l, "moderation-lockdown-failed-hint"));
    }
    bar.answer(e).await?;
    Ok(())
}

async fn end_lockdown(ctx: Context<'_>) -> Result<(), Error> {
    let c = Caller::of(ctx).await;
    let Caller {
        user,
        guild,
        locale: l,
        ..
    } = c.clone();
    let gid = guild.ok_or(UserError::GuildOnly)?.discord();
    super::tools::need(ctx, l, Perm::ManageChannels).await?;
    let storage = ctx.data().storage();
    let g: CoreGuildId = gid.core();
    let running = locks::lockdown(storage, g).await?;
    let locked = locks::locked(storage, g, true).await?;
    if running.is_none() && locked.is_empty() {
        return Err(refuse(l, ModRefusal::NoLockdown));
    }
    let title = tr!(l, "moderation-lockdown-end-progress");
    let mut bar = Bar::start(ctx, title, locked.len()).await;
    let audit = audit_reason(&ctx.author().name, None);
    let mut t = Tally::default();
    let mut missing: Vec<CoreChannelId> = Vec::new();
    for lock in &locked {
        match restore_one(ctx.http(), lock, storage, &audit).await {
            Ok(()) => t.done += 1,
            Err(e) => {
                tracing::info!(error = ?e, channel = lock.channel.get(), "lockdown end: not restored");
                missing.push(lock.channel);
                t.failed += 1;
            }
        }
        bar.update(t.done, t.failed).await;
    }
    if t.failed > 0 {
        // The lockdown stays on record: `lockdown end` again retries what is left.
        let list = missing
            .iter()
            .take(10)
            .map(|c| channel_mention(*c))
            .collect::<Vec<_>>()
            .join(", ");
        let e = Embed::warning(tr!(l, "moderation-lockdown-end-partial")).description(tr!(
            l,
            "moderation-lockdown-end-partial-text",
            restored = t.done,
            failed = t.failed,
            channels = list
        ));
        bar.answer(e).await?;
        return Ok(());
    }
    locks::end_lockdown(storage, g).await?;
    let new = NewCase::new(g, CaseKind::LockdownEnd, CaseTarget::Server(g), user);
    let case = record_case(ctx, &c, new).await?;
    let e = Embed::success(tr!(l, "moderation-lockdown-end-done"))
        .description(tr!(l, "moderation-lockdown-end-text", restored = t.done))
        .field(
            tr!(l, "moderation-field-case"),
            format!("#{}", case.number),
            true,
        );
    bar.answer(e).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_server_is_an_alias() {
        assert_eq!(server_word(Some("server")), Some(None));
        assert_eq!(
            server_word(Some("SERVER raid incoming")),
            Some(Some("raid incoming".into()))
        );
        assert_eq!(server_word(Some("servers are down")), None);
        assert_eq!(server_word(None), None);
    }

    #[test]
    fn the_everyone_overwrite_keeps_unknown_bits() {
        let raw: RawChannel = serde_json::from_value(serde_json::json!({
            "id": "5", "type": 0, "guild_id": "9",
            "permission_overwrites": [
                {"id": "9", "type": 0, "allow": "2251799813685312", "deny": "2048"},
                {"id": "9", "type": 1, "allow": "0", "deny": "1"},
            ]
        }))
        .unwrap();
        assert_eq!(
            raw.everyone(serenity::GuildId::new(9)),
            Some(Overwrite {
                allow: (1 << 51) | (1 << 6),
                deny: 1 << 11
            }),
            "a member overwrite with the same id is not @everyone's"
        );
    }
}
