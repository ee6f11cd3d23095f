//! `/daily` (with a streak bonus), `/weekly`, and cooldowns.
//!
//! A "day" starts at [`DailyRules::reset_hour_utc`] (00:00 UTC by default): day `n` is the
//! interval `[n·24h + reset_hour, (n+1)·24h + reset_hour)` counted from the Unix epoch. A week
//! starts on Monday at the same hour.
//!
//! Streak rule: a claim on the day right after the previous claim increments the streak; a claim
//! after one or more missed days restarts it at 1; a second claim on the same day is refused with
//! the time left until the next reset. The bonus is `streak_step × min(streak − 1, streak_cap)`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::Chrons;

const DAY_SECS: i64 = 86_400;
const WEEK_SECS: i64 = 7 * DAY_SECS;
/// The Unix epoch was a Thursday; Monday 1970-01-05 is four days later.
const MONDAY_OFFSET_SECS: i64 = 4 * DAY_SECS;

/// `/daily` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DailyRules {
    /// Reward on any successful claim.
    pub base: Chrons,
    /// Extra reward per consecutive day after the first.
    pub streak_step: Chrons,
    /// The bonus stops growing after this many consecutive days (the streak itself keeps counting).
    pub streak_cap: u32,
    /// Hour (0–23, UTC) at which a new day starts.
    pub reset_hour_utc: u32,
}

impl Default for DailyRules {
    /// 500 💠 + 50 💠 per streak day, capped at +1,500 💠 (a 31-day streak pays 2,000 💠); reset at
    /// 00:00 UTC.
    fn default() -> Self {
        DailyRules {
            base: Chrons::new(500),
            streak_step: Chrons::new(50),
            streak_cap: 30,
            reset_hour_utc: 0,
        }
    }
}

/// `/weekly` settings (the week starts on Monday at [`DailyRules::reset_hour_utc`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeeklyRules {
    /// Reward per claim.
    pub reward: Chrons,
}

impl Default for WeeklyRules {
    /// 5,000 💠 a week.
    fn default() -> Self {
        WeeklyRules {
            reward: Chrons::new(5_000),
        }
    }
}

/// What is stored per user for `/daily`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreakState {
    /// When the last successful claim happened (`None` = never).
    pub last_claim: Option<DateTime<Utc>>,
    /// Consecutive days claimed, including the last claim (0 = never claimed).
    pub streak: u32,
}

/// A successful `/daily`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyClaim {
    /// Total paid: `base + bonus`.
    pub reward: Chrons,
    /// The base part.
    pub base: Chrons,
    /// The streak bonus part.
    pub bonus: Chrons,
    /// The streak after this claim (≥ 1).
    pub streak: u32,
    /// The previous streak was lost because a day was missed (it was ≥ 1 and is now 1).
    pub streak_lost: bool,
    /// The state to store.
    pub state: StreakState,
    /// When the next claim becomes possible.
    pub next_reset: DateTime<Utc>,
}

/// A successful `/weekly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyClaim {
    /// Amount paid.
    pub reward: Chrons,
    /// When the next claim becomes possible.
    pub next_reset: DateTime<Utc>,
}

/// A claim was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// Already claimed in the current period.
    #[error("already claimed; come back in {}", crate::render::format_duration(*.wait))]
    AlreadyClaimed {
        /// When the next claim becomes possible.
        next_reset: DateTime<Utc>,
        /// How long until then (always positive).
        wait: Duration,
    },
}

fn reset_offset(reset_hour_utc: u32) -> i64 {
    i64::from(reset_hour_utc % 24) * 3_600
}

/// The index of the "day" containing `t` (days start at `reset_hour_utc`).
pub fn day_index(t: DateTime<Utc>, reset_hour_utc: u32) -> i64 {
    (t.timestamp() - reset_offset(reset_hour_utc)).div_euclid(DAY_SECS)
}

/// The index of the week (Monday at `reset_hour_utc` to the next Monday) containing `t`.
pub fn week_index(t: DateTime<Utc>, reset_hour_utc: u32) -> i64 {
    (t.timestamp() - reset_offset(reset_hour_utc) - MONDAY_OFFSET_SECS).div_euclid(WEEK_SECS)
}

fn day_start(index: i64, reset_hour_utc: u32) -> DateTime<Utc> {
    let secs = index
        .saturating_mul(DAY_SECS)
        .saturating_add(reset_offset(reset_hour_utc));
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn week_start(index: i64, reset_hour_utc: u32) -> DateTime<Utc> {
    let secs = index
        .saturating_mul(WEEK_SECS)
        .saturating_add(reset_offset(reset_hour_utc) + MONDAY_OFFSET_SECS);
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The start of the day after the one containing `now`.
pub fn next_daily_reset(now: DateTime<Utc>, reset_hour_utc: u32) -> DateTime<Utc> {
    day_start(day_index(now, reset_hour_utc) + 1, reset_hour_utc)
}

/// The start of the week after the one containing `now`.
pub fn next_weekly_reset(now: DateTime<Utc>, reset_hour_utc: u32) -> DateTime<Utc> {
    week_start(week_index(now, reset_hour_utc) + 1, reset_hour_utc)
}

/// Claims `/daily` at `now`.
///
/// If the clock appears to have gone backwards (`now` is in an earlier day than the last claim)
/// the claim is refused until the day after the last claim.
pub fn claim_daily(
    state: &StreakState,
    now: DateTime<Utc>,
    rules: &DailyRules,
) -> Result<DailyClaim, ClaimError> {
    let hour = rules.reset_hour_utc;
    let today = day_index(now, hour);
    let (streak, streak_lost) = match state.last_claim {
        None => (1, false),
        Some(last) => {
            let last_day = day_index(last, hour);
            if today <= last_day {
                let next_reset = day_start(last_day + 1, hour);
                return Err(ClaimError::AlreadyClaimed {
                    next_reset,
                    wait: next_reset - now,
                });
            }
            if today == last_day + 1 {
                (state.streak.saturating_add(1).max(1), false)
            } else {
                (1, state.streak > 0)
            }
        }
    };
    let bonus_days = (streak - 1).min(rules.streak_cap);
    let base = rules.base.max(Chrons::ZERO);
    let bonus = rules
        .streak_step
        .max(Chrons::ZERO)
        .saturating_mul(i64::from(bonus_days));
    let reward = base.saturating_add(bonus).min(super::MAX_CHRONS);
    Ok(DailyClaim {
        reward,
        base,
        bonus: reward - base,
        streak,
        streak_lost,
        state: StreakState {
            last_claim: Some(now),
            streak,
        },
        next_reset: next_daily_reset(now, hour),
    })
}

/// Claims `/weekly` at `now` given the last successful claim. `reset_hour_utc` is usually
/// [`DailyRules::reset_hour_utc`].
pub fn claim_weekly(
    last_claim: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    reset_hour_utc: u32,
    rules: &WeeklyRules,
) -> Result<WeeklyClaim, ClaimError> {
    if let Some(last) = last_claim {
        let last_week = week_index(last, reset_hour_utc);
        if week_index(now, reset_hour_utc) <= last_week {
            let next_reset = week_start(last_week + 1, reset_hour_utc);
            return Err(ClaimError::AlreadyClaimed {
                next_reset,
                wait: next_reset - now,
            });
        }
    }
    Ok(WeeklyClaim {
        reward: rules.reward.clamp(Chrons::ZERO, super::MAX_CHRONS),
        next_reset: next_weekly_reset(now, reset_hour_utc),
    })
}

/// Time left on a cooldown of `cooldown_secs` started at `last` (`None` = ready now).
pub fn cooldown_remaining(
    last: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    cooldown_secs: u32,
) -> Option<Duration> {
    let ready_at = last? + Duration::seconds(i64::from(cooldown_secs));
    (ready_at > now).then(|| ready_at - now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn streak_grows_on_consecutive_days_and_resets_after_a_gap() {
        let rules = DailyRules::default();
        let first =
            claim_daily(&StreakState::default(), t("2026-01-01T10:00:00Z"), &rules).unwrap();
        assert_eq!(
            (first.reward.get(), first.streak, first.bonus.get()),
            (500, 1, 0)
        );
        assert_eq!(first.next_reset, t("2026-01-02T00:00:00Z"));

        let again = claim_daily(&first.state, t("2026-01-01T23:59:00Z"), &rules).unwrap_err();
        assert_eq!(
            again,
            ClaimError::AlreadyClaimed {
                next_reset: t("2026-01-02T00:00:00Z"),
                wait: Duration::minutes(1)
            }
        );
        assert_eq!(again.to_string(), "already claimed; come back in 1m 0s");

        let second = claim_daily(&first.state, t("2026-01-02T00:00:00Z"), &rules).unwrap();
        assert_eq!(
            (second.reward.get(), second.streak, second.streak_lost),
            (550, 2, false)
        );

        // 2026-01-03 missed.
        let third = claim_daily(&second.state, t("2026-01-04T08:00:00Z"), &rules).unwrap();
        assert_eq!(
            (third.reward.get(), third.streak, third.streak_lost),
            (500, 1, true)
        );
    }

    #[test]
    fn a_gap_after_a_zero_streak_loses_nothing() {
        // A stored claim time with streak 0 (e.g. an imported row): the next claim starts at 1
        // and does not report a lost streak.
        let state = StreakState {
            last_claim: Some(t("2026-01-01T10:00:00Z")),
            streak: 0,
        };
        let rules = DailyRules::default();
        let gap = claim_daily(&state, t("2026-01-05T10:00:00Z"), &rules).unwrap();
        assert_eq!(
            (gap.streak, gap.streak_lost, gap.reward.get()),
            (1, false, 500)
        );
        let next = claim_daily(&state, t("2026-01-02T10:00:00Z"), &rules).unwrap();
        assert_eq!(
            (next.streak, next.streak_lost, next.reward.get()),
            (1, false, 500)
        );
        let lost = StreakState { streak: 1, ..state };
        let lost = claim_daily(&lost, t("2026-01-03T00:00:00Z"), &rules).unwrap();
        assert_eq!((lost.streak, lost.streak_lost), (1, true));
    }

    #[test]
    fn bonus_is_capped() {
        let rules = DailyRules::default();
        let mut state = StreakState::default();
        let mut now = t("2026-03-01T12:00:00Z");
        let mut last = None;
        for _ in 0..45 {
            let c = claim_daily(&state, now, &rules).unwrap();
            state = c.state;
            last = Some(c);
            now += Duration::days(1);
        }
        let last = last.unwrap();
        assert_eq!(last.streak, 45);
        assert_eq!(last.reward, Chrons::new(500 + 50 * 30));
    }

    #[test]
    fn reset_hour_moves_the_day_boundary() {
        let rules = DailyRules {
            reset_hour_utc: 6,
            ..DailyRules::default()
        };
        let a = claim_daily(&StreakState::default(), t("2026-01-01T05:59:00Z"), &rules).unwrap();
        assert_eq!(a.next_reset, t("2026-01-01T06:00:00Z"));
        let b = claim_daily(&a.state, t("2026-01-01T06:00:00Z"), &rules).unwrap();
        assert_eq!(b.streak, 2);
        assert!(claim_daily(&b.state, t("2026-01-02T05:59:59Z"), &rules).is_err());
    }

    #[test]
    fn clock_going_backwards_is_refused() {
        let rules = DailyRules::default();
        let a = claim_daily(&StreakState::default(), t("2026-01-05T10:00:00Z"), &rules).unwrap();
        let err = claim_daily(&a.state, t("2026-01-03T10:00:00Z"), &rules).unwrap_err();
        let ClaimError::AlreadyClaimed { next_reset, wait } = err;
        assert_eq!(next_reset, t("2026-01-06T00:00:00Z"));
        assert_eq!(wait, Duration::hours(62));
    }

    #[test]
    fn weekly_resets_on_monday() {
        let rules = WeeklyRules::default();
        // 2026-11-22 is a Sunday.
        let sunday = t("2026-11-22T23:59:00Z");
        let c = claim_weekly(None, sunday, 0, &rules).unwrap();
        assert_eq!(
            (c.reward.get(), c.next_reset),
            (5_000, t("2026-11-23T00:00:00Z"))
        );
        assert!(claim_weekly(Some(sunday), t("2026-11-23T00:00:00Z"), 0, &rules).is_ok());
        let err = claim_weekly(
            Some(t("2026-11-23T00:00:00Z")),
            t("2026-11-29T23:00:00Z"),
            0,
            &rules,
        )
        .unwrap_err();
        assert_eq!(
            err,
            ClaimError::AlreadyClaimed {
                next_reset: t("2026-11-30T00:00:00Z"),
                wait: Duration::hours(1)
            }
        );
    }

    #[test]
    fn weekly_reset_hour_moves_the_week_boundary() {
        let rules = WeeklyRules::default();
        // 2026-11-23 is a Monday; with a 06:00 reset the week starts then.
        let last = Some(t("2026-11-16T10:00:00Z"));
        let err = claim_weekly(last, t("2026-11-23T05:59:00Z"), 6, &rules).unwrap_err();
        assert_eq!(
            err,
            ClaimError::AlreadyClaimed {
                next_reset: t("2026-11-23T06:00:00Z"),
                wait: Duration::minutes(1)
            }
        );
        let c = claim_weekly(last, t("2026-11-23T06:00:00Z"), 6, &rules).unwrap();
        assert_eq!(c.next_reset, t("2026-11-30T06:00:00Z"));
        assert_eq!(
            next_weekly_reset(t("2026-11-23T05:59:59Z"), 6),
            t("2026-11-23T06:00:00Z")
        );
        assert_eq!(
            week_index(t("2026-11-23T06:00:00Z"), 6),
            week_index(t("2026-11-23T05:59:59Z"), 6) + 1
        );
        // Hours wrap at 24.
        assert_eq!(
            next_weekly_reset(t("2026-11-23T05:59:59Z"), 30),
            t("2026-11-23T06:00:00Z")
        );
        assert_eq!(
            next_daily_reset(t("2026-11-23T05:59:59Z"), 30),
            t("2026-11-23T06:00:00Z")
        );
    }

    #[test]
    fn cooldowns() {
        let now = t("2026-01-01T00:00:00Z");
        assert_eq!(cooldown_remaining(None, now, 60), None);
        assert_eq!(
            cooldown_remaining(Some(now), now, 60),
            Some(Duration::seconds(60))
        );
        assert_eq!(
            cooldown_remaining(Some(now - Duration::seconds(60)), now, 60),
            None
        );
    }
}
