//! Data-driven game tables: rarities, creatures (pets), gems, crates, shop items and weapons.
//!
//! The tables live as YAML files in `assets/tables/` ([`FILE_NAMES`]). The caller reads them and
//! hands their text to [`Tables::from_yaml_strs`], which parses **and validates** them: every
//! problem found (not only the first) is reported as a [`TableProblem`] naming the file and the key.
//! [`TableSources::validate`] returns the same list without building anything, for a `check`
//! sub-command or a start-up report.
//!
//! After validation a [`Tables`] value is internally consistent: every weight is positive, every
//! pool non-empty, every reference resolves, every probability lies in `[0, 1]`, so the rolling
//! code in [`crate::hunt`], [`crate::autohunt`] and [`crate::items`] never has to re-check.

mod raw;

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// The table files, in the order of the fields of [`TableSources`].
pub const FILE_NAMES: [&str; 6] = [
    "hunt.yaml",
    "creatures.yaml",
    "gems.yaml",
    "crates.yaml",
    "items.yaml",
    "weapons.yaml",
];

/// The six rarity tiers, from the most common to the rarest. The order is meaningful (`Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rarity {
    /// The everyday tier.
    Common,
    /// Uncommon finds.
    Rare,
    /// Noticeably strong.
    Epic,
    /// A few per week for an active player.
    Legendary,
    /// A handful per month.
    Mythic,
    /// The rarest tier.
    Celestial,
}

impl Rarity {
    /// All tiers, most common first.
    pub const ALL: [Rarity; 6] = [
        Rarity::Common,
        Rarity::Rare,
        Rarity::Epic,
        Rarity::Legendary,
        Rarity::Mythic,
        Rarity::Celestial,
    ];

    /// Position in [`Rarity::ALL`] (0 = Common).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name as written in the YAML files and stored in the database (`"epic"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Rarity::Common => "common",
            Rarity::Rare => "rare",
            Rarity::Epic => "epic",
            Rarity::Legendary => "legendary",
            Rarity::Mythic => "mythic",
            Rarity::Celestial => "celestial",
        }
    }

    /// Display name (`"Epic"`).
    pub fn label(self) -> &'static str {
        match self {
            Rarity::Common => "Common",
            Rarity::Rare => "Rare",
            Rarity::Epic => "Epic",
            Rarity::Legendary => "Legendary",
            Rarity::Mythic => "Mythic",
            Rarity::Celestial => "Celestial",
        }
    }

    /// Parses a tier name, case-insensitively (`"Mythic"`, `"mythic"`).
    pub fn from_name(name: &str) -> Option<Rarity> {
        Rarity::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// The embed colour of the tier (RGB): grey, blue, purple, gold, red, deep indigo.
    pub fn colour(self) -> u32 {
        match self {
            Rarity::Common => 0x95A5A6,
            Rarity::Rare => 0x3498DB,
            Rarity::Epic => 0x9B59B6,
            Rarity::Legendary => 0xF1C40F,
            Rarity::Mythic => 0xE74C3C,
            Rarity::Celestial => 0x2C2C8F,
        }
    }

    /// Emoji used when no [`Tables`] are at hand. The tables' own emoji
    /// ([`Tables::rarity_emoji`]) take precedence; the shipped `hunt.yaml` uses these same ones.
    pub fn default_emoji(self) -> &'static str {
        match self {
            Rarity::Common => "⚪",
            Rarity::Rare => "🔵",
            Rarity::Epic => "🟣",
            Rarity::Legendary => "🟡",
            Rarity::Mythic => "🔴",
            Rarity::Celestial => "🌌",
        }
    }
}

impl fmt::Display for Rarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An inclusive integer range `min..=max` (validated `min <= max`, both `>= 0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Smallest value (inclusive).
    pub min: i64,
    /// Largest value (inclusive).
    pub max: i64,
}

impl Range {
    /// A uniformly random value in the range.
    pub fn roll(&self, rng: &mut impl Rng) -> i64 {
        if self.max <= self.min {
            self.min
        } else {
            rng.random_range(self.min..=self.max)
        }
    }
}

/// A rarity tier's settings from `hunt.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct RarityInfo {
    /// The tier.
    pub rarity: Rarity,
    /// Emoji shown next to anything of this tier.
    pub emoji: String,
    /// Relative weight of this tier when a hunt finds a creature.
    pub weight: u64,
    /// Autohunt essence granted when a creature of this tier is found.
    pub essence: i64,
    /// Chrons paid when a creature of this tier is sold.
    pub sell_value: i64,
}

/// The manual-hunt settings from `hunt.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct HuntTable {
    /// XP per hunt.
    pub xp: Range,
    /// Chrons per hunt.
    pub chrons: Range,
    /// Chance that a hunt finds a creature at all.
    pub creature_chance: f64,
    /// Chance that a hunt also finds a gem.
    pub gem_chance: f64,
    /// Rarity weights of a gem found while hunting.
    pub gem_rarity_weights: Vec<(Rarity, u64)>,
    /// Chance that a hunt also finds a crate.
    pub crate_chance: f64,
    /// Which crate is found (crate id, weight), in file order.
    pub crate_weights: Vec<(String, u64)>,
}

/// Base battle stats of a creature (pet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Hit points.
    pub hp: u32,
    /// Attack power.
    pub attack: u32,
    /// Damage reduction.
    pub defense: u32,
    /// Turn order.
    pub speed: u32,
}

/// The elements a creature may have (spec feature 11).
pub const ELEMENTS: [&str; 8] = [
    "fire",
    "ice",
    "shadow",
    "nature",
    "storm",
    "light",
    "arcane",
    "lightning",
];

/// A creature that hunts find and that becomes a pet, from `creatures.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Creature {
    /// Stable id (stored as `pets.pet_type`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Emoji icon.
    pub emoji: String,
    /// Rarity tier.
    pub rarity: Rarity,
    /// One of [`ELEMENTS`].
    pub element: String,
    /// Relative weight inside its tier (default 1).
    pub weight: u64,
    /// Base stats at level 1.
    pub stats: Stats,
    /// Only obtainable from the event crates that list it (`exclusive_creatures`): hunts,
    /// other crates and the pity rule never draw it.
    pub exclusive: bool,
}

/// The stat a gem boosts when socketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GemStat {
    /// Adds to attack.
    Attack,
    /// Adds to defense.
    Defense,
    /// Adds to hit points.
    Hp,
    /// Adds to speed.
    Speed,
    /// Adds critical-hit chance, in tenths of a percent.
    Crit,
}

/// A kind of gem, from `gems.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct GemType {
    /// Stable id (stored as `gems.gem_type`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Emoji icon.
    pub emoji: String,
    /// The stat it boosts.
    pub stat: GemStat,
    /// Relative weight when a gem type is drawn (default 1).
    pub weight: u64,
    /// Power per rarity, indexed by [`Rarity::index`]; strictly positive.
    pub power: [u32; 6],
}

/// A crate (lootbox) kind, from `crates.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateDef {
    /// Stable id (stored as `crates.crate_type`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Emoji icon.
    pub emoji: String,
    /// Number of loot rolls when opened.
    pub rolls: u32,
    /// Chance that a roll yields a gem instead of a creature.
    pub gem_chance: f64,
    /// Rarity weights for creatures from this crate (tiers absent from the file are impossible).
    pub creature_weights: Vec<(Rarity, u64)>,
    /// Rarity weights for gems from this crate.
    pub gem_weights: Vec<(Rarity, u64)>,
    /// Chrons found in the crate on top of the rolls.
    pub chrons: Range,
    /// Chance that a roll yields a weapon (drawn before the gem/creature draw, which happens
    /// only when it yields none; 0 = never, and no random draw is made for it).
    pub weapon_chance: f64,
    /// Rarity weights for weapons from this crate.
    pub weapon_weights: Vec<(Rarity, u64)>,
    /// The exclusive weapons (ids of `weapons.yaml` marked `exclusive`) this event crate drops:
    /// its weapons come only from this pool. Empty: the non-exclusive weapons.
    pub exclusive_weapons: Vec<String>,
    /// The exclusive creatures (ids of `creatures.yaml` marked `exclusive`) of this event
    /// crate: a creature roll comes from this pool (by creature weight) with probability
    /// [`CrateDef::exclusive_creature_chance`], else as usual.
    pub exclusive_creatures: Vec<String>,
    /// See [`CrateDef::exclusive_creatures`] (0 without a pool).
    pub exclusive_creature_chance: f64,
    /// Bad-luck protection (see [`crate::items::open_crate_with_pity`]).
    pub pity: Option<Pity>,
    /// For an event crate: when it is on offer (outside the window it is not listed among the
    /// crates on offer; crates already owned still open).
    pub event: Option<EventWindow>,
}

impl CrateDef {
    /// The inventory key of this crate: every crate, whatever its source (hunt, shop, event,
    /// reward), is a stack of `user_items` under this key (see [`crate::items::crate_key`]).
    pub fn item_key(&self) -> String {
        crate::items::crate_key(&self.id)
    }
}

/// A crate's bad-luck protection: after `after - 1` openings in a row without anything of
/// `rarity` or better, the next opening guarantees one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pity {
    /// Openings in a row that end with a guaranteed hit (the `after`-th opening).
    pub after: u32,
    /// The tier the pity guarantees (at least).
    pub rarity: Rarity,
}

/// When an event crate is on offer: `start <= now < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventWindow {
    /// First instant on offer.
    pub start: chrono::DateTime<chrono::Utc>,
    /// First instant no longer on offer.
    pub end: chrono::DateTime<chrono::Utc>,
}

impl EventWindow {
    /// Whether `now` is inside the window.
    pub fn contains(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.start <= now && now < self.end
    }
}

/// What a shop item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Used up for an effect (see [`ItemEffect`]).
    Consumable,
    /// A crate to open (see [`ShopItem::crate_id`]).
    Crate,
    /// Pet food.
    Food,
    /// Crafting material.
    Material,
    /// No effect; for show.
    Collectible,
}

/// The effect of a consumable on the next hunts (mirrors [`crate::hunt::HuntModifiers`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ItemEffect {
    /// Extra XP in percent.
    pub xp_bonus_pct: u32,
    /// Extra Chrons in percent.
    pub chrons_bonus_pct: u32,
    /// Luck in percent (see [`crate::hunt::HuntModifiers::luck_pct`]).
    pub luck_pct: u32,
    /// Extra gem/crate drop chance in percent.
    pub drop_bonus_pct: u32,
    /// How many hunts the effect lasts.
    pub hunts: u32,
    /// Pet stamina restored (food).
    pub stamina: u32,
    /// Battle potions: HP restored, in percent of the max HP (`Use Item` in a battle).
    pub heal_pct: u32,
}

/// An item of the shop, from `items.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopItem {
    /// Stable id (stored as `user_items.item_type`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Emoji icon.
    pub emoji: String,
    /// What it is.
    pub kind: ItemKind,
    /// One-line description for the shop.
    pub description: String,
    /// Shop price; `None` = not sold in the shop.
    pub buy: Option<i64>,
    /// Price the shop pays back; `None` = cannot be sold. Never above `buy`.
    pub sell: Option<i64>,
    /// For [`ItemKind::Crate`]: the crate id it opens as.
    pub crate_id: Option<String>,
    /// For consumables and food: the effect.
    pub effect: Option<ItemEffect>,
}

/// The text of every table file, as read by the caller.
#[derive(Debug, Clone, Copy)]
pub struct TableSources<'a> {
    /// `hunt.yaml`: rarities and the manual-hunt settings.
    pub hunt: &'a str,
    /// `creatures.yaml`: creatures / pets.
    pub creatures: &'a str,
    /// `gems.yaml`: gem types.
    pub gems: &'a str,
    /// `crates.yaml`: crate kinds.
    pub crates: &'a str,
    /// `items.yaml`: the shop.
    pub items: &'a str,
    /// `weapons.yaml`: weapon types, tiers, enhancement rules.
    pub weapons: &'a str,
}

impl TableSources<'_> {
    /// Parses and validates every file; returns **all** problems found (empty = valid).
    pub fn validate(&self) -> Vec<TableProblem> {
        match raw::parse_and_build(self) {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        }
    }
}

/// The category of a [`TableProblem`], for programs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The YAML does not parse or has wrong/unknown keys.
    Parse,
    /// A rarity name that is not one of the six tiers.
    UnknownRarity,
    /// A weight that is zero or negative.
    NonPositiveWeight,
    /// A pool that could be drawn from but contains nothing.
    EmptyPool,
    /// Two entries with the same id (or a tier listed twice).
    DuplicateId,
    /// A range whose `min` is greater than its `max`.
    MinAboveMax,
    /// A probability outside `[0, 1]` (or not a number).
    ProbabilityOutOfRange,
    /// A reference to a crate or other id that does not exist.
    UnknownReference,
    /// Any other invalid value (negative price, sell above buy, empty name, missing tier...).
    InvalidValue,
}

/// One problem found in the tables: the file, the key inside it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    /// File name (`"creatures.yaml"`).
    pub file: &'static str,
    /// Path of the key inside the file (`"creatures[ember_fox].rarity"`).
    pub key: String,
    /// The category.
    pub kind: ProblemKind,
    /// Human-readable explanation.
    pub message: String,
}

impl fmt::Display for TableProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.key, self.message)
    }
}

/// The tables could not be loaded: every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid game tables ({} problem(s)):\n{}", .0.len(), render_problems(.0))]
pub struct TablesError(pub Vec<TableProblem>);

fn render_problems(problems: &[TableProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// All game tables, parsed and validated. Build with [`Tables::from_yaml_strs`].
#[derive(Debug, Clone)]
pub struct Tables {
    pub(crate) rarities: [RarityInfo; 6],
    pub(crate) hunt: HuntTable,
    pub(crate) creatures: Vec<Creature>,
    /// Indices into `creatures`, per tier.
    pub(crate) creatures_by_rarity: [Vec<usize>; 6],
    /// Weights of `creatures_by_rarity`, same order.
    pub(crate) creature_weights_by_rarity: [Vec<u64>; 6],
    /// Weights of `gems`, same order.
    pub(crate) gem_weights: Vec<u64>,
    pub(crate) gems: Vec<GemType>,
    pub(crate) crates: Vec<CrateDef>,
    pub(crate) items: Vec<ShopItem>,
    pub(crate) weapons: crate::weapons::WeaponTable,
}

impl Tables {
    /// Parses and validates the six files. On failure returns every problem found.
    pub fn from_yaml_strs(sources: &TableSources<'_>) -> Result<Tables, TablesError> {
        raw::parse_and_build(sources).map_err(TablesError)
    }

    /// Settings of one tier.
    pub fn rarity(&self, rarity: Rarity) -> &RarityInfo {
        &self.rarities[rarity.index()]
    }

    /// All six tiers, most common first.
    pub fn rarities(&self) -> &[RarityInfo; 6] {
        &self.rarities
    }

    /// The emoji of a tier as configured in `hunt.yaml`.
    pub fn rarity_emoji(&self, rarity: Rarity) -> &str {
        &self.rarities[rarity.index()].emoji
    }

    /// Manual-hunt settings.
    pub fn hunt(&self) -> &HuntTable {
        &self.hunt
    }

    /// Every creature, in file order.
    pub fn creatures(&self) -> &[Creature] {
        &self.creatures
    }

    /// The creatures of one tier that hunts and crates draw (not the exclusive ones), in file
    /// order.
    pub fn creatures_of(&self, rarity: Rarity) -> impl Iterator<Item = &Creature> {
        self.creatures_by_rarity[rarity.index()]
            .iter()
            .map(|&i| &self.creatures[i])
    }

    /// A creature by id.
    pub fn creature(&self, id: &str) -> Option<&Creature> {
        self.creatures.iter().find(|c| c.id == id)
    }

    /// Every gem type.
    pub fn gems(&self) -> &[GemType] {
        &self.gems
    }

    /// A gem type by id.
    pub fn gem(&self, id: &str) -> Option<&GemType> {
        self.gems.iter().find(|g| g.id == id)
    }

    /// Every crate kind.
    pub fn crates(&self) -> &[CrateDef] {
        &self.crates
    }

    /// A crate kind by id.
    pub fn crate_def(&self, id: &str) -> Option<&CrateDef> {
        self.crates.iter().find(|c| c.id == id)
    }

    /// Every shop item.
    pub fn items(&self) -> &[ShopItem] {
        &self.items
    }

    /// Weapon types, tiers and the enhancement rules (`weapons.yaml`).
    pub fn weapons(&self) -> &crate::weapons::WeaponTable {
        &self.weapons
    }

    /// A shop item by id.
    pub fn item(&self, id: &str) -> Option<&ShopItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Draws a creature of the given tier (weighted inside the tier).
    /// `None` only if the tier has no creature, which validation forbids for any tier that can
    /// be drawn.
    pub fn pick_creature(&self, rarity: Rarity, rng: &mut impl Rng) -> Option<&Creature> {
        let pool = &self.creatures_by_rarity[rarity.index()];
        pick_weighted(&self.creature_weights_by_rarity[rarity.index()], rng)
            .map(|k| &self.creatures[pool[k]])
    }

    /// Draws a gem type (weighted).
    pub fn pick_gem_type(&self, rng: &mut impl Rng) -> Option<&GemType> {
        pick_weighted(&self.gem_weights, rng).map(|k| &self.gems[k])
    }
}

/// Draws an index with probability proportional to its weight (`None` if all weights are 0).
/// Exact integer sampling: one `random_range(0..total)` call.
pub fn pick_weighted(weights: &[u64], rng: &mut impl Rng) -> Option<usize> {
    pick_weighted_by(weights, |&w| w, rng)
}

/// Draws a rarity from `(tier, weight)` pairs (same sampling as [`pick_weighted`]).
pub fn pick_rarity(weights: &[(Rarity, u64)], rng: &mut impl Rng) -> Option<Rarity> {
    pick_weighted_by(weights, |&(_, w)| w, rng).map(|i| weights[i].0)
}

/// The real tables of `assets/tables`, embedded for unit tests.
/// The table files shipped in `assets/tables/`, compiled into the binary: the fallback when no
/// tables directory is deployed, and what tests and benchmarks use. Embedding is not I/O: the
/// text is a constant of the build.
pub fn shipped_sources() -> TableSources<'static> {
    TableSources {
        hunt: include_str!("../../../../assets/tables/hunt.yaml"),
        creatures: include_str!("../../../../assets/tables/creatures.yaml"),
        gems: include_str!("../../../../assets/tables/gems.yaml"),
        crates: include_str!("../../../../assets/tables/crates.yaml"),
        items: include_str!("../../../../assets/tables/items.yaml"),
        weapons: include_str!("../../../../assets/tables/weapons.yaml"),
    }
}

#[cfg(test)]
pub(crate) fn test_tables() -> Tables {
    Tables::from_yaml_strs(&shipped_sources()).expect("the real tables validate")
}

/// Draws the index of an element of `items` with probability proportional to `weight(item)`
/// (`None` if every weight is 0). One `random_range(0..total)` call.
pub fn pick_weighted_by<T>(
    items: &[T],
    weight: impl Fn(&T) -> u64,
    rng: &mut impl Rng,
) -> Option<usize> {
    let total: u64 = items.iter().fold(0u64, |a, x| a.saturating_add(weight(x)));
    if total == 0 {
        return None;
    }
    let mut ticket = rng.random_range(0..total);
    for (i, x) in items.iter().enumerate() {
        let w = weight(x);
        if ticket < w {
            return Some(i);
        }
        ticket -= w;
    }
    None
}
