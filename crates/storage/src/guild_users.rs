//! Per-guild profiles (`guild_users`): guild XP, level, guild balance, last message time.

use chronix_core::economy::Chrons;
use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage, Tx, users};

/// A row of `guild_users`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GuildUser {
    /// Guild id.
    #[sqlx(try_from = "i64")]
    pub guild_id: GuildId,
    /// User id.
    #[sqlx(try_from = "i64")]
    pub user_id: UserId,
    /// XP in this guild.
    pub xp: i64,
    /// Level in this guild.
    pub level: i32,
    /// Guild-local balance.
    #[sqlx(try_from = "i64")]
    pub balance: Chrons,
    /// Last message that counted for XP.
    pub last_message: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "guild_id, user_id, xp, level, balance, last_message, created_at, updated_at";

/// The guild profile, or `None`.
pub async fn get(
    storage: &Storage,
    guild_id: GuildId,
    user_id: UserId,
) -> Result<Option<GuildUser>> {
    let sql = format!("SELECT {COLUMNS} FROM guild_users WHERE guild_id = $1 AND user_id = $2");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, GuildUser>(&sql)
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// The guild profile, creating it (and the global profile) when missing.
pub async fn get_or_create(
    storage: &Storage,
    guild_id: GuildId,
    user_id: UserId,
) -> Result<GuildUser> {
    let mut tx = storage.begin().await?;
    let gu = get_or_create_in(&mut tx, guild_id, user_id).await?;
    tx.commit().await?;
    Ok(gu)
}

/// Makes sure the guild profile exists (so server leaderboards rank the member), writing only
/// when it is missing: an existing member costs one plain read, no transaction and no lock
/// (read paths such as `chro balance` call this; on SQLite a write transaction would queue
/// behind every other writer). Returns true when the profile was created now.
pub async fn ensure_member(storage: &Storage, guild_id: GuildId, user_id: UserId) -> Result<bool> {
    let exists: Option<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT user_id FROM guild_users WHERE guild_id = $1 AND user_id = $2")
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    if exists.is_some() {
        return Ok(false);
    }
    let now = Utc::now();
    transaction!(storage, |tx| {
        users::ensure(tx, user_id).await?;
        tx_run!(tx, |conn| {
            let r = sqlx::query(
                "INSERT INTO guild_users (guild_id, user_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $3) ON CONFLICT (guild_id, user_id) DO NOTHING",
            )
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok(r.rows_affected() == 1)
        })
    })
}

/// [`get_or_create`] inside a transaction; the row stays locked until the transaction ends.
pub async fn get_or_create_in(
    tx: &mut Tx,
    guild_id: GuildId,
    user_id: UserId,
) -> Result<GuildUser> {
    users::ensure(tx, user_id).await?;
    let now = Utc::now();
    tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT {COLUMNS} FROM guild_users WHERE guild_id = $1 AND user_id = $2{}",
            d.for_update()
        );
        sqlx::query(
            "INSERT INTO guild_users (guild_id, user_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $3) ON CONFLICT (guild_id, user_id) DO NOTHING",
        )
        .bind(guild_id.to_db())
        .bind(user_id.to_db())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(sqlx::query_as::<_, GuildUser>(&sql)
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .fetch_one(&mut *conn)
            .await?)
    })
}

/// Adds `xp_delta` (>= 0) guild XP, sets the level computed by the caller (core owns the XP
/// curve) and records `now` as the last counted message. Creates the profile when missing.
pub async fn add_xp(
    storage: &Storage,
    guild_id: GuildId,
    user_id: UserId,
    xp_delta: i64,
    level_for: impl Fn(i64) -> i32,
    now: DateTime<Utc>,
) -> Result<GuildUser> {
    if xp_delta < 0 {
        return Err(crate::StorageError::Refused(Refusal::InvalidAmount(
            xp_delta,
        )));
    }
    let mut tx = storage.begin().await?;
    let current = get_or_create_in(&mut tx, guild_id, user_id).await?;
    let xp = current
        .xp
        .checked_add(xp_delta)
        .ok_or(crate::StorageError::Refused(Refusal::Overflow))?;
    let level = level_for(xp);
    let sql = format!(
        "UPDATE guild_users SET xp = $1, level = $2, last_message = $3, updated_at = $3 \
         WHERE guild_id = $4 AND user_id = $5 RETURNING {COLUMNS}"
    );
    let gu = tx_run!(&mut tx, |conn| {
        sqlx::query_as::<_, GuildUser>(&sql)
            .bind(xp)
            .bind(level)
            .bind(now)
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .fetch_one(&mut *conn)
            .await?
    });
    tx.commit().await?;
    Ok(gu)
}
