//! Bank interest, in integer maths.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Chrons, MAX_CHRONS};

/// The most periods [`interest`] compounds in one call (about ten years of daily periods).
pub const MAX_INTEREST_PERIODS: u32 = 3_650;

/// Bank settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BankRules {
    /// Interest per period in basis points (10 = 0.1 %).
    pub rate_bp: u32,
    /// Most interest paid in one settlement.
    pub cap: Chrons,
    /// Length of a period in seconds.
    pub period_secs: u32,
}

impl Default for BankRules {
    /// 0.1 % a day, at most 10,000 💠 per settlement.
    fn default() -> Self {
        BankRules {
            rate_bp: 10,
            cap: Chrons::new(10_000),
            period_secs: 86_400,
        }
    }
}

/// Whole periods elapsed since `last` (0 if `now` is not later or the period is 0).
pub fn pending_periods(last: DateTime<Utc>, now: DateTime<Utc>, period_secs: u32) -> u32 {
    if period_secs == 0 || now <= last {
        return 0;
    }
    let n = (now - last).num_seconds() / i64::from(period_secs);
    n.clamp(0, i64::from(u32::MAX)) as u32
}

/// Interest earned by `balance` over `periods` periods at `rate_bp` basis points per period,
/// compounded per period and rounded down each period, capped at `cap` in total.
///
/// Guarantees: the result is within `0..=max(cap, 0)`, and `balance + result <= MAX_CHRONS`.
/// A negative balance earns nothing. At most [`MAX_INTEREST_PERIODS`] periods are counted.
pub fn interest(balance: Chrons, rate_bp: u32, cap: Chrons, periods: u32) -> Chrons {
    if !balance.is_positive() || !cap.is_positive() || rate_bp == 0 {
        return Chrons::ZERO;
    }
    let balance = i128::from(balance.min(MAX_CHRONS));
    let cap = i128::from(cap).min(i128::from(MAX_CHRONS) - balance);
    let mut current = balance;
    let mut earned: i128 = 0;
    for _ in 0..periods.min(MAX_INTEREST_PERIODS) {
        let step = current * i128::from(rate_bp) / 10_000;
        if step == 0 {
            break;
        }
        earned += step;
        current += step;
        if earned >= cap {
            earned = cap;
            break;
        }
    }
    Chrons::clamped(earned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_per_period_rounding_down() {
        // 1 % of 10,000 = 100, then 1 % of 10,100 = 101.
        assert_eq!(
            interest(Chrons::new(10_000), 100, Chrons::new(i64::MAX), 2),
            Chrons::new(201)
        );
        assert_eq!(
            interest(Chrons::new(10_000), 100, Chrons::new(i64::MAX), 0),
            Chrons::new(0)
        );
        // Too small to earn anything.
        assert_eq!(
            interest(Chrons::new(99), 100, Chrons::new(1_000), 1_000),
            Chrons::new(0)
        );
    }

    #[test]
    fn capped_and_bounded() {
        assert_eq!(
            interest(Chrons::new(1_000_000), 10, Chrons::new(10_000), 365),
            Chrons::new(10_000)
        );
        assert_eq!(
            interest(
                MAX_CHRONS - Chrons::new(5),
                5_000,
                Chrons::new(i64::MAX),
                10
            ),
            Chrons::new(5)
        );
        assert_eq!(
            interest(Chrons::new(-10), 100, Chrons::new(100), 10),
            Chrons::new(0)
        );
        assert_eq!(
            interest(Chrons::new(10_000), 100, Chrons::new(-1), 10),
            Chrons::new(0)
        );
        assert_eq!(
            interest(Chrons::new(10_000), 100, Chrons::new(0), 10),
            Chrons::new(0)
        );
        assert_eq!(
            interest(Chrons::new(10_000), 0, Chrons::new(1_000), 10),
            Chrons::new(0)
        );
        assert_eq!(
            interest(Chrons::new(0), 100, Chrons::new(1_000), 10),
            Chrons::new(0)
        );
    }

    #[test]
    fn negative_balances_earn_nothing_at_any_rate() {
        // Refused up front: compounding a large negative balance at a huge rate would overflow
        // even i128 within a few periods.
        assert_eq!(
            interest(
                Chrons::new(-1_000_000_000_000),
                u32::MAX,
                Chrons::new(100),
                3_650
            ),
            Chrons::new(0)
        );
        assert_eq!(
            interest(
                Chrons::new(i64::MIN),
                u32::MAX,
                Chrons::new(i64::MAX),
                u32::MAX
            ),
            Chrons::new(0)
        );
        assert_eq!(
            interest(Chrons::new(-1_000_000), 100, Chrons::new(1_000), 10),
            Chrons::new(0)
        );
    }

    #[test]
    fn cap_is_reached_exactly() {
        // 1 % of 10,000 = 100 per period: the cap of 150 is hit in the second period.
        assert_eq!(
            interest(Chrons::new(10_000), 100, Chrons::new(150), 5),
            Chrons::new(150)
        );
        assert_eq!(
            interest(Chrons::new(10_000), 100, Chrons::new(100), 5),
            Chrons::new(100)
        );
        assert_eq!(
            interest(Chrons::new(10_000), 100, Chrons::new(101), 1),
            Chrons::new(100)
        );
        // At most MAX_INTEREST_PERIODS periods count.
        assert_eq!(
            interest(
                Chrons::new(1_000_000),
                1,
                Chrons::new(i64::MAX),
                MAX_INTEREST_PERIODS
            ),
            interest(Chrons::new(1_000_000), 1, Chrons::new(i64::MAX), u32::MAX)
        );
    }

    #[test]
    fn periods_between_times() {
        let a: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        let b: DateTime<Utc> = "2026-01-03T23:00:00Z".parse().unwrap();
        assert_eq!(pending_periods(a, b, 86_400), 2);
        assert_eq!(pending_periods(b, a, 86_400), 0);
        assert_eq!(pending_periods(a, b, 0), 0);
    }
}
