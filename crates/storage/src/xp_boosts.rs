//! Timed XP boosts per member and server (`xp_boosts`): a source (the welcomer's `welcome`)
//! grants a boost once; the levels feature reads a member's best active boost
//! ([`active`]) and multiplies chat XP by it (`chronix_core::levels::XpBoost`). Shared data,
//! not a feature: the welcomer writes it, levels reads it, neither knows the other.

use chronix_core::ids::{GuildId, UserId};
use chronix_core::levels::XpBoost;
use chrono::{DateTime, Utc};

use crate::{Result, Storage};

/// Grants `boost` from `source` to a member once: `false` when this source already gave this
/// member a boost in this server (a member who rejoins does not get a new one).
pub async fn grant(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    source: &str,
    boost: XpBoost,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = conn_run!(storage, |conn| {
        sqlx::query(
            "INSERT INTO xp_boosts (guild_id, user_id, source, pct, until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(source)
        .bind(i64::from(boost.pct))
        .bind(boost.until)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

/// The member's best boost still running at `now` (`None`: none).
pub async fn active(
    storage: &Storage,
    guild: GuildId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<XpBoost>> {
    let rows: Vec<(i64, DateTime<Utc>)> = conn_run!(storage, |conn| {
        sqlx::query_as("SELECT pct, until FROM xp_boosts WHERE guild_id = $1 AND user_id = $2")
            .bind(guild.to_db())
            .bind(user.to_db())
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows
        .into_iter()
        .filter(|(_, until)| *until > now)
        .map(|(pct, until)| XpBoost {
            pct: u32::try_from(pct).unwrap_or(100),
            until,
        })
        .max_by_key(|b| b.pct))
}
