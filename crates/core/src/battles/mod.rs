//! The battle engine: turn-based fights between two sides of combatants (spec §VIII).
//!
//! A battle is a pure function of its [`Setup`] (the combatants as they were when it started),
//! a `seed` and the list of [`Action`]s the players chose: [`run`] replays them and returns the
//! [`Battle`] (state and log). Storage keeps the setup, the seed and the actions, so
//! `battle replay <id>` shows exactly the same log, and the live battle is the same replay with
//! one more action. The random draws (damage roll, critical hits, the enemy's moves, the reward
//! gem) come from a `ChaCha8Rng` seeded with `seed`, in a fixed order.
//!
//! Sides are lists of combatants (a team of players fights a PvE enemy together: `team
//! battle`); turns go round the combatants still standing, side 0's in order, then side 1's. A
//! player's combatant acts by the actions given; an enemy (no user) acts by [`enemy_action`],
//! drawn from the same generator.
//!
//! The damage formula and every constant are in `assets/tables/battles.yaml` ([`BattleRules`]).
//!
//! Files: `rules` (`battles.yaml` and its validation), `fighters` (combatants, enemies and
//! their scaling), `engine` (setup, actions, the damage formula, turns, the log, [`run`]),
//! `rewards` (payouts); the tests beside them (`tests`, `pacing`).

mod engine;
mod fighters;
#[cfg(test)]
mod pacing;
mod rewards;
mod rules;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use engine::*;
pub use fighters::*;
pub use rewards::*;
pub use rules::*;

/// The file name used in [`crate::tables::TableProblem`]s.
pub const FILE: &str = "battles.yaml";

/// The shipped `battles.yaml`, compiled in (the fallback and what tests use).
pub fn shipped_source() -> &'static str {
    include_str!("../../../../assets/tables/battles.yaml")
}

/// Kinds of battle (stored as `battles.battle_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BattleKind {
    /// Player against player.
    Pvp,
    /// Against a wild enemy.
    Wild,
    /// Against a boss.
    Boss,
}

impl BattleKind {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            BattleKind::Pvp => "pvp",
            BattleKind::Wild => "wild",
            BattleKind::Boss => "boss",
        }
    }
    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pvp" => Some(BattleKind::Pvp),
            "wild" => Some(BattleKind::Wild),
            "boss" => Some(BattleKind::Boss),
            _ => None,
        }
    }
}
