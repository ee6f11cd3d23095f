//! Games of chance: the exact expected return equals 1 − house edge, and 200,000 seeded rounds
//! per game agree with it within five standard errors (computed from the exact payout
//! distribution). A negative control shows a zero-edge claim would be rejected for coinflip.

mod common;

use chronix_core::economy::{
    BetDetail, BetError, BetRules, CoinSide, DiceBet, SlotSymbol, coinflip, dice,
    dice_multiplier_bp, slots, slots_expected_return, slots_paytable,
};
use common::{fit, rng};

const ROUNDS: usize = 200_000;
const BET: i64 = 1_000;

/// Exact mean and variance of the return per Chron for a list of (probability, multiplier).
fn moments(dist: &[(f64, f64)]) -> (f64, f64) {
    let mean: f64 = dist.iter().map(|(p, m)| p * m).sum();
    let sq: f64 = dist.iter().map(|(p, m)| p * m * m).sum();
    (mean, sq - mean * mean)
}

/// Asserts the empirical return per Chron is within 5 standard errors of `mean`, and returns it.
#[track_caller]
fn assert_return(name: &str, total_paid: i64, mean: f64, var: f64) -> f64 {
    let observed = total_paid as f64 / (ROUNDS as f64 * BET as f64);
    let tol = 5.0 * (var / ROUNDS as f64).sqrt();
    assert!(
        (observed - mean).abs() <= tol,
        "{name}: observed return {observed:.4}, expected {mean:.4} ± {tol:.4}"
    );
    observed
}

fn slot_distribution(rules: &BetRules) -> Vec<(f64, f64)> {
    let table = slots_paytable(rules);
    let mut out = Vec::new();
    for a in SlotSymbol::ALL {
        for b in SlotSymbol::ALL {
            for c in SlotSymbol::ALL {
                let p = (a.reel_weight() * b.reel_weight() * c.reel_weight()) as f64 / 1e6;
                out.push((p, table.evaluate([a, b, c]).0 as f64 / 10_000.0));
            }
        }
    }
    out
}

#[test]
fn exact_expected_returns_equal_one_minus_edge() {
    for edge in [0, 100, 300, 500, 1_000, 2_500] {
        let rules = BetRules {
            house_edge_bp: edge,
            ..BetRules::default()
        };
        let target = 1.0 - edge as f64 / 10_000.0;
        assert_eq!(rules.target_return(), target);
        // Coinflip: ½ × 2(1 − edge), exactly.
        let (m, _) = moments(&[(0.5, 2.0 * target)]);
        assert!((m - target).abs() < 1e-12);
        // Dice: ways/36 × multiplier, floor to a basis point.
        for choice in [
            DiceBet::Low,
            DiceBet::High,
            DiceBet::Seven,
            DiceBet::Doubles,
        ]
        .into_iter()
        .chain((2..=12).map(DiceBet::Exact))
        {
            let p = choice.ways() as f64 / 36.0;
            let ret = p * dice_multiplier_bp(choice, &rules) as f64 / 10_000.0;
            assert!(
                ret <= target + 1e-12 && target - ret < 1e-3,
                "{choice:?}: {ret}"
            );
        }
        // Slots: enumeration of all outcomes.
        let ret = slots_expected_return(&rules);
        assert!(
            ret <= target + 1e-9 && target - ret < 1e-4,
            "slots edge {edge}: {ret}"
        );
        let (m, _) = moments(&slot_distribution(&rules));
        assert!((m - ret).abs() < 1e-9);
    }
}

#[test]
fn coinflip_returns_one_minus_edge_over_200k_rounds() {
    let rules = BetRules::default();
    let mut r = rng(11);
    let (mut paid, mut heads) = (0i64, 0u64);
    for i in 0..ROUNDS {
        let side = if i % 2 == 0 {
            CoinSide::Heads
        } else {
            CoinSide::Tails
        };
        let o = coinflip(
            chronix_core::economy::Chrons::new(BET),
            side,
            &rules,
            &mut r,
        )
        .unwrap();
        assert!(
            o.payout >= chronix_core::economy::Chrons::new(0)
                && o.won == (o.payout > chronix_core::economy::Chrons::new(0))
        );
        if let BetDetail::Coinflip {
            landed: CoinSide::Heads,
            ..
        } = o.detail
        {
            heads += 1;
        }
        paid += o.payout.get();
    }
    fit(&[heads, ROUNDS as u64 - heads], &[0.5, 0.5]).unwrap();
    let target = rules.target_return();
    let (mean, var) = moments(&[(0.5, 2.0 * target)]);
    let observed = assert_return("coinflip", paid, mean, var);
    // Negative control: the same data rejects a fair (zero-edge) game.
    let tol = 5.0 * (var / ROUNDS as f64).sqrt();
    assert!(
        (observed - 1.0).abs() > tol,
        "a 3 % edge must be detectable"
    );
}

#[test]
fn dice_returns_one_minus_edge_over_200k_rounds() {
    let rules = BetRules::default();
    for (seed, choice) in [
        DiceBet::Low,
        DiceBet::High,
        DiceBet::Seven,
        DiceBet::Doubles,
        DiceBet::Exact(11),
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = rng(20 + seed as u64);
        let mut paid = 0i64;
        let mut totals = [0u64; 11];
        for _ in 0..ROUNDS / 5 {
            let o = dice(
                chronix_core::economy::Chrons::new(BET),
                choice,
                &rules,
                &mut r,
            )
            .unwrap();
            let BetDetail::Dice { dice: d, .. } = o.detail else {
                panic!()
            };
            assert!((1..=6).contains(&d[0]) && (1..=6).contains(&d[1]));
            assert_eq!(o.won, choice.wins(d));
            totals[(d[0] + d[1] - 2) as usize] += 1;
            paid += o.payout.get();
        }
        // The dice are fair: totals follow the 1,2,..,6,..,1 / 36 triangle.
        let tri: Vec<f64> = (2..=12)
            .map(|t: i32| (6 - (t - 7).abs()) as f64 / 36.0)
            .collect();
        fit(&totals, &tri).unwrap_or_else(|e| panic!("{choice:?}: {e}"));
        let p = choice.ways() as f64 / 36.0;
        let m = dice_multiplier_bp(choice, &rules) as f64 / 10_000.0;
        let (mean, var) = moments(&[(p, m)]);
        let observed = paid as f64 / ((ROUNDS / 5) as f64 * BET as f64);
        let tol = 5.0 * (var / (ROUNDS / 5) as f64).sqrt();
        assert!(
            (observed - mean).abs() <= tol,
            "{choice:?}: {observed} vs {mean} ± {tol}"
        );
        assert!((mean - rules.target_return()).abs() < 1e-3);
    }
}

#[test]
fn slots_return_one_minus_edge_over_200k_rounds() {
    let rules = BetRules::default();
    let mut r = rng(31);
    let mut paid = 0i64;
    let mut symbols = [0u64; 6];
    for _ in 0..ROUNDS {
        let o = slots(chronix_core::economy::Chrons::new(BET), &rules, &mut r).unwrap();
        let BetDetail::Slots { reels, line } = o.detail else {
            panic!()
        };
        for s in reels {
            symbols[SlotSymbol::ALL.iter().position(|&x| x == s).unwrap()] += 1;
        }
        assert_eq!(
            line.is_some(),
            o.payout > chronix_core::economy::Chrons::new(0)
        );
        paid += o.payout.get();
    }
    let weights: Vec<f64> = SlotSymbol::ALL
        .iter()
        .map(|s| s.reel_weight() as f64 / 100.0)
        .collect();
    fit(&symbols, &weights).unwrap();
    let (mean, var) = moments(&slot_distribution(&rules));
    assert!((mean - rules.target_return()).abs() < 1e-4);
    assert_return("slots", paid, mean, var);
}

#[test]
fn bet_limits_are_enforced() {
    let rules = BetRules {
        min_bet: chronix_core::economy::Chrons::new(10),
        max_bet: chronix_core::economy::Chrons::new(1_000),
        house_edge_bp: 300,
    };
    let mut r = rng(1);
    assert_eq!(
        coinflip(
            chronix_core::economy::Chrons::new(0),
            CoinSide::Heads,
            &rules,
            &mut r
        ),
        Err(BetError::NotPositive)
    );
    assert_eq!(
        coinflip(
            chronix_core::economy::Chrons::new(-5),
            CoinSide::Heads,
            &rules,
            &mut r
        ),
        Err(BetError::NotPositive)
    );
    assert_eq!(
        slots(chronix_core::economy::Chrons::new(9), &rules, &mut r),
        Err(BetError::BelowMinimum {
            min: chronix_core::economy::Chrons::new(10)
        })
    );
    assert_eq!(
        dice(
            chronix_core::economy::Chrons::new(1_001),
            DiceBet::Low,
            &rules,
            &mut r
        ),
        Err(BetError::AboveMaximum {
            max: chronix_core::economy::Chrons::new(1_000)
        })
    );
    assert_eq!(
        dice(
            chronix_core::economy::Chrons::new(100),
            DiceBet::Exact(13),
            &rules,
            &mut r
        ),
        Err(BetError::InvalidChoice)
    );
    assert!(
        coinflip(
            chronix_core::economy::Chrons::new(10),
            CoinSide::Tails,
            &rules,
            &mut r
        )
        .is_ok()
    );
    assert!(slots(chronix_core::economy::Chrons::new(1_000), &rules, &mut r).is_ok());
}

#[test]
fn payouts_follow_the_paytable() {
    let rules = BetRules::default();
    let table = slots_paytable(&rules);
    // 3 % edge: coinflip pays 1.94×.
    let mut r = rng(5);
    let won = (0..100)
        .map(|_| {
            coinflip(
                chronix_core::economy::Chrons::new(1_000),
                CoinSide::Heads,
                &rules,
                &mut r,
            )
            .unwrap()
        })
        .find(|o| o.won)
        .unwrap();
    assert_eq!(won.payout, chronix_core::economy::Chrons::new(1_940));
    assert_eq!(won.net(), chronix_core::economy::Chrons::new(940));
    // Seven on two dice: 6/36, pays 0.97 × 6 = 5.82×.
    assert_eq!(dice_multiplier_bp(DiceBet::Seven, &rules), 58_200);
    // Pairs of lemons do not pay; three sevens is the jackpot.
    assert_eq!(
        table
            .evaluate([SlotSymbol::Lemon, SlotSymbol::Lemon, SlotSymbol::Bell])
            .0,
        0
    );
    let (jackpot, line) = table.evaluate([SlotSymbol::Seven; 3]);
    assert_eq!(line, Some((SlotSymbol::Seven, 3)));
    assert!(
        jackpot
            > table
                .triple_bp
                .iter()
                .copied()
                .filter(|&m| m != jackpot)
                .max()
                .unwrap()
    );
    let (pair, line) = table.evaluate([SlotSymbol::Cherry, SlotSymbol::Bell, SlotSymbol::Cherry]);
    assert_eq!(line, Some((SlotSymbol::Cherry, 2)));
    assert!(
        pair > 10_000,
        "a paying pair returns more than the bet: {pair}"
    );
}
