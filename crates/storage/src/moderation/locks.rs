//! The channels `lock` and `lockdown` locked, each with the `@everyone` overwrite it had before
//! (`mod_channel_locks`), and the running lockdown of a server (`mod_lockdowns`).
//!
//! * A lock is written with [`remember`] BEFORE the channel is changed: a crash between the two
//!   leaves a row whose restore puts back what is already there (harmless), never a locked
//!   channel whose previous overwrite is lost.
//! * [`remember`] of a channel that has a row already changes nothing and says so: a second
//!   `lock`, or a lockdown run again after an interruption, never stores its own lock as the
//!   "previous" overwrite.
//! * [`forget`] after the channel was restored; `lockdown end` restores the rows marked
//!   `lockdown` ([`locked`] with `only_lockdown`), then [`end_lockdown`].

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::moderation::Overwrite;
use chrono::{DateTime, Utc};

use crate::{Result, Storage};

/// A locked channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelLock {
    /// Its server.
    pub guild: GuildId,
    /// The channel.
    pub channel: ChannelId,
    /// Locked by a server lockdown (restored by `lockdown end`).
    pub lockdown: bool,
    /// The `@everyone` overwrite before the lock (`None`: there was none).
    pub previous: Option<Overwrite>,
    /// The member overwrite Chronix set for itself to keep talking there, with the one it
    /// replaced (`None`: it set none).
    pub bot: Option<KeptOverwrite>,
    /// Who locked it.
    pub locked_by: UserId,
    /// When.
    pub locked_at: DateTime<Utc>,
}

/// A member overwrite replaced by a lock, to restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptOverwrite {
    /// The member.
    pub user: UserId,
    /// Their overwrite before (`None`: there was none).
    pub previous: Option<Overwrite>,
}

#[derive(sqlx::FromRow)]
struct LockRow {
    guild_id: i64,
    channel_id: i64,
    lockdown: bool,
    had_overwrite: bool,
    prev_allow: i64,
    prev_deny: i64,
    bot_id: Option<i64>,
    bot_had_overwrite: bool,
    bot_prev_allow: i64,
    bot_prev_deny: i64,
    locked_by: i64,
    locked_at: DateTime<Utc>,
}

impl From<LockRow> for ChannelLock {
    fn from(r: LockRow) -> Self {
        ChannelLock {
            guild: GuildId::from_db(r.guild_id),
            channel: ChannelId::from_db(r.channel_id),
            lockdown: r.lockdown,
            previous: r.had_overwrite.then_some(Overwrite {
                allow: r.prev_allow as u64,
                deny: r.prev_deny as u64,
            }),
            bot: r.bot_id.map(|b| KeptOverwrite {
                user: UserId::from_db(b),
                previous: r.bot_had_overwrite.then_some(Overwrite {
                    allow: r.bot_prev_allow as u64,
                    deny: r.bot_prev_deny as u64,
                }),
            }),
            locked_by: UserId::from_db(r.locked_by),
            locked_at: r.locked_at,
        }
    }
}

const COLUMNS: &str = "guild_id, channel_id, lockdown, had_overwrite, prev_allow, prev_deny, \
                       bot_id, bot_had_overwrite, bot_prev_allow, bot_prev_deny, locked_by, \
                       locked_at";

/// Remembers a channel's overwrite before locking it. False (nothing written) when the channel
/// is locked already: its first previous overwrite stays.
pub async fn remember(storage: &Storage, lock: &ChannelLock) -> Result<bool> {
    let prev = lock.previous.unwrap_or_default();
    let bot_prev = lock.bot.and_then(|b| b.previous);
    let bot_bits = bot_prev.unwrap_or_default();
    let sql = format!(
        "INSERT INTO mod_channel_locks ({COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (guild_id, channel_id) DO NOTHING"
    );
    transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query(&sql)
                .bind(lock.guild.to_db())
                .bind(lock.channel.to_db())
                .bind(lock.lockdown)
                .bind(lock.previous.is_some())
                .bind(prev.allow as i64)
                .bind(prev.deny as i64)
                .bind(lock.bot.map(|b| b.user.to_db()))
                .bind(bot_prev.is_some())
                .bind(bot_bits.allow as i64)
                .bind(bot_bits.deny as i64)
                .bind(lock.locked_by.to_db())
                .bind(lock.locked_at)
                .execute(&mut *conn)
                .await?
                .rows_affected()
                == 1
        }))
    })
}

/// A channel's lock, if Chronix locked it.
pub async fn get(
    storage: &Storage,
    guild: GuildId,
    channel: ChannelId,
) -> Result<Option<ChannelLock>> {
    let sql =
        format!("SELECT {COLUMNS} FROM mod_channel_locks WHERE guild_id = $1 AND channel_id = $2");
    let row: Option<LockRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(channel.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row.map(Into::into))
}

/// The locked channels of a server (with `only_lockdown`, those of its lockdown), by channel id.
pub async fn locked(
    storage: &Storage,
    guild: GuildId,
    only_lockdown: bool,
) -> Result<Vec<ChannelLock>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM mod_channel_locks WHERE guild_id = $1 \
         AND (lockdown OR NOT $2) ORDER BY channel_id"
    );
    let rows: Vec<LockRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(only_lockdown)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Forgets a channel's lock (after restoring it, or when the lock could not be applied). True
/// when there was one.
pub async fn forget(storage: &Storage, guild: GuildId, channel: ChannelId) -> Result<bool> {
    transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query("DELETE FROM mod_channel_locks WHERE guild_id = $1 AND channel_id = $2")
                .bind(guild.to_db())
                .bind(channel.to_db())
                .execute(&mut *conn)
                .await?
                .rows_affected()
                == 1
        }))
    })
}

/// A server's running lockdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockdown {
    /// Who started it.
    pub started_by: UserId,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub started_at: DateTime<Utc>,
}

/// Starts a server's lockdown. `Err(existing)`-like: returns the running one when there is one
/// already (nothing written), `None` when this call started it.
pub async fn start_lockdown(
    storage: &Storage,
    guild: GuildId,
    by: UserId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<Lockdown>> {
    let started = transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO mod_lockdowns (guild_id, started_by, reason, started_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id) DO NOTHING",
            )
            .bind(guild.to_db())
            .bind(by.to_db())
            .bind(reason)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1
        }))
    })?;
    if started {
        Ok(None)
    } else {
        lockdown(storage, guild).await
    }
}

/// A server's running lockdown, if any.
pub async fn lockdown(storage: &Storage, guild: GuildId) -> Result<Option<Lockdown>> {
    let row: Option<(i64, Option<String>, DateTime<Utc>)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT started_by, reason, started_at FROM mod_lockdowns WHERE guild_id = $1",
        )
        .bind(guild.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|(by, reason, at)| Lockdown {
        started_by: UserId::from_db(by),
        reason,
        started_at: at,
    }))
}

/// Ends a server's lockdown record (its channels are restored and forgotten one by one first).
/// True when there was one.
pub async fn end_lockdown(storage: &Storage, guild: GuildId) -> Result<bool> {
    transaction!(storage, |tx| {
        Ok(tx_run!(tx, |conn| {
            sqlx::query("DELETE FROM mod_lockdowns WHERE guild_id = $1")
                .bind(guild.to_db())
                .execute(&mut *conn)
                .await?
                .rows_affected()
                == 1
        }))
    })
}
