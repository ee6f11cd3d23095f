//! Items a player owns: loot (creatures, gems, crates), the shop (buy/sell quotes), crate
//! opening and the gem forge.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::economy::{Chrons, MAX_CHRONS};
use crate::hunt::roll_gem;
use crate::tables::{Rarity, Tables, pick_rarity};

/// A creature found (becomes a pet if kept).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatureDrop {
    /// Creature id from `creatures.yaml`.
    pub id: String,
    /// Its tier.
    pub rarity: Rarity,
}

/// A gem found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GemDrop {
    /// Gem type id from `gems.yaml`.
    pub gem_type: String,
    /// Its tier.
    pub rarity: Rarity,
    /// Its power (from the gem type's table for this tier).
    pub power: u32,
}

/// One piece of loot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Loot {
    /// A creature.
    Creature(CreatureDrop),
    /// A gem.
    Gem(GemDrop),
    /// An unopened crate (crate id from `crates.yaml`).
    Crate {
        /// Crate id.
        id: String,
    },
}

impl Loot {
    /// The tier of the loot (crates have none).
    pub fn rarity(&self) -> Option<Rarity> {
        match self {
            Loot::Creature(c) => Some(c.rarity),
            Loot::Gem(g) => Some(g.rarity),
            Loot::Crate { .. } => None,
        }
    }
}

/// A shop operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShopError {
    /// No such item.
    #[error("there is no item called `{0}`")]
    UnknownItem(String),
    /// The item has no buy price.
    #[error("{0} is not sold in the shop")]
    NotForSale(String),
    /// The item has no sell price.
    #[error("{0} can't be sold")]
    CannotSell(String),
    /// Quantity 0 or absurd.
    #[error("the quantity must be between 1 and {max}")]
    BadQuantity {
        /// The largest quantity accepted.
        max: u32,
    },
    /// The total exceeds [`MAX_CHRONS`].
    #[error("that order is too large")]
    TooExpensive,
    /// Not a crate.
    #[error("there is no crate called `{0}`")]
    UnknownCrate(String),
}

/// The largest quantity in one shop operation.
pub const MAX_QUANTITY: u32 = 10_000;

/// A priced shop operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Item id.
    pub item: String,
    /// Quantity.
    pub quantity: u32,
    /// Price of one.
    pub unit_price: Chrons,
    /// `unit_price × quantity`.
    pub total: Chrons,
}

fn quote(item: &str, unit: Chrons, quantity: u32) -> Result<Quote, ShopError> {
    if quantity == 0 || quantity > MAX_QUANTITY {
        return Err(ShopError::BadQuantity { max: MAX_QUANTITY });
    }
    let total = unit
        .checked_mul(i64::from(quantity))
        .filter(|t| *t <= MAX_CHRONS);
    let total = total.ok_or(ShopError::TooExpensive)?;
    Ok(Quote {
        item: item.to_owned(),
        quantity,
        unit_price: unit,
        total,
    })
}

/// Price of buying `quantity` of an item. The caller debits `total` in the same transaction
/// that grants the items.
pub fn quote_buy(tables: &Tables, item_id: &str, quantity: u32) -> Result<Quote, ShopError> {
    let item = tables
        .item(item_id)
        .ok_or_else(|| ShopError::UnknownItem(item_id.to_owned()))?;
    let unit = item
        .buy
        .ok_or_else(|| ShopError::NotForSale(item.name.clone()))?;
    quote(&item.id, Chrons::new(unit), quantity)
}

/// What the shop pays for `quantity` of an item.
pub fn quote_sell(tables: &Tables, item_id: &str, quantity: u32) -> Result<Quote, ShopError> {
    let item = tables
        .item(item_id)
        .ok_or_else(|| ShopError::UnknownItem(item_id.to_owned()))?;
    let unit = item
        .sell
        .ok_or_else(|| ShopError::CannotSell(item.name.clone()))?;
    quote(&item.id, Chrons::new(unit), quantity)
}

/// What the shop pays for a creature of the given tier (`sell_value` in `hunt.yaml`).
pub fn creature_sell_price(tables: &Tables, rarity: Rarity) -> Chrons {
    Chrons::new(tables.rarity(rarity).sell_value)
}

/// What opening a crate produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateOpening {
    /// The crate id.
    pub crate_id: String,
    /// Chrons found.
    pub chrons: Chrons,
    /// One item per roll.
    pub loot: Vec<Loot>,
}

/// Opens a crate: `chrons` from its range and `rolls` rolls, each a gem with probability
/// `gem_chance`, otherwise a creature (tier by `creature_weights`).
pub fn open_crate(
    tables: &Tables,
    crate_id: &str,
    rng: &mut impl Rng,
) -> Result<CrateOpening, ShopError> {
    let def = tables
        .crate_def(crate_id)
        .ok_or_else(|| ShopError::UnknownCrate(crate_id.to_owned()))?;
    let chrons = def.chrons.roll(rng);
    let mut loot = Vec::with_capacity(def.rolls as usize);
    for _ in 0..def.rolls {
        if rng.random_bool(def.gem_chance) {
            if let Some(g) = roll_gem(tables, &def.gem_weights, rng) {
                loot.push(Loot::Gem(g));
            }
        } else if let Some(c) =
            pick_rarity(&def.creature_weights, rng).and_then(|r| tables.pick_creature(r, rng))
        {
            loot.push(Loot::Creature(CreatureDrop {
                id: c.id.clone(),
                rarity: c.rarity,
            }));
        }
    }
    Ok(CrateOpening {
        crate_id: def.id.clone(),
        chrons: Chrons::new(chrons),
        loot,
    })
}

/// Rules of the gem forge (spec §IX): combine `inputs` gems of the same type and tier into one
/// gem of the next tier, with a success chance and a Chrons cost that depend on the tier.
/// Arrays are indexed by the tier of the **input** gems (0 = Common → Rare, …,
/// 4 = Mythic → Celestial); Celestial gems cannot be forged further.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForgeRules {
    /// Gems consumed by one forge.
    pub inputs: u32,
    /// Success chance in percent, per input tier.
    pub success_pct: [u32; 5],
    /// Chrons cost, per input tier.
    pub cost: [Chrons; 5],
    /// Gems given back when the forge fails (the rest is lost).
    pub refund_on_failure: u32,
}

impl Default for ForgeRules {
    /// 3 gems → 1; success 90/75/55/35/20 %; cost 200/800/3,000/12,000/50,000 💠; one gem back
    /// on failure.
    fn default() -> Self {
        ForgeRules {
            inputs: 3,
            success_pct: [90, 75, 55, 35, 20],
            cost: [200, 800, 3_000, 12_000, 50_000].map(Chrons::new),
            refund_on_failure: 1,
        }
    }
}

/// A forge was refused before rolling.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForgeError {
    /// Not the number of gems the forge takes.
    #[error("the forge takes exactly {needed} gems, got {got}")]
    WrongCount {
        /// [`ForgeRules::inputs`].
        needed: u32,
        /// Gems given.
        got: usize,
    },
    /// The gems differ in type or tier.
    #[error("all gems must be of the same type and rarity")]
    Mixed,
    /// Celestial gems are the top tier.
    #[error("{0} gems are already the highest rarity")]
    AlreadyMax(Rarity),
    /// A gem type that is not in the tables.
    #[error("there is no gem called `{0}`")]
    UnknownGem(String),
    /// The player cannot pay.
    #[error("forging costs {cost} Chrons, you have {balance}")]
    NotEnoughChrons {
        /// Cost of the forge.
        cost: Chrons,
        /// The player's balance.
        balance: Chrons,
    },
}

/// The result of a forge. The caller removes `gems_consumed` of the input gems, debits `cost`
/// and adds `forged` in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgeOutcome {
    /// Chrons spent.
    pub cost: Chrons,
    /// Whether the forge succeeded.
    pub success: bool,
    /// The new gem (on success).
    pub forged: Option<GemDrop>,
    /// How many of the input gems are used up (all on success, all but the refund on failure).
    pub gems_consumed: u32,
    /// The success chance that was rolled against, in percent.
    pub chance_pct: u32,
}

/// The next tier up (`None` for Celestial).
pub fn next_rarity(r: Rarity) -> Option<Rarity> {
    Rarity::ALL.get(r.index() + 1).copied()
}

/// Forges `gems` (all the same type and tier, exactly `rules.inputs` of them).
pub fn forge(
    gems: &[GemDrop],
    balance: Chrons,
    rules: &ForgeRules,
    tables: &Tables,
    rng: &mut impl Rng,
) -> Result<ForgeOutcome, ForgeError> {
    if gems.len() != rules.inputs as usize || gems.is_empty() {
        return Err(ForgeError::WrongCount {
            needed: rules.inputs,
            got: gems.len(),
        });
    }
    let first = &gems[0];
    if gems
        .iter()
        .any(|g| g.gem_type != first.gem_type || g.rarity != first.rarity)
    {
        return Err(ForgeError::Mixed);
    }
    let gem = tables
        .gem(&first.gem_type)
        .ok_or_else(|| ForgeError::UnknownGem(first.gem_type.clone()))?;
    let target = next_rarity(first.rarity).ok_or(ForgeError::AlreadyMax(first.rarity))?;
    let tier = first.rarity.index();
    let cost = rules.cost[tier].clamp(Chrons::ZERO, MAX_CHRONS);
    if balance < cost {
        return Err(ForgeError::NotEnoughChrons { cost, balance });
    }
    let chance_pct = rules.success_pct[tier].min(100);
    let success = rng.random_range(0..100u32) < chance_pct;
    Ok(ForgeOutcome {
        cost,
        success,
        forged: success.then(|| GemDrop {
            gem_type: gem.id.clone(),
            rarity: target,
            power: gem.power[target.index()],
        }),
        gems_consumed: if success {
            rules.inputs
        } else {
            rules.inputs.saturating_sub(rules.refund_on_failure)
        },
        chance_pct,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::test_tables;
    use rand::SeedableRng;

    #[test]
    fn shop_quotes() {
        let t = test_tables();
        let q = quote_buy(&t, "hunting_lure", 3).unwrap();
        assert_eq!((q.unit_price.get(), q.total.get()), (400, 1_200));
        assert_eq!(
            quote_sell(&t, "hunting_lure", 3).unwrap().total,
            Chrons::new(300)
        );
        assert_eq!(
            quote_buy(&t, "mythic_crate", 1),
            Err(ShopError::NotForSale("Mythic Crate".into()))
        );
        assert_eq!(
            quote_buy(&t, "nope", 1),
            Err(ShopError::UnknownItem("nope".into()))
        );
        assert_eq!(
            quote_buy(&t, "pet_treat", 0),
            Err(ShopError::BadQuantity { max: MAX_QUANTITY })
        );
        assert_eq!(
            quote_buy(&t, "golden_hourglass", MAX_QUANTITY)
                .unwrap()
                .total,
            Chrons::new(10_000_000_000)
        );
        assert_eq!(
            creature_sell_price(&t, Rarity::Celestial),
            Chrons::new(10_000)
        );
    }

    #[test]
    fn crate_opening() {
        let t = test_tables();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let o = open_crate(&t, "advanced", &mut rng).unwrap();
        assert_eq!(o.loot.len(), 3);
        assert!((200..=500).contains(&o.chrons.get()));
        // Advanced crates never contain common creatures or gems.
        for _ in 0..500 {
            let o = open_crate(&t, "advanced", &mut rng).unwrap();
            assert!(o.loot.iter().all(|l| l.rarity() >= Some(Rarity::Rare)));
        }
        assert_eq!(
            open_crate(&t, "golden", &mut rng),
            Err(ShopError::UnknownCrate("golden".into()))
        );
    }

    fn ruby(rarity: Rarity) -> GemDrop {
        GemDrop {
            gem_type: "ruby".into(),
            rarity,
            power: 0,
        }
    }

    #[test]
    fn forge_rules() {
        let t = test_tables();
        let rules = ForgeRules::default();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        let three = vec![ruby(Rarity::Epic); 3];
        let ok = forge(&three, Chrons::new(3_000), &rules, &t, &mut rng).unwrap();
        assert_eq!((ok.cost.get(), ok.chance_pct), (3_000, 55));
        if ok.success {
            let g = ok.forged.clone().unwrap();
            assert_eq!(
                (g.rarity, g.power, ok.gems_consumed),
                (Rarity::Legendary, 12, 3)
            );
        } else {
            assert_eq!((ok.forged, ok.gems_consumed), (None, 2));
        }
        assert_eq!(
            forge(&three[..2], Chrons::new(10_000), &rules, &t, &mut rng),
            Err(ForgeError::WrongCount { needed: 3, got: 2 })
        );
        let mixed = vec![ruby(Rarity::Epic), ruby(Rarity::Epic), ruby(Rarity::Rare)];
        assert_eq!(
            forge(&mixed, Chrons::new(10_000), &rules, &t, &mut rng),
            Err(ForgeError::Mixed)
        );
        let top = vec![ruby(Rarity::Celestial); 3];
        assert_eq!(
            forge(&top, Chrons::new(10_000), &rules, &t, &mut rng),
            Err(ForgeError::AlreadyMax(Rarity::Celestial))
        );
        assert_eq!(
            forge(&three, Chrons::new(2_999), &rules, &t, &mut rng),
            Err(ForgeError::NotEnoughChrons {
                cost: Chrons::new(3_000),
                balance: Chrons::new(2_999)
            })
        );
        let fake = vec![
            GemDrop {
                gem_type: "glass".into(),
                rarity: Rarity::Common,
                power: 1
            };
            3
        ];
        assert_eq!(
            forge(&fake, Chrons::new(10_000), &rules, &t, &mut rng),
            Err(ForgeError::UnknownGem("glass".into()))
        );
    }

    #[test]
    fn forge_success_rate_matches_the_rules() {
        // 20,000 forges per tier; success count within 5 standard errors of the configured rate.
        let t = test_tables();
        let rules = ForgeRules::default();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
        for r in &Rarity::ALL[..5] {
            let gems = vec![ruby(*r); 3];
            let n = 20_000;
            let wins = (0..n)
                .filter(|_| {
                    forge(&gems, MAX_CHRONS, &rules, &t, &mut rng)
                        .unwrap()
                        .success
                })
                .count();
            let p = f64::from(rules.success_pct[r.index()]) / 100.0;
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            assert!(
                (wins as f64 - n as f64 * p).abs() < 5.0 * sd,
                "{r}: {wins}/{n} vs {p}"
            );
        }
    }
}
