//! Items a player owns: loot (creatures, gems, crates), the shop (buy/sell quotes), crate
//! opening and the gem forge.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::economy::{Chrons, MAX_CHRONS};
use crate::hunt::roll_gem;
use crate::tables::{CrateDef, Rarity, Tables, pick_rarity};

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
    /// A creature that comes as a pet (from a crate; see `crate::pets::hatch`).
    Pet(CreatureDrop),
    /// A weapon (see [`crate::weapons`]).
    Weapon(crate::weapons::WeaponDrop),
}

impl Loot {
    /// The tier of the loot (crates have none).
    pub fn rarity(&self) -> Option<Rarity> {
        match self {
            Loot::Creature(c) | Loot::Pet(c) => Some(c.rarity),
            Loot::Gem(g) => Some(g.rarity),
            Loot::Crate { .. } => None,
            Loot::Weapon(w) => Some(w.rarity),
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

/// Opens a crate: `chrons` from its range and `rolls` rolls, each a weapon with probability
/// `weapon_chance` (type from the crate's exclusive pool or the open weapons, tier by
/// `weapon_weights`), else a gem with probability `gem_chance`, otherwise a creature (tier by
/// `creature_weights`). No pity rule (see [`open_crate_with_pity`]).
pub fn open_crate(
    tables: &Tables,
    crate_id: &str,
    rng: &mut impl Rng,
) -> Result<CrateOpening, ShopError> {
    let def = tables
        .crate_def(crate_id)
        .ok_or_else(|| ShopError::UnknownCrate(crate_id.to_owned()))?;
    Ok(roll_crate(tables, def, rng))
}

fn roll_crate(tables: &Tables, def: &CrateDef, rng: &mut impl Rng) -> CrateOpening {
    let chrons = def.chrons.roll(rng);
    let mut loot = Vec::with_capacity(def.rolls as usize);
    for _ in 0..def.rolls {
        if def.weapon_chance > 0.0 && rng.random_bool(def.weapon_chance) {
            if let Some(w) = crate::weapons::roll_weapon(
                tables.weapons(),
                &def.weapon_weights,
                &def.exclusive_weapons,
                rng,
            ) {
                loot.push(Loot::Weapon(w));
            }
        } else if rng.random_bool(def.gem_chance) {
            if let Some(g) = roll_gem(tables, &def.gem_weights, rng) {
                loot.push(Loot::Gem(g));
            }
        } else if let Some(c) = roll_creature(tables, def, rng) {
            loot.push(Loot::Creature(CreatureDrop {
                id: c.id.clone(),
                rarity: c.rarity,
            }));
        }
    }
    CrateOpening {
        crate_id: def.id.clone(),
        chrons: Chrons::new(chrons),
        loot,
    }
}

/// A creature roll of crate `def`: from its exclusive pool (weighted by the creatures'
/// weights) with its `exclusive_creature_chance`, else a tier by `creature_weights` and a
/// non-exclusive creature of that tier. No random draw is made for a crate without a pool.
fn roll_creature<'t>(
    tables: &'t Tables,
    def: &CrateDef,
    rng: &mut impl Rng,
) -> Option<&'t crate::tables::Creature> {
    if !def.exclusive_creatures.is_empty() && rng.random_bool(def.exclusive_creature_chance) {
        let pool: Vec<&crate::tables::Creature> = def
            .exclusive_creatures
            .iter()
            .filter_map(|id| tables.creature(id))
            .collect();
        let weights: Vec<u64> = pool.iter().map(|c| c.weight).collect();
        return crate::tables::pick_weighted(&weights, rng).map(|k| pool[k]);
    }
    pick_rarity(&def.creature_weights, rng).and_then(|r| tables.pick_creature(r, rng))
}

/// The inventory key of crate `id`: every crate is one stack of `user_items` under this key,
/// whatever its source (hunt, shop, event, reward). A shop item of kind crate uses it as its id.
pub fn crate_key(id: &str) -> String {
    format!("{id}_crate")
}

/// The crate id of an inventory key made by [`crate_key`] (`None` for other keys).
pub fn crate_of_key(key: &str) -> Option<&str> {
    key.strip_suffix("_crate").filter(|id| !id.is_empty())
}

/// The most crates one `crate open` opens (a larger count, or `all` beyond it, opens this many).
pub const MAX_OPEN: u32 = 50;

/// A crate opened with bad-luck protection ([`open_crate_with_pity`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PityOpening {
    /// What the crate gave.
    pub opening: CrateOpening,
    /// Whether the pity rule raised a roll (this opening's guarantee).
    pub pity_used: bool,
    /// The player's count of openings in a row without a pity-tier hit, after this one.
    pub misses_after: u32,
}

impl CrateOpening {
    /// The best tier among the loot (`None` when it gave only Chrons).
    pub fn best(&self) -> Option<Rarity> {
        self.loot.iter().filter_map(Loot::rarity).max()
    }
}

/// Opens one crate of kind `def` for a player with `misses` openings of this kind in a row
/// without a hit of the pity tier (stored per player and kind by the caller).
///
/// The pity rule (bad-luck protection): a crate with [`CrateDef::pity`] `{ after: N, rarity:
/// R }` rolls as usual ([`open_crate`]); when nothing of tier R or better came out and this is
/// the N-th opening in a row without one (`misses + 1 >= N`), the first roll is raised to tier
/// R: a gem keeps its type and takes tier R's power, a weapon keeps its type and takes tier R,
/// a creature is replaced by a creature of tier R. Any hit of R or better (natural or raised) resets the count to 0; a miss adds 1.
/// So no player ever opens more than N crates of a kind in a row without tier R. A crate
/// without a pity rule always reports 0 misses.
pub fn open_crate_with_pity(
    tables: &Tables,
    def: &CrateDef,
    misses: u32,
    rng: &mut impl Rng,
) -> PityOpening {
    let mut opening = roll_crate(tables, def, rng);
    let Some(pity) = def.pity else {
        return PityOpening {
            opening,
            pity_used: false,
            misses_after: 0,
        };
    };
    if opening.best().is_some_and(|b| b >= pity.rarity) {
        return PityOpening {
            opening,
            pity_used: false,
            misses_after: 0,
        };
    }
    if misses.saturating_add(1) < pity.after {
        return PityOpening {
            opening,
            pity_used: false,
            misses_after: misses.saturating_add(1),
        };
    }
    let raised = match opening.loot.first() {
        Some(Loot::Gem(g)) => tables.gem(&g.gem_type).map(|t| {
            Loot::Gem(GemDrop {
                gem_type: t.id.clone(),
                rarity: pity.rarity,
                power: t.power[pity.rarity.index()],
            })
        }),
        Some(Loot::Weapon(w)) => {
            crate::weapons::make_drop(tables.weapons(), &w.weapon_type, pity.rarity)
                .map(Loot::Weapon)
        }
        _ => None,
    }
    .or_else(|| {
        tables.pick_creature(pity.rarity, rng).map(|c| {
            Loot::Creature(CreatureDrop {
                id: c.id.clone(),
                rarity: c.rarity,
            })
        })
    });
    let Some(raised) = raised else {
        // No creature of the tier exists (the tables refuse such a pity rule): no guarantee.
        return PityOpening {
            opening,
            pity_used: false,
            misses_after: misses.saturating_add(1),
        };
    };
    if opening.loot.is_empty() {
        opening.loot.push(raised);
    } else {
        opening.loot[0] = raised;
    }
    PityOpening {
        opening,
        pity_used: true,
        misses_after: 0,
    }
}

/// The crates on offer at `now`: the `defaults` kinds (`CRATE_DEFAULTS`, in that order, unknown
/// ids skipped) followed by the event crates whose window contains `now`.
pub fn crates_on_offer<'t>(
    tables: &'t Tables,
    defaults: &[String],
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<&'t CrateDef> {
    let mut out: Vec<&CrateDef> = defaults
        .iter()
        .filter_map(|id| tables.crate_def(id.trim()))
        .collect();
    for c in tables.crates() {
        if c.event.is_some_and(|w| w.contains(now)) && !out.iter().any(|o| o.id == c.id) {
            out.push(c);
        }
    }
    out
}

/// The `CRATE_DEFAULTS` ids that are not crate kinds of `tables` (a start-up check).
pub fn unknown_crate_defaults(tables: &Tables, defaults: &[String]) -> Vec<String> {
    defaults
        .iter()
        .filter(|id| tables.crate_def(id.trim()).is_none())
        .cloned()
        .collect()
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

/// Picks the gems for `count` forges of `rarity` gems (each forge takes `rules.inputs` gems of
/// one type): from the types with the most free gems of that tier first, the oldest gems
/// (lowest ids) first. `gems` are the player's free gems as `(id, gem)`. Returns the groups of
/// ids, or how many forges are possible at most when fewer than `count` are.
pub fn plan_forge(
    gems: &[(i64, GemDrop)],
    rarity: Rarity,
    count: u32,
    rules: &ForgeRules,
) -> Result<Vec<Vec<i64>>, u32> {
    let inputs = rules.inputs.max(1) as usize;
    let mut by_type: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
    for (id, g) in gems.iter().filter(|(_, g)| g.rarity == rarity) {
        by_type.entry(g.gem_type.as_str()).or_default().push(*id);
    }
    let mut types: Vec<Vec<i64>> = by_type.into_values().collect();
    for ids in &mut types {
        ids.sort_unstable();
    }
    // Most gems first; equal counts by their oldest gem.
    types.sort_by_key(|ids| (std::cmp::Reverse(ids.len()), ids.first().copied()));
    let possible: usize = types.iter().map(|ids| ids.len() / inputs).sum();
    if possible < count as usize || count == 0 {
        return Err(u32::try_from(possible).unwrap_or(u32::MAX));
    }
    let mut out = Vec::with_capacity(count as usize);
    for ids in types {
        for chunk in ids.chunks_exact(inputs) {
            if out.len() == count as usize {
                return Ok(out);
            }
            out.push(chunk.to_vec());
        }
    }
    Ok(out)
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

    #[test]
    fn crate_keys_round_trip() {
        assert_eq!(crate_key("basic"), "basic_crate");
        assert_eq!(crate_of_key("basic_crate"), Some("basic"));
        assert_eq!(crate_of_key("_crate"), None);
        assert_eq!(crate_of_key("golden_net"), None);
        let t = test_tables();
        // The shop sells crates under their inventory key.
        for i in t.items().iter().filter(|i| i.crate_id.is_some()) {
            assert_eq!(
                Some(i.id.as_str()),
                i.crate_id.as_deref().map(crate_key).as_deref()
            );
        }
    }

    #[test]
    fn pity_guarantees_the_tier_within_after_openings() {
        // Over 20,000 seeded openings per kind: never more than `after` openings in a row
        // without the pity tier, the count follows the rule, and a raised opening has a hit.
        let t = test_tables();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(21);
        for def in t.crates() {
            let pity = def.pity.expect("every shipped crate has a pity rule");
            let (mut misses, mut longest, mut raised) = (0u32, 0u32, 0u32);
            for _ in 0..20_000 {
                let o = open_crate_with_pity(&t, def, misses, &mut rng);
                let hit = o.opening.best().is_some_and(|b| b >= pity.rarity);
                if o.pity_used {
                    raised += 1;
                    assert!(hit, "{}: a raised opening hits", def.id);
                    assert_eq!(
                        misses + 1,
                        pity.after,
                        "{}: raised only at the N-th",
                        def.id
                    );
                }
                let expected = if hit { 0 } else { misses + 1 };
                assert_eq!(o.misses_after, expected, "{}", def.id);
                assert_eq!(o.opening.loot.len(), def.rolls as usize, "{}", def.id);
                misses = o.misses_after;
                longest = longest.max(misses);
            }
            assert!(
                longest < pity.after,
                "{}: {longest} misses in a row",
                def.id
            );
            assert!(raised > 0, "{}: the pity never had to help", def.id);
        }
    }

    #[test]
    fn pity_does_not_change_a_lucky_or_early_opening() {
        let t = test_tables();
        let def = t.crate_def("basic").unwrap();
        // Same seed: with 0 misses the opening is exactly `open_crate`'s.
        let a = open_crate_with_pity(&t, def, 0, &mut rand_chacha::ChaCha8Rng::seed_from_u64(5));
        let b = open_crate(&t, "basic", &mut rand_chacha::ChaCha8Rng::seed_from_u64(5)).unwrap();
        assert_eq!(a.opening, b);
        assert!(!a.pity_used);
        // At `after - 1` misses every opening hits the tier.
        let pity = def.pity.unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(6);
        for _ in 0..500 {
            let o = open_crate_with_pity(&t, def, pity.after - 1, &mut rng);
            assert!(o.opening.best() >= Some(pity.rarity));
            assert_eq!(o.misses_after, 0);
        }
    }

    #[test]
    fn crates_on_offer_follow_the_defaults_and_event_windows() {
        let t = test_tables();
        let defaults: Vec<String> = ["mythic", "basic", "nope"].map(String::from).to_vec();
        let ids = |now: &str| -> Vec<String> {
            let now = chrono::DateTime::parse_from_rfc3339(now).unwrap().to_utc();
            crates_on_offer(&t, &defaults, now)
                .iter()
                .map(|c| c.id.clone())
                .collect()
        };
        assert_eq!(ids("2026-11-30T23:59:59Z"), ["mythic", "basic"]);
        assert_eq!(
            ids("2026-12-01T00:00:00Z"),
            ["mythic", "basic", "frostfall"]
        );
        assert_eq!(ids("2027-01-07T00:00:00Z"), ["mythic", "basic"]);
        assert_eq!(unknown_crate_defaults(&t, &defaults), ["nope"]);
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
    fn forge_plans_take_full_groups_of_one_type() {
        let rules = ForgeRules::default();
        let gem = |t: &str, r| GemDrop {
            gem_type: t.into(),
            rarity: r,
            power: 1,
        };
        let gems = vec![
            (1, gem("ruby", Rarity::Rare)),
            (2, gem("topaz", Rarity::Rare)),
            (3, gem("ruby", Rarity::Rare)),
            (4, gem("topaz", Rarity::Rare)),
            (5, gem("ruby", Rarity::Rare)),
            (6, gem("ruby", Rarity::Rare)),
            (7, gem("topaz", Rarity::Rare)),
            (8, gem("ruby", Rarity::Epic)),
            (9, gem("ruby", Rarity::Rare)),
            (10, gem("ruby", Rarity::Rare)),
        ];
        assert_eq!(
            plan_forge(&gems, Rarity::Rare, 1, &rules),
            Ok(vec![vec![1, 3, 5]])
        );
        assert_eq!(
            plan_forge(&gems, Rarity::Rare, 3, &rules),
            Ok(vec![vec![1, 3, 5], vec![6, 9, 10], vec![2, 4, 7]])
        );
        assert_eq!(plan_forge(&gems, Rarity::Rare, 4, &rules), Err(3));
        assert_eq!(plan_forge(&gems, Rarity::Epic, 1, &rules), Err(0));
        assert_eq!(plan_forge(&gems, Rarity::Rare, 0, &rules), Err(3));
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
