//! Chrons (💠) and the economy rules: balances, amounts typed by users, daily/weekly rewards with
//! streaks, work and beg, games of chance, bank interest, and the free text of a trade offer.
//!
//! Money is a [`Chrons`] newtype everywhere, stored as `BIGINT`. Every helper here uses
//! checked arithmetic and keeps balances within `0..=`[`MAX_CHRONS`]: a rule can refuse, it can
//! never overflow or make a balance negative.
//!
//! All rules are parameterised by [`EconomyRules`] (with sane [`Default`]s, and `serde` support
//! so the config layer can override any field).

mod amount;
mod bank;
mod bets;
mod claims;
mod earn;
mod trade;

pub use amount::{AmountError, parse_amount};
pub use bank::{BankRules, MAX_INTEREST_PERIODS, interest, pending_periods};
pub use bets::{
    BetDetail, BetError, BetOutcome, BetRules, CoinSide, DiceBet, SlotSymbol, SlotsPaytable,
    coinflip, dice, dice_multiplier_bp, slots, slots_expected_return, slots_paytable,
};
pub use claims::{
    ClaimError, DailyClaim, DailyRules, StreakState, WeeklyClaim, WeeklyRules, claim_daily,
    claim_weekly, cooldown_remaining, day_index, next_daily_reset, next_weekly_reset, week_index,
};
pub use earn::{BegOutcome, BegRules, JOBS, WorkOutcome, WorkRules, beg, work};
pub use trade::{ItemRequest, OfferError, OfferText, normalise_name, parse_offer, split_trade};

use serde::{Deserialize, Serialize};

/// An amount of Chrons (💠): a balance, a price, a change. Balances are always within
/// `0..=MAX_CHRONS`; a change may be negative. A newtype, so an amount cannot be passed where a
/// count, an id or a level is expected; the database stores it as `BIGINT` and the only `i64`
/// conversion ([`Chrons::new`] / [`Chrons::get`]) happens at that edge and where a rule does
/// arithmetic with percentages.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Chrons(i64);

/// The plain number, so seeded replay logs read the same as before the newtype.
impl std::fmt::Debug for Chrons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl Chrons {
    /// No Chrons.
    pub const ZERO: Chrons = Chrons(0);

    /// An amount from its raw value.
    pub const fn new(v: i64) -> Self {
        Self(v)
    }
    /// The raw value.
    pub const fn get(self) -> i64 {
        self.0
    }
    /// `self + other`, `None` on `i64` overflow.
    pub const fn checked_add(self, other: Chrons) -> Option<Chrons> {
        match self.0.checked_add(other.0) {
            Some(v) => Some(Chrons(v)),
            None => None,
        }
    }
    /// `self - other`, `None` on `i64` overflow.
    pub const fn checked_sub(self, other: Chrons) -> Option<Chrons> {
        match self.0.checked_sub(other.0) {
            Some(v) => Some(Chrons(v)),
            None => None,
        }
    }
    /// `self × n`, `None` on `i64` overflow.
    pub const fn checked_mul(self, n: i64) -> Option<Chrons> {
        match self.0.checked_mul(n) {
            Some(v) => Some(Chrons(v)),
            None => None,
        }
    }
    /// `self + other`, saturating at the `i64` bounds.
    pub const fn saturating_add(self, other: Chrons) -> Chrons {
        Chrons(self.0.saturating_add(other.0))
    }
    /// `self - other`, saturating at the `i64` bounds.
    pub const fn saturating_sub(self, other: Chrons) -> Chrons {
        Chrons(self.0.saturating_sub(other.0))
    }
    /// Greater than zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }
    /// Below zero (a debit, as a change).
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }
    /// The size of a change, whatever its sign.
    pub const fn abs(self) -> Chrons {
        Chrons(self.0.saturating_abs())
    }
    /// `-self`, `None` for `i64::MIN`.
    pub const fn checked_neg(self) -> Option<Chrons> {
        match self.0.checked_neg() {
            Some(v) => Some(Chrons(v)),
            None => None,
        }
    }
    /// `self × n`, saturating at the `i64` bounds.
    pub const fn saturating_mul(self, n: i64) -> Chrons {
        Chrons(self.0.saturating_mul(n))
    }
    /// A wide intermediate result (percentages, multipliers) clamped into `0..=MAX_CHRONS`.
    pub fn clamped(v: i128) -> Chrons {
        Chrons(v.clamp(0, i128::from(MAX_CHRONS.0)) as i64)
    }
}

/// A stored `BIGINT` (what `sqlx`'s `try_from` attribute calls); every value is an amount.
/// Deliberately not `From<i64>`: an implicit `.into()` would let any number become money.
#[allow(clippy::infallible_try_from)]
impl TryFrom<i64> for Chrons {
    type Error = std::convert::Infallible;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Ok(Chrons(v))
    }
}

impl From<Chrons> for i128 {
    fn from(c: Chrons) -> i128 {
        i128::from(c.0)
    }
}

impl std::fmt::Display for Chrons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::ops::Add for Chrons {
    type Output = Chrons;
    fn add(self, o: Chrons) -> Chrons {
        Chrons(self.0 + o.0)
    }
}
impl std::ops::Sub for Chrons {
    type Output = Chrons;
    fn sub(self, o: Chrons) -> Chrons {
        Chrons(self.0 - o.0)
    }
}
impl std::ops::Neg for Chrons {
    type Output = Chrons;
    fn neg(self) -> Chrons {
        Chrons(-self.0)
    }
}
impl std::ops::AddAssign for Chrons {
    fn add_assign(&mut self, o: Chrons) {
        self.0 += o.0;
    }
}
impl std::ops::SubAssign for Chrons {
    fn sub_assign(&mut self, o: Chrons) {
        self.0 -= o.0;
    }
}
impl std::ops::Mul<i64> for Chrons {
    type Output = Chrons;
    fn mul(self, n: i64) -> Chrons {
        Chrons(self.0 * n)
    }
}
impl std::ops::Div<i64> for Chrons {
    type Output = Chrons;
    fn div(self, n: i64) -> Chrons {
        Chrons(self.0 / n)
    }
}
/// Comparing with a plain number (`amount > 0`) reads better than wrapping the literal.
impl PartialEq<i64> for Chrons {
    fn eq(&self, o: &i64) -> bool {
        self.0 == *o
    }
}
impl PartialOrd<i64> for Chrons {
    fn partial_cmp(&self, o: &i64) -> Option<std::cmp::Ordering> {
        self.0.partial_cmp(o)
    }
}
impl std::iter::Sum for Chrons {
    fn sum<I: Iterator<Item = Chrons>>(iter: I) -> Chrons {
        Chrons(iter.map(|c| c.0).sum())
    }
}

/// The largest balance or amount any rule accepts: one quadrillion (10¹⁵) Chrons.
/// Far below `i64::MAX`, so sums of two valid amounts never overflow.
pub const MAX_CHRONS: Chrons = Chrons(1_000_000_000_000_000);

/// A balance operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The amount was zero or negative.
    #[error("the amount must be positive (got {0})")]
    NonPositiveAmount(Chrons),
    /// The balance would go below zero.
    #[error("not enough Chrons: need {needed}, have {available}")]
    InsufficientFunds {
        /// The amount asked for.
        needed: Chrons,
        /// The current balance.
        available: Chrons,
    },
    /// The balance would exceed [`MAX_CHRONS`].
    #[error("the balance would exceed the maximum of {max} Chrons")]
    BalanceCap {
        /// [`MAX_CHRONS`].
        max: Chrons,
    },
    /// The current balance is already outside `0..=MAX_CHRONS` (corrupt data).
    #[error("invalid stored balance {0}")]
    InvalidBalance(Chrons),
}

fn check_balance(balance: Chrons) -> Result<(), MoneyError> {
    if (Chrons::ZERO..=MAX_CHRONS).contains(&balance) {
        Ok(())
    } else {
        Err(MoneyError::InvalidBalance(balance))
    }
}

/// Adds a positive `amount` to `balance`; refuses if the result would exceed [`MAX_CHRONS`].
pub fn credit(balance: Chrons, amount: Chrons) -> Result<Chrons, MoneyError> {
    check_balance(balance)?;
    if !amount.is_positive() {
        return Err(MoneyError::NonPositiveAmount(amount));
    }
    match balance.checked_add(amount) {
        Some(v) if v <= MAX_CHRONS => Ok(v),
        _ => Err(MoneyError::BalanceCap { max: MAX_CHRONS }),
    }
}

/// Subtracts a positive `amount` from `balance`; refuses if the balance is too small.
pub fn debit(balance: Chrons, amount: Chrons) -> Result<Chrons, MoneyError> {
    check_balance(balance)?;
    if !amount.is_positive() {
        return Err(MoneyError::NonPositiveAmount(amount));
    }
    if amount > balance {
        return Err(MoneyError::InsufficientFunds {
            needed: amount,
            available: balance,
        });
    }
    Ok(balance - amount)
}

/// Moves `amount` from one balance to another; returns the new `(from, to)` balances.
/// The total is conserved; nothing changes on error.
pub fn transfer(from: Chrons, to: Chrons, amount: Chrons) -> Result<(Chrons, Chrons), MoneyError> {
    let new_from = debit(from, amount)?;
    let new_to = credit(to, amount)?;
    Ok((new_from, new_to))
}

/// Applies a signed change (a reward or a cost) to a balance, with the same guarantees as
/// [`credit`] and [`debit`]. A zero change is allowed and returns the balance unchanged.
pub fn apply_change(balance: Chrons, change: Chrons) -> Result<Chrons, MoneyError> {
    match change {
        Chrons::ZERO => check_balance(balance).map(|_| balance),
        c if c.is_positive() => credit(balance, c),
        c => debit(
            balance,
            c.checked_neg().ok_or(MoneyError::NonPositiveAmount(c))?,
        ),
    }
}

/// `amount × percent / 100`, rounded down, computed without overflow and clamped to
/// `0..=MAX_CHRONS`. Used for bonuses and discounts.
pub fn percent_of(amount: Chrons, percent: u32) -> Chrons {
    Chrons::clamped(i128::from(amount.max(Chrons::ZERO)) * i128::from(percent) / 100)
}

/// `value × percent / 100` for plain counters (essence, XP), rounded down, without overflow,
/// clamped to `0..=i64::MAX`.
pub fn scale_percent(value: i64, percent: u32) -> i64 {
    (i128::from(value.max(0)) * i128::from(percent) / 100).clamp(0, i128::from(i64::MAX)) as i64
}

/// Every economy rule, with defaults tuned for a fresh bot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EconomyRules {
    /// `/daily`.
    pub daily: DailyRules,
    /// `/weekly`.
    pub weekly: WeeklyRules,
    /// `/work`.
    pub work: WorkRules,
    /// `/beg`.
    pub beg: BegRules,
    /// Coinflip, slots and dice.
    pub bets: BetRules,
    /// Bank interest.
    pub bank: BankRules,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_helpers() {
        assert_eq!(credit(Chrons::new(10), Chrons::new(5)), Ok(Chrons::new(15)));
        assert_eq!(
            credit(MAX_CHRONS, Chrons::new(1)),
            Err(MoneyError::BalanceCap { max: MAX_CHRONS })
        );
        assert_eq!(
            credit(Chrons::new(10), Chrons::new(0)),
            Err(MoneyError::NonPositiveAmount(Chrons::new(0)))
        );
        assert_eq!(debit(Chrons::new(10), Chrons::new(10)), Ok(Chrons::new(0)));
        assert_eq!(
            debit(Chrons::new(10), Chrons::new(11)),
            Err(MoneyError::InsufficientFunds {
                needed: Chrons::new(11),
                available: Chrons::new(10)
            })
        );
        assert_eq!(
            transfer(Chrons::new(100), Chrons::new(5), Chrons::new(40)),
            Ok((Chrons::new(60), Chrons::new(45)))
        );
        assert_eq!(
            transfer(Chrons::new(100), MAX_CHRONS, Chrons::new(1)),
            Err(MoneyError::BalanceCap { max: MAX_CHRONS })
        );
        assert_eq!(
            apply_change(Chrons::new(100), Chrons::new(-100)),
            Ok(Chrons::new(0))
        );
        assert_eq!(
            apply_change(Chrons::new(100), Chrons::new(i64::MIN)),
            Err(MoneyError::NonPositiveAmount(Chrons::new(i64::MIN)))
        );
        assert_eq!(
            apply_change(Chrons::new(100), Chrons::new(0)),
            Ok(Chrons::new(100))
        );
        assert_eq!(
            apply_change(Chrons::new(100), Chrons::new(5)),
            Ok(Chrons::new(105))
        );
        assert_eq!(
            apply_change(Chrons::new(0), Chrons::new(1)),
            Ok(Chrons::new(1))
        );
        assert_eq!(
            apply_change(MAX_CHRONS, Chrons::new(1)),
            Err(MoneyError::BalanceCap { max: MAX_CHRONS })
        );
        assert_eq!(
            apply_change(Chrons::new(100), Chrons::new(-101)),
            Err(MoneyError::InsufficientFunds {
                needed: Chrons::new(101),
                available: Chrons::new(100)
            })
        );
        assert_eq!(
            apply_change(Chrons::new(-1), Chrons::new(0)),
            Err(MoneyError::InvalidBalance(Chrons::new(-1)))
        );
        assert_eq!(percent_of(Chrons::new(1_000), 125), Chrons::new(1_250));
        assert_eq!(percent_of(Chrons::new(i64::MAX), u32::MAX), MAX_CHRONS);
        assert_eq!(
            MoneyError::InsufficientFunds {
                needed: Chrons::new(5),
                available: Chrons::new(2)
            }
            .to_string(),
            "not enough Chrons: need 5, have 2"
        );
    }

    #[test]
    fn chrons_arithmetic_is_exact_at_every_bound() {
        let c = Chrons::new;
        assert_eq!(c(5).checked_add(c(3)), Some(c(8)));
        assert_eq!(c(i64::MAX).checked_add(c(1)), None);
        assert_eq!(c(5).checked_sub(c(3)), Some(c(2)));
        assert_eq!(c(i64::MIN).checked_sub(c(1)), None);
        assert_eq!(c(5).checked_mul(3), Some(c(15)));
        assert_eq!(c(i64::MAX).checked_mul(2), None);
        assert_eq!(c(5).saturating_add(c(3)), c(8));
        assert_eq!(c(i64::MAX).saturating_add(c(1)), c(i64::MAX));
        assert_eq!(c(5).saturating_sub(c(3)), c(2));
        assert_eq!(c(i64::MIN).saturating_sub(c(1)), c(i64::MIN));
        assert_eq!(c(5).saturating_mul(3), c(15));
        assert_eq!(c(i64::MAX).saturating_mul(2), c(i64::MAX));
        assert_eq!(c(i64::MIN).saturating_mul(2), c(i64::MIN));
        assert!(c(1).is_positive() && !c(0).is_positive() && !c(-1).is_positive());
        assert!(c(-1).is_negative() && !c(0).is_negative() && !c(1).is_negative());
        assert_eq!(
            (c(-7).abs(), c(7).abs(), c(i64::MIN).abs()),
            (c(7), c(7), c(i64::MAX))
        );
        assert_eq!(c(7).checked_neg(), Some(c(-7)));
        assert_eq!(c(i64::MIN).checked_neg(), None);
        assert_eq!(Chrons::clamped(-5), c(0));
        assert_eq!(Chrons::clamped(5), c(5));
        assert_eq!(Chrons::clamped(i128::from(MAX_CHRONS) + 1), MAX_CHRONS);
        assert_eq!(MAX_CHRONS.get(), 1_000_000_000_000_000);
        assert_eq!(format!("{:?} {}", c(42), c(-42)), "42 -42");
        assert_eq!(Chrons::try_from(7_i64), Ok(c(7)));
        assert_eq!(i128::from(c(-7)), -7);
        // Operators.
        assert_eq!(c(5) + c(3), c(8));
        assert_eq!(c(5) - c(3), c(2));
        assert_eq!(-c(5), c(-5));
        let mut a = c(5);
        a += c(3);
        assert_eq!(a, c(8));
        a -= c(5);
        assert_eq!(a, c(3));
        assert_eq!(c(5) * 3, c(15));
        assert_eq!(c(17) / 3, c(5));
        assert!(c(5) == 5 && c(5) != 6);
        assert!(c(5) > 4 && c(5) < 6 && c(5) >= 5 && c(5) <= 5);
        assert_eq!(c(5).partial_cmp(&5), Some(std::cmp::Ordering::Equal));
        assert_eq!([c(1), c(2), c(3)].into_iter().sum::<Chrons>(), c(6));
    }

    #[test]
    fn percentages_round_down_and_clamp() {
        assert_eq!(percent_of(Chrons::new(7), 50), Chrons::new(3));
        assert_eq!(percent_of(Chrons::new(-5), 100), Chrons::new(0));
        assert_eq!(percent_of(Chrons::new(200), 0), Chrons::new(0));
        assert_eq!(scale_percent(200, 150), 300);
        assert_eq!(scale_percent(7, 50), 3);
        assert_eq!(scale_percent(-5, 100), 0);
        assert_eq!(scale_percent(i64::MAX, u32::MAX), i64::MAX);
    }

    #[test]
    fn balances_stay_within_zero_and_the_maximum() {
        let c = Chrons::new;
        // Exactly up to the maximum, not beyond.
        assert_eq!(credit(MAX_CHRONS - c(1), c(1)), Ok(MAX_CHRONS));
        assert_eq!(credit(c(0), MAX_CHRONS), Ok(MAX_CHRONS));
        assert_eq!(credit(c(-1), c(1)), Err(MoneyError::InvalidBalance(c(-1))));
        assert_eq!(
            credit(MAX_CHRONS + c(1), c(1)),
            Err(MoneyError::InvalidBalance(MAX_CHRONS + c(1)))
        );
        assert_eq!(
            debit(MAX_CHRONS + c(1), c(1)),
            Err(MoneyError::InvalidBalance(MAX_CHRONS + c(1)))
        );
        assert_eq!(debit(MAX_CHRONS, MAX_CHRONS), Ok(c(0)));
        assert_eq!(
            debit(c(10), c(-1)),
            Err(MoneyError::NonPositiveAmount(c(-1)))
        );
        assert_eq!(debit(c(10), c(3)), Ok(c(7)));
        assert_eq!(apply_change(MAX_CHRONS, c(0)), Ok(MAX_CHRONS));
        assert_eq!(apply_change(c(0), c(0)), Ok(c(0)));
        assert_eq!(apply_change(c(10), c(-3)), Ok(c(7)));
        // A failed transfer changes neither side.
        assert_eq!(
            transfer(c(5), c(0), c(6)),
            Err(MoneyError::InsufficientFunds {
                needed: c(6),
                available: c(5)
            })
        );
        assert_eq!(transfer(c(5), c(0), c(5)), Ok((c(0), c(5))));
    }

    #[test]
    fn rules_deserialize_with_defaults_and_reject_unknown_keys() {
        let r: EconomyRules =
            serde_yaml::from_str("daily: { base: 1000 }\nbets: { house_edge_bp: 500 }").unwrap();
        assert_eq!(r.daily.base, Chrons::new(1_000));
        assert_eq!(r.daily.streak_step, DailyRules::default().streak_step);
        assert_eq!(r.bets.house_edge_bp, 500);
        assert_eq!(r.work, WorkRules::default());
        assert!(serde_yaml::from_str::<EconomyRules>("daily: { bsae: 1 }").is_err());
    }

    #[test]
    fn work_and_beg_stay_in_range() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let rules = EconomyRules::default();
        let mut nothing = 0;
        for _ in 0..2_000 {
            let w = work(&rules.work, &mut rng);
            assert!((150..=400).contains(&w.earned.get()) && JOBS.contains(&w.job));
            let b = beg(&rules.beg, &mut rng);
            if b.earned == Chrons::new(0) {
                nothing += 1;
            } else {
                assert!((5..=60).contains(&b.earned.get()));
            }
        }
        // 40 % nothing: 800 expected, sd ≈ 22.
        assert!((690..=910).contains(&nothing), "{nothing}");
        let never = BegRules {
            nothing_chance: 1.0,
            ..BegRules::default()
        };
        assert_eq!(beg(&never, &mut rng).earned, Chrons::new(0));
    }
}
