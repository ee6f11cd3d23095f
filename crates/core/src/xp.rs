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
    Some(crate::economy::scale_percent(base, multiplier_pct))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_curve_values() {
        let c = XpCurve::default();
        assert_eq!(
            [c.xp_to_next(0), c.xp_to_next(1), c.xp_to_next(2)],
            [100, 155, 220]
        );
        assert_eq!(
            [0, 1, 2, 3].map(|l| c.total_xp_for_level(l)),
            [0, 100, 255, 475]
        );
        assert_eq!([99, 100, 254, 255].map(|x| c.level_for_xp(x)), [0, 1, 1, 2]);
        assert_eq!(c.level_for_xp(-5), 0);
        assert_eq!(c.level_for_xp(i64::MAX), 1_000);
        let p = c.progress(300);
        assert_eq!(
            (p.level, p.xp_into_level, p.xp_for_next),
            (2, 45, Some(220))
        );
        assert_eq!(c.progress(i64::MAX).xp_for_next, None);
        // Closed form equals the sum of steps.
        let sum: i64 = (0..100).map(|l| c.xp_to_next(l)).sum();
        assert_eq!(c.total_xp_for_level(100), sum);
    }

    #[test]
    fn degenerate_curve_still_monotone() {
        let c = XpCurve {
            quadratic: 0,
            linear: 0,
            constant: 0,
            max_level: 10,
        };
        assert_eq!(c.xp_to_next(3), 1);
        assert_eq!(c.level_for_xp(4), 4);
        assert_eq!(c.level_for_xp(1_000), 10);
    }

    #[test]
    fn role_rewards_every_five_levels() {
        assert_eq!(reward_levels_crossed(3, 12, 5), vec![5, 10]);
        assert_eq!(reward_levels_crossed(5, 5, 5), Vec::<u32>::new());
        assert_eq!(reward_levels_crossed(1, 9, 0), Vec::<u32>::new());
    }

    #[test]
    fn message_xp_has_a_cooldown() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let rules = MessageXpRules::default();
        let now: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        let xp = message_xp(&rules, None, now, 100, &mut rng).unwrap();
        assert!((15..=25).contains(&xp));
        assert_eq!(
            message_xp(
                &rules,
                Some(now),
                now + chrono::Duration::seconds(59),
                100,
                &mut rng
            ),
            None
        );
        let boosted = message_xp(
            &rules,
            Some(now),
            now + chrono::Duration::seconds(60),
            200,
            &mut rng,
        );
        assert!((30..=50).contains(&boosted.unwrap()));
    }
}
