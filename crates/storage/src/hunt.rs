//! Manual hunts and hunting statistics.
//!
//! [`record`] applies a hunt rolled by `chronix_core::hunt::roll_hunt` in ONE transaction:
//! the cooldown (persisted in `cooldowns`, so it survives restarts), the Chrons credit through
//! the ledger, the loot ([`crate::inventory::grant_loot`]), the global XP and level, and the
//! player's `hunt_stats` (hunts, creatures, best catch). Either everything happens or nothing:
//! a hunt on cooldown changes nothing.
//!
//! `hunt_stats` also counts autohunt rolls (see [`crate::autohunt`]); [`top`] and [`rank`] serve
//! the "hunts" leaderboard ([`crate::leaderboard::Metric::Hunts`]).

use chronix_core::economy::Chrons;
use chronix_core::hunt::HuntOutcome;
use chronix_core::ids::{GuildId, UserId};
use chronix_core::tables::Rarity;
use chronix_core::xp::XpCurve;
use chrono::{DateTime, Duration, Utc};

use crate::economy::{self, Memo};
use crate::{Missing, Refusal, Result, Storage, StorageError, Tx, cooldowns, inventory, users};

/// The command name hunts use in `cooldowns`.
pub const COOLDOWN_COMMAND: &str = "hunt";

/// A row of `hunt_stats`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HuntStats {
    /// The hunter.
    #[sqlx(try_from = "i64")]
    pub user_id: UserId,
    /// Hunts (manual hunts plus autohunt rolls).
    pub hunts: i64,
    /// Creatures caught.
    pub creatures: i64,
    /// Chrons earned by hunting (before autohunt costs).
    #[sqlx(try_from = "i64")]
    pub chrons_earned: Chrons,
    /// XP earned by hunting.
    pub xp_earned: i64,
    /// Tier index of the best creature (0 = common … 5 = celestial), -1 = none.
    pub best_rarity: i32,
    /// Creature id of the best catch.
    pub best_catch: Option<String>,
    /// Last hunt.
    pub last_hunt_at: Option<DateTime<Utc>>,
}

impl HuntStats {
    /// The tier of the best catch, if any.
    pub fn best_tier(&self) -> Option<Rarity> {
        usize::try_from(self.best_rarity)
            .ok()
            .and_then(|i| Rarity::ALL.get(i).copied())
    }
}

const STATS_COLUMNS: &str =
    "user_id, hunts, creatures, chrons_earned, xp_earned, best_rarity, best_catch, last_hunt_at";

/// What one batch of hunts adds to a player's statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsDelta {
    /// Hunts.
    pub hunts: i64,
    /// Creatures caught.
    pub creatures: i64,
    /// Chrons earned.
    pub chrons: Chrons,
    /// XP earned.
    pub xp: i64,
    /// Best creature of the batch: (tier index, creature id).
    pub best: Option<(i32, String)>,
}

impl StatsDelta {
    /// Adds one hunt's outcome.
    pub fn add(&mut self, h: &HuntOutcome) {
        self.hunts += 1;
        self.chrons = self.chrons.saturating_add(h.chrons);
        self.xp = self.xp.saturating_add(h.xp);
        if let Some(c) = &h.creature {
            self.creatures += 1;
            let tier = c.rarity.index() as i32;
            if self.best.as_ref().is_none_or(|(b, _)| tier > *b) {
                self.best = Some((tier, c.id.clone()));
            }
        }
    }
}

/// The upsert shared by manual hunts and the autohunt batch: add counts, keep the better catch.
pub(crate) const STATS_UPSERT_CONFLICT: &str = "ON CONFLICT (user_id) DO UPDATE SET \
     hunts = hunt_stats.hunts + excluded.hunts, \
     creatures = hunt_stats.creatures + excluded.creatures, \
     chrons_earned = hunt_stats.chrons_earned + excluded.chrons_earned, \
     xp_earned = hunt_stats.xp_earned + excluded.xp_earned, \
     best_catch = CASE WHEN excluded.best_rarity > hunt_stats.best_rarity \
                  THEN excluded.best_catch ELSE hunt_stats.best_catch END, \
     best_rarity = CASE WHEN excluded.best_rarity > hunt_stats.best_rarity \
                  THEN excluded.best_rarity ELSE hunt_stats.best_rarity END, \
     last_hunt_at = excluded.last_hunt_at, updated_at = excluded.updated_at";

/// Adds `delta` to the player's `hunt_stats` inside `tx` (profile must exist).
pub async fn add_stats(
    tx: &mut Tx,
    user_id: UserId,
    delta: &StatsDelta,
    now: DateTime<Utc>,
) -> Result<()> {
    let (best_rarity, best_catch) = match &delta.best {
        Some((r, c)) => (*r, Some(c.as_str())),
        None => (-1, None),
    };
    let sql = format!(
        "INSERT INTO hunt_stats (user_id, hunts, creatures, chrons_earned, xp_earned, \
         best_rarity, best_catch, last_hunt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) {STATS_UPSERT_CONFLICT}"
    );
    tx_run!(tx, |conn| {
        sqlx::query(&sql)
            .bind(user_id.to_db())
            .bind(delta.hunts)
            .bind(delta.creatures)
            .bind(delta.chrons.get())
            .bind(delta.xp)
            .bind(best_rarity)
            .bind(best_catch)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Adds `xp` (>= 0) to the user's global XP and sets the level from `curve`, inside `tx`.
/// Returns `(level before, level after, total xp)`.
pub async fn add_global_xp(
    tx: &mut Tx,
    user_id: UserId,
    xp: i64,
    curve: &XpCurve,
    now: DateTime<Utc>,
) -> Result<(u32, u32, i64)> {
    if xp < 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(xp)));
    }
    let (old_xp, old_level): (i64, i32) = tx_run!(tx, |conn, d| {
        let sql = format!(
            "SELECT global_xp, global_level FROM users WHERE id = $1{}",
            d.for_update()
        );
        sqlx::query_as(&sql)
            .bind(user_id.to_db())
            .fetch_one(&mut *conn)
            .await?
    });
    let new_xp = old_xp
        .checked_add(xp)
        .ok_or(StorageError::Refused(Refusal::Overflow))?;
    let level = curve.level_for_xp(new_xp);
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET global_xp = $1, global_level = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(new_xp)
        .bind(i32::try_from(level).map_err(|_| StorageError::Refused(Refusal::Overflow))?)
        .bind(now)
        .bind(user_id.to_db())
        .execute(&mut *conn)
        .await?;
    });
    Ok((old_level.max(0) as u32, level, new_xp))
}

/// What [`record`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Wallet balance after the credit.
    pub balance_after: Chrons,
    /// Global level before the hunt.
    pub level_before: u32,
    /// Global level after the hunt.
    pub level_after: u32,
    /// Global XP after the hunt.
    pub total_xp: i64,
    /// When the next hunt is allowed.
    pub cooldown_until: DateTime<Utc>,
    /// The player's statistics after the hunt.
    pub stats: HuntStats,
}

/// Applies a rolled hunt for `user_id` in one transaction (retried on transient errors):
/// cooldown, Chrons (ledger row, kind `"hunt"`), loot, global XP/level and statistics; one hunt
/// of every consumable in use is spent ([`crate::consumables::consume_in`]).
/// [`Refusal::OnCooldown`] (nothing changed) while the cooldown runs.
pub async fn record(
    storage: &Storage,
    user_id: UserId,
    guild_id: Option<GuildId>,
    outcome: &HuntOutcome,
    cooldown: Duration,
    curve: &XpCurve,
    now: DateTime<Utc>,
) -> Result<Recorded> {
    if outcome.chrons < 0 || outcome.xp < 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(
            outcome.chrons.get().min(outcome.xp),
        )));
    }
    transaction!(storage, |tx| {
        let cooldown_until = cooldowns::try_start_in(tx, user_id, COOLDOWN_COMMAND, now, cooldown)
            .await?
            .expires_at;
        let mut balance_after = users::lock(tx, user_id).await?;
        if outcome.chrons > 0 {
            let mut memo = Memo::new("hunt").kind("hunt").at(now);
            if let Some(g) = guild_id {
                memo = memo.guild(g);
            }
            balance_after = (economy::apply(tx, user_id, outcome.chrons, &memo)
                .await?
                .balance_after())
            .get();
        }
        inventory::grant_loot(tx, user_id, &outcome.loot(), now).await?;
        let (level_before, level_after, total_xp) =
            add_global_xp(tx, user_id, outcome.xp, curve, now).await?;
        let mut delta = StatsDelta::default();
        delta.add(outcome);
        add_stats(tx, user_id, &delta, now).await?;
        crate::consumables::consume_in(tx, user_id, now).await?;
        let stats = stats_in(tx, user_id.to_db())
            .await?
            .ok_or_else(|| StorageError::NotFound(Missing::HuntStats(user_id)))?;
        Ok(Recorded {
            balance_after: Chrons::new(balance_after),
            level_before,
            level_after,
            total_xp,
            cooldown_until,
            stats,
        })
    })
}

async fn stats_in(tx: &mut Tx, user_id: i64) -> Result<Option<HuntStats>> {
    let sql = format!("SELECT {STATS_COLUMNS} FROM hunt_stats WHERE user_id = $1");
    tx_run!(tx, |conn| {
        Ok(sqlx::query_as::<_, HuntStats>(&sql)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// A player's hunting statistics (`None` before their first hunt).
pub async fn stats(storage: &Storage, user_id: UserId) -> Result<Option<HuntStats>> {
    let sql = format!("SELECT {STATS_COLUMNS} FROM hunt_stats WHERE user_id = $1");
    conn_run!(storage, |conn| {
        Ok(sqlx::query_as::<_, HuntStats>(&sql)
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?)
    })
}

/// When the player's hunt cooldown ends, if it is running at `now`.
pub async fn cooldown_remaining(
    storage: &Storage,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    crate::cooldowns::remaining(storage, user_id, COOLDOWN_COMMAND, now).await
}
