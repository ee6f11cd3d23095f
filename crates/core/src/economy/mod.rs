//! Chrons (💠) and the economy rules: balances, amounts typed by users, daily/weekly rewards with
//! streaks, work and beg, games of chance, bank interest, and the free text of a trade offer.
//!
//! Money is a plain [`Chrons`] (`i64`) everywhere, stored as `BIGINT`. Every helper here uses
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

/// An amount of Chrons (💠). Balances are always within `0..=MAX_CHRONS`.
pub type Chrons = i64;

/// The largest balance or amount any rule accepts: one quadrillion (10¹⁵) Chrons.
/// Far below `i64::MAX`, so sums of two valid amounts never overflow.
pub const MAX_CHRONS: Chrons = 1_000_000_000_000_000;

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
    if (0..=MAX_CHRONS).contains(&balance) {
        Ok(())
    } else {
        Err(MoneyError::InvalidBalance(balance))
    }
}

/// Adds a positive `amount` to `balance`; refuses if the result would exceed [`MAX_CHRONS`].
pub fn credit(balance: Chrons, amount: Chrons) -> Result<Chrons, MoneyError> {
    check_balance(balance)?;
    if amount <= 0 {
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
    if amount <= 0 {
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
        0 => check_balance(balance).map(|_| balance),
        c if c > 0 => credit(balance, c),
        c => debit(
            balance,
            c.checked_neg().ok_or(MoneyError::NonPositiveAmount(c))?,
        ),
    }
}

/// `amount × percent / 100`, rounded down, computed without overflow and clamped to
/// `0..=MAX_CHRONS`. Used for bonuses and discounts.
pub fn percent_of(amount: Chrons, percent: u32) -> Chrons {
    let v = i128::from(amount.max(0)) * i128::from(percent) / 100;
    v.clamp(0, i128::from(MAX_CHRONS)) as Chrons
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
        assert_eq!(credit(10, 5), Ok(15));
        assert_eq!(
            credit(MAX_CHRONS, 1),
            Err(MoneyError::BalanceCap { max: MAX_CHRONS })
        );
        assert_eq!(credit(10, 0), Err(MoneyError::NonPositiveAmount(0)));
        assert_eq!(debit(10, 10), Ok(0));
        assert_eq!(
            debit(10, 11),
            Err(MoneyError::InsufficientFunds {
                needed: 11,
                available: 10
            })
        );
        assert_eq!(transfer(100, 5, 40), Ok((60, 45)));
        assert_eq!(
            transfer(100, MAX_CHRONS, 1),
            Err(MoneyError::BalanceCap { max: MAX_CHRONS })
        );
        assert_eq!(apply_change(100, -100), Ok(0));
        assert_eq!(
            apply_change(100, i64::MIN),
            Err(MoneyError::NonPositiveAmount(i64::MIN))
        );
        assert_eq!(apply_change(100, 0), Ok(100));
        assert_eq!(apply_change(100, 5), Ok(105));
        assert_eq!(apply_change(0, 1), Ok(1));
        assert_eq!(
            apply_change(MAX_CHRONS, 1),
            Err(MoneyError::BalanceCap { max: MAX_CHRONS })
        );
        assert_eq!(
            apply_change(100, -101),
            Err(MoneyError::InsufficientFunds {
                needed: 101,
                available: 100
            })
        );
        assert_eq!(apply_change(-1, 0), Err(MoneyError::InvalidBalance(-1)));
        assert_eq!(percent_of(1_000, 125), 1_250);
        assert_eq!(percent_of(i64::MAX, u32::MAX), MAX_CHRONS);
        assert_eq!(
            MoneyError::InsufficientFunds {
                needed: 5,
                available: 2
            }
            .to_string(),
            "not enough Chrons: need 5, have 2"
        );
    }

    #[test]
    fn rules_deserialize_with_defaults_and_reject_unknown_keys() {
        let r: EconomyRules =
            serde_yaml::from_str("daily: { base: 1000 }\nbets: { house_edge_bp: 500 }").unwrap();
        assert_eq!(r.daily.base, 1_000);
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
            assert!((150..=400).contains(&w.earned) && JOBS.contains(&w.job));
            let b = beg(&rules.beg, &mut rng);
            if b.earned == 0 {
                nothing += 1;
            } else {
                assert!((5..=60).contains(&b.earned));
            }
        }
        // 40 % nothing: 800 expected, sd ≈ 22.
        assert!((690..=910).contains(&nothing), "{nothing}");
        let never = BegRules {
            nothing_chance: 1.0,
            ..BegRules::default()
        };
        assert_eq!(beg(&never, &mut rng).earned, 0);
    }
}
