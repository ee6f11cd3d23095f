//! XP and levels (issue 15): a server's level settings (`level_settings`, JSON checked by
//! `chronix_core::levels::LevelSettings::validate`), batched XP writes, admin changes (audited),
//! reward grants remembered once (`level_role_grants`) and ranks.
//!
//! XP lives in `guild_users.xp/level` (per server) and `users.global_xp/global_level`. Every
//! write here is additive (`xp = xp + delta` under the row lock of the upsert), so awards that
//! arrive concurrently from several batches or processes add up and none is lost; the level
//! columns are recomputed from the returned totals with the caller's curve.

use chronix_core::ids::{GuildId, RoleId, UserId};
use chronix_core::levels::{LevelSettings, RoleReward, SettingsError};
use chronix_core::xp::XpCurve;
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx, audit, users};

/// Why a levels action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelsRefusal {
    /// The settings break a rule.
    #[error("invalid level settings: {0}")]
    Invalid(SettingsError),
}

fn refused(r: LevelsRefusal) -> StorageError {
    StorageError::Refused(Refusal::Levels(r))
}

/// A server's level settings (the defaults when it never saved any).
pub async fn settings(storage: &Storage, guild: GuildId) -> Result<LevelSettings> {
    crate::guild_json::load(storage, "level_settings", guild).await
}

/// Stores a server's level settings after checking them; refused with
/// [`LevelsRefusal::Invalid`] (nothing written). Audited as `levels.settings`.
pub async fn save_settings(
    storage: &Storage,
    guild: GuildId,
    actor: UserId,
    s: &LevelSettings,
    now: DateTime<Utc>,
) -> Result<()> {
    s.validate()
        .map_err(|e| refused(LevelsRefusal::Invalid(e)))?;
    let json = serde_json::to_string(s)
        .map_err(|e| StorageError::Corrupt(format!("level settings: {e}")))?;
    transaction!(storage, |tx| {
        crate::guild_json::store_in(tx, "level_settings", guild, &json, now).await?;
        audit::append_in(
            tx,
            actor,
            Some(guild),
            "levels.settings",
            None,
            &serde_json::from_str::<serde_json::Value>(&json).unwrap_or_default(),
            now,
        )
        .await?;
        Ok(())
    })
}

/// XP to add to one member (chat XP of one flush, or XP from a game).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XpGrant {
    /// The server.
    pub guild: GuildId,
    /// The member.
    pub user: UserId,
    /// XP to add (> 0).
    pub xp: i64,
    /// Also add it to the global XP.
    pub global: bool,
}

/// What one member's grant did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Granted {
    /// The server.
    pub guild: GuildId,
    /// The member.
    pub user: UserId,
    /// Server XP after the grant.
    pub xp: i64,
    /// Server level before.
    pub old_level: u32,
    /// Server level after.
    pub new_level: u32,
    /// Global XP after (when the grant counted globally).
    pub global_xp: Option<i64>,
}

impl Granted {
    /// The member reached a new server level.
    pub fn levelled_up(&self) -> bool {
        self.new_level > self.old_level
    }
}

/// Adds a batch of grants in one transaction (grants for the same member are summed first;
/// rows are locked in (guild, user) order). `curve_of` gives each server's curve (its
/// settings), `global_curve` the global one. Returns one [`Granted`] per member, in that order.
pub async fn grant(
    storage: &Storage,
    grants: &[XpGrant],
    curve_of: &(dyn Fn(GuildId) -> XpCurve + Sync),
    global_curve: &XpCurve,
    now: DateTime<Utc>,
) -> Result<Vec<Granted>> {
    let mut merged: std::collections::BTreeMap<(GuildId, UserId), (i64, i64)> =
        std::collections::BTreeMap::new();
    for g in grants {
        if g.xp <= 0 {
            return Err(StorageError::Refused(Refusal::InvalidAmount(g.xp)));
        }
        let e = merged.entry((g.guild, g.user)).or_default();
        e.0 =
            e.0.checked_add(g.xp)
                .ok_or(StorageError::Refused(Refusal::Overflow))?;
        if g.global {
            e.1 =
                e.1.checked_add(g.xp)
                    .ok_or(StorageError::Refused(Refusal::Overflow))?;
        }
    }
    if merged.is_empty() {
        return Ok(Vec::new());
    }
    let curves: std::collections::HashMap<GuildId, XpCurve> =
        merged.keys().map(|(g, _)| (*g, curve_of(*g))).collect();
    transaction!(storage, |tx| {
        let mut users_sorted: Vec<UserId> = merged.keys().map(|(_, u)| *u).collect();
        users_sorted.sort();
        users_sorted.dedup();
        for u in &users_sorted {
            users::ensure(tx, *u).await?;
        }
        let mut out = Vec::with_capacity(merged.len());
        for (&(guild, user), &(xp, _)) in &merged {
            let (total, old): (i64, i32) = tx_run!(tx, |conn| {
                sqlx::query_as(
                    "INSERT INTO guild_users (guild_id, user_id, xp, last_message, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $4, $4) \
                     ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = guild_users.xp + \
                     excluded.xp, last_message = excluded.last_message, \
                     updated_at = excluded.updated_at RETURNING xp, level",
                )
                .bind(guild.to_db())
                .bind(user.to_db())
                .bind(xp)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
            });
            let new_level = curves[&guild].level_for_xp(total);
            set_guild_level(tx, guild, user, old, new_level).await?;
            out.push(Granted {
                guild,
                user,
                xp: total,
                old_level: old.max(0) as u32,
                new_level,
                global_xp: None,
            });
        }
        // Global XP: one additive update per user, in id order, after the server rows.
        let mut global: std::collections::BTreeMap<UserId, i64> = Default::default();
        for (&(_, user), &(_, g)) in &merged {
            if g > 0 {
                *global.entry(user).or_default() += g;
            }
        }
        for (user, xp) in global {
            let (total, old): (i64, i32) = tx_run!(tx, |conn| {
                sqlx::query_as(
                    "UPDATE users SET global_xp = global_xp + $1, updated_at = $2 \
                     WHERE id = $3 RETURNING global_xp, global_level",
                )
                .bind(xp)
                .bind(now)
                .bind(user.to_db())
                .fetch_one(&mut *conn)
                .await?
            });
            let level = global_curve.level_for_xp(total);
            if i64::from(level) != i64::from(old) {
                tx_run!(tx, |conn| {
                    sqlx::query("UPDATE users SET global_level = $1 WHERE id = $2")
                        .bind(level_db(level)?)
                        .bind(user.to_db())
                        .execute(&mut *conn)
                        .await?;
                });
            }
            for g in out.iter_mut().filter(|g| g.user == user) {
                if merged[&(g.guild, user)].1 > 0 {
                    g.global_xp = Some(total);
                }
            }
        }
        Ok(out)
    })
}

fn level_db(level: u32) -> Result<i32> {
    i32::try_from(level).map_err(|_| StorageError::Refused(Refusal::Overflow))
}

async fn set_guild_level(
    tx: &mut Tx,
    guild: GuildId,
    user: UserId,
    old: i32,
    new_level: u32,
) -> Result<()> {
    if i64::from(old) == i64::from(new_level) {
        return Ok(());
    }
    tx_run!(tx, |conn| {
        sqlx::query("UPDATE guild_users SET level = $1 WHERE guild_id = $2 AND user_id = $3")
            .bind(level_db(new_level)?)
            .bind(guild.to_db())
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// An admin change of a member's server XP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XpChange {
    /// Set to exactly this (>= 0).
    Set(i64),
    /// Add (> 0).
    Add(i64),
    /// Remove (> 0); XP stops at 0.
    Remove(i64),
}

/// What [`change_xp`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// XP before.
    pub old_xp: i64,
    /// XP after.
    pub xp: i64,
    /// Level before.
    pub old_level: u32,
    /// Level after.
    pub new_level: u32,
}

/// Changes a member's server XP by an admin (audited as `levels.xp_set|xp_add|xp_remove` in the
/// same transaction). Amounts must be > 0 (`Set` >= 0).
pub async fn change_xp(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    change: XpChange,
    curve: &XpCurve,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<Changed> {
    let (action, amount) = match change {
        XpChange::Set(n) => ("levels.xp_set", n),
        XpChange::Add(n) => ("levels.xp_add", n),
        XpChange::Remove(n) => ("levels.xp_remove", n),
    };
    if amount < 0 || (amount == 0 && !matches!(change, XpChange::Set(_))) {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount)));
    }
    transaction!(storage, |tx| {
        let gu = crate::guild_users::get_or_create_in(tx, guild, user).await?;
        let xp = match change {
            XpChange::Set(n) => n,
            XpChange::Add(n) => gu
                .xp
                .checked_add(n)
                .ok_or(StorageError::Refused(Refusal::Overflow))?,
            XpChange::Remove(n) => (gu.xp - n).max(0),
        };
        let level = curve.level_for_xp(xp);
        tx_run!(tx, |conn| {
            sqlx::query(
                "UPDATE guild_users SET xp = $1, level = $2, updated_at = $3 \
                 WHERE guild_id = $4 AND user_id = $5",
            )
            .bind(xp)
            .bind(level_db(level)?)
            .bind(now)
            .bind(guild.to_db())
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?;
        });
        audit::append_in(
            tx,
            actor,
            Some(guild),
            action,
            Some(&user.to_string()),
            &serde_json::json!({ "amount": amount, "old_xp": gu.xp, "xp": xp }),
            now,
        )
        .await?;
        Ok(Changed {
            old_xp: gu.xp,
            xp,
            old_level: gu.level.max(0) as u32,
            new_level: level,
        })
    })
}

/// Resets every member's server XP and level to 0 and forgets the reward grants (so rewards
/// can be earned again); audited as `levels.reset`. Returns how many members had XP.
pub async fn reset_guild(
    storage: &Storage,
    guild: GuildId,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<u64> {
    transaction!(storage, |tx| {
        let n = tx_run!(tx, |conn| {
            let r = sqlx::query(
                "UPDATE guild_users SET xp = 0, level = 0, updated_at = $1 \
                 WHERE guild_id = $2 AND (xp > 0 OR level > 0)",
            )
            .bind(now)
            .bind(guild.to_db())
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM level_role_grants WHERE guild_id = $1")
                .bind(guild.to_db())
                .execute(&mut *conn)
                .await?;
            r.rows_affected()
        });
        audit::append_in(
            tx,
            actor,
            Some(guild),
            "levels.reset",
            None,
            &serde_json::json!({ "members": n }),
            now,
        )
        .await?;
        Ok(n)
    })
}

/// Records the reward grants of `due` for a member; returns those not granted before (the
/// ones the bot must give now). A level's reward is granted once, whatever happens later.
pub async fn claim_rewards(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    due: &[RoleReward],
    now: DateTime<Utc>,
) -> Result<Vec<RoleReward>> {
    let key = |r: &RoleReward| Ok((i64::from(level_db(r.level)?), r.role));
    let table = ("level_role_grants", "level");
    crate::role_grants::claim(storage, table, (guild, user), due, key, now).await
}

/// A member's XP: (server XP, server level, global XP, global level); zeros without a profile.
pub async fn member(storage: &Storage, guild: GuildId, user: UserId) -> Result<MemberXp> {
    let row: Option<(Option<i64>, Option<i32>, i64, i32)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT g.xp, g.level, u.global_xp, u.global_level FROM users u \
             LEFT JOIN guild_users g ON g.user_id = u.id AND g.guild_id = $1 WHERE u.id = $2",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(
        row.map_or_else(MemberXp::default, |(xp, level, gxp, glevel)| MemberXp {
            xp: xp.unwrap_or(0),
            level: level.unwrap_or(0).max(0) as u32,
            global_xp: gxp,
            global_level: glevel.max(0) as u32,
        }),
    )
}

/// See [`member`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberXp {
    /// Server XP.
    pub xp: i64,
    /// Server level (stored).
    pub level: u32,
    /// Global XP.
    pub global_xp: i64,
    /// Global level (stored).
    pub global_level: u32,
}

/// A member's rank in a server by XP (1 = first; ties by user id), `None` without XP.
pub async fn guild_rank(storage: &Storage, guild: GuildId, user: UserId) -> Result<Option<i64>> {
    let row: Option<(i64,)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM guild_users o WHERE o.guild_id = u.guild_id \
             AND (o.xp > u.xp OR (o.xp = u.xp AND o.user_id < u.user_id))) \
             FROM guild_users u WHERE u.guild_id = $1 AND u.user_id = $2 AND u.xp > 0",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|(ahead,)| ahead + 1))
}

/// Members of a server with XP (for the leaderboard's page count).
pub async fn guild_count(storage: &Storage, guild: GuildId) -> Result<i64> {
    let (n,): (i64,) = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT COUNT(*) FROM guild_users WHERE guild_id = $1 AND xp > 0")
            .bind(guild.to_db())
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n)
}

/// Users with global XP (for the leaderboard's page count).
pub async fn global_count(storage: &Storage) -> Result<i64> {
    let (n,): (i64,) = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE global_xp > 0")
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n)
}

/// The reward grants of a member (level, role), lowest level first.
pub async fn grants(storage: &Storage, guild: GuildId, user: UserId) -> Result<Vec<RoleReward>> {
    let rows: Vec<(i32, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT level, role_id FROM level_role_grants WHERE guild_id = $1 AND user_id = $2 \
             ORDER BY level",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(level, role)| RoleReward {
            level: level.max(0) as u32,
            role: RoleId::from_db(role),
        })
        .collect())
}
