//! Leaderboard pages by keyset (fast at any depth): global boards walk the score indexes
//! (`users_chrons_idx`, `users_global_xp_idx`, `hunt_stats_hunts_idx`, all `(score DESC, id)`)
//! from a cursor `(score, user id)` instead of skipping rows with `OFFSET`. Server boards rank
//! the members a server has seen (`guild_users`) by their global score (Chrons, hunts) or by
//! their server XP (level).
//!
//! The condition `score <= $s AND (score < $s OR id > $id)` gives the index scan a start
//! (`score <= $s`) and only filters the ties, so page 10,000 costs what page 1 costs.

use crate::leaderboard::{Entry, Metric};
use crate::{Result, Storage};
use chronix_core::ids::{GuildId, UserId};

/// Where a page starts: the `(score, user id)` of a neighbouring line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Score of the line.
    pub score: i64,
    /// User of the line.
    pub user_id: UserId,
}

/// Which page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The top of the board.
    First,
    /// The lines ranked right after this one.
    After(Cursor),
    /// The lines ranked right before this one.
    Before(Cursor),
    /// The bottom `n` lines of the board (the last page holds `n` lines).
    Last(i64),
}

/// Global board or one server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every player.
    Global,
    /// Members of a guild.
    Guild(GuildId),
}

/// `(FROM … , id column, score column)` for a board.
fn source(metric: Metric, scope: Scope) -> (&'static str, &'static str, &'static str) {
    match (scope, metric) {
        (Scope::Global, Metric::Chrons) => ("users", "id", "chrons"),
        (Scope::Global, Metric::GlobalXp) => ("users", "id", "global_xp"),
        (Scope::Global, Metric::Hunts) => ("hunt_stats", "user_id", "hunts"),
        (Scope::Guild(_), Metric::Chrons) => (
            "guild_users g JOIN users s ON s.id = g.user_id",
            "g.user_id",
            "s.chrons",
        ),
        (Scope::Guild(_), Metric::GlobalXp) => ("guild_users g", "g.user_id", "g.xp"),
        (Scope::Guild(_), Metric::Hunts) => (
            "guild_users g JOIN hunt_stats s ON s.user_id = g.user_id",
            "g.user_id",
            "s.hunts",
        ),
    }
}

/// Up to `limit` lines of a board, best first, as `(user id, score)` (zero scores left out).
/// Ranks are the caller's (page index × page size + position), ties broken by user id.
pub async fn page(
    storage: &Storage,
    metric: Metric,
    scope: Scope,
    at: Page,
    limit: i64,
) -> Result<Vec<(i64, i64)>> {
    let (from, id, col) = source(metric, scope);
    let guild = match scope {
        Scope::Guild(g) => g,
        Scope::Global => chronix_core::ids::GuildId::new(0),
    };
    let scope_cond = match scope {
        Scope::Guild(_) => "g.guild_id = $1",
        Scope::Global => "$1 = $1",
    };
    let (cond, order) = match at {
        Page::First => ("$2 = $2 AND $3 = $3".to_string(), "DESC"),
        Page::After(_) => (format!("{col} <= $2 AND ({col} < $2 OR {id} > $3)"), "DESC"),
        Page::Before(_) => (format!("{col} >= $2 AND ({col} > $2 OR {id} < $3)"), "ASC"),
        Page::Last(_) => ("$2 = $2 AND $3 = $3".to_string(), "ASC"),
    };
    let id_order = if order == "DESC" { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT {id}, {col} FROM {from} WHERE {scope_cond} AND {col} > 0 AND {cond} \
         ORDER BY {col} {order}, {id} {id_order} LIMIT $4"
    );
    let c = match at {
        Page::First | Page::Last(_) => Cursor {
            score: 0,
            user_id: UserId::new(0),
        },
        Page::After(c) | Page::Before(c) => c,
    };
    let limit = match at {
        Page::Last(n) => n.min(limit),
        _ => limit,
    };
    let mut rows: Vec<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .bind(c.score)
            .bind(c.user_id.to_db())
            .bind(limit.max(0))
            .fetch_all(&mut *conn)
            .await?
    });
    if matches!(at, Page::Before(_) | Page::Last(_)) {
        rows.reverse();
    }
    Ok(rows)
}

/// How many lines a board has (players with a score above zero).
pub async fn count(storage: &Storage, metric: Metric, scope: Scope) -> Result<i64> {
    let (from, _, col) = source(metric, scope);
    let (guild, scope_cond) = match scope {
        Scope::Guild(g) => (g, "g.guild_id = $1"),
        Scope::Global => (chronix_core::ids::GuildId::new(0), "$1 = $1"),
    };
    let sql = format!("SELECT COUNT(*) FROM {from} WHERE {scope_cond} AND {col} > 0");
    let n: (i64,) = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild.to_db())
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n.0)
}

/// Top `limit` members of `guild_id` by `metric`, skipping `offset` lines (small boards and
/// tests; prefer [`page`]).
pub async fn guild_top_by(
    storage: &Storage,
    metric: Metric,
    guild_id: GuildId,
    limit: i64,
    offset: i64,
) -> Result<Vec<Entry>> {
    let (from, id, col) = source(metric, Scope::Guild(guild_id));
    let sql = format!(
        "SELECT {id}, {col} FROM {from} WHERE g.guild_id = $1 AND {col} > 0 \
         ORDER BY {col} DESC, {id} LIMIT $2 OFFSET $3"
    );
    let rows: Vec<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild_id.to_db())
            .bind(limit.max(0))
            .bind(offset.max(0))
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows
        .into_iter()
        .zip(offset.max(0) + 1..)
        .map(|((user_id, score), rank)| Entry {
            rank,
            user_id: UserId::from_db(user_id),
            score,
        })
        .collect())
}
