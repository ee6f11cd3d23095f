//! Items a player owns: loot (creatures, gems, crates), the shop (buy/sell quotes) and crate
//! opening.

use rand::Rng;

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
    quote(&item.id, unit, quantity)
}

/// What the shop pays for `quantity` of an item.
pub fn quote_sell(tables: &Tables, item_id: &str, quantity: u32) -> Result<Quote, ShopError> {
    let item = tables
        .item(item_id)
        .ok_or_else(|| ShopError::UnknownItem(item_id.to_owned()))?;
    let unit = item
        .sell
        .ok_or_else(|| ShopError::CannotSell(item.name.clone()))?;
    quote(&item.id, unit, quantity)
}

/// What the shop pays for a creature of the given tier (`sell_value` in `hunt.yaml`).
pub fn creature_sell_price(tables: &Tables, rarity: Rarity) -> Chrons {
    tables.rarity(rarity).sell_value
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
        chrons,
        loot,
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
        assert_eq!((q.unit_price, q.total), (400, 1_200));
        assert_eq!(quote_sell(&t, "hunting_lure", 3).unwrap().total, 300);
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
            10_000_000_000
        );
        assert_eq!(creature_sell_price(&t, Rarity::Celestial), 10_000);
    }

    #[test]
    fn crate_opening() {
        let t = test_tables();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let o = open_crate(&t, "advanced", &mut rng).unwrap();
        assert_eq!(o.loot.len(), 3);
        assert!((200..=500).contains(&o.chrons));
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
}
