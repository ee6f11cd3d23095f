//! Consumables in use (`use <item>`): rows of `hunt_effects`, one per player and item, with the
//! hunts the item still applies to. The effect itself is the item's `effect` in `items.yaml`
//! (`chronix_core::hunt::modifiers_from_effects`).
//!
//! * [`use_item`]: one item leaves the inventory and its hunts are added to the player's row
//!   (using a second lure adds 10 more hunts), in one transaction.
//! * [`active`]: what applies to the next hunt.
//! * [`consume_in`]: a manual hunt spends one hunt of every effect, inside the hunt's
//!   transaction ([`crate::hunt::record`]); a row that reaches 0 is deleted.

use chronix_core::ids::UserId;
use chrono::{DateTime, Utc};

use crate::{Refusal, Result, Storage, StorageError, Tx, inventory, users};

/// An effect in use: the item and the hunts left.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Effect {
    /// The item's key.
    pub item_key: String,
    /// Hunts it still applies to (> 0).
    pub hunts_left: i32,
}

/// Uses one `item_key` (removed from the inventory, [`Refusal::NotEnoughItems`] when there is
/// none) and adds `hunts` (> 0) to its effect. Returns the hunts left after.
pub async fn use_item(
    storage: &Storage,
    user: UserId,
    item_key: &str,
    hunts: u32,
    now: DateTime<Utc>,
) -> Result<i32> {
    let hunts = i32::try_from(hunts)
        .ok()
        .filter(|h| *h > 0)
        .ok_or(StorageError::Refused(Refusal::InvalidAmount(i64::from(
            hunts,
        ))))?;
    transaction!(storage, |tx| {
        users::lock(tx, user).await?;
        inventory::remove(tx, user, item_key, 1, now).await?;
        tx_run!(tx, |conn| {
            let (left,): (i32,) = sqlx::query_as(
                "INSERT INTO hunt_effects (user_id, item_key, hunts_left, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) \
                 ON CONFLICT (user_id, item_key) DO UPDATE \
                 SET hunts_left = hunt_effects.hunts_left + excluded.hunts_left, \
                     updated_at = excluded.updated_at \
                 RETURNING hunts_left",
            )
            .bind(user.to_db())
            .bind(item_key)
            .bind(hunts)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            Ok(left)
        })
    })
}

/// The effects in use for `user`, by item key.
pub async fn active(storage: &Storage, user: UserId) -> Result<Vec<Effect>> {
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, Effect>(
            "SELECT item_key, hunts_left FROM hunt_effects WHERE user_id = $1 ORDER BY item_key",
        )
        .bind(user.to_db())
        .fetch_all(&mut *conn)
        .await?)
    })
}

/// Spends one hunt of every effect of `user` inside `tx` (rows reaching 0 are deleted).
pub async fn consume_in(tx: &mut Tx, user: UserId, now: DateTime<Utc>) -> Result<()> {
    tx_run!(tx, |conn| {
        sqlx::query("DELETE FROM hunt_effects WHERE user_id = $1 AND hunts_left <= 1")
            .bind(user.to_db())
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE hunt_effects SET hunts_left = hunts_left - 1, updated_at = $2 \
             WHERE user_id = $1",
        )
        .bind(user.to_db())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}
