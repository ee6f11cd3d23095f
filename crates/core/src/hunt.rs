//! Manual hunts: one roll on the tables of `hunt.yaml`.
//!
//! A hunt always yields XP and Chrons (uniform in their ranges), finds a creature with probability
//! `creature_chance` (tier drawn by the tier weights, then a creature of that tier by its weight),
//! and independently a gem (`gem_chance`) and a crate (`crate_chance`).
//!
//! [`HuntModifiers`] adjust this: XP and Chrons bonuses in percent, *luck* (the weights of every
//! tier above Common are multiplied by `(100 + luck_pct) / 100`) and a drop bonus (gem and crate
//! chances multiplied by `(100 + drop_bonus_pct) / 100`, capped at 1).
//! [`creature_probabilities`], [`gem_chance`] and [`crate_chance`] give the exact resulting
//! probabilities, for display and for the statistical tests.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::economy::{Chrons, percent_of, scale_percent};
use crate::items::{CreatureDrop, GemDrop, Loot};
use crate::tables::{ItemEffect, Rarity, Tables, pick_rarity, pick_weighted_by};

/// Bonuses applied to a hunt (from consumables, clan perks, autohunt traits...). All zero by
/// default. Percentages are additive when combined ([`HuntModifiers::combine`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HuntModifiers {
    /// Extra XP in percent (25 → ×1.25).
    pub xp_bonus_pct: u32,
    /// Extra Chrons in percent.
    pub chrons_bonus_pct: u32,
    /// Luck in percent: tiers above Common get their weight multiplied by `(100 + luck) / 100`.
    pub luck_pct: u32,
    /// Gem and crate chances multiplied by `(100 + bonus) / 100` (capped at 1).
    pub drop_bonus_pct: u32,
}

impl HuntModifiers {
    /// Adds two sets of modifiers (saturating).
    pub fn combine(self, other: HuntModifiers) -> HuntModifiers {
        HuntModifiers {
            xp_bonus_pct: self.xp_bonus_pct.saturating_add(other.xp_bonus_pct),
            chrons_bonus_pct: self.chrons_bonus_pct.saturating_add(other.chrons_bonus_pct),
            luck_pct: self.luck_pct.saturating_add(other.luck_pct),
            drop_bonus_pct: self.drop_bonus_pct.saturating_add(other.drop_bonus_pct),
        }
    }
}

impl From<&ItemEffect> for HuntModifiers {
    fn from(e: &ItemEffect) -> Self {
        HuntModifiers {
            xp_bonus_pct: e.xp_bonus_pct,
            chrons_bonus_pct: e.chrons_bonus_pct,
            luck_pct: e.luck_pct,
            drop_bonus_pct: e.drop_bonus_pct,
        }
    }
}

/// The modifiers of the consumables in use (`items.yaml` keys, e.g. from `use hunting_lure`):
/// every item's [`ItemEffect`] combined; unknown keys and items without an effect add nothing.
pub fn modifiers_from_effects<'k>(
    tables: &Tables,
    keys: impl IntoIterator<Item = &'k str>,
) -> HuntModifiers {
    keys.into_iter()
        .filter_map(|k| tables.item(k)?.effect.as_ref())
        .fold(HuntModifiers::default(), |acc, e| acc.combine(e.into()))
}

/// The result of one hunt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuntOutcome {
    /// XP earned.
    pub xp: i64,
    /// Chrons earned.
    pub chrons: Chrons,
    /// The creature found, if any.
    pub creature: Option<CreatureDrop>,
    /// The gem found, if any.
    pub gem: Option<GemDrop>,
    /// The crate found (crate id), if any.
    pub crate_drop: Option<String>,
}

impl HuntOutcome {
    /// The items found, in the order creature, gem, crate.
    pub fn loot(&self) -> Vec<Loot> {
        let mut out = Vec::new();
        if let Some(c) = &self.creature {
            out.push(Loot::Creature(c.clone()));
        }
        if let Some(g) = &self.gem {
            out.push(Loot::Gem(g.clone()));
        }
        if let Some(id) = &self.crate_drop {
            out.push(Loot::Crate { id: id.clone() });
        }
        out
    }
}

/// Effective tier weights for a creature draw under `mods` (Common scaled by 100, others by
/// `100 + luck_pct`, so ratios are exact in integers).
pub fn creature_rarity_weights(tables: &Tables, mods: &HuntModifiers) -> [(Rarity, u64); 6] {
    Rarity::ALL.map(|r| {
        let w = tables.rarity(r).weight;
        let factor = if r == Rarity::Common {
            100
        } else {
            100 + u64::from(mods.luck_pct)
        };
        (r, w.saturating_mul(factor))
    })
}

/// Probability of each tier **given that a creature is found** (sums to 1).
pub fn creature_probabilities(tables: &Tables, mods: &HuntModifiers) -> [(Rarity, f64); 6] {
    let w = creature_rarity_weights(tables, mods);
    let total: f64 = w.iter().map(|&(_, x)| x as f64).sum();
    w.map(|(r, x)| (r, x as f64 / total))
}

fn boosted(p: f64, bonus_pct: u32) -> f64 {
    (p * (100.0 + f64::from(bonus_pct)) / 100.0).clamp(0.0, 1.0)
}

/// Probability that a hunt finds a gem under `mods`.
pub fn gem_chance(tables: &Tables, mods: &HuntModifiers) -> f64 {
    boosted(tables.hunt().gem_chance, mods.drop_bonus_pct)
}

/// Probability that a hunt finds a crate under `mods`.
pub fn crate_chance(tables: &Tables, mods: &HuntModifiers) -> f64 {
    boosted(tables.hunt().crate_chance, mods.drop_bonus_pct)
}

/// Draws a gem: type by weight, rarity from `weights`.
pub(crate) fn roll_gem(
    tables: &Tables,
    weights: &[(Rarity, u64)],
    rng: &mut impl Rng,
) -> Option<GemDrop> {
    let gem = tables.pick_gem_type(rng)?;
    let rarity = pick_rarity(weights, rng)?;
    Some(GemDrop {
        gem_type: gem.id.clone(),
        rarity,
        power: gem.power[rarity.index()],
    })
}

/// Rolls one hunt. Deterministic for a given `rng` state; the draws happen in a fixed order
/// (XP, Chrons, creature?, tier, creature, gem?, gem type, gem tier, crate?, crate).
pub fn roll_hunt(tables: &Tables, mods: &HuntModifiers, rng: &mut impl Rng) -> HuntOutcome {
    let h = tables.hunt();
    let xp = scale_percent(h.xp.roll(rng), 100u32.saturating_add(mods.xp_bonus_pct));
    let chrons = percent_of(
        Chrons::new(h.chrons.roll(rng)),
        100u32.saturating_add(mods.chrons_bonus_pct),
    );

    let creature = if rng.random_bool(h.creature_chance) {
        let weights = creature_rarity_weights(tables, mods);
        pick_rarity(&weights, rng)
            .and_then(|r| tables.pick_creature(r, rng))
            .map(|c| CreatureDrop {
                id: c.id.clone(),
                rarity: c.rarity,
            })
    } else {
        None
    };

    let gem = if rng.random_bool(gem_chance(tables, mods)) {
        roll_gem(tables, &h.gem_rarity_weights, rng)
    } else {
        None
    };

    let crate_drop = if rng.random_bool(crate_chance(tables, mods)) {
        pick_weighted_by(&h.crate_weights, |(_, w)| *w, rng).map(|i| h.crate_weights[i].0.clone())
    } else {
        None
    };

    HuntOutcome {
        xp,
        chrons,
        creature,
        gem,
        crate_drop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::test_tables;
    use rand::SeedableRng;

    #[test]
    fn modifiers_scale_rewards() {
        let t = test_tables();
        let mods = HuntModifiers {
            xp_bonus_pct: 100,
            chrons_bonus_pct: 50,
            ..Default::default()
        };
        let (mut a, mut b) = (
            rand_chacha::ChaCha8Rng::seed_from_u64(1),
            rand_chacha::ChaCha8Rng::seed_from_u64(1),
        );
        for _ in 0..200 {
            let plain = roll_hunt(&t, &HuntModifiers::default(), &mut a);
            let boosted = roll_hunt(&t, &mods, &mut b);
            assert_eq!(boosted.xp, plain.xp * 2);
            assert_eq!(boosted.chrons, plain.chrons * 3 / 2);
            assert_eq!(boosted.creature, plain.creature);
            assert!((8..=20).contains(&plain.xp) && (10..=40).contains(&plain.chrons.get()));
        }
    }

    #[test]
    fn consumables_give_their_effects() {
        let t = test_tables();
        let m = modifiers_from_effects(&t, ["hunting_lure"]);
        assert_eq!((m.luck_pct, m.xp_bonus_pct), (50, 0));
        let m = modifiers_from_effects(
            &t,
            [
                "hunting_lure",
                "golden_net",
                "scholar_scroll",
                "magnet_charm",
                "nope",
            ],
        );
        assert_eq!(
            m,
            HuntModifiers {
                xp_bonus_pct: 50,
                chrons_bonus_pct: 25,
                luck_pct: 50,
                drop_bonus_pct: 100,
            }
        );
        assert_eq!(
            modifiers_from_effects(&t, ["pet_treat"]),
            HuntModifiers::default()
        );
        // The magnet doubles gem and crate chances; the lure shifts tiers up.
        assert!((gem_chance(&t, &m) - 0.10).abs() < 1e-12);
        let plain = creature_probabilities(&t, &HuntModifiers::default());
        let lured = creature_probabilities(&t, &modifiers_from_effects(&t, ["hunting_lure"]));
        assert!(lured[0].1 < plain[0].1 && lured[5].1 > plain[5].1);
    }

    #[test]
    fn probabilities_are_exact() {
        let t = test_tables();
        let p = creature_probabilities(&t, &HuntModifiers::default());
        assert_eq!(
            p.map(|(_, x)| (x * 10_000.0).round() as u64),
            [6000, 2500, 1000, 380, 100, 20]
        );
        let lucky = creature_probabilities(
            &t,
            &HuntModifiers {
                luck_pct: 100,
                ..Default::default()
            },
        );
        // Common 6000 vs 2 × 4000 for the rest.
        assert!((lucky[0].1 - 6000.0 / 14_000.0).abs() < 1e-12);
        let drops = HuntModifiers {
            drop_bonus_pct: 100,
            ..Default::default()
        };
        assert!((gem_chance(&t, &drops) - 0.10).abs() < 1e-12);
        assert!((crate_chance(&t, &drops) - 0.04).abs() < 1e-12);
        let combined = drops.combine(HuntModifiers {
            drop_bonus_pct: u32::MAX,
            ..Default::default()
        });
        assert_eq!(combined.drop_bonus_pct, u32::MAX);
        assert_eq!(gem_chance(&t, &combined), 1.0);
    }
}
