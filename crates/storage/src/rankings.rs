//! Server leaderboards ranked by a global score: the members a server has seen
//! (`guild_users`) joined with their global profile or hunt statistics. Served by
//! `guild_users`' primary key `(guild_id, user_id)` plus the joined table's primary key; the
//! sort runs over one server's members only.

use crate::leaderboard::{Entry, Metric};
use crate::{Result, Storage};

/// Top `limit` members of `guild_id` by a global `metric` (zero scores left out), skipping
/// `offset` lines. Ties are broken by user id.
pub async fn guild_top_by(
    storage: &Storage,
    metric: Metric,
    guild_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Entry>> {
    let (join, col) = match metric {
        Metric::Chrons => ("users s ON s.id = g.user_id", "s.chrons"),
        Metric::GlobalXp => ("users s ON s.id = g.user_id", "s.global_xp"),
        Metric::Hunts => ("hunt_stats s ON s.user_id = g.user_id", "s.hunts"),
    };
    let sql = format!(
        "SELECT g.user_id, {col} FROM guild_users g JOIN {join} \
         WHERE g.guild_id = $1 AND {col} > 0 ORDER BY {col} DESC, g.user_id LIMIT $2 OFFSET $3"
    );
    let rows: Vec<(i64, i64)> = conn_run!(storage, |conn| {
        sqlx::query_as(&sql)
            .bind(guild_id)
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
            user_id,
            score,
        })
        .collect())
}
