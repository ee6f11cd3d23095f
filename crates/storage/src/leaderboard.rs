//! Leaderboards: live top lists (from `users` / `guild_users`, served by their score indexes)
//! and a cache table (`leaderboard_cache`) that a periodic job can fill for expensive scopes.

use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage};

/// What a global leaderboard ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Wallet balance.
    Chrons,
    /// Global XP.
    GlobalXp,
    /// Hunts (manual hunts plus autohunt rolls, from `hunt_stats`).
    Hunts,
}

impl Metric {
    /// `(table, user id column, score column)`.
    fn source(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Metric::Chrons => ("users", "id", "chrons"),
            Metric::GlobalXp => ("users", "id", "global_xp"),
            Metric::Hunts => ("hunt_stats", "user_id", "hunts"),
        }
    }
}

/// One leaderboard line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Entry {
    /// 1-based rank (ties broken by user id, ascending).
    pub rank: i64,
    /// The user.
    #[sqlx(try_from = "i64")]
    pub user_id: UserId,
    /// The score.
    pub score: i64,
}

fn ranked(rows: Vec<(i64, i64)>, first_rank: i64) -> Vec<Entry> {
    rows.into_iter()
        .zip(first_rank..)
        .map(|((user_id, score), rank)| Entry {
            rank,
            user_id: UserId::from_db(user_id),
            score,
        })
        .collect()
}

/// Global top `limit` users by `metric` (users with a zero score are left out), skipping
/// `offset` lines (for pages).
pub async fn global_top(
    storage: &Storage,
    metric: Metric,
    limit: i64,
    offset: i64,
) -> Result<Vec<Entry>> {
    let (table, id, col) = metric.source();
    let sql = format!(
        "SELECT {id}, {col} FROM {table} WHERE {col} > 0 ORDER BY {col} DESC, {id} \
         LIMIT $1 OFFSET $2"
    );
    let rows: Vec<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(ranked(rows, offset + 1))
}

/// A user's global rank by `metric` (`None` without a profile or with a zero score).
pub async fn global_rank(
    storage: &Storage,
    metric: Metric,
    user_id: UserId,
) -> Result<Option<i64>> {
    let (table, id, col) = metric.source();
    let sql = format!(
        "SELECT COUNT(*) FROM {table} o, {table} u WHERE u.{id} = $1 AND u.{col} > 0 \
         AND (o.{col} > u.{col} OR (o.{col} = u.{col} AND o.{id} < u.{id}))"
    );
    let exists = conn_run!(storage, |conn| {
        let (n,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {id} = $1 AND {col} > 0"
        ))
        .bind(user_id.to_db())
        .fetch_one(&mut *conn)
        .await?;
        if n == 0 {
            None
        } else {
            let (ahead,): (i64,) = sqlx::query_as(&sql)
                .bind(user_id.to_db())
                .fetch_one(&mut *conn)
                .await?;
            Some(ahead + 1)
        }
    });
    Ok(exists)
}

/// Top `limit` members of a guild by guild XP.
pub async fn guild_top(
    storage: &Storage,
    guild_id: GuildId,
    limit: i64,
    offset: i64,
) -> Result<Vec<Entry>> {
    let rows: Vec<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT user_id, xp FROM guild_users WHERE guild_id = $1 AND xp > 0 \
             ORDER BY xp DESC, user_id LIMIT $2 OFFSET $3",
        )
        .bind(guild_id.to_db())
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(ranked(rows, offset + 1))
}

/// Replaces the cached leaderboard of `scope` (e.g. "clan_bp") in `guild_id` (0 for global)
/// with `entries`, in one transaction.
pub async fn store_cache(
    storage: &Storage,
    scope: &str,
    guild_id: GuildId,
    entries: &[Entry],
    now: DateTime<Utc>,
) -> Result<()> {
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            sqlx::query("DELETE FROM leaderboard_cache WHERE scope = $1 AND guild_id = $2")
                .bind(scope)
                .bind(guild_id.to_db())
                .execute(&mut *conn)
                .await?;
            for e in entries {
                sqlx::query(
                    "INSERT INTO leaderboard_cache (scope, guild_id, rank, user_id, score, \
                         computed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(scope)
                .bind(guild_id.to_db())
                .bind(
                    i32::try_from(e.rank)
                        .map_err(|_| crate::StorageError::Refused(Refusal::Overflow))?,
                )
                .bind(e.user_id.to_db())
                .bind(e.score)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            }
        });
        Ok(())
    })
}

/// The cached leaderboard of `scope` in `guild_id`, best first, and when it was computed.
pub async fn cached(
    storage: &Storage,
    scope: &str,
    guild_id: GuildId,
    limit: i64,
) -> Result<(Vec<Entry>, Option<DateTime<Utc>>)> {
    let rows: Vec<(i32, i64, i64, DateTime<Utc>)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT rank, user_id, score, computed_at FROM leaderboard_cache \
             WHERE scope = $1 AND guild_id = $2 ORDER BY rank LIMIT $3",
        )
        .bind(scope)
        .bind(guild_id.to_db())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
    });
    let computed_at = rows.first().map(|r| r.3);
    let entries = rows
        .into_iter()
        .map(|(rank, user_id, score, _)| Entry {
            rank: i64::from(rank),
            user_id: UserId::from_db(user_id),
            score,
        })
        .collect();
    Ok((entries, computed_at))
}
