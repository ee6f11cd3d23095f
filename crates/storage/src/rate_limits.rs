//! Per-user rate limits (issue 9), stored so every bot process shares them and they survive a
//! restart: one row per `(user, action)` with the hits of the current fixed window
//! (`chronix_core::ratelimit` owns the rules). [`hit`] counts a hit and decides in ONE atomic
//! upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so concurrent hits are all counted.
//! A limit that is off ([`RateLimit::is_off`]) touches no row.
//!
//! Intended use: the command handler calls [`hit`] with the action's configured limit before
//! the work (`"bet"`, `"pay"`, `"trade"`, `"market"`, `"leaderboard"`), and refuses on
//! [`Decision::Limited`]. Refused hits count too, so hammering does not shorten the wait.

use chronix_core::ids::UserId;
use chronix_core::ratelimit::{Decision, RateLimit};
use chrono::{DateTime, Utc};

use crate::{Result, Storage, Tx};

/// Counts one hit of `action` by `user_id` at `now` against `limit`, in its own transaction.
pub async fn hit(
    storage: &Storage,
    user_id: UserId,
    action: &str,
    limit: RateLimit,
    now: DateTime<Utc>,
) -> Result<Decision> {
    if limit.is_off() {
        return Ok(limit.decide(0, 0));
    }
    transaction!(storage, |tx| hit_in(tx, user_id, action, limit, now).await)
}

/// [`hit`] inside a caller's transaction (rolled back with it).
pub async fn hit_in(
    tx: &mut Tx,
    user_id: UserId,
    action: &str,
    limit: RateLimit,
    now: DateTime<Utc>,
) -> Result<Decision> {
    if limit.is_off() {
        return Ok(limit.decide(0, 0));
    }
    let window = limit.window_start(now);
    // A hit from an older window (another process's clock) counts in the newer one.
    let (hits, window): (i64, i64) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO rate_limits (user_id, action, window_start, hits, updated_at) \
             VALUES ($1, $2, $3, 1, $4) \
             ON CONFLICT (user_id, action) DO UPDATE SET \
                hits = CASE WHEN rate_limits.window_start >= excluded.window_start \
                            THEN rate_limits.hits + 1 ELSE 1 END, \
                window_start = CASE WHEN rate_limits.window_start >= excluded.window_start \
                            THEN rate_limits.window_start ELSE excluded.window_start END, \
                updated_at = excluded.updated_at \
             RETURNING hits, window_start",
        )
        .bind(user_id.to_db())
        .bind(action)
        .bind(window)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(limit.decide(u64::try_from(hits).unwrap_or(0), window))
}

/// Deletes the rows whose window started before `before` (a Unix timestamp; pass `now` minus
/// the longest configured window). Returns how many were deleted.
pub async fn prune(storage: &Storage, before: i64) -> Result<u64> {
    transaction!(storage, |tx| {
        tx_run!(tx, |conn| {
            let r = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
                .bind(before)
                .execute(&mut *conn)
                .await?;
            Ok(r.rows_affected())
        })
    })
}
