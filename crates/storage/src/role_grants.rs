//! Role rewards granted once (levels, invites): one row per (server, member, threshold) in a
//! grants table, written with `ON CONFLICT DO NOTHING`, so a reward is never granted twice
//! whatever happens to the XP or the invite count afterwards.

use chronix_core::ids::{GuildId, RoleId, UserId};
use chrono::{DateTime, Utc};

use crate::{Result, Storage};

/// Records a grant row in `table` (columns `guild_id, user_id, <threshold>, role_id,
/// granted_at`, unique on the first three) for each item of `due`, in one transaction; returns
/// the items whose row is new (the roles the bot must give now). `key` gives an item's
/// threshold and role.
pub(crate) async fn claim<T: Copy>(
    storage: &Storage,
    (table, threshold): (&'static str, &'static str),
    (guild, user): (GuildId, UserId),
    due: &[T],
    key: impl Fn(&T) -> Result<(i64, RoleId)>,
    now: DateTime<Utc>,
) -> Result<Vec<T>> {
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "INSERT INTO {table} (guild_id, user_id, {threshold}, role_id, granted_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
    );
    transaction!(storage, |tx| {
        let mut fresh = Vec::new();
        for r in due {
            let (at, role) = key(r)?;
            let n = tx_run!(tx, |conn| {
                sqlx::query(&sql)
                    .bind(guild.to_db())
                    .bind(user.to_db())
                    .bind(at)
                    .bind(role.to_db())
                    .bind(now)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
            });
            if n == 1 {
                fresh.push(*r);
            }
        }
        Ok(fresh)
    })
}
