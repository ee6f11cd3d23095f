//! Weapons (spec §IX, feature 11): types with an element, rarities, attack, crit rate and gem
//! slots from `assets/tables/weapons.yaml`; the enhancement rules (rising cost, success chance,
//! what a failure costs), scrapping for materials, the stats a weapon has with its level and
//! socketed gems, and the checks of empowering (socketing a gem) and unsocketing.
//!
//! Everything here is pure: the caller locks the rows, passes the balance and the materials it
//! read, and applies the outcome in one transaction (`chronix_storage::weapons`).

use rand::Rng;

use crate::economy::{Chrons, MAX_CHRONS};
use crate::items::GemDrop;
use crate::tables::{GemStat, Rarity, Tables, pick_rarity, pick_weighted_by};

/// A weapon type from `weapons.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeaponType {
    /// Stable id (stored as `weapons.weapon_type`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Emoji icon.
    pub emoji: String,
    /// One of [`crate::tables::ELEMENTS`].
    pub element: String,
    /// Attack at Common rarity and level 0 (> 0).
    pub attack: u32,
    /// Critical-hit chance in tenths of a percent (50 = 5 %).
    pub crit: u32,
    /// Relative chance inside a crate's pool.
    pub weight: u64,
    /// Only the event crates that list it drop it.
    pub exclusive: bool,
}

/// A tier's weapon settings from `weapons.yaml` (`rarities`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeaponTier {
    /// Attack in percent of the type's.
    pub attack_pct: u32,
    /// Gem slots.
    pub slots: u32,
    /// Materials a scrapped weapon of this tier gives.
    pub scrap: u32,
    /// Enhancement Chrons cost in percent of the base cost.
    pub cost_pct: u32,
}

/// The enhancement rules from `weapons.yaml` (`enhance`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnhanceRules {
    /// The material (an `items.yaml` id of kind material) enhancing uses and scrapping gives.
    pub material: String,
    /// Chrons of level 0 → 1 (before the tier's `cost_pct`).
    pub chrons_base: u64,
    /// Each level costs this percent of the previous one.
    pub growth_pct: u32,
    /// Materials of level 0 → 1.
    pub materials_base: u32,
    /// Extra materials per level.
    pub materials_per_level: u32,
    /// Success chance in percent, per current level (its length is the top level).
    pub success_pct: Vec<u32>,
    /// Attack added per level, in percent of the base attack.
    pub attack_pct_per_level: u32,
    /// From this level on, a failure also drops one level (`None`: never).
    pub downgrade_from: Option<u32>,
    /// Extra materials per level when a weapon is scrapped.
    pub scrap_per_level: u32,
}

impl EnhanceRules {
    /// The highest level.
    pub fn max_level(&self) -> u32 {
        u32::try_from(self.success_pct.len()).unwrap_or(u32::MAX)
    }
}

/// Everything `weapons.yaml` defines, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeaponTable {
    /// Weapon types, in file order.
    pub types: Vec<WeaponType>,
    /// Per tier, indexed by [`Rarity::index`].
    pub tiers: [WeaponTier; 6],
    /// Enhancement and scrap rules.
    pub enhance: EnhanceRules,
    /// The fee to unsocket a gem, per gem tier.
    pub unsocket_fee: [Chrons; 6],
}

impl WeaponTable {
    /// A weapon type by id.
    pub fn weapon_type(&self, id: &str) -> Option<&WeaponType> {
        self.types.iter().find(|w| w.id == id)
    }

    /// A tier's settings.
    pub fn tier(&self, r: Rarity) -> &WeaponTier {
        &self.tiers[r.index()]
    }
}

/// A weapon found (crate loot): its type, tier and base stats (as a gem drop carries its
/// power, so whoever stores it needs no tables).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WeaponDrop {
    /// Weapon type id.
    pub weapon_type: String,
    /// Its tier.
    pub rarity: Rarity,
    /// Its base stats ([`make_drop`]).
    pub base: WeaponBase,
}

/// A new weapon of type `weapon_type` and tier `rarity`: the type's stats scaled by the tier
/// (`attack × attack_pct / 100`, the type's crit, the tier's slots). `None` for an unknown type.
pub fn make_drop(table: &WeaponTable, weapon_type: &str, rarity: Rarity) -> Option<WeaponDrop> {
    let w = table.weapon_type(weapon_type)?;
    let tier = table.tier(rarity);
    Some(WeaponDrop {
        weapon_type: w.id.clone(),
        rarity,
        base: WeaponBase {
            attack: scale(w.attack, tier.attack_pct),
            crit: w.crit,
            slots: tier.slots,
        },
    })
}

/// Draws a weapon for a crate: the tier by `weights`, the type (weighted) from `pool` (ids of
/// exclusive weapons) when it is not empty, otherwise from every non-exclusive type.
pub fn roll_weapon(
    table: &WeaponTable,
    weights: &[(Rarity, u64)],
    pool: &[String],
    rng: &mut impl Rng,
) -> Option<WeaponDrop> {
    let rarity = pick_rarity(weights, rng)?;
    let candidates: Vec<&WeaponType> = if pool.is_empty() {
        table.types.iter().filter(|w| !w.exclusive).collect()
    } else {
        table
            .types
            .iter()
            .filter(|w| pool.contains(&w.id))
            .collect()
    };
    let i = pick_weighted_by(&candidates, |w| w.weight, rng)?;
    make_drop(table, &candidates[i].id, rarity)
}

/// A weapon's base stats when obtained (stored with it): the type's scaled by the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeaponBase {
    /// Attack.
    pub attack: u32,
    /// Crit chance, tenths of a percent.
    pub crit: u32,
    /// Gem slots.
    pub slots: u32,
}

fn scale(v: u32, pct: u32) -> u32 {
    u32::try_from(u64::from(v) * u64::from(pct) / 100).unwrap_or(u32::MAX)
}

/// A gem in a weapon: its slot (0-based) and the gem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socketed {
    /// Slot index.
    pub slot: u32,
    /// The gem.
    pub gem: GemDrop,
}

impl WeaponState {
    /// A weapon just found: level 0, no gems.
    pub fn new(drop: &WeaponDrop) -> WeaponState {
        WeaponState {
            weapon_type: drop.weapon_type.clone(),
            rarity: drop.rarity,
            level: 0,
            base: drop.base,
            gems: Vec::new(),
        }
    }
}

/// A weapon as owned: what the stats are computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeaponState {
    /// Type id.
    pub weapon_type: String,
    /// Tier.
    pub rarity: Rarity,
    /// Enhancement level (0 = never enhanced).
    pub level: u32,
    /// Base stats (stored when obtained).
    pub base: WeaponBase,
    /// Socketed gems.
    pub gems: Vec<Socketed>,
}

/// A weapon's stats with its level and gems.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeaponStats {
    /// Attack.
    pub attack: u32,
    /// Crit chance, tenths of a percent.
    pub crit: u32,
    /// Defense from gems.
    pub defense: u32,
    /// Hit points from gems.
    pub hp: u32,
    /// Speed from gems.
    pub speed: u32,
    /// Gem slots.
    pub slots: u32,
    /// Slots filled.
    pub used: u32,
}

/// The stats of `w`: base attack + `attack_pct_per_level` % of it per level, plus each socketed
/// gem's power on its stat (an attack gem adds attack, a crit gem crit, …).
pub fn stats(tables: &Tables, w: &WeaponState) -> WeaponStats {
    let rules = &tables.weapons().enhance;
    let bonus =
        u64::from(w.base.attack) * u64::from(w.level) * u64::from(rules.attack_pct_per_level) / 100;
    let mut s = WeaponStats {
        attack: u32::try_from(u64::from(w.base.attack) + bonus).unwrap_or(u32::MAX),
        crit: w.base.crit,
        slots: w.base.slots,
        used: u32::try_from(w.gems.len()).unwrap_or(u32::MAX),
        ..WeaponStats::default()
    };
    for g in &w.gems {
        let Some(t) = tables.gem(&g.gem.gem_type) else {
            continue;
        };
        let p = g.gem.power;
        let stat = match t.stat {
            GemStat::Attack => &mut s.attack,
            GemStat::Crit => &mut s.crit,
            GemStat::Defense => &mut s.defense,
            GemStat::Hp => &mut s.hp,
            GemStat::Speed => &mut s.speed,
        };
        *stat = stat.saturating_add(p);
    }
    s
}

/// A weapon rule refused (nothing changes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeaponError {
    /// The weapon is at the top level.
    #[error("this weapon is already at the top level ({0})")]
    MaxLevel(u32),
    /// The player cannot pay the Chrons.
    #[error("that costs {cost} Chrons, you have {balance}")]
    NotEnoughChrons {
        /// Cost.
        cost: Chrons,
        /// Balance.
        balance: Chrons,
    },
    /// The player lacks materials.
    #[error("that takes {needed} materials, you have {available}")]
    NotEnoughMaterials {
        /// Needed.
        needed: u32,
        /// Owned.
        available: i64,
    },
    /// Every gem slot is filled.
    #[error("all {0} gem slots are filled")]
    NoFreeSlot(u32),
    /// No gem in that slot.
    #[error("slot {0} is empty")]
    EmptySlot(u32),
}

/// What enhancing a weapon of `rarity` at `level` costs and risks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnhanceQuote {
    /// Level before.
    pub level: u32,
    /// Chrons (paid either way).
    pub chrons: Chrons,
    /// Materials (used either way).
    pub materials: u32,
    /// Success chance, percent.
    pub chance_pct: u32,
    /// Whether a failure drops one level.
    pub downgrade_on_failure: bool,
}

/// The cost, chance and risk of enhancing a weapon of `rarity` from `level` to `level + 1`.
pub fn enhance_quote(
    table: &WeaponTable,
    rarity: Rarity,
    level: u32,
) -> Result<EnhanceQuote, WeaponError> {
    let r = &table.enhance;
    let chance = *r
        .success_pct
        .get(level as usize)
        .ok_or(WeaponError::MaxLevel(r.max_level()))?;
    // base × (growth/100)^level, computed step by step in u128 and capped.
    let mut c = u128::from(r.chrons_base);
    for _ in 0..level {
        c = (c * u128::from(r.growth_pct) / 100).min(MAX_CHRONS.get() as u128);
    }
    c = c * u128::from(table.tier(rarity).cost_pct) / 100;
    let chrons = Chrons::new(i64::try_from(c.min(MAX_CHRONS.get() as u128)).unwrap_or(i64::MAX));
    let materials = r
        .materials_base
        .saturating_add(r.materials_per_level.saturating_mul(level));
    Ok(EnhanceQuote {
        level,
        chrons,
        materials,
        chance_pct: chance.min(100),
        downgrade_on_failure: r.downgrade_from.is_some_and(|d| level >= d),
    })
}

/// The result of an enhancement attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnhanceOutcome {
    /// What was paid and risked.
    pub quote: EnhanceQuote,
    /// Whether it succeeded.
    pub success: bool,
    /// The level afterwards.
    pub level_after: u32,
}

/// Enhances a weapon of `rarity` at `level` for a player holding `balance` and `materials`:
/// refuses when they cannot pay, otherwise rolls the chance. The caller debits
/// `quote.chrons` and `quote.materials` either way and stores `level_after`, in one transaction.
pub fn enhance(
    table: &WeaponTable,
    rarity: Rarity,
    level: u32,
    balance: Chrons,
    materials: i64,
    rng: &mut impl Rng,
) -> Result<EnhanceOutcome, WeaponError> {
    let quote = enhance_quote(table, rarity, level)?;
    if balance < quote.chrons {
        return Err(WeaponError::NotEnoughChrons {
            cost: quote.chrons,
            balance,
        });
    }
    if materials < i64::from(quote.materials) {
        return Err(WeaponError::NotEnoughMaterials {
            needed: quote.materials,
            available: materials,
        });
    }
    let success = rng.random_range(0..100u32) < quote.chance_pct;
    let level_after = if success {
        level + 1
    } else if quote.downgrade_on_failure {
        level.saturating_sub(1)
    } else {
        level
    };
    Ok(EnhanceOutcome {
        quote,
        success,
        level_after,
    })
}

/// Materials a scrapped weapon of `rarity` at `level` gives.
pub fn scrap_yield(table: &WeaponTable, rarity: Rarity, level: u32) -> u32 {
    table
        .tier(rarity)
        .scrap
        .saturating_add(table.enhance.scrap_per_level.saturating_mul(level))
}

/// The slot a new gem goes into: the lowest free one. [`WeaponError::NoFreeSlot`] when all
/// `slots` are filled (`used` lists the filled ones).
pub fn free_slot(slots: u32, used: &[u32]) -> Result<u32, WeaponError> {
    (0..slots)
        .find(|s| !used.contains(s))
        .ok_or(WeaponError::NoFreeSlot(slots))
}

/// The weapon `w` with `gem` socketed in its lowest free slot (for the before/after preview
/// and for the storage to know the slot).
pub fn with_gem(w: &WeaponState, gem: GemDrop) -> Result<(u32, WeaponState), WeaponError> {
    let used: Vec<u32> = w.gems.iter().map(|g| g.slot).collect();
    let slot = free_slot(w.base.slots, &used)?;
    let mut after = w.clone();
    after.gems.push(Socketed { slot, gem });
    after.gems.sort_by_key(|g| g.slot);
    Ok((slot, after))
}

/// The fee to take `gem` out of a weapon.
pub fn unsocket_fee(table: &WeaponTable, gem: &GemDrop) -> Chrons {
    table.unsocket_fee[gem.rarity.index()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::test_tables;
    use rand::SeedableRng;

    fn blade(t: &Tables, rarity: Rarity, level: u32) -> WeaponState {
        let drop = make_drop(t.weapons(), "ember_blade", rarity).unwrap();
        WeaponState {
            level,
            ..WeaponState::new(&drop)
        }
    }

    #[test]
    fn base_stats_scale_with_the_tier() {
        let t = test_tables();
        let w = |r| blade(&t, r, 0).base;
        assert_eq!(
            w(Rarity::Common),
            WeaponBase {
                attack: 12,
                crit: 50,
                slots: 1
            }
        );
        assert_eq!(
            w(Rarity::Epic),
            WeaponBase {
                attack: 20,
                crit: 50,
                slots: 2
            }
        );
        assert_eq!(w(Rarity::Celestial).attack, 48);
        assert_eq!(w(Rarity::Celestial).slots, 4);
        assert!(make_drop(t.weapons(), "spoon", Rarity::Common).is_none());
    }

    #[test]
    fn enhance_costs_rise_per_level_and_tier() {
        let t = test_tables();
        let table = t.weapons();
        let q = |r, l| enhance_quote(table, r, l).unwrap();
        // Common: 200, 300, 450, 675 … Chrons; 1, 2, 3 … materials.
        let costs: Vec<i64> = (0..4).map(|l| q(Rarity::Common, l).chrons.get()).collect();
        assert_eq!(costs, [200, 300, 450, 675]);
        assert_eq!(
            (0..4)
                .map(|l| q(Rarity::Common, l).materials)
                .collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        // Legendary costs 3×.
        assert_eq!(q(Rarity::Legendary, 2).chrons.get(), 1_350);
        // Strictly rising cost, falling (or equal) chance, over every level.
        for r in Rarity::ALL {
            for l in 1..table.enhance.max_level() {
                let (a, b) = (q(r, l - 1), q(r, l));
                assert!(b.chrons > a.chrons && b.materials > a.materials);
                assert!(b.chance_pct <= a.chance_pct);
            }
        }
        assert_eq!(q(Rarity::Common, 0).chance_pct, 95);
        assert!(!q(Rarity::Common, 4).downgrade_on_failure);
        assert!(q(Rarity::Common, 5).downgrade_on_failure);
        assert_eq!(
            enhance_quote(table, Rarity::Common, 10),
            Err(WeaponError::MaxLevel(10))
        );
    }

    #[test]
    fn enhance_refuses_what_the_player_cannot_pay() {
        let t = test_tables();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        assert_eq!(
            enhance(
                t.weapons(),
                Rarity::Common,
                0,
                Chrons::new(199),
                5,
                &mut rng
            ),
            Err(WeaponError::NotEnoughChrons {
                cost: Chrons::new(200),
                balance: Chrons::new(199)
            })
        );
        assert_eq!(
            enhance(
                t.weapons(),
                Rarity::Common,
                1,
                Chrons::new(1_000),
                1,
                &mut rng
            ),
            Err(WeaponError::NotEnoughMaterials {
                needed: 2,
                available: 1
            })
        );
    }

    #[test]
    fn enhance_success_rate_matches_the_rules() {
        // 20,000 seeded attempts per level; successes within 5 standard errors of the rule,
        // and a failure keeps the level below `downgrade_from`, drops one from it on.
        let t = test_tables();
        let table = t.weapons();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
        for level in 0..table.enhance.max_level() {
            let n = 20_000;
            let mut wins = 0;
            for _ in 0..n {
                let o = enhance(table, Rarity::Rare, level, MAX_CHRONS, 1_000, &mut rng).unwrap();
                if o.success {
                    wins += 1;
                    assert_eq!(o.level_after, level + 1);
                } else if level >= 5 {
                    assert_eq!(o.level_after, level - 1);
                } else {
                    assert_eq!(o.level_after, level);
                }
            }
            let p = f64::from(table.enhance.success_pct[level as usize]) / 100.0;
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            assert!(
                (f64::from(wins) - n as f64 * p).abs() < 5.0 * sd,
                "level {level}: {wins}/{n} vs {p}"
            );
        }
    }

    #[test]
    fn gems_add_to_their_stat_and_fill_the_lowest_free_slot() {
        let t = test_tables();
        let w = blade(&t, Rarity::Epic, 2);
        let s = stats(&t, &w);
        // 20 base + 2 levels × 10 % = 24.
        assert_eq!((s.attack, s.crit, s.slots, s.used), (24, 50, 2, 0));
        let ruby = GemDrop {
            gem_type: "ruby".into(),
            rarity: Rarity::Rare,
            power: 4,
        };
        let amethyst = GemDrop {
            gem_type: "amethyst".into(),
            rarity: Rarity::Epic,
            power: 18,
        };
        let (slot, w) = with_gem(&w, ruby.clone()).unwrap();
        assert_eq!(slot, 0);
        let (slot, w) = with_gem(&w, amethyst).unwrap();
        assert_eq!(slot, 1);
        let s = stats(&t, &w);
        assert_eq!((s.attack, s.crit, s.used), (28, 68, 2));
        assert_eq!(with_gem(&w, ruby), Err(WeaponError::NoFreeSlot(2)));
        assert_eq!(free_slot(3, &[1]), Ok(0));
        assert_eq!(free_slot(3, &[0, 2]), Ok(1));
    }

    #[test]
    fn scrap_and_unsocket_follow_the_table() {
        let t = test_tables();
        assert_eq!(scrap_yield(t.weapons(), Rarity::Common, 0), 2);
        assert_eq!(scrap_yield(t.weapons(), Rarity::Mythic, 3), 83);
        let g = GemDrop {
            gem_type: "ruby".into(),
            rarity: Rarity::Epic,
            power: 7,
        };
        assert_eq!(unsocket_fee(t.weapons(), &g), Chrons::new(250));
    }

    #[test]
    fn weapons_roll_from_the_pool_or_the_open_types() {
        let t = test_tables();
        let table = t.weapons();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let weights = [(Rarity::Rare, 1), (Rarity::Epic, 1)];
        let pool = vec!["glacier_fang".to_string(), "aurora_scythe".to_string()];
        let (mut fang, mut scythe) = (0, 0);
        for _ in 0..3_000 {
            let open = roll_weapon(table, &weights, &[], &mut rng).unwrap();
            assert!(!table.weapon_type(&open.weapon_type).unwrap().exclusive);
            assert!(matches!(open.rarity, Rarity::Rare | Rarity::Epic));
            let ex = roll_weapon(table, &weights, &pool, &mut rng).unwrap();
            match ex.weapon_type.as_str() {
                "glacier_fang" => fang += 1,
                "aurora_scythe" => scythe += 1,
                other => panic!("{other} is not in the pool"),
            }
        }
        // The scythe weighs 2, the fang 1.
        assert!(
            (1_800..2_200).contains(&scythe) && fang + scythe == 3_000,
            "{scythe}"
        );
    }
}
