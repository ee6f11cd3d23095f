//! `/daily` (with its streak), `/weekly`, and the timed earners `/work` and `/beg`.
//!
//! Each claim runs in ONE transaction: lock the user, read the stored state, apply the pure rule
//! from `chronix_core::economy`, credit through [`economy::apply`] (idempotency key
//! `daily:<user>:<day>` / `weekly:<user>:<week>`), store the new state. A refusal (already
//! claimed, on cooldown) is [`Refusal::OnCooldown`] and changes nothing.

use chronix_core::economy::Chrons;
use chronix_core::economy::{
    ClaimError, DailyClaim, DailyRules, StreakState, WeeklyClaim, WeeklyRules, claim_daily,
    claim_weekly, day_index, week_index,
};
use chronix_core::ids::{GuildId, UserId};
use chrono::{DateTime, Duration, Utc};

use crate::economy::{self, Applied, Memo};
use crate::{Refusal, Result, Storage, StorageError, Tx, cooldowns, users};

/// What is stored for a player's claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimState {
    /// `/daily` streak state.
    pub daily: StreakState,
    /// Longest streak ever reached.
    pub best_streak: u32,
    /// Last successful `/weekly`.
    pub weekly_last_claim: Option<DateTime<Utc>>,
}

/// A successful `/daily`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyDone {
    /// The rule's outcome (reward, streak, next reset).
    pub claim: DailyClaim,
    /// The ledger credit.
    pub applied: Applied,
    /// Longest streak ever, including this claim.
    pub best_streak: u32,
}

/// A successful `/weekly`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyDone {
    /// The rule's outcome.
    pub claim: WeeklyClaim,
    /// The ledger credit.
    pub applied: Applied,
}

type Row = (Option<DateTime<Utc>>, i32, i32, Option<DateTime<Utc>>);

fn to_state(row: Option<Row>) -> ClaimState {
    match row {
        None => ClaimState::default(),
        Some((last, streak, best, weekly)) => ClaimState {
            daily: StreakState {
                last_claim: last,
                streak: u32::try_from(streak).unwrap_or(0),
            },
            best_streak: u32::try_from(best).unwrap_or(0),
            weekly_last_claim: weekly,
        },
    }
}

const SELECT: &str = "SELECT daily_last_claim, daily_streak, daily_best_streak, weekly_last_claim \
                      FROM economy_claims WHERE user_id = $1";

/// The stored claim state of a player (defaults when they never claimed).
pub async fn state(storage: &Storage, user_id: UserId) -> Result<ClaimState> {
    let row: Option<Row> = conn_run!(storage, |conn| {
        sqlx::query_as(SELECT)
            .bind(user_id.to_db())
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(to_state(row))
}

async fn state_in(tx: &mut Tx, user_id: i64) -> Result<ClaimState> {
    let row: Option<Row> = tx_run!(tx, |conn| {
        sqlx::query_as(SELECT)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(to_state(row))
}

async fn store_in(tx: &mut Tx, user_id: i64, s: &ClaimState, now: DateTime<Utc>) -> Result<()> {
    let streak =
        i32::try_from(s.daily.streak).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    let best =
        i32::try_from(s.best_streak).map_err(|_| StorageError::Refused(Refusal::Overflow))?;
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO economy_claims (user_id, daily_last_claim, daily_streak, \
                 daily_best_streak, weekly_last_claim, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (user_id) DO UPDATE SET daily_last_claim = excluded.daily_last_claim, \
                 daily_streak = excluded.daily_streak, \
                 daily_best_streak = excluded.daily_best_streak, \
                 weekly_last_claim = excluded.weekly_last_claim, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(s.daily.last_claim)
        .bind(streak)
        .bind(best)
        .bind(s.weekly_last_claim)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Overwrites a player's claim state (owner tools, tests and seeding).
pub async fn set_state(
    storage: &Storage,
    user_id: UserId,
    s: &ClaimState,
    now: DateTime<Utc>,
) -> Result<()> {
    transaction!(storage, |tx| {
        users::ensure(tx, user_id).await?;
        store_in(tx, user_id.to_db(), s, now).await
    })
}

fn on_cooldown(e: ClaimError, now: DateTime<Utc>) -> StorageError {
    let ClaimError::AlreadyClaimed { next_reset, .. } = e;
    StorageError::Refused(Refusal::OnCooldown {
        expires_at: next_reset,
        remaining: (next_reset - now).to_std().unwrap_or_default(),
    })
}

/// Claims `/daily` at `now`: streak +1 on the day after the last claim, reset to 1 after a
/// missed day, refused ([`Refusal::OnCooldown`] until the next reset) on the same day.
pub async fn daily(
    storage: &Storage,
    user_id: UserId,
    rules: &DailyRules,
    guild_id: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<DailyDone> {
    transaction!(storage, |tx| {
        users::lock(tx, user_id).await?;
        let mut s = state_in(tx, user_id.to_db()).await?;
        let claim = claim_daily(&s.daily, now, rules).map_err(|e| on_cooldown(e, now))?;
        s.daily = claim.state;
        s.best_streak = s.best_streak.max(claim.streak);
        store_in(tx, user_id.to_db(), &s, now).await?;
        let day = day_index(now, rules.reset_hour_utc);
        let mut memo = Memo::new(format!("daily reward (streak {})", claim.streak))
            .kind("daily")
            .key(format!("daily:{user_id}:{day}"))
            .at(now);
        memo.guild_id = guild_id;
        let applied = economy::apply(tx, user_id, claim.reward, &memo).await?;
        Ok(DailyDone {
            claim,
            applied,
            best_streak: s.best_streak,
        })
    })
}

/// Claims `/weekly` at `now` (weeks start on Monday at `reset_hour_utc`).
pub async fn weekly(
    storage: &Storage,
    user_id: UserId,
    rules: &WeeklyRules,
    reset_hour_utc: u32,
    guild_id: Option<GuildId>,
    now: DateTime<Utc>,
) -> Result<WeeklyDone> {
    transaction!(storage, |tx| {
        users::lock(tx, user_id).await?;
        let mut s = state_in(tx, user_id.to_db()).await?;
        let claim = claim_weekly(s.weekly_last_claim, now, reset_hour_utc, rules)
            .map_err(|e| on_cooldown(e, now))?;
        s.weekly_last_claim = Some(now);
        store_in(tx, user_id.to_db(), &s, now).await?;
        let week = week_index(now, reset_hour_utc);
        let mut memo = Memo::new("weekly reward")
            .kind("weekly")
            .key(format!("weekly:{user_id}:{week}"))
            .at(now);
        memo.guild_id = guild_id;
        let applied = economy::apply(tx, user_id, claim.reward, &memo).await?;
        Ok(WeeklyDone { claim, applied })
    })
}

/// A timed earning (`/work`, `/beg`): the result of [`earn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earned {
    /// The ledger credit (`None` when `amount` was 0: nothing to credit).
    pub applied: Option<Applied>,
    /// When the command can be used again.
    pub ready_at: DateTime<Utc>,
}

/// Starts the cooldown `command` and credits `amount` (≥ 0; 0 = "nobody gave anything") in one
/// transaction. On cooldown: [`Refusal::OnCooldown`], nothing changes.
pub async fn earn(
    storage: &Storage,
    user_id: UserId,
    command: &str,
    cooldown: Duration,
    amount: Chrons,
    memo: &Memo,
    now: DateTime<Utc>,
) -> Result<Earned> {
    if amount < 0 {
        return Err(StorageError::Refused(Refusal::InvalidAmount(amount.get())));
    }
    transaction!(storage, |tx| {
        users::lock(tx, user_id).await?;
        let ready_at = cooldowns::try_start_in(tx, user_id, command, now, cooldown)
            .await?
            .expires_at;
        let applied = if amount > 0 {
            Some(economy::apply(tx, user_id, amount, memo).await?)
        } else {
            None
        };
        Ok(Earned { applied, ready_at })
    })
}
