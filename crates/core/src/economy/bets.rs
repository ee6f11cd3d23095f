//! Games of chance: coinflip, dice and slots.
//!
//! Each game is a pure function `(bet, choice, &BetRules, rng) -> Result<BetOutcome, BetError>`.
//! `payout` is the total returned to the player (0 on a loss; the stake is already taken), so the
//! player's balance changes by `payout − bet`.
//!
//! Fairness: every game's expected payout is `(1 − house_edge) × bet` up to rounding down to whole
//! Chrons. Multipliers are integers in basis points (1/10,000), derived from the exact
//! probabilities of each game:
//! - coinflip: win with probability ½, multiplier `2 × (1 − edge)`;
//! - dice: two six-sided dice, multiplier `(1 − edge) × 36 / ways` where `ways` is the number of
//!   the 36 outcomes that win the chosen bet;
//! - slots: three reels of weighted symbols; a base paytable is scaled by
//!   `(1 − edge) / base_return`, where `base_return` is computed exactly by enumerating all
//!   6³ outcomes ([`slots_expected_return`]).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::Chrons;

const BP: i128 = 10_000;

/// Limits and house edge shared by all games.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BetRules {
    /// Smallest accepted bet.
    pub min_bet: Chrons,
    /// Largest accepted bet.
    pub max_bet: Chrons,
    /// House edge in basis points (300 = 3 %: players get back 97 % on average). Clamped to
    /// `0..=5000`.
    pub house_edge_bp: u32,
}

impl Default for BetRules {
    /// Bets of 10–250,000 💠 with a 3 % house edge.
    fn default() -> Self {
        BetRules {
            min_bet: Chrons::new(10),
            max_bet: Chrons::new(250_000),
            house_edge_bp: 300,
        }
    }
}

impl BetRules {
    fn edge_bp(&self) -> i128 {
        i128::from(self.house_edge_bp.min(5_000))
    }

    /// The expected return per Chron bet (`1 − house_edge`).
    pub fn target_return(&self) -> f64 {
        1.0 - self.edge_bp() as f64 / BP as f64
    }

    /// Checks a bet against the limits.
    pub fn check(&self, bet: Chrons) -> Result<(), BetError> {
        if !bet.is_positive() {
            return Err(BetError::NotPositive);
        }
        if bet < self.min_bet {
            return Err(BetError::BelowMinimum { min: self.min_bet });
        }
        if bet > self.max_bet.min(super::MAX_CHRONS) {
            return Err(BetError::AboveMaximum {
                max: self.max_bet.min(super::MAX_CHRONS),
            });
        }
        Ok(())
    }
}

/// A bet was refused before anything was rolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BetError {
    /// Zero or negative bet.
    #[error("the bet must be more than zero")]
    NotPositive,
    /// Below [`BetRules::min_bet`].
    #[error("the smallest bet is {min} Chrons")]
    BelowMinimum {
        /// The minimum.
        min: Chrons,
    },
    /// Above [`BetRules::max_bet`].
    #[error("the largest bet is {max} Chrons")]
    AboveMaximum {
        /// The maximum.
        max: Chrons,
    },
    /// A dice total outside 2–12.
    #[error("two dice total between 2 and 12")]
    InvalidChoice,
}

/// The result of one game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BetOutcome {
    /// The stake.
    pub bet: Chrons,
    /// Total paid back to the player (0 on a loss). Never negative.
    pub payout: Chrons,
    /// Whether the round paid anything.
    pub won: bool,
    /// What was rolled, for rendering.
    pub detail: BetDetail,
}

impl BetOutcome {
    /// Balance change for the player: `payout − bet`.
    pub fn net(&self) -> Chrons {
        self.payout - self.bet
    }
}

/// What a game rolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BetDetail {
    /// Coinflip: the side called and the side that landed.
    Coinflip {
        /// The player's call.
        called: CoinSide,
        /// The result.
        landed: CoinSide,
    },
    /// Dice: the bet and both dice.
    Dice {
        /// The player's bet.
        choice: DiceBet,
        /// Both dice (1–6).
        dice: [u8; 2],
    },
    /// Slots: the three reels, and the paying symbol with how many matched.
    Slots {
        /// The reels, left to right.
        reels: [SlotSymbol; 3],
        /// `(symbol, 2 or 3)` when the spin paid.
        line: Option<(SlotSymbol, u8)>,
    },
}

fn payout(bet: Chrons, multiplier_bp: i128) -> Chrons {
    Chrons::clamped(i128::from(bet) * multiplier_bp / BP)
}

// ----------------------------------------------------------------------------------------------
// Coinflip

/// A side of the coin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoinSide {
    /// Heads.
    Heads,
    /// Tails.
    Tails,
}

impl CoinSide {
    /// Emoji for rendering.
    pub fn emoji(self) -> &'static str {
        match self {
            CoinSide::Heads => "🪙",
            CoinSide::Tails => "🌀",
        }
    }
}

impl fmt::Display for CoinSide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CoinSide::Heads => "heads",
            CoinSide::Tails => "tails",
        })
    }
}

impl FromStr for CoinSide {
    type Err = String;
    /// `h`, `head`, `heads`, `t`, `tail`, `tails` (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "h" | "head" | "heads" => Ok(CoinSide::Heads),
            "t" | "tail" | "tails" => Ok(CoinSide::Tails),
            _ => Err(format!("`{s}` is not a coin side; use heads or tails")),
        }
    }
}

/// Flips a coin: a correct call pays `2 × (1 − edge)` times the bet.
pub fn coinflip(
    bet: Chrons,
    called: CoinSide,
    rules: &BetRules,
    rng: &mut impl Rng,
) -> Result<BetOutcome, BetError> {
    rules.check(bet)?;
    let landed = if rng.random_bool(0.5) {
        CoinSide::Heads
    } else {
        CoinSide::Tails
    };
    let won = landed == called;
    let paid = if won {
        payout(bet, 2 * (BP - rules.edge_bp()))
    } else {
        Chrons::ZERO
    };
    Ok(BetOutcome {
        bet,
        payout: paid,
        won,
        detail: BetDetail::Coinflip { called, landed },
    })
}

// ----------------------------------------------------------------------------------------------
// Dice

/// A bet on the total of two six-sided dice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiceBet {
    /// Total 2–6 (15 of 36).
    Low,
    /// Total 8–12 (15 of 36).
    High,
    /// Total exactly 7 (6 of 36).
    Seven,
    /// Both dice equal (6 of 36).
    Doubles,
    /// An exact total 2–12.
    Exact(u8),
}

impl DiceBet {
    /// Whether the dice win this bet.
    pub fn wins(self, dice: [u8; 2]) -> bool {
        let total = dice[0] + dice[1];
        match self {
            DiceBet::Low => total <= 6,
            DiceBet::High => total >= 8,
            DiceBet::Seven => total == 7,
            DiceBet::Doubles => dice[0] == dice[1],
            DiceBet::Exact(n) => total == n,
        }
    }

    /// How many of the 36 outcomes win (0 for an impossible exact total).
    pub fn ways(self) -> u32 {
        let mut n = 0;
        for a in 1..=6 {
            for b in 1..=6 {
                if self.wins([a, b]) {
                    n += 1;
                }
            }
        }
        n
    }
}

impl FromStr for DiceBet {
    type Err = String;
    /// `low`, `high`, `seven`/`7`, `doubles`, or a total `2`–`12`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "low" | "l" | "under" => Ok(DiceBet::Low),
            "high" | "h" | "over" => Ok(DiceBet::High),
            "seven" | "7" => Ok(DiceBet::Seven),
            "doubles" | "double" | "d" => Ok(DiceBet::Doubles),
            _ => match s.parse::<u8>() {
                Ok(n) if (2..=12).contains(&n) => Ok(DiceBet::Exact(n)),
                _ => Err(format!(
                    "`{s}` is not a dice bet; use low, high, seven, doubles or 2-12"
                )),
            },
        }
    }
}

/// The payout multiplier of a dice bet in basis points (0 for an impossible bet).
pub fn dice_multiplier_bp(choice: DiceBet, rules: &BetRules) -> u64 {
    match choice.ways() {
        0 => 0,
        ways => ((BP - rules.edge_bp()) * 36 / i128::from(ways)) as u64,
    }
}

/// Rolls two dice.
pub fn dice(
    bet: Chrons,
    choice: DiceBet,
    rules: &BetRules,
    rng: &mut impl Rng,
) -> Result<BetOutcome, BetError> {
    if choice.ways() == 0 {
        return Err(BetError::InvalidChoice);
    }
    rules.check(bet)?;
    let rolled = [rng.random_range(1..=6u8), rng.random_range(1..=6u8)];
    let won = choice.wins(rolled);
    let paid = if won {
        payout(bet, i128::from(dice_multiplier_bp(choice, rules)))
    } else {
        Chrons::ZERO
    };
    Ok(BetOutcome {
        bet,
        payout: paid,
        won,
        detail: BetDetail::Dice {
            choice,
            dice: rolled,
        },
    })
}

// ----------------------------------------------------------------------------------------------
// Slots

/// A slot-machine symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotSymbol {
    /// 🍒
    Cherry,
    /// 🍋
    Lemon,
    /// 🔔
    Bell,
    /// ⭐
    Star,
    /// 💎
    Diamond,
    /// 7️⃣
    Seven,
}

impl SlotSymbol {
    /// All symbols, most frequent first.
    pub const ALL: [SlotSymbol; 6] = [
        SlotSymbol::Cherry,
        SlotSymbol::Lemon,
        SlotSymbol::Bell,
        SlotSymbol::Star,
        SlotSymbol::Diamond,
        SlotSymbol::Seven,
    ];

    /// Weight of the symbol on each reel (out of 100).
    pub const fn reel_weight(self) -> u32 {
        match self {
            SlotSymbol::Cherry => 30,
            SlotSymbol::Lemon => 25,
            SlotSymbol::Bell => 20,
            SlotSymbol::Star => 12,
            SlotSymbol::Diamond => 8,
            SlotSymbol::Seven => 5,
        }
    }

    /// Base multiplier (basis points, before the house-edge scaling) for three of a kind.
    const fn base_triple_bp(self) -> u64 {
        match self {
            SlotSymbol::Cherry => 50_000,
            SlotSymbol::Lemon => 100_000,
            SlotSymbol::Bell => 200_000,
            SlotSymbol::Star => 500_000,
            SlotSymbol::Diamond => 1_200_000,
            SlotSymbol::Seven => 2_500_000,
        }
    }

    /// Base multiplier for exactly two of a kind (only some symbols pay).
    const fn base_pair_bp(self) -> u64 {
        match self {
            SlotSymbol::Cherry => 15_000,
            SlotSymbol::Diamond => 20_000,
            SlotSymbol::Seven => 30_000,
            _ => 0,
        }
    }

    /// Emoji for rendering.
    pub fn emoji(self) -> &'static str {
        match self {
            SlotSymbol::Cherry => "🍒",
            SlotSymbol::Lemon => "🍋",
            SlotSymbol::Bell => "🔔",
            SlotSymbol::Star => "⭐",
            SlotSymbol::Diamond => "💎",
            SlotSymbol::Seven => "7️⃣",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The effective slots paytable (basis points), indexed by `SlotSymbol as usize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotsPaytable {
    /// Three of a kind.
    pub triple_bp: [u64; 6],
    /// Exactly two of a kind (0 = does not pay).
    pub pair_bp: [u64; 6],
}

impl SlotsPaytable {
    /// Multiplier (bp) and paying line of a spin.
    pub fn evaluate(&self, reels: [SlotSymbol; 3]) -> (u64, Option<(SlotSymbol, u8)>) {
        let [a, b, c] = reels;
        if a == b && b == c {
            return (self.triple_bp[a.index()], Some((a, 3)));
        }
        let pair = if a == b || a == c {
            Some(a)
        } else if b == c {
            Some(b)
        } else {
            None
        };
        match pair {
            Some(s) if self.pair_bp[s.index()] > 0 => (self.pair_bp[s.index()], Some((s, 2))),
            _ => (0, None),
        }
    }
}

/// Iterates over all 6³ outcomes with their weight (weights sum to 100³).
fn all_spins() -> impl Iterator<Item = ([SlotSymbol; 3], u64)> {
    SlotSymbol::ALL.into_iter().flat_map(|a| {
        SlotSymbol::ALL.into_iter().flat_map(move |b| {
            SlotSymbol::ALL.into_iter().map(move |c| {
                let w = u64::from(a.reel_weight() * b.reel_weight() * c.reel_weight());
                ([a, b, c], w)
            })
        })
    })
}

const BASE_TABLE: SlotsPaytable = SlotsPaytable {
    triple_bp: [
        SlotSymbol::Cherry.base_triple_bp(),
        SlotSymbol::Lemon.base_triple_bp(),
        SlotSymbol::Bell.base_triple_bp(),
        SlotSymbol::Star.base_triple_bp(),
        SlotSymbol::Diamond.base_triple_bp(),
        SlotSymbol::Seven.base_triple_bp(),
    ],
    pair_bp: [
        SlotSymbol::Cherry.base_pair_bp(),
        SlotSymbol::Lemon.base_pair_bp(),
        SlotSymbol::Bell.base_pair_bp(),
        SlotSymbol::Star.base_pair_bp(),
        SlotSymbol::Diamond.base_pair_bp(),
        SlotSymbol::Seven.base_pair_bp(),
    ],
};

/// Σ weight × multiplier over all outcomes (units: bp × 100³).
fn weighted_return(table: &SlotsPaytable) -> u128 {
    all_spins()
        .map(|(reels, w)| u128::from(w) * u128::from(table.evaluate(reels).0))
        .sum()
}

/// The paytable for these rules: the base table scaled so the expected return is `1 − edge`.
pub fn slots_paytable(rules: &BetRules) -> SlotsPaytable {
    // A constant of the game, memoised (not state: it never changes).
    static BASE_RETURN: OnceLock<u128> = OnceLock::new();
    let base = *BASE_RETURN.get_or_init(|| weighted_return(&BASE_TABLE)); // base_return_bp × 10^6
    let target = (BP - rules.edge_bp()) as u128 * 1_000_000; // target_return_bp × 10^6
    let scale = |m: u64| (u128::from(m) * target / base) as u64;
    SlotsPaytable {
        triple_bp: BASE_TABLE.triple_bp.map(scale),
        pair_bp: BASE_TABLE.pair_bp.map(scale),
    }
}

/// The exact expected return per Chron bet for these rules (by enumerating every outcome),
/// ignoring the rounding of payouts down to whole Chrons.
pub fn slots_expected_return(rules: &BetRules) -> f64 {
    weighted_return(&slots_paytable(rules)) as f64 / (BP as f64 * 1e6)
}

/// The symbol a reel shows for a roll in `0..100`: each symbol covers [`SlotSymbol::reel_weight`]
/// consecutive rolls, in [`SlotSymbol::ALL`] order.
fn reel_symbol(roll: u32) -> SlotSymbol {
    let mut t = roll;
    for s in SlotSymbol::ALL {
        if t < s.reel_weight() {
            return s;
        }
        t -= s.reel_weight();
    }
    SlotSymbol::Seven
}

fn spin_reel(rng: &mut impl Rng) -> SlotSymbol {
    reel_symbol(rng.random_range(0..100u32))
}

/// Spins the three reels.
pub fn slots(bet: Chrons, rules: &BetRules, rng: &mut impl Rng) -> Result<BetOutcome, BetError> {
    rules.check(bet)?;
    let reels = [spin_reel(rng), spin_reel(rng), spin_reel(rng)];
    let (mult, line) = slots_paytable(rules).evaluate(reels);
    let paid = payout(bet, i128::from(mult));
    Ok(BetOutcome {
        bet,
        payout: paid,
        won: paid.is_positive(),
        detail: BetDetail::Slots { reels, line },
    })
}

#[cfg(test)]
mod tests {
    //! Exact outcomes for given rolls: the distribution tests in `tests/bets.rs` cannot see an
    //! inverted win check, these can.

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::economy::MAX_CHRONS;
    use DiceBet::{Doubles, Exact, High, Low, Seven};
    use SlotSymbol::{Bell, Cherry, Diamond, Lemon, Star};

    fn rules(house_edge_bp: u32) -> BetRules {
        BetRules {
            house_edge_bp,
            ..BetRules::default()
        }
    }

    #[test]
    fn bet_limits_are_inclusive() {
        let r = BetRules {
            min_bet: Chrons::new(10),
            max_bet: Chrons::new(1_000),
            house_edge_bp: 300,
        };
        assert_eq!(r.check(Chrons::new(10)), Ok(()));
        assert_eq!(r.check(Chrons::new(1_000)), Ok(()));
        assert_eq!(
            r.check(Chrons::new(9)),
            Err(BetError::BelowMinimum {
                min: Chrons::new(10)
            })
        );
        assert_eq!(
            r.check(Chrons::new(1_001)),
            Err(BetError::AboveMaximum {
                max: Chrons::new(1_000)
            })
        );
        assert_eq!(r.check(Chrons::new(0)), Err(BetError::NotPositive));
        assert_eq!(r.check(Chrons::new(-1)), Err(BetError::NotPositive));
        // With no minimum, only the sign refuses small bets; the maximum never exceeds
        // MAX_CHRONS.
        let open = BetRules {
            min_bet: Chrons::new(i64::MIN),
            max_bet: Chrons::new(i64::MAX),
            house_edge_bp: 0,
        };
        assert_eq!(open.check(Chrons::new(0)), Err(BetError::NotPositive));
        assert_eq!(open.check(Chrons::new(-1)), Err(BetError::NotPositive));
        assert_eq!(open.check(Chrons::new(1)), Ok(()));
        assert_eq!(open.check(MAX_CHRONS), Ok(()));
        assert_eq!(
            open.check(MAX_CHRONS + Chrons::new(1)),
            Err(BetError::AboveMaximum { max: MAX_CHRONS })
        );
    }

    #[test]
    fn house_edge_is_clamped_to_half() {
        assert_eq!(rules(300).target_return(), 1.0 - 0.03);
        assert_eq!(rules(0).target_return(), 1.0);
        assert_eq!(rules(5_000).target_return(), 0.5);
        assert_eq!(rules(5_001).target_return(), 0.5);
        assert_eq!(rules(u32::MAX).target_return(), 0.5);
    }

    #[test]
    fn coin_sides_parse_in_every_accepted_spelling() {
        for (text, side) in [
            ("h", CoinSide::Heads),
            ("head", CoinSide::Heads),
            ("heads", CoinSide::Heads),
            ("t", CoinSide::Tails),
            ("tail", CoinSide::Tails),
            ("tails", CoinSide::Tails),
        ] {
            assert_eq!(text.parse::<CoinSide>(), Ok(side), "{text}");
            assert_eq!(text.to_uppercase().parse::<CoinSide>(), Ok(side), "{text}");
            assert_eq!(
                format!(" \t{text} ").parse::<CoinSide>(),
                Ok(side),
                "{text}"
            );
        }
        for bad in ["", " ", "x", "hh", "headss", "tail s", "ｈ", "heads!"] {
            assert_eq!(
                bad.parse::<CoinSide>(),
                Err(format!("`{bad}` is not a coin side; use heads or tails"))
            );
        }
    }

    #[test]
    fn coin_sides_render() {
        assert_eq!(CoinSide::Heads.to_string(), "heads");
        assert_eq!(CoinSide::Tails.to_string(), "tails");
        assert_eq!(CoinSide::Heads.emoji(), "🪙");
        assert_eq!(CoinSide::Tails.emoji(), "🌀");
    }

    #[test]
    fn coinflip_pays_exactly_when_the_call_matches() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut seen = [[0u32; 2]; 2]; // [called heads?][won?]
        for i in 0..200 {
            let called = if i % 2 == 0 {
                CoinSide::Heads
            } else {
                CoinSide::Tails
            };
            let o = coinflip(Chrons::new(1_000), called, &rules(300), &mut rng).unwrap();
            let BetDetail::Coinflip { called: c, landed } = o.detail else {
                panic!("{o:?}")
            };
            assert_eq!(c, called);
            let won = landed == called;
            assert_eq!(o.bet, Chrons::new(1_000));
            assert_eq!(o.won, won, "{o:?}");
            // 2 × 0.97 = 1.94×.
            assert_eq!(o.payout, Chrons::new(if won { 1_940 } else { 0 }), "{o:?}");
            assert_eq!(o.net(), Chrons::new(if won { 940 } else { -1_000 }));
            seen[usize::from(called == CoinSide::Heads)][usize::from(won)] += 1;
        }
        assert!(seen.iter().flatten().all(|&n| n > 20), "{seen:?}");
        // The edge is clamped at 50 %: a win then pays the bet back.
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let won = (0..50)
            .map(|_| {
                coinflip(
                    Chrons::new(777),
                    CoinSide::Tails,
                    &rules(u32::MAX),
                    &mut rng,
                )
                .unwrap()
            })
            .find(|o| o.won)
            .unwrap();
        assert_eq!((won.payout.get(), won.net().get()), (777, 0));
        assert_eq!(
            coinflip(Chrons::new(9), CoinSide::Heads, &rules(300), &mut rng),
            Err(BetError::BelowMinimum {
                min: Chrons::new(10)
            })
        );
    }

    #[test]
    fn dice_bets_parse_in_every_accepted_spelling() {
        for (text, bet) in [
            ("low", Low),
            ("l", Low),
            ("under", Low),
            ("high", High),
            ("h", High),
            ("over", High),
            ("seven", Seven),
            ("7", Seven),
            ("doubles", Doubles),
            ("double", Doubles),
            ("d", Doubles),
            ("2", Exact(2)),
            ("3", Exact(3)),
            ("6", Exact(6)),
            ("8", Exact(8)),
            ("11", Exact(11)),
            ("12", Exact(12)),
            ("012", Exact(12)),
        ] {
            assert_eq!(text.parse::<DiceBet>(), Ok(bet), "{text}");
            assert_eq!(text.to_uppercase().parse::<DiceBet>(), Ok(bet), "{text}");
            assert_eq!(format!("\t{text}  ").parse::<DiceBet>(), Ok(bet), "{text}");
        }
        for (bad, shown) in [
            ("", ""),
            ("1", "1"),
            ("0", "0"),
            ("13", "13"),
            ("-2", "-2"),
            ("256", "256"),
            (" LOWER ", "lower"),
            ("sevens", "sevens"),
            ("dd", "dd"),
            ("٣", "٣"),
        ] {
            assert_eq!(
                bad.parse::<DiceBet>(),
                Err(format!(
                    "`{shown}` is not a dice bet; use low, high, seven, doubles or 2-12"
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn dice_bets_win_on_exactly_these_rolls() {
        let doubles = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]];
        for a in 1..=6u8 {
            for b in 1..=6u8 {
                let (d, total) = ([a, b], a + b);
                assert_eq!(Low.wins(d), [2, 3, 4, 5, 6].contains(&total), "{d:?}");
                assert_eq!(High.wins(d), [8, 9, 10, 11, 12].contains(&total), "{d:?}");
                assert_eq!(Seven.wins(d), total == 7, "{d:?}");
                assert_eq!(Doubles.wins(d), doubles.contains(&d), "{d:?}");
                for n in 0..=14 {
                    assert_eq!(Exact(n).wins(d), total == n, "{n} {d:?}");
                }
            }
        }
        // The boundaries, spelt out.
        assert!(Low.wins([3, 3]) && !Low.wins([3, 4]) && !Low.wins([6, 6]));
        assert!(High.wins([4, 4]) && !High.wins([4, 3]) && !High.wins([1, 1]));
        assert!(Seven.wins([1, 6]) && !Seven.wins([3, 3]));
        assert!(Doubles.wins([5, 5]) && !Doubles.wins([5, 6]));
        assert!(Exact(12).wins([6, 6]) && !Exact(12).wins([6, 5]));
    }

    #[test]
    fn dice_ways_and_multipliers() {
        assert_eq!(
            [Low, High, Seven, Doubles].map(DiceBet::ways),
            [15, 15, 6, 6]
        );
        let exact: Vec<u32> = (0..=14).map(|n| Exact(n).ways()).collect();
        assert_eq!(exact, [0, 0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0, 0]);
        // (1 − 3 %) × 36 / ways, in basis points, rounded down.
        let r = rules(300);
        let mult = |b| dice_multiplier_bp(b, &r);
        assert_eq!(
            [Low, High, Seven, Doubles].map(mult),
            [23_280, 23_280, 58_200, 58_200]
        );
        let exact: Vec<u64> = (0..=14).map(|n| mult(Exact(n))).collect();
        assert_eq!(
            exact,
            [
                0, 0, 349_200, 174_600, 116_400, 87_300, 69_840, 58_200, 69_840, 87_300, 116_400,
                174_600, 349_200, 0, 0
            ]
        );
        assert_eq!(dice_multiplier_bp(Seven, &rules(0)), 60_000);
        assert_eq!(dice_multiplier_bp(Low, &rules(u32::MAX)), 12_000);
    }

    #[test]
    fn dice_pay_the_multiplier_exactly_on_a_win() {
        let r = rules(300);
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for (choice, win_payout) in [
            (Low, 2_328),
            (High, 2_328),
            (Seven, 5_820),
            (Doubles, 5_820),
            (Exact(4), 11_640),
            (Exact(12), 34_920),
        ] {
            let mut outcomes = [0u32; 2];
            for _ in 0..400 {
                let o = dice(Chrons::new(1_000), choice, &r, &mut rng).unwrap();
                let BetDetail::Dice { choice: c, dice: d } = o.detail else {
                    panic!("{o:?}")
                };
                assert_eq!(c, choice);
                assert!((1..=6).contains(&d[0]) && (1..=6).contains(&d[1]), "{d:?}");
                let won = choice.wins(d);
                assert_eq!(o.won, won, "{o:?}");
                assert_eq!(
                    o.payout,
                    Chrons::new(if won { win_payout } else { 0 }),
                    "{o:?}"
                );
                outcomes[usize::from(won)] += 1;
            }
            assert!(
                outcomes[0] > 0 && outcomes[1] > 0,
                "{choice:?}: {outcomes:?}"
            );
        }
        for impossible in [Exact(0), Exact(1), Exact(13), Exact(255)] {
            assert_eq!(
                dice(Chrons::new(1_000), impossible, &r, &mut rng),
                Err(BetError::InvalidChoice)
            );
            // The choice is checked before the bet.
            assert_eq!(
                dice(Chrons::new(0), impossible, &r, &mut rng),
                Err(BetError::InvalidChoice)
            );
        }
        assert_eq!(
            dice(Chrons::new(0), Seven, &r, &mut rng),
            Err(BetError::NotPositive)
        );
    }

    #[test]
    fn reel_rolls_map_to_symbols_by_weight() {
        assert_eq!(
            SlotSymbol::ALL.map(SlotSymbol::reel_weight),
            [30, 25, 20, 12, 8, 5]
        );
        for (rolls, symbol) in [
            (0..30, Cherry),
            (30..55, Lemon),
            (55..75, Bell),
            (75..87, Star),
            (87..95, Diamond),
            (95..100, SlotSymbol::Seven),
        ] {
            for roll in rolls {
                assert_eq!(reel_symbol(roll), symbol, "{roll}");
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0u32; 6];
        for _ in 0..2_000 {
            counts[spin_reel(&mut rng).index()] += 1;
        }
        assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    }

    #[test]
    fn slot_symbols_render() {
        assert_eq!(
            SlotSymbol::ALL.map(SlotSymbol::emoji),
            ["🍒", "🍋", "🔔", "⭐", "💎", "7️⃣"]
        );
        assert_eq!(SlotSymbol::ALL.map(SlotSymbol::index), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn slots_evaluate_triples_then_paying_pairs() {
        let seven = SlotSymbol::Seven;
        let table = SlotsPaytable {
            triple_bp: [101, 102, 103, 104, 105, 106],
            pair_bp: [11, 0, 0, 0, 15, 16],
        };
        for (reels, expected) in [
            ([Cherry; 3], (101, Some((Cherry, 3)))),
            ([Lemon; 3], (102, Some((Lemon, 3)))),
            ([Bell; 3], (103, Some((Bell, 3)))),
            ([Star; 3], (104, Some((Star, 3)))),
            ([Diamond; 3], (105, Some((Diamond, 3)))),
            ([seven; 3], (106, Some((seven, 3)))),
            // A paying pair in any two positions.
            ([Cherry, Cherry, Lemon], (11, Some((Cherry, 2)))),
            ([Cherry, Lemon, Cherry], (11, Some((Cherry, 2)))),
            ([Lemon, Cherry, Cherry], (11, Some((Cherry, 2)))),
            ([Diamond, Diamond, seven], (15, Some((Diamond, 2)))),
            ([seven, Bell, seven], (16, Some((seven, 2)))),
            ([Bell, seven, seven], (16, Some((seven, 2)))),
            // Pairs that don't pay, and no pair.
            ([Lemon, Lemon, Cherry], (0, None)),
            ([Bell, Cherry, Bell], (0, None)),
            ([Cherry, Star, Star], (0, None)),
            ([Cherry, Lemon, Bell], (0, None)),
            ([seven, Diamond, Cherry], (0, None)),
        ] {
            assert_eq!(table.evaluate(reels), expected, "{reels:?}");
        }
    }

    #[test]
    fn slots_paytable_is_scaled_to_the_edge() {
        // Σ weight × base multiplier over the 6³ outcomes (checked by hand in Python).
        assert_eq!(weighted_return(&BASE_TABLE), 9_705_430_000);
        assert_eq!(all_spins().count(), 216);
        assert_eq!(all_spins().map(|(_, w)| w).sum::<u64>(), 1_000_000);
        assert_eq!(
            all_spins().find(|(r, _)| *r == [Cherry, Lemon, SlotSymbol::Seven]),
            Some(([Cherry, Lemon, SlotSymbol::Seven], 30 * 25 * 5))
        );
        let t = slots_paytable(&rules(300));
        assert_eq!(
            t,
            SlotsPaytable {
                triple_bp: [49_972, 99_944, 199_888, 499_720, 1_199_328, 2_498_601],
                pair_bp: [14_991, 0, 0, 0, 19_988, 29_983],
            }
        );
        assert_eq!(weighted_return(&t), 9_699_866_128);
        assert!((slots_expected_return(&rules(300)) - 0.969_986_612_8).abs() < 1e-12);
        assert_eq!(
            slots_paytable(&rules(0)),
            SlotsPaytable {
                triple_bp: [51_517, 103_035, 206_070, 515_175, 1_236_421, 2_575_877],
                pair_bp: [15_455, 0, 0, 0, 20_607, 30_910],
            }
        );
        assert!((slots_expected_return(&rules(0)) - 0.999_992_625).abs() < 1e-12);
    }

    #[test]
    fn slots_pay_the_evaluated_line_exactly() {
        let r = rules(300);
        let table = slots_paytable(&r);
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let mut kinds = [0u32; 3]; // nothing, pair, triple
        for _ in 0..3_000 {
            let o = slots(Chrons::new(1_000), &r, &mut rng).unwrap();
            let BetDetail::Slots { reels, line } = o.detail else {
                panic!("{o:?}")
            };
            let (mult, expected_line) = table.evaluate(reels);
            assert_eq!(line, expected_line, "{o:?}");
            assert_eq!(o.bet, Chrons::new(1_000));
            assert_eq!(o.payout, Chrons::new((mult / 10) as i64), "{o:?}");
            assert_eq!(o.won, line.is_some(), "{o:?}");
            kinds[line.map_or(0, |(_, n)| usize::from(n - 1))] += 1;
        }
        assert!(kinds.iter().all(|&n| n > 0), "{kinds:?}");
        // A cherry pair pays 1.4991× and a losing spin nothing.
        assert_eq!(payout(Chrons::new(1_000), 14_991), Chrons::new(1_499));
        assert_eq!(payout(Chrons::new(1_000), 0), Chrons::new(0));
        assert_eq!(payout(MAX_CHRONS, 2_498_601), MAX_CHRONS);
        assert_eq!(
            slots(Chrons::new(250_001), &r, &mut rng),
            Err(BetError::AboveMaximum {
                max: Chrons::new(250_000)
            })
        );
    }
}
