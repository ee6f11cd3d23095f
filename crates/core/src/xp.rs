//! The XP curve and message XP.
//!
//! Formula (levels start at 0): going from level `L` to `L + 1` costs
//!
//! ```text
//! xp_to_next(L) = max(1, quadratic·L² + linear·L + constant)
//! ```
//!
//! The default `5·L² + 50·L + 100` is the curve players know from popular levelling bots: 100 XP
//! for level 1, 155 more for level 2, then ~5,000 XP per level around level 30. The total XP to
//! reach level `L` is the sum of the steps below it (closed form in [`XpCurve::total_xp_for_level`]),
//! strictly increasing in `L`, so [`XpCurve::level_for_xp`] is monotone in XP.
//! Levels stop at [`XpCurve::max_level`].

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// The XP curve. See the module documentation for the formula.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct XpCurve {
    /// Coefficient of `L²`.
    pub quadratic: u64,
    /// Coefficient of `L`.
    pub linear: u64,
    /// Constant term.
    pub constant: u64,
    /// The highest reachable level.
    pub max_level: u32,
}

impl Default for XpCurve {
    /// `5·L² + 50·L + 100`, levels 0–1000.
    fn default() -> Self {
        XpCurve {
            quadratic: 5,
            linear: 50,
            constant: 100,
            max_level: 1_000,
        }
    }
}

/// Where a player stands on the curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelProgress {
    /// Current level.
    pub level: u32,
    /// XP earned since reaching `level`.
    pub xp_into_level: i64,
    /// XP the next level costs in total (`None` at the max level).
    pub xp_for_next: Option<i64>,
}

impl XpCurve {
    /// XP needed to go from `level` to `level + 1` (at least 1).
    pub fn xp_to_next(&self, level: u32) -> i64 {
        let l = u128::from(level);
        let v = u128::from(self.quadratic) * l * l
            + u128::from(self.linear) * l
            + u128::from(self.constant);
        v.clamp(1, i64::MAX as u128) as i64
    }

    /// Total XP needed to reach `level` from 0 (saturating at `i64::MAX`).
    pub fn total_xp_for_level(&self, level: u32) -> i64 {
        if level == 0 {
            return 0;
        }
        let n = u128::from(level);
        // Σ_{i<n} i² = (n−1)n(2n−1)/6, Σ_{i<n} i = n(n−1)/2
        let sq = (n - 1) * n * (2 * n - 1) / 6;
        let lin = n * (n - 1) / 2;
        let mut total = u128::from(self.quadratic) * sq
            + u128::from(self.linear) * lin
            + u128::from(self.constant) * n;
        if self.quadratic == 0 && self.linear == 0 && self.constant == 0 {
            total = n; // every step costs the minimum of 1
        }
        total.min(i64::MAX as u128) as i64
    }

    /// The level reached with `xp` total XP (negative XP counts as 0).
    pub fn level_for_xp(&self, xp: i64) -> u32 {
        let xp = xp.max(0);
        let (mut lo, mut hi) = (0u32, self.max_level);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.total_xp_for_level(mid) <= xp {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// Level and progress inside it.
    pub fn progress(&self, xp: i64) -> LevelProgress {
        let xp = xp.max(0);
        let level = self.level_for_xp(xp);
        LevelProgress {
            level,
            xp_into_level: xp - self.total_xp_for_level(level),
            xp_for_next: (level < self.max_level).then(|| self.xp_to_next(level)),
        }
    }
}

/// Levels crossed when going from `old_level` to `new_level` that are multiples of `every`
/// (role rewards "every 5 levels"). Empty when `every` is 0 or nothing was crossed.
pub fn reward_levels_crossed(old_level: u32, new_level: u32, every: u32) -> Vec<u32> {
    if every == 0 || new_level <= old_level {
        return Vec::new();
    }
    (old_level + 1..=new_level)
        .filter(|l| l % every == 0)
        .collect()
}

/// XP granted for chatting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MessageXpRules {
    /// Smallest grant.
    pub min: i64,
    /// Largest grant.
    pub max: i64,
    /// Seconds before another message can earn XP (anti-spam).
    pub cooldown_secs: u32,
}

impl Default for MessageXpRules {
    /// 15–25 XP per message, at most once a minute.
    fn default() -> Self {
        MessageXpRules {
            min: 15,
            max: 25,
            cooldown_secs: 60,
        }
    }
}

/// XP for a message sent at `now`, or `None` while on cooldown since `last_rewarded`.
/// `multiplier_pct` is 100 for no bonus (boosters/veterans: e.g. 150).
pub fn message_xp(
    rules: &MessageXpRules,
    last_rewarded: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    multiplier_pct: u32,
    rng: &mut impl Rng,
) -> Option<i64> {
    if crate::economy::cooldown_remaining(last_rewarded, now, rules.cooldown_secs).is_some() {
        return None;
    }
    let min = rules.min.max(0);
    let max = rules.max.max(min);
    let base = rng.random_range(min..=max);
    Some(crate::economy::percent_of(base, multiplier_pct))
}
