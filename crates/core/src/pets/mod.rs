//! Pets: the rules of `assets/tables/pets.yaml` ([`PetRules`], parsed and validated against the
//! other [`Tables`]) and the pure operations on a pet ([`PetState`]): XP and levels, training,
//! feeding, evolution, prestige, the autohunt share, stats and traits, names.
//!
//! A pet is a creature of `creatures.yaml` kept by a player: its *type* is the creature id, its
//! rarity, element and base stats come from the creature. What it gains lives in [`PetState`]:
//!
//! * **XP and level**: going from level `L` to `L + 1` costs
//!   `base + linear·(L−1) + quadratic·(L−1)²` XP ([`PetRules::xp_to_next`]); XP is kept as the XP
//!   *into* the current level. Each evolution stage has a level cap; at the cap XP stops (the
//!   extra is lost and the outcome says so) until the pet evolves.
//! * **Stamina** (0..max): training costs `train_cost`, an autohunt run `autohunt_cost` (traits
//!   may lower both); pet food restores it. **Affinity** (hundredths, 100 = ×1.00) grows with
//!   every training and feeding up to a maximum and scales the stats.
//! * **Evolution**: from stage `s` to `s + 1` at the next stage's `min_level`, consuming items and
//!   Chrons ([`evolve`]); the stage's stat bonus applies from then on.
//! * **Prestige**: at the last stage's cap, the pet starts again at level 1 of the first stage
//!   with a permanent `bonus_pct` % per prestige ([`prestige`]).
//! * **Stats** ([`stats`]): base × (1 + growth·(L−1)) × (1 + stage bonus) × (1 + prestige bonus)
//!   × affinity, each factor applied in integer per-cent arithmetic, never below the base.

//!
//! The module is split by what each part serves: [`rules`] (the table: parsing, validation, the
//! curves and traits), [`state`] (a pet's state and the operations on it) and [`hatch`] (pets
//! from crates).

mod hatch;
mod rules;
mod state;
#[cfg(test)]
mod tests;

pub use hatch::*;
pub use rules::*;
pub use state::*;

/// The file name used in [`TableProblem`]s.
pub const FILE: &str = "pets.yaml";

/// The shipped `pets.yaml`, compiled in (the fallback and what tests use).
pub fn shipped_source() -> &'static str {
    include_str!("../../../../assets/tables/pets.yaml")
}

/// Longest pet name, in characters.
pub const MAX_NAME_CHARS: usize = 32;
