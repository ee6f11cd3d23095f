//! Temporary voice channels: hubs (`tempvoice_hubs`, the "join to create" channels with their
//! configuration record, validated by [`HubConfig::validate`] before every write) and the
//! channels created from them (`tempvoice_channels`: owner, number, persistent / locked /
//! hidden flags, created_at).
//!
//! A channel row is [`reserve`]d first (its number is the lowest free one of the hub, taken
//! under the hub row's lock, so two members joining at once get different numbers), then gets
//! its Discord channel with [`set_channel`] (or is [`discard`]ed when creating it failed).
//! Ownership moves with one conditional update ([`transfer`]: applied only while the owner is
//! still the one the caller saw). [`cleanup`] is the restart clean-up: rows whose channel no
//! longer exists (or never got one) are removed; the empty, non-persistent ones are returned
//! for the bot to delete.

use std::collections::HashSet;

use chronix_core::ids::{ChannelId, GuildId, UserId};
use chronix_core::tempvoice::{HubConfig, HubError, next_number};
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx};

/// A hub's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HubId(i64);

impl HubId {
    /// Its value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for HubId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A stored hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    /// Id.
    pub id: HubId,
    /// Its server.
    pub guild: GuildId,
    /// The "join to create" voice channel.
    pub channel: ChannelId,
    /// The category new channels go in (none: the server's top level).
    pub category: Option<ChannelId>,
    /// Its configuration.
    pub config: HubConfig,
    /// When it was set up.
    pub created_at: DateTime<Utc>,
}

/// A flag of a temporary channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Kept when empty.
    Persistent,
    /// Nobody but the owner and permitted members may connect.
    Locked,
    /// Nobody but the owner and permitted members sees it.
    Hidden,
}

impl Flag {
    const fn column(self) -> &'static str {
        match self {
            Flag::Persistent => "persistent",
            Flag::Locked => "locked",
            Flag::Hidden => "hidden",
        }
    }
}

/// A stored temporary channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TempChannel {
    /// Row id.
    pub id: i64,
    /// Its server.
    pub guild: GuildId,
    /// The hub it came from (none once the hub was removed).
    pub hub: Option<HubId>,
    /// Its Discord channel (none while being created).
    pub channel: Option<ChannelId>,
    /// Who controls it.
    pub owner: UserId,
    /// Its number in the hub (`{n}`).
    pub number: u32,
    /// Kept when empty.
    pub persistent: bool,
    /// Locked.
    pub locked: bool,
    /// Hidden.
    pub hidden: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl TempChannel {
    /// The value of a flag.
    pub fn flag(&self, f: Flag) -> bool {
        match f {
            Flag::Persistent => self.persistent,
            Flag::Locked => self.locked,
            Flag::Hidden => self.hidden,
        }
    }
}

/// Why a temporary voice action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TempVoiceRefusal {
    /// The hub configuration is invalid.
    #[error(transparent)]
    InvalidHub(#[from] HubError),
    /// The channel is a hub already.
    #[error("this channel is already a hub")]
    HubExists,
    /// No such hub.
    #[error("this hub no longer exists")]
    NoHub,
    /// Not a temporary channel (or no longer).
    #[error("not a temporary voice channel")]
    NotTemporary,
    /// The owner changed since the caller looked.
    #[error("the owner changed meanwhile")]
    OwnerChanged,
    /// The new owner is the owner already.
    #[error("already the owner")]
    AlreadyOwner,
    /// The flag has that value already.
    #[error("already in that state")]
    Unchanged,
}

fn refused(r: TempVoiceRefusal) -> StorageError {
    StorageError::Refused(Refusal::TempVoice(r))
}

type HubRow = (
    i64,
    i64,
    i64,
    Option<i64>,
    String,
    i64,
    Option<i64>,
    DateTime<Utc>,
);

const HUB_COLUMNS: &str =
    "id, guild_id, channel_id, category_id, name_format, user_limit, bitrate, created_at";

fn hub_from_row(r: HubRow) -> Hub {
    Hub {
        id: HubId(r.0),
        guild: GuildId::from_db(r.1),
        channel: ChannelId::from_db(r.2),
        category: r.3.map(ChannelId::from_db),
        config: HubConfig {
            name_format: r.4,
            user_limit: u32::try_from(r.5).unwrap_or(0),
            bitrate: r.6.and_then(|b| u32::try_from(b).ok()),
        },
        created_at: r.7,
    }
}

type ChannelRow = (
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    bool,
    bool,
    bool,
    DateTime<Utc>,
);

const COLUMNS: &str =
    "id, guild_id, hub_id, channel_id, owner_id, number, persistent, locked, hidden, created_at";

fn from_row(r: ChannelRow) -> TempChannel {
    TempChannel {
        id: r.0,
        guild: GuildId::from_db(r.1),
        hub: r.2.map(HubId),
        channel: r.3.map(ChannelId::from_db),
        owner: UserId::from_db(r.4),
        number: u32::try_from(r.5).unwrap_or(0),
        persistent: r.6,
        locked: r.7,
        hidden: r.8,
        created_at: r.9,
    }
}

/// Stores a hub. Refused when the configuration is invalid
/// ([`TempVoiceRefusal::InvalidHub`]) or the channel is a hub already
/// ([`TempVoiceRefusal::HubExists`]).
pub async fn create_hub(
    storage: &Storage,
    guild: GuildId,
    channel: ChannelId,
    category: Option<ChannelId>,
    config: &HubConfig,
    now: DateTime<Utc>,
) -> Result<Hub> {
    config
        .validate()
        .map_err(|e| refused(TempVoiceRefusal::InvalidHub(e)))?;
    transaction!(storage, |tx| {
        if hub_in(tx, channel).await?.is_some() {
            return Err(refused(TempVoiceRefusal::HubExists));
        }
        let row: HubRow = tx_run!(tx, |conn| {
            sqlx::query_as(&format!(
                "INSERT INTO tempvoice_hubs \
                 (guild_id, channel_id, category_id, name_format, user_limit, bitrate, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {HUB_COLUMNS}"
            ))
            .bind(guild.to_db())
            .bind(channel.to_db())
            .bind(category.map(ChannelId::to_db))
            .bind(config.name_format.trim())
            .bind(i64::from(config.user_limit))
            .bind(config.bitrate.map(i64::from))
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        Ok(hub_from_row(row))
    })
}

async fn hub_in(tx: &mut Tx, channel: ChannelId) -> Result<Option<Hub>> {
    let row: Option<HubRow> = tx_run!(tx, |conn| {
        sqlx::query_as(&format!(
            "SELECT {HUB_COLUMNS} FROM tempvoice_hubs WHERE channel_id = $1"
        ))
        .bind(channel.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(hub_from_row))
}

/// The hub whose "join to create" channel is `channel`.
pub async fn hub(storage: &Storage, channel: ChannelId) -> Result<Option<Hub>> {
    let row: Option<HubRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {HUB_COLUMNS} FROM tempvoice_hubs WHERE channel_id = $1"
        ))
        .bind(channel.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(hub_from_row))
}

/// The hubs of a server, oldest first.
pub async fn hubs(storage: &Storage, guild: GuildId) -> Result<Vec<Hub>> {
    let rows: Vec<HubRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {HUB_COLUMNS} FROM tempvoice_hubs WHERE guild_id = $1 ORDER BY id"
        ))
        .bind(guild.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(hub_from_row).collect())
}

/// Removes the hub of `channel` in `guild` (its channels stay, without a hub). Returns the
/// removed hub.
pub async fn delete_hub(
    storage: &Storage,
    guild: GuildId,
    channel: ChannelId,
) -> Result<Option<Hub>> {
    transaction!(storage, |tx| {
        let Some(hub) = hub_in(tx, channel).await?.filter(|h| h.guild == guild) else {
            return Ok(None);
        };
        tx_run!(tx, |conn| {
            sqlx::query("UPDATE tempvoice_channels SET hub_id = NULL WHERE hub_id = $1")
                .bind(hub.id.0)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM tempvoice_hubs WHERE id = $1")
                .bind(hub.id.0)
                .execute(&mut *conn)
                .await?;
        });
        Ok(Some(hub))
    })
}

/// Reserves a channel row of `hub` for `owner` with the hub's lowest free number; its Discord
/// channel is recorded afterwards ([`set_channel`]).
pub async fn reserve(
    storage: &Storage,
    hub: HubId,
    owner: UserId,
    now: DateTime<Utc>,
) -> Result<TempChannel> {
    transaction!(storage, |tx| {
        let guild: Option<(i64,)> = tx_run!(tx, |conn, d| {
            sqlx::query_as(&format!(
                "SELECT guild_id FROM tempvoice_hubs WHERE id = $1{}",
                d.for_update()
            ))
            .bind(hub.0)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some((guild,)) = guild else {
            return Err(refused(TempVoiceRefusal::NoHub));
        };
        let taken: Vec<(i64,)> = tx_run!(tx, |conn| {
            sqlx::query_as("SELECT number FROM tempvoice_channels WHERE hub_id = $1")
                .bind(hub.0)
                .fetch_all(&mut *conn)
                .await?
        });
        let taken: Vec<u32> = taken
            .into_iter()
            .filter_map(|(n,)| u32::try_from(n).ok())
            .collect();
        let number = next_number(&taken);
        let row: ChannelRow = tx_run!(tx, |conn| {
            sqlx::query_as(&format!(
                "INSERT INTO tempvoice_channels (guild_id, hub_id, owner_id, number, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
            ))
            .bind(guild)
            .bind(hub.0)
            .bind(owner.to_db())
            .bind(i64::from(number))
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        Ok(from_row(row))
    })
}

/// Records the Discord channel of a reserved row.
pub async fn set_channel(storage: &Storage, id: i64, channel: ChannelId) -> Result<TempChannel> {
    let row: Option<ChannelRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "UPDATE tempvoice_channels SET channel_id = $1 WHERE id = $2 RETURNING {COLUMNS}"
        ))
        .bind(channel.to_db())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(from_row)
        .ok_or_else(|| refused(TempVoiceRefusal::NotTemporary))
}

/// Drops a reserved row whose channel could not be created.
pub async fn discard(storage: &Storage, id: i64) -> Result<()> {
    conn_run!(storage, |conn| {
        sqlx::query("DELETE FROM tempvoice_channels WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The temporary channel of a Discord channel.
pub async fn by_channel(storage: &Storage, channel: ChannelId) -> Result<Option<TempChannel>> {
    let row: Option<ChannelRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM tempvoice_channels WHERE channel_id = $1"
        ))
        .bind(channel.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(from_row))
}

/// The temporary channels of a server, oldest first.
pub async fn of_guild(storage: &Storage, guild: GuildId) -> Result<Vec<TempChannel>> {
    let rows: Vec<ChannelRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM tempvoice_channels WHERE guild_id = $1 ORDER BY id"
        ))
        .bind(guild.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows.into_iter().map(from_row).collect())
}

/// Removes the row of a channel (deleted, or gone). Returns whether there was one.
pub async fn remove(storage: &Storage, channel: ChannelId) -> Result<bool> {
    conn_run!(storage, |conn| {
        let r = sqlx::query("DELETE FROM tempvoice_channels WHERE channel_id = $1")
            .bind(channel.to_db())
            .execute(&mut *conn)
            .await?;
        Ok(r.rows_affected() > 0)
    })
}

/// Gives the channel to `to`, if its owner is still `from`. Refused with
/// [`TempVoiceRefusal::AlreadyOwner`] (`to` owns it), [`TempVoiceRefusal::OwnerChanged`]
/// (someone else owns it now) or [`TempVoiceRefusal::NotTemporary`].
pub async fn transfer(
    storage: &Storage,
    channel: ChannelId,
    from: UserId,
    to: UserId,
) -> Result<TempChannel> {
    if from == to {
        return Err(refused(TempVoiceRefusal::AlreadyOwner));
    }
    let row: Option<ChannelRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "UPDATE tempvoice_channels SET owner_id = $1 \
             WHERE channel_id = $2 AND owner_id = $3 RETURNING {COLUMNS}"
        ))
        .bind(to.to_db())
        .bind(channel.to_db())
        .bind(from.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    match row {
        Some(r) => Ok(from_row(r)),
        None => Err(refused(match by_channel(storage, channel).await? {
            None => TempVoiceRefusal::NotTemporary,
            Some(t) if t.owner == to => TempVoiceRefusal::AlreadyOwner,
            Some(_) => TempVoiceRefusal::OwnerChanged,
        })),
    }
}

/// Sets a flag; refused with [`TempVoiceRefusal::Unchanged`] when it has that value already.
pub async fn set_flag(
    storage: &Storage,
    channel: ChannelId,
    flag: Flag,
    on: bool,
) -> Result<TempChannel> {
    let col = flag.column();
    let row: Option<ChannelRow> = conn_run!(storage, |conn| {
        sqlx::query_as(&format!(
            "UPDATE tempvoice_channels SET {col} = $1 \
             WHERE channel_id = $2 AND {col} <> $1 RETURNING {COLUMNS}"
        ))
        .bind(on)
        .bind(channel.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    match row {
        Some(r) => Ok(from_row(r)),
        None => Err(refused(match by_channel(storage, channel).await? {
            None => TempVoiceRefusal::NotTemporary,
            Some(_) => TempVoiceRefusal::Unchanged,
        })),
    }
}

/// What the restart clean-up found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleanup {
    /// Rows removed: their channel no longer exists (or was never created).
    pub removed: Vec<TempChannel>,
    /// Channels that exist, are empty and not persistent: the bot deletes them (then
    /// [`remove`]s their rows).
    pub empty: Vec<TempChannel>,
}

/// The restart clean-up of a server, over the rows created before `created_before` (what an
/// earlier run left; newer rows follow live events): `existing` are the server's channels now,
/// `occupied` the channels with someone in voice. Rows whose channel is not in `existing` (or
/// that never got one) are removed in one transaction; the empty, non-persistent channels are
/// returned.
pub async fn cleanup(
    storage: &Storage,
    guild: GuildId,
    existing: &HashSet<ChannelId>,
    occupied: &HashSet<ChannelId>,
    created_before: DateTime<Utc>,
) -> Result<Cleanup> {
    let rows = of_guild(storage, guild).await?;
    let mut out = Cleanup::default();
    for t in rows.into_iter().filter(|t| t.created_at < created_before) {
        match t.channel {
            Some(c) if existing.contains(&c) => {
                if !t.persistent && !occupied.contains(&c) {
                    out.empty.push(t);
                }
            }
            Some(_) | None => out.removed.push(t),
        }
    }
    if !out.removed.is_empty() {
        let ids: Vec<i64> = out.removed.iter().map(|t| t.id).collect();
        transaction!(storage, |tx| {
            for id in &ids {
                tx_run!(tx, |conn| {
                    sqlx::query("DELETE FROM tempvoice_channels WHERE id = $1")
                        .bind(*id)
                        .execute(&mut *conn)
                        .await?;
                });
            }
            Ok(())
        })?;
    }
    Ok(out)
}
