//! Command cooldowns, persisted so they survive restarts. [`try_start`] checks and sets in one
//! atomic statement (`INSERT … ON CONFLICT DO UPDATE … WHERE expired … RETURNING`), so of many
//! concurrent attempts exactly one starts the cooldown.

use chronix_core::ids::UserId;
use chrono::{DateTime, Duration, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx};

/// A started cooldown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    /// When the new cooldown ends.
    pub expires_at: DateTime<Utc>,
}

/// Starts the cooldown of `command` for `user_id` lasting `duration` from `now`, unless one is
/// still running: then [`Refusal::OnCooldown`] with the expiry and the remaining time.
pub async fn try_start(
    storage: &Storage,
    user_id: UserId,
    command: &str,
    now: DateTime<Utc>,
    duration: Duration,
) -> Result<Started> {
    let mut tx = storage.begin().await?;
    let started = try_start_in(&mut tx, user_id, command, now, duration).await;
    match started {
        Ok(s) => {
            tx.commit().await?;
            Ok(s)
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e)
        }
    }
}

/// [`try_start`] inside a caller's transaction, so a feature can start its cooldown in the same
/// transaction as its rewards (hunt, work, daily…): if the transaction rolls back, so does the
/// cooldown.
pub async fn try_start_in(
    tx: &mut Tx,
    user_id: UserId,
    command: &str,
    now: DateTime<Utc>,
    duration: Duration,
) -> Result<Started> {
    let expires_at = now
        .checked_add_signed(duration)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    let started: Option<(DateTime<Utc>,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO cooldowns (user_id, command, expires_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (user_id, command) DO UPDATE \
                SET expires_at = excluded.expires_at, updated_at = excluded.updated_at \
                WHERE cooldowns.expires_at <= excluded.updated_at \
             RETURNING expires_at",
        )
        .bind(user_id.to_db())
        .bind(command)
        .bind(expires_at)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    if started.is_some() {
        return Ok(Started { expires_at });
    }
    let (current,): (DateTime<Utc>,) = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT expires_at FROM cooldowns WHERE user_id = $1 AND command = $2")
            .bind(user_id.to_db())
            .bind(command)
            .fetch_one(&mut *conn)
            .await?
    });
    Err(StorageError::Refused(Refusal::OnCooldown {
        expires_at: current,
        remaining: (current - now).to_std().unwrap_or_default(),
    }))
}

/// When the cooldown of `command` for `user_id` ends, if it is still running at `now`.
pub async fn remaining(
    storage: &Storage,
    user_id: UserId,
    command: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let row: Option<(DateTime<Utc>,)> = conn_run!(storage, |conn| {
        sqlx::query_as(
            "SELECT expires_at FROM cooldowns WHERE user_id = $1 AND command = $2 \
             AND expires_at > $3",
        )
        .bind(user_id.to_db())
        .bind(command)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|r| r.0))
}

/// Clears a cooldown (owner reset). Returns true when one existed.
pub async fn clear(storage: &Storage, user_id: UserId, command: &str) -> Result<bool> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query("DELETE FROM cooldowns WHERE user_id = $1 AND command = $2")
            .bind(user_id.to_db())
            .bind(command)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    tx.commit().await?;
    Ok(n > 0)
}

/// Deletes cooldowns that ended before `now` (housekeeping job). Returns how many.
pub async fn purge_expired(storage: &Storage, now: DateTime<Utc>) -> Result<u64> {
    let mut tx = storage.begin().await?;
    let n = tx_run!(&mut tx, |conn| {
        sqlx::query("DELETE FROM cooldowns WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    tx.commit().await?;
    Ok(n)
}
