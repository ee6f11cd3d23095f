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
            min_bet: 10,
            max_bet: 250_000,
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
        if bet <= 0 {
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
    let v = i128::from(bet) * multiplier_bp / BP;
    v.clamp(0, i128::from(super::MAX_CHRONS)) as Chrons
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
        0
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
        0
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

fn spin_reel(rng: &mut impl Rng) -> SlotSymbol {
    let mut t = rng.random_range(0..100u32);
    for s in SlotSymbol::ALL {
        if t < s.reel_weight() {
            return s;
        }
        t -= s.reel_weight();
    }
    SlotSymbol::Seven
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
        won: paid > 0,
        detail: BetDetail::Slots { reels, line },
    })
}
