//! The YAML shapes of the table files, and their validation into [`Tables`].
//!
//! Everything a player could get wrong is kept as a plain string or signed number here, so that
//! validation can report *every* problem with its file and key instead of stopping at the first
//! serde error.

use std::collections::HashSet;

use serde::Deserialize;

mod checks;
mod weapons;
use checks::{check_crates, check_creatures, check_gems, check_hunt, check_items};
use weapons::{WeaponsFile, check_weapons};

use super::{
    CrateDef, Creature, ELEMENTS, EventWindow, GemStat, GemType, HuntTable, ItemEffect, ItemKind,
    Pity, ProblemKind, Range, Rarity, RarityInfo, ShopItem, Stats, TableProblem, TableSources,
    Tables,
};

const HUNT: &str = "hunt.yaml";
const CREATURES: &str = "creatures.yaml";
const GEMS: &str = "gems.yaml";
const CRATES: &str = "crates.yaml";
const ITEMS: &str = "items.yaml";

fn one() -> i64 {
    1
}

/// The largest weight accepted: sums of weights (even scaled by luck) stay far from `u64::MAX`.
pub(super) const MAX_WEIGHT: i64 = 1_000_000_000;

/// A YAML mapping `name: number` kept as a list, so that duplicate keys (which serde's maps would
/// silently merge) can be reported.
#[derive(Debug, Default)]
struct WeightMap(Vec<(String, i64)>);

impl WeightMap {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl<'de> Deserialize<'de> for WeightMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = WeightMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of names to integers")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<WeightMap, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, i64>()? {
                    out.push((k, v));
                }
                Ok(WeightMap(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HuntFile {
    rarities: Vec<RawRarity>,
    hunt: RawHunt,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRarity {
    rarity: String,
    emoji: String,
    weight: i64,
    #[serde(default)]
    essence: i64,
    #[serde(default)]
    sell_value: i64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: i64,
    max: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHunt {
    xp: RawRange,
    chrons: RawRange,
    creature_chance: f64,
    gem_chance: f64,
    #[serde(default)]
    gem_rarity_weights: WeightMap,
    crate_chance: f64,
    #[serde(default)]
    crate_weights: WeightMap,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreaturesFile {
    creatures: Vec<RawCreature>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCreature {
    id: String,
    name: String,
    emoji: String,
    rarity: String,
    element: String,
    #[serde(default = "one")]
    weight: i64,
    stats: RawStats,
    #[serde(default)]
    exclusive: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStats {
    hp: i64,
    attack: i64,
    defense: i64,
    speed: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GemsFile {
    gems: Vec<RawGem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGem {
    id: String,
    name: String,
    emoji: String,
    stat: String,
    #[serde(default = "one")]
    weight: i64,
    power: WeightMap,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CratesFile {
    crates: Vec<RawCrate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrate {
    id: String,
    name: String,
    emoji: String,
    rolls: i64,
    gem_chance: f64,
    #[serde(default)]
    creature_weights: WeightMap,
    #[serde(default)]
    gem_weights: WeightMap,
    #[serde(default)]
    chrons: Option<RawRange>,
    #[serde(default)]
    pity: Option<RawPity>,
    #[serde(default)]
    event: Option<RawEvent>,
    #[serde(default)]
    weapon_chance: f64,
    #[serde(default)]
    weapon_weights: WeightMap,
    #[serde(default)]
    exclusive_weapons: Vec<String>,
    #[serde(default)]
    exclusive_creatures: Vec<String>,
    #[serde(default)]
    exclusive_creature_chance: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPity {
    after: i64,
    rarity: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    start: String,
    end: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemsFile {
    items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    name: String,
    emoji: String,
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    buy: Option<i64>,
    #[serde(default)]
    sell: Option<i64>,
    #[serde(default, rename = "crate")]
    crate_id: Option<String>,
    #[serde(default)]
    effect: Option<ItemEffect>,
}

/// Collects problems.
#[derive(Default)]
struct Checker {
    problems: Vec<TableProblem>,
}

impl Checker {
    fn push(&mut self, file: &'static str, key: impl Into<String>, kind: ProblemKind, msg: String) {
        self.problems.push(TableProblem {
            file,
            key: key.into(),
            kind,
            message: msg,
        });
    }

    fn parse<T: for<'de> Deserialize<'de>>(&mut self, file: &'static str, text: &str) -> Option<T> {
        match serde_yaml::from_str::<T>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                let key = match e.location() {
                    Some(loc) => format!("line {} column {}", loc.line(), loc.column()),
                    None => "(document)".to_owned(),
                };
                self.push(file, key, ProblemKind::Parse, format!("cannot parse: {e}"));
                None
            }
        }
    }

    fn probability(&mut self, file: &'static str, key: String, p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            self.push(
                file,
                key,
                ProblemKind::ProbabilityOutOfRange,
                format!("probability {p} is outside [0, 1]"),
            );
            0.0
        } else {
            p
        }
    }

    fn weight(&mut self, file: &'static str, key: String, w: i64) -> u64 {
        if w <= 0 {
            self.push(
                file,
                key,
                ProblemKind::NonPositiveWeight,
                format!(
                    "weight must be positive, got {w} (remove the entry instead of zeroing it)"
                ),
            );
            0
        } else if w > MAX_WEIGHT {
            self.push(
                file,
                key,
                ProblemKind::InvalidValue,
                format!("weight {w} is too large (at most {MAX_WEIGHT})"),
            );
            0
        } else {
            w as u64
        }
    }

    fn range(&mut self, file: &'static str, key: String, r: RawRange) -> Range {
        if r.min < 0 || r.max < 0 {
            self.push(
                file,
                key.clone(),
                ProblemKind::InvalidValue,
                format!("range must not be negative, got {}..={}", r.min, r.max),
            );
        }
        if r.min > r.max {
            self.push(
                file,
                key,
                ProblemKind::MinAboveMax,
                format!("min ({}) is greater than max ({})", r.min, r.max),
            );
        }
        Range {
            min: r.min.max(0),
            max: r.max.max(r.min).max(0),
        }
    }

    fn rarity(&mut self, file: &'static str, key: String, name: &str) -> Option<Rarity> {
        let r = Rarity::from_name(name);
        if r.is_none() {
            self.push(
                file,
                key,
                ProblemKind::UnknownRarity,
                format!(
                    "unknown rarity {name:?} (expected one of: {})",
                    Rarity::ALL.map(Rarity::as_str).join(", ")
                ),
            );
        }
        r
    }

    /// Converts a `{rarity: weight}` map; output sorted by rarity.
    fn rarity_weights(
        &mut self,
        file: &'static str,
        key: &str,
        map: &WeightMap,
    ) -> Vec<(Rarity, u64)> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for (name, w) in &map.0 {
            let w = *w;
            let k = format!("{key}.{name}");
            let r = self.rarity(file, k.clone(), name);
            let w = self.weight(file, k, w);
            if let Some(r) = r {
                if seen.contains(&r) {
                    self.push(
                        file,
                        format!("{key}.{name}"),
                        ProblemKind::DuplicateId,
                        format!("rarity {} listed twice", r.as_str()),
                    );
                } else {
                    seen.push(r);
                    if w > 0 {
                        out.push((r, w));
                    }
                }
            }
        }
        out.sort_by_key(|&(r, _)| r);
        out
    }

    fn text(&mut self, file: &'static str, key: String, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(
                file,
                key,
                ProblemKind::InvalidValue,
                format!("{field} must not be empty"),
            );
        }
    }

    /// Checks ids of a list: well-formed and unique.
    fn ids<'a>(
        &mut self,
        file: &'static str,
        list: &str,
        ids: impl Iterator<Item = &'a str>,
    ) -> HashSet<String> {
        let mut seen = HashSet::new();
        for (i, id) in ids.enumerate() {
            let key = entry_key(list, i, id);
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                self.push(
                    file,
                    format!("{key}.id"),
                    ProblemKind::InvalidValue,
                    format!("id {id:?} must be non-empty lower_snake_case"),
                );
            }
            if !seen.insert(id.to_owned()) {
                self.push(
                    file,
                    format!("{key}.id"),
                    ProblemKind::DuplicateId,
                    format!("duplicate id {id:?} in {list}"),
                );
            }
        }
        seen
    }
}

fn entry_key(list: &str, index: usize, id: &str) -> String {
    if id.is_empty() {
        format!("{list}[{index}]")
    } else {
        format!("{list}[{index}]({id})")
    }
}

/// Parses and validates all files; on success builds the [`Tables`].
pub(super) fn parse_and_build(src: &TableSources<'_>) -> Result<Tables, Vec<TableProblem>> {
    let mut c = Checker::default();
    let hunt_file: Option<HuntFile> = c.parse(HUNT, src.hunt);
    let creatures_file: Option<CreaturesFile> = c.parse(CREATURES, src.creatures);
    let gems_file: Option<GemsFile> = c.parse(GEMS, src.gems);
    let crates_file: Option<CratesFile> = c.parse(CRATES, src.crates);
    let items_file: Option<ItemsFile> = c.parse(ITEMS, src.items);
    let weapons_file = WeaponsFile::parse(&mut c, src.weapons);

    let creatures = creatures_file.map(|f| check_creatures(&mut c, f));
    let gems = gems_file.map(|f| check_gems(&mut c, f));
    // The weapons' material is checked against the items once they are known (below).
    let weapons = weapons_file.map(|f| check_weapons(&mut c, f, None));
    let crates = crates_file.map(|f| {
        check_crates(
            &mut c,
            f,
            creatures.as_deref(),
            gems.as_deref(),
            weapons.as_ref(),
        )
    });
    let hunt = hunt_file.map(|f| check_hunt(&mut c, f, creatures.as_deref(), crates.as_deref()));
    let items = items_file.map(|f| check_items(&mut c, f, crates.as_deref()));
    if let (Some(w), Some(items)) = (&weapons, &items) {
        weapons::check_material(&mut c, &w.enhance.material, items);
    }

    match (
        c.problems.is_empty(),
        hunt,
        creatures,
        gems,
        crates,
        items,
        weapons,
    ) {
        (
            true,
            Some((rarities, hunt)),
            Some(creatures),
            Some(gems),
            Some(crates),
            Some(items),
            Some(weapons),
        ) => {
            let mut by_rarity: [Vec<usize>; 6] = Default::default();
            let mut weights_by_rarity: [Vec<u64>; 6] = Default::default();
            // Exclusive creatures come only from their event crates: hunts, other crates and
            // the pity rule draw from the others.
            for (i, cr) in creatures.iter().enumerate().filter(|(_, cr)| !cr.exclusive) {
                by_rarity[cr.rarity.index()].push(i);
                weights_by_rarity[cr.rarity.index()].push(cr.weight);
            }
            let gem_weights = gems.iter().map(|g| g.weight).collect();
            Ok(Tables {
                rarities,
                hunt,
                creatures,
                creatures_by_rarity: by_rarity,
                creature_weights_by_rarity: weights_by_rarity,
                gem_weights,
                gems,
                crates,
                items,
                weapons,
            })
        }
        _ => Err(c.problems),
    }
}
